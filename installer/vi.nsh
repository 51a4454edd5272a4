; Vietnamese texts of the installer (UTF-8 with BOM). 1066 = LANG_VIETNAMESE.
LangString SEC_PROGRAM ${LANG_VIETNAMESE} "Chương trình Báo cáo CCHC"
LangString SEC_DESKTOP ${LANG_VIETNAMESE} "Biểu tượng trên màn hình nền"
LangString DESC_PROGRAM ${LANG_VIETNAMESE} "Trình soạn báo cáo, lệnh cchc, mẫu báo cáo Word; mở tệp báo cáo .cchc bằng chương trình này khi nháy đúp."
LangString DESC_DESKTOP ${LANG_VIETNAMESE} "Đặt biểu tượng Báo cáo CCHC trên màn hình nền."
LangString TXT_SHORTCUT_DESC ${LANG_VIETNAMESE} "Soạn báo cáo kết quả cải cách hành chính"
LangString TXT_FILETYPE ${LANG_VIETNAMESE} "Báo cáo CCHC"
LangString TXT_RUN_NOW ${LANG_VIETNAMESE} "Mở Báo cáo CCHC ngay"
LangString TXT_DATA_KEPT ${LANG_VIETNAMESE} "Đã gỡ chương trình. Thiết lập, bản lưu tự động và các tệp báo cáo của bạn vẫn được giữ nguyên."
