"""The administrators' guide: the field reference and the few constructs a template needs,
in Vietnamese. `python -m app template fields` prints it; the window shows it; docs/mau-bao-cao.md
is generated from it (`python -m app.templates.guide > docs/mau-bao-cao.md`)."""

from __future__ import annotations

import unicodedata

FILTERS: list[tuple[str, str, str]] = [
    ("upper", "Viết HOA toàn bộ", "{{ ky_tiep_theo|upper }} → NĂM 2025"),
    ("lower", "Viết thường toàn bộ", "{{ ten_co_quan|lower }}"),
    ("capitalize", "Viết hoa chữ đầu, còn lại viết thường", "{{ chu_the|capitalize }} → Tỉnh"),
    ("default(\"…\")", "Chữ thay thế khi trường trống", "{{ nguoi_ky.ho_ten|default(\"…\") }}"),
    ("length", "Số phần tử của danh sách", "{% if kinh_gui|length == 1 %}"),
    ("join(\"; \")", "Nối danh sách thành một dòng", "{{ noi_nhan|join(\"; \") }}"),
    ("first / last", "Phần tử đầu / cuối của danh sách", "{{ kinh_gui|first }}"),
    ("replace(\"a\", \"b\")", "Thay chữ", "{{ trich_yeu|replace(\"công tác \", \"\") }}"),
    ("trim", "Bỏ khoảng trắng thừa ở hai đầu", "{{ ten_co_quan|trim }}"),
    ("vn", "Viết một số kiểu Việt Nam (chấm ngăn nghìn, phẩy thập phân)", "{{ so.ho_so_tiep_nhan|vn }} → 245.310"),
    ("vn(1)", "Như trên, giữ 1 chữ số thập phân", "{{ 1234.56|vn(1) }} → 1.234,6"),
    ("phan_tram", "Viết một tỷ lệ (thang 0–100) thành phần trăm", "{{ 97.365|phan_tram }} → 97,37%"),
]

