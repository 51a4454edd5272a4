"""A complete, realistic and valid annual report to try things with (`python -m app sample`).

The figures are consistent with every rule of the catalogue; several come from the seed
articles (266 văn bản QPPL, 1.675 văn bản kiểm tra, 18/21 sở, on-time rate 97,37%).
"""

from __future__ import annotations

from datetime import date

from app.model import DocumentInfo, Period, Report, Signer, Unit

SAMPLE_VALUES: dict[str, int | float] = {
    # chỉ đạo, điều hành
    "kh_nhiem_vu_tong_so": 48, "kh_nhiem_vu_hoan_thanh": 45, "vb_chi_dao_ban_hanh": 37,
    "kiem_tra_ke_hoach": 20, "kiem_tra_da_thuc_hien": 20, "kiem_tra_van_de_phat_hien": 35,
    "kiem_tra_van_de_da_xu_ly": 33, "tuyen_truyen_tin_bai": 412, "sang_kien_mo_hinh": 12,
    # thể chế
    "vbqppl_ban_hanh": 266, "vbqppl_kiem_tra": 1675, "vbqppl_kien_nghi_sua_doi": 59,
    "vbqppl_kien_nghi_bai_bo": 43, "vbqppl_ra_soat": 820, "vbqppl_ra_soat_can_xu_ly": 64,
    # thủ tục hành chính
    "tthc_tong_so": 1936, "tthc_cap_tinh": 1421, "tthc_cap_huyen": 302, "tthc_cap_xa": 213,
    "tthc_cong_bo": 215, "tthc_cong_bo_moi": 96, "tthc_cong_bo_sua_doi": 74,
    "tthc_cong_bo_bai_bo": 45, "tthc_don_gian_hoa": 126, "tthc_mot_cua": 1876,
    "mot_cua_so_nganh_tong": 21, "mot_cua_so_nganh_thuc_hien": 18,
    "mot_cua_huyen_tong": 6, "mot_cua_huyen_thuc_hien": 6,
    "mot_cua_xa_tong": 98, "mot_cua_xa_thuc_hien": 98,
    "ho_so_tiep_nhan": 245310, "ho_so_truc_tuyen": 142780, "ho_so_truc_tiep_buu_chinh": 98115,
    "ho_so_ky_truoc_chuyen_sang": 4415, "ho_so_da_giai_quyet": 238920, "ho_so_truoc_han": 152300,
    "ho_so_dung_han": 80335, "ho_so_qua_han": 6285, "ho_so_dang_giai_quyet": 6390,
    "ho_so_dang_trong_han": 5980, "ho_so_dang_qua_han": 410,
    "ty_le_so_hoa_ket_qua": 82.5, "ty_le_tai_su_dung_du_lieu": 63.4,
    "ty_le_thanh_toan_truc_tuyen": 48.61, "pakn_tiep_nhan": 126, "pakn_da_xu_ly": 121,
    # tổ chức bộ máy
    "bm_co_quan_chuyen_mon_tinh": 19, "bm_giam_co_quan_chuyen_mon_tinh": 5,
    "bm_giam_to_chuc_cap_phong": 37, "bm_giam_chi_cuc": 6, "bm_giam_co_quan_cap_huyen": 12,
    "dvsnc_tong_so": 612, "dvsnc_giam": 71, "bien_che_nam_goc": 2015,
    "bien_che_cong_chuc_giao": 2050, "bien_che_cong_chuc_co_mat": 1987,
    "bien_che_su_nghiep_giao": 19640, "bien_che_giam": 1875, "bien_che_giam_ty_le": 8.7,
    # chế độ công vụ
    "cv_co_quan_phe_duyet_vtvl": 64, "cv_tuyen_dung_cong_chuc": 86, "cv_tuyen_dung_vien_chuc": 412,
    "cv_dao_tao_luot": 6350, "cv_danh_gia_tong": 21540, "cv_danh_gia_xuat_sac": 3120,
    "cv_danh_gia_tot": 15870, "cv_danh_gia_hoan_thanh": 2455, "cv_danh_gia_khong_hoan_thanh": 95,
    "cv_ky_luat": 23,
    # tài chính công
    "tc_dvsnc_tu_chu_chi_tx_dt": 21, "tc_dvsnc_tu_chu_chi_tx": 84, "tc_dvsnc_tu_chu_mot_phan": 233,
    "tc_dvsnc_nsnn_bao_dam": 274, "tc_co_quan_khoan_bien_che": 58,
    "tc_tiet_kiem_chi": 186_500_000_000,
    # chính phủ số
    "cps_dvctt_toan_trinh": 1021, "cps_dvctt_mot_phan": 612, "cps_ty_le_ho_so_truc_tuyen": 58.2,
    "cps_ty_le_van_ban_dien_tu": 96.5, "cps_ty_le_ho_so_cong_viec_tren_mang": 85.3,
    "cps_co_quan_iso": 112, "cps_co_quan_qlvb": 25,
    # chỉ số
    "cs_par_diem": 86.57, "cs_par_xep_hang": 21, "cs_par_xep_hang_ky_truoc": 24,
    "cs_sipas_ty_le": 89.24, "cs_sipas_xep_hang": 14, "cs_sipas_xep_hang_ky_truoc": 16,
    "cs_papi_diem": 43.15, "cs_papi_xep_hang": 29, "cs_pci_diem": 68.9, "cs_pci_xep_hang": 17,
    "cs_766_diem": 82.4, "cs_766_xep_hang": 12,
    # added 2026-11: publishing decisions, liên thông, PAKN on time, the staff-cut split,
    # last year's PAR score and PAPI/PCI ranks, the eight PAR area scores (they add up to 86,57)
    "tthc_quyet_dinh_cong_bo": 38, "tthc_lien_thong_cung_cap": 12,
    "tthc_lien_thong_giua_cac_cap": 9, "pakn_dung_han": 118,
    "bien_che_giam_hanh_chinh": 203, "bien_che_giam_su_nghiep": 1672,
    "cs_par_diem_ky_truoc": 84.11, "cs_papi_xep_hang_ky_truoc": 33, "cs_pci_xep_hang_ky_truoc": 19,
    "cs_par_diem_chi_dao": 8.12, "cs_par_diem_the_che": 8.45, "cs_par_diem_tthc": 11.23,
    "cs_par_diem_bo_may": 7.86, "cs_par_diem_cong_vu": 10.24, "cs_par_diem_tai_chinh_cong": 6.95,
    "cs_par_diem_chinh_phu_so": 9.87, "cs_par_diem_tac_dong": 23.85,
}

