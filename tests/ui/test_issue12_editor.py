"""Issue 12 in the editor: the figures-by-level table, the data-window line in the document
details, typed rates, units of measure beside the inputs."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from qt_typing import clear_and_type, finish, type_text


def _tthc_page(window):
    window.jump_to("ho_so_tiep_nhan")
    return window.page_of["ho_so_tiep_nhan"]


def test_by_level_table_enters_figures_checks_p03_and_undoes(window):
    from app.model import Period

    window.edit_field("period", Period("nam", 2024), 0)
    page = _tthc_page(window)
    table = page.level_table
    assert table is not None and table.isVisible()
    # a 2024 report: tỉnh, huyện and xã
    headers = [table.table.horizontalHeaderItem(j).text() for j in range(table.table.columnCount())]
    assert headers == ["Cấp tỉnh", "Cấp huyện", "Cấp xã"]
    type_text(page.inputs["ho_so_tiep_nhan"], "1.000")
    table.cell("tinh", "ho_so_tiep_nhan").setText("400")
    table.cell("huyen", "ho_so_tiep_nhan").setText("300")
    table.cell("xa", "ho_so_tiep_nhan").setText("299")
    assert window.report.by_level == {"tinh": {"ho_so_tiep_nhan": 400},
                                      "huyen": {"ho_so_tiep_nhan": 300},
                                      "xa": {"ho_so_tiep_nhan": 299}}
    assert "P03" in {f.rule for f in window.findings}
    table.cell("xa", "ho_so_tiep_nhan").setText("1.300")  # the Vietnamese way, grouped
    assert window.report.by_level["xa"]["ho_so_tiep_nhan"] == 1300
    assert table.cell("xa", "ho_so_tiep_nhan").text() == "1.300"
    window.undo_stack.undo()
    assert window.report.by_level["xa"]["ho_so_tiep_nhan"] == 299
    assert table.cell("xa", "ho_so_tiep_nhan").text() == "299"
    table.cell("xa", "ho_so_tiep_nhan").setText("300")
    assert "P03" not in {f.rule for f in window.findings}
    # blank is not zero: clearing a cell removes the figure
    table.cell("xa", "ho_so_tiep_nhan").setText("")
    assert "xa" not in window.report.by_level
    # text that is not a number is refused, named, and the cell shows the figure held
    table.cell("tinh", "ho_so_tiep_nhan").setText("4OO")
    assert window.report.by_level["tinh"]["ho_so_tiep_nhan"] == 400
    assert "Cấp tỉnh" in table.message.text() and table.message.isVisibleTo(table)
    assert table.cell("tinh", "ho_so_tiep_nhan").text() == "400"


def test_by_level_table_has_no_huyen_column_after_mid_2025(window):
    from app.model import Period

    window.edit_field("period", Period("nam", 2026), 0)
    table = _tthc_page(window).level_table
    headers = [table.table.horizontalHeaderItem(j).text() for j in range(table.table.columnCount())]
    assert headers == ["Cấp tỉnh", "Cấp xã"]


def test_data_window_line_defaults_from_the_regime_and_can_be_worded(window):
    page = window.document_page
    window.navigator.setCurrentRow(0)
    box = page.data_window
    assert box.text() == ""
    year = window.report.period.report_year
    assert box.placeholderText() == (f"(Số liệu tính từ ngày 15/12/{year - 1} đến ngày "
                                     f"14/12/{year})")
    line = "(Số liệu tính từ ngày 01/12/2019 đến ngày 29/02/2020)"
    type_text(box, line)  # Vietnamese letters go through the input method
    assert window.report.document.data_window == line
    page.place.setFocus()  # leave the box: the next visit is its own undo step
    clear_and_type(box, "")
    assert window.report.document.data_window is None  # back to the default
    window.undo_stack.undo()
    assert window.report.document.data_window == line
    assert box.text() == line


def test_units_of_measure_beside_the_inputs_and_a_typed_rate(window):
    page = _tthc_page(window)
    units = [w.text() for w in page.rows["ho_so_tiep_nhan"] if isinstance(w, QLabel)]
    assert "hồ sơ" in units
    rate = page.inputs["ty_le_giai_quyet_dung_han"]
    type_text(rate, "99")
    finish(rate)
    assert window.report.values["ty_le_giai_quyet_dung_han"] == 99
    assert page.derived_values["ty_le_giai_quyet_dung_han"].text() == "99% (tỷ lệ đã nhập)"
    # with the counts known the computed rate is shown, and a typed one that differs is R24
    type_text(page.inputs["ho_so_da_giai_quyet"], "200")
    type_text(page.inputs["ho_so_truoc_va_dung_han"], "190")
    assert page.derived_values["ty_le_giai_quyet_dung_han"].text() == "95%"
    assert "R24" in {f.rule for f in window.findings}


def test_a_version_1_file_stays_version_1_until_edited(window, tmp_path):
    import json

    from app.sample import sample_report

    data = sample_report().to_dict()
    data["format_version"] = 1
    path = tmp_path / "cu.cchc"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert window.load_file(str(path))
    assert window.save()
    assert json.loads(path.read_text(encoding="utf-8"))["format_version"] == 1
    table = _tthc_page(window).level_table
    table.cell("tinh", "ho_so_tiep_nhan").setText("100")
    assert window.save()
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["format_version"] == 2 and saved["by_level"] == {"tinh": {"ho_so_tiep_nhan": 100}}