_CONSTRUCTS = """\
## Cách viết trong mẫu

Mẫu báo cáo là một tệp Word bình thường. Chỗ nào cần số liệu thì gõ tên trường trong hai cặp
ngoặc nhọn; chỗ nào cần điều kiện hay lặp thì dùng thẻ `{% … %}`. Mọi thẻ phải nằm gọn trong
**một đoạn** (không xuống dòng giữa thẻ).

### 1. Chèn một trường

    Trong kỳ, {{ chu_the }} ban hành {{ vbqppl_ban_hanh }} văn bản quy phạm pháp luật.

Số liệu đã được viết sẵn theo kiểu Việt Nam ("1.675", "97,37%", "6.300 tỷ đồng"); trường chưa
có số liệu hiện "…" để người soạn thấy chỗ còn thiếu. Định dạng (đậm, nghiêng, cỡ chữ) của
trường là định dạng của chữ `{{` đầu tiên.

### 2. Điều kiện: chỉ in khi có số liệu

    Chỉ số PAR INDEX đạt {{ cs_par_diem }} điểm{% if so.cs_par_thay_doi_bac is not none %} ({{ cs_par_thay_doi_bac }}){% endif %}.

`so.<mã>` là số gốc (rỗng khi chưa báo cáo), dùng để so sánh: `{% if so.ho_so_qua_han > 0 %}`.
Có thể thêm `{% elif … %}` và `{% else %}`.

### 3. Điều kiện hoặc vòng lặp cho cả đoạn: thẻ `{%p … %}`

Khi điều kiện quyết định cả một đoạn, đặt thẻ trong **đoạn riêng**, viết `{%p` thay cho `{%`.
Đoạn chứa thẻ sẽ biến mất khi xuất, không để lại dòng trống:

    {%p if co_ky_truoc %}
    So với {{ ky_truoc_tieu_de }}, số hồ sơ tiếp nhận {{ so_sanh.ho_so_tiep_nhan }}.
    {%p endif %}

Đoạn có thẻ `{%p … %}` không được chứa chữ nào khác — chữ đó sẽ bị mất.

### 4. Lặp qua danh sách (đơn vị, lĩnh vực, nơi nhận…)

    {%p for noi in noi_nhan %}
    - {{ noi }}{% if loop.last %}.{% else %};{% endif %}
    {%p endfor %}

Trong vòng lặp, `loop.index` là số thứ tự (1, 2, 3…), `loop.first` / `loop.last` cho biết phần
tử đầu / cuối. Báo cáo tổng hợp có danh sách đơn vị `don_vi`; mỗi đơn vị có `ten`, `cap`,
`ty_le_dung_han`, `ho_so_da_giai_quyet`.

### 5. Lặp theo hàng bảng: thẻ `{%tr … %}`

Để mỗi đơn vị thành một hàng của bảng, dùng ba hàng: hàng đầu chỉ có `{%tr for dv in don_vi %}`,
hàng giữa là hàng mẫu, hàng cuối chỉ có `{%tr endfor %}`:

| STT | Đơn vị | Tỷ lệ đúng hạn |
|---|---|---|
| `{%tr for dv in don_vi %}` | | |
| `{{ loop.index }}` | `{{ dv.ten }}` | `{{ dv.ty_le_dung_han }}` |
| `{%tr endfor %}` | | |

Thẻ `{%tr %}` chỉ dùng trong bảng.

### 6. Đoạn văn viết tay của người soạn

Mỗi phần của báo cáo có đoạn văn người soạn viết trong chương trình, dùng vòng lặp theo đoạn:

    {%p for doan in doan_van.the_che %}
    {{ doan }}
    {%p endfor %}

### 7. Số liệu, danh sách, nhóm trường: in ra thế nào

- Trường số liệu (`{{ ho_so_tiep_nhan }}`) **đã viết sẵn** kiểu Việt Nam: “245.310”, “97,37%”,
  “6.300 tỷ đồng”, hoặc “…” khi chưa báo cáo. Dùng thẳng, không cần bộ lọc.
- `so.<mã>` là **số gốc**, chỉ để so sánh trong `{% if %}`. In số gốc ra là cảnh báo; nếu thật
  cần, dùng bộ lọc `|vn` (số) hoặc `|phan_tram` (tỷ lệ). Các bộ lọc viết số kiểu nước ngoài
  (`round`, `format`, `int`, `float`, `filesizeformat`…) và lệnh của Python (`'{:,}'.format(…)`,
  `.center()`, `.upper()`…) **không dùng được** trong mẫu.
- Danh sách (`kinh_gui`, `noi_nhan`, `co_quan_ban_hanh`, `nguoi_ky.chuc_vu`, `mo_dau`,
  `doan_van.<phần>`…) phải in bằng vòng lặp, hoặc dùng dạng **nối sẵn** `…_dong`:
  `{{ kinh_gui_dong }}`, `{{ nguoi_ky.chuc_vu_dong }}`, `{{ doan_van_dong.the_che }}`. In cả danh
  sách (`{{ kinh_gui }}`) sẽ ra “['Bộ Nội vụ']”, nên chương trình báo lỗi.
- Nhóm trường (`nguoi_ky`, `so`, `ky_truoc`…) không in cả nhóm được; hãy chọn một trường trong
  nhóm: `{{ nguoi_ky.ho_ten }}`.
- Trường đúng/sai (`co_ky_truoc`, `du_thao`, `cap_tinh`…) chỉ dùng trong `{% if %}`.

### 8. Những điều không được làm, và giới hạn của mẫu

- Không dùng tên bắt đầu bằng dấu gạch dưới (`__class__`…) hay tìm cách truy cập bên trong
  chương trình: mẫu chạy trong môi trường khóa kín, lệnh như vậy bị chặn và báo lỗi.
- Mẫu chạy trong một tiến trình riêng có giới hạn cứng: **10 giây**, **320 MB bộ nhớ**, tệp Word
  xuất ra tối đa 40 MB, văn bản tối đa 5.000 đoạn và 20 triệu ký tự. Mẫu vượt giới hạn bị dừng,
  chương trình báo rõ giới hạn nào.
- Tệp mẫu: giải nén tối đa 60 MB (mỗi phần 25 MB, phần XML 20 MB), tối đa 1.000 phần, 20.000
  đoạn văn, lồng nhau tối đa 120 tầng (bảng trong bảng…). Tệp vượt các giới hạn này không dùng
  được.
- Không có macro (tệp .docm, `vbaProject.bin`), điều khiển ActiveX, chương trình hay đối tượng
  OLE nhúng: mẫu như vậy bị từ chối và các phần đó **không bao giờ** được chép vào báo cáo. Lưu
  mẫu dạng “Word Document (.docx)”.
- Thẻ đặt trong chú thích cuối văn bản (endnote) và ghi chú (comment) không được xử lý: đặt thẻ
  trong thân văn bản, bảng, đầu trang, chân trang, chú thích chân trang (footnote) hoặc thuộc tính
  tệp (Tiêu đề, Chủ đề…).
- Không dùng `include`, `import`, `extends`: mẫu không nạp được mẫu khác.
- Không xóa phần đầu văn bản: Quốc hiệu, Tiêu ngữ, dòng “Số:” (`{{ so_ky_hieu }}`) và dòng
  địa danh, ngày tháng (`{{ dia_danh_ngay }}`) là bắt buộc theo Nghị định 30.

### 9. Kiểm tra trước khi dùng — và mỗi lần xuất

Sau khi sửa, lưu tệp rồi kiểm tra (trong cửa sổ “Thư viện mẫu” bấm “Kiểm tra”, hoặc):

    python -m app template check đường_dẫn/bao_cao.docx

Chương trình chỉ ra từng lỗi kèm vị trí (đoạn thứ mấy, bảng – hàng – cột), gợi ý tên trường
gần đúng, kiểm tra khổ giấy, lề, phông chữ theo Nghị định 30 và chạy thử với báo cáo mẫu. Nếu
Word tách thẻ thành nhiều đoạn định dạng, bấm “Sửa thẻ bị tách” (hoặc thêm
`--repair tệp_mới.docx`) để tạo bản đã sửa; tệp gốc không bị thay đổi.

Việc kiểm tra tên trường cũng chạy **mỗi lần xuất báo cáo**, ở mọi nơi có thẻ (thân văn bản,
bảng, đầu trang, chân trang, chú thích chân trang, thuộc tính tệp), hiểu cả phạm vi vòng lặp
(biến của `{% for dv in don_vi %}` chỉ dùng được bên trong vòng lặp đó). Mẫu còn lỗi thì **không
xuất bản chính thức** được: chương trình nêu từng lỗi, vị trí và tên gợi ý. Bản dự thảo vẫn xuất
được; chỗ trường sai hiện “…” để người soạn thấy.

## Năm lỗi thường gặp

1. **Gõ sai tên trường.** `{{ vbqppl_ban_hanhh }}` → “Không có trường “vbqppl_ban_hanhh”. Có phải
   ý bạn là “vbqppl_ban_hanh”?”. Sửa đúng tên theo danh sách trường ở cuối tài liệu này (hoặc
   `python -m app template fields`).
2. **In cả danh sách hay cả nhóm.** `Kính gửi: {{ kinh_gui }}` ra “['Bộ Nội vụ']”. Dùng
   `{{ kinh_gui_dong }}` hoặc vòng lặp `{%p for noi in kinh_gui %}`; với nhóm, chọn một trường
   (`{{ nguoi_ky.ho_ten }}`).
3. **So sánh chữ với số.** `{% if ho_so_qua_han > 0 %}` không chạy được vì `ho_so_qua_han` đã
   là chữ (“6.285”). So sánh bằng số gốc: `{% if so.ho_so_qua_han > 0 %}`.
4. **Tự định dạng số.** `{{ so.ty_le_giai_quyet_dung_han|round(2) }}%`, `'{:,}'.format(…)` viết
   số kiểu nước ngoài (“97.4%”, “245,310”). Dùng trường đã viết sẵn
   (`{{ ty_le_giai_quyet_dung_han }}`) hoặc `|phan_tram`, `|vn`.
5. **Gõ chữ vào đoạn có thẻ `{%p … %}`, hay dùng biến vòng lặp ngoài vòng lặp.** Chữ trong đoạn
   `{%p if … %}` bị mất khi xuất: đưa chữ sang đoạn riêng. `{{ dv.ten }}` sau `{%p endfor %}`
   không còn `dv`: đặt nó giữa `for` và `endfor`.

### 10. Câu văn tự sinh: sửa câu chữ trong `cau_van.toml`

Các đoạn văn có số liệu (thể chế, thủ tục hành chính, hồ sơ, bộ máy, biên chế, công vụ, tài
chính công, chính phủ số, các chỉ số) được chương trình **ghép từ các vế câu**, in trong mẫu bằng
`{{ cau_van.<đoạn> }}` (ví dụ `{{ cau_van.ho_so }}`). Mỗi vế chỉ xuất hiện khi đã có số liệu của
nó; đoạn không có số liệu nào thì bỏ hẳn, chỉ còn đoạn viết tay của người soạn. Bản chính thức
không bao giờ có “…” do chương trình viết; bản dự thảo ghi thêm, tô vàng, một dòng
`[Chưa có số liệu: …]` (trường `{{ cau_van_thieu.<đoạn> }}`, trống khi xuất bản chính thức).

Câu chữ nằm trong tệp `cau_van.toml` cùng thư mục với `bao_cao.docx` (mẫu nhân bản có sẵn một
bản để sửa; mẫu không có tệp này thì dùng câu văn mặc định). Mở bằng Notepad, lưu dạng UTF-8.
Ví dụ, đoạn hồ sơ:

    [[doan.ho_so.cau]]
    mo = "{trong_ky},"
    ve = [
      "{toan_the} tiếp nhận {ho_so_tiep_nhan} hồ sơ",
      [
        ", trong đó giải quyết trước hạn {ho_so_truoc_han} hồ sơ, đúng hạn {ho_so_dung_han} hồ sơ[, đạt tỷ lệ {ty_le_giai_quyet_dung_han}]",
        ", trong đó giải quyết trước hạn và đúng hạn {ho_so_truoc_va_dung_han} hồ sơ[, đạt tỷ lệ {ty_le_giai_quyet_dung_han}]",
      ],
      "; quá hạn {ho_so_qua_han} hồ sơ[, chiếm tỷ lệ {ty_le_qua_han}]",
    ]

Cách viết:

- `{mã}` in số liệu đã viết kiểu Việt Nam (“84.210”, “98,49%”, “09”). Vế có số liệu chưa báo cáo
  thì bỏ cả vế — không in “…”, không in số 0.
- `[ … ]` là phần tùy chọn: chỉ in khi mọi số liệu bên trong đã có.
- `["cách 1", "cách 2"]`: các cách viết thay nhau, dùng cách đầu tiên đủ số liệu (ở ví dụ:
  tách trước hạn, đúng hạn khi có; nếu không thì số gộp “trước hạn và đúng hạn”).
- `{?mã}`: chỉ dùng vế khi số liệu này đã có (không in ra); `{!mã}`: chỉ khi chưa có.
- Vế bắt đầu bằng “,” hoặc “;” được nối với vế trước bằng dấu đó (dấu bị bỏ khi vế đứng đầu
  câu); vế bắt đầu bằng “(” nối bằng dấu cách; các vế khác nối bằng `noi` của câu (mặc định
  “, ”). `mo` là phần mở đầu câu, `ket` là dấu kết thúc (mặc định “.”). Chữ đầu câu tự viết hoa.
- `theo_cap = true`: câu được nói lần lượt cho từng cấp (tỉnh, huyện — chỉ trước 01/7/2025 —,
  xã), dùng `{ten_cap}`; các cấp nối bằng `noi_cap` (mặc định “; ”).
- `[diem_toi_da]`: điểm tối đa của từng lĩnh vực Chỉ số CCHC; khi có đủ, báo cáo nêu lĩnh vực đạt
  tỷ lệ điểm cao nhất và thấp nhất.

Ngoài mã chỉ tiêu (danh sách ở cuối tài liệu) còn dùng được `so_sanh.<mã>` (so sánh với kỳ
trước), `phan_so.<mã tỷ lệ>` (dạng “18/21”), `chua_bao_cao.<mã>` (số đơn vị chưa báo cáo, ở báo
cáo tổng hợp), `chi_tieu.<mã>` (so với chỉ tiêu của chương trình: “vượt chỉ tiêu 50% của Nghị
quyết số 76/NQ-CP”, “chưa đạt chỉ tiêu 98% …”) và các từ sau:

{PHRASES}

**Sửa một câu:** ví dụ muốn viết “các cơ quan, đơn vị đã tiếp nhận …” thay cho “toàn tỉnh tiếp
nhận …”, sửa vế `"{toan_the} tiếp nhận {ho_so_tiep_nhan} hồ sơ"` thành `"các cơ quan, đơn vị đã
tiếp nhận {ho_so_tiep_nhan} hồ sơ"`, lưu tệp, rồi kiểm tra mẫu. Tệp câu văn sai (thiếu dấu
ngoặc, tên trường không có) được báo rõ tên tệp, đoạn, câu, vế và lỗi, ví dụ
`[lỗi] cau_van.toml: đoạn “ho_so”, câu 1, vế 1: không có trường “{ho_so_tiep_nhann}”. Có phải ý
bạn là “ho_so_tiep_nhan”?`; mẫu có tệp câu văn sai không xuất được báo cáo.

Số từ 1 đến 9 trong câu văn được viết hai chữ số (“09 bộ”, “tăng 03 bậc”, “06/06 huyện”) — một
quy tắc cho mọi số đếm, thay đổi thứ hạng và tỷ số; tắt trong **Cài đặt ▸ Số từ 1 đến 9 trong câu
văn**. Tỷ lệ, điểm, thứ hạng, năm và ngày tháng không thêm số 0. Dòng “(Số liệu tính từ ngày …
đến ngày …)” dưới đoạn mở đầu là `{{ thoi_gian_so_lieu }}`: theo chế độ báo cáo, hoặc như người
soạn nhập ở thông tin văn bản.

### 11. Biểu đồ

Mẫu có thể chèn biểu đồ bằng trường `bieu_do.…`, viết một mình trong một đoạn (nên căn giữa):

    {{ bieu_do.ty_le_dung_han_theo_don_vi }}

Chương trình vẽ hình rộng 160 mm, độ phân giải in (300 dpi), chữ Times New Roman, số viết theo
cách Việt Nam, và ghi dòng chú thích “Biểu đồ 1. …” dưới hình; số thứ tự biểu đồ theo thứ tự
xuất hiện trong văn bản. Đơn vị chưa báo cáo không có cột, chỉ ghi “chưa báo cáo”. Khi báo cáo
không có số liệu cho biểu đồ, có thể bỏ qua bằng `{%p if bieu_do.ty_le_dung_han_theo_don_vi %}`
… `{%p endif %}`. Mẫu có sẵn “Mẫu Nghị định 30 có biểu đồ” dùng cả ba biểu đồ theo cách này.
Mẫu không có biểu đồ thì xuất nhanh như trước (chương trình không nạp phần vẽ).
"""