SAMPLE_NARRATIVE: dict[str, str] = {
    "chi_dao": (
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch cải cách hành chính năm 2024 ngay từ đầu năm, "
        "phân công cụ thể nhiệm vụ, thời hạn và đơn vị chủ trì. Người đứng đầu các cơ quan, đơn "
        "vị trực tiếp chỉ đạo và chịu trách nhiệm về kết quả cải cách hành chính.\n\n"
        "Công tác tuyên truyền được đổi mới cả về nội dung và hình thức, gắn với chuyển đổi số."
    ),
    "the_che": (
        "Công tác xây dựng, ban hành văn bản quy phạm pháp luật bảo đảm đúng trình tự, thủ tục; "
        "chất lượng thẩm định và lấy ý kiến được nâng lên."
    ),
    "tthc": (
        "Bộ phận Một cửa các cấp hoạt động ổn định; việc số hóa hồ sơ, kết quả giải quyết thủ tục "
        "hành chính được đẩy mạnh. Tỉnh đã công khai xin lỗi người dân, tổ chức đối với các hồ sơ "
        "giải quyết quá hạn."
    ),
    "bo_may": "Việc sắp xếp tổ chức bộ máy thực hiện đúng lộ trình, gắn với tinh giản biên chế.",
    "cong_vu": "Công tác đánh giá, xếp loại cán bộ, công chức, viên chức thực hiện thực chất hơn.",
    "tai_chinh_cong": "Cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập tiếp tục được mở rộng.",
    "chinh_phu_so": (
        "Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh được kết nối với Cổng Dịch vụ "
        "công quốc gia; 100% văn bản điều hành được ký số."
    ),
    "uu_diem": (
        "Công tác cải cách hành chính được các cấp, các ngành quan tâm chỉ đạo; nhiều chỉ số "
        "thành phần được cải thiện so với năm trước."
    ),
    "han_che": (
        "Tỷ lệ hồ sơ trực tuyến toàn trình còn thấp; một số cơ quan còn để hồ sơ quá hạn.\n\n"
        "Nguyên nhân chủ yếu là hạ tầng số ở cấp xã chưa đồng bộ và kỹ năng số của một bộ phận "
        "người dân còn hạn chế."
    ),
    "phuong_huong": (
        "Tiếp tục rà soát, đơn giản hóa thủ tục hành chính, nâng tỷ lệ hồ sơ trực tuyến toàn trình.\n\n"
        "Đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính và tái sử dụng dữ liệu.\n\n"
        "Nâng cao chất lượng đội ngũ cán bộ, công chức làm việc tại Bộ phận Một cửa các cấp."
    ),
    "kien_nghi": (
        "Đề nghị Bộ Nội vụ sớm ban hành hướng dẫn xác định Chỉ số cải cách hành chính áp dụng cho "
        "mô hình chính quyền địa phương hai cấp."
    ),
}


def sample_report(year: int = 2024) -> Report:
    return Report(
        unit=Unit(name="Ủy ban nhân dân tỉnh Hà Nam", code="UBND", level="tinh", governing_body=""),
        period=Period("nam", year),
        document=DocumentInfo(
            number=412, symbol="BC-UBND", place="Hà Nam", date=date(year, 12, 16),
            to=["Bộ Nội vụ"],
            distribution=["Như trên", "Văn phòng Chính phủ", "TT Tỉnh ủy, TT HĐND tỉnh",
                          "Chủ tịch, các PCT UBND tỉnh", "Sở Nội vụ", "Lưu: VT, SNV"],
            signer=Signer("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Nguyễn Văn An"),
        ),
        values=dict(SAMPLE_VALUES),
        narrative=dict(SAMPLE_NARRATIVE),
    )