def _with_words(text: str) -> str:
    """The constructs, with the words a clause wording may use (app.export.clauses.PHRASES)."""
    from app.export.clauses import PHRASES

    return text.replace("{PHRASES}", "\n".join(f"- `{{{k}}}`: {v}" for k, v in PHRASES.items()))


CONSTRUCTS = _with_words(_CONSTRUCTS)

INTRO = """\
# Hướng dẫn sửa mẫu báo cáo

Dành cho quản trị viên: cách đổi cách viết, thứ tự, bố cục của báo cáo Word mà không cần lập
trình viên.

## Các bước

1. Mở chương trình, vào menu **Mẫu báo cáo ▸ Thư viện mẫu**.
2. Chọn mẫu có sẵn, bấm **Nhân bản để sửa**: chương trình chép mẫu vào thư mục mẫu (đặt trong
   Cài đặt, thường là thư mục dùng chung trên mạng). Mẫu có sẵn không sửa được.
3. Bấm **Mở bằng Word**, sửa câu chữ, thứ tự các phần, rồi lưu lại (giữ dạng .docx).
4. Sửa tệp `manifest.toml` cùng thư mục (bằng Notepad) nếu cần: tên, mô tả, **tăng phiên bản**.
5. Bấm **Kiểm tra**; sửa hết lỗi được báo.
6. Bấm **Xem trước** để xuất thử báo cáo đang mở (hoặc báo cáo mẫu) bằng mẫu mới.
7. Báo đồng nghiệp chọn mẫu mới khi xuất báo cáo.

Mỗi văn bản xuất ra ghi trong thuộc tính tệp (Word: Tệp ▸ Thông tin ▸ Thuộc tính ▸ Thuộc tính
nâng cao ▸ Tùy chỉnh) tên mẫu, phiên bản, mã mẫu và mã số liệu, để sau này xuất lại đúng như cũ
và biết được khi có thay đổi.

"""


def _width(s: str) -> int:
    return sum(0 if unicodedata.combining(c) else 1 for c in unicodedata.normalize("NFC", s))


def fields_table(rows: list[tuple[str, str, str]] | None = None, width: int = 48) -> str:
    """The field reference as a plain-text table for a terminal."""
    from app.export.context import field_reference

    rows = rows if rows is not None else field_reference()
    kw = max(_width("Tên trường"), *(_width(r[0]) for r in rows))
    head = f"{'Tên trường'.ljust(kw)}  {'Ý nghĩa'.ljust(width)}  Ví dụ"
    lines = [head, "-" * (kw + width + 12)]
    import textwrap

    for key, desc, sample in rows:
        # the whole description, wrapped; the sample is an example, shortened
        d_lines = textwrap.wrap(desc, width) or [""]
        s = sample if len(sample) <= 40 else sample[:39] + "…"
        d = d_lines[0]
        lines.append(f"{key}{' ' * (kw - _width(key))}  {d}{' ' * (width - _width(d))}  {s}")
        lines += [f"{' ' * kw}  {more}" for more in d_lines[1:]]
    return "\n".join(lines)


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def fields_markdown(rows: list[tuple[str, str, str]] | None = None) -> str:
    from app.export.context import field_reference

    rows = rows if rows is not None else field_reference()
    out = ["## Danh sách trường dùng được trong mẫu", "",
           "Viết trong mẫu dạng `{{ tên_trường }}`. Cột “Ví dụ” là giá trị với báo cáo mẫu.", "",
           "| Tên trường | Ý nghĩa | Ví dụ |", "|---|---|---|"]
    for key, desc, sample in rows:
        out.append(f"| `{_md_cell(key)}` | {_md_cell(desc)} | {_md_cell(sample)} |")
    return "\n".join(out)


def filters_markdown() -> str:
    out = ["## Bộ lọc thường dùng", "", "Bộ lọc viết sau dấu `|` để biến đổi giá trị.", "",
           "| Bộ lọc | Tác dụng | Ví dụ |", "|---|---|---|"]
    for name, desc, example in FILTERS:
        out.append(f"| `{_md_cell(name)}` | {desc} | `{_md_cell(example)}` |")
    return "\n".join(out)


def guide_markdown() -> str:
    """The whole guide (docs/mau-bao-cao.md)."""
    return "\n\n".join([INTRO.rstrip(), CONSTRUCTS.rstrip(), filters_markdown(),
                        fields_markdown()]) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
    print(guide_markdown(), end="")
