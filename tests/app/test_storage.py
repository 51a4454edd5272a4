"""The report file: round trip, unknown keys kept, broken files refused, atomic save."""

import json

import pytest

from app.sample import sample_report
from app.storage import ReportFileError, load_report, report_from_dict, save_report


def test_round_trip_keeps_every_figure_and_text(tmp_path):
    r = sample_report()
    r.explanations["R02"] = "Kiểm tra đột xuất & <bổ sung>."
    path = tmp_path / "bc.cchc.json"
    save_report(r, path)
    back = load_report(path)
    assert back.values == r.values
    assert back.document == r.document
    assert back.unit == r.unit and back.period == r.period
    assert back.explanations == r.explanations and back.narrative == r.narrative
    assert type(back.values["vbqppl_kiem_tra"]) is int
    assert back.values["cs_sipas_ty_le"] == 89.24


def test_blank_is_not_zero_in_the_file(tmp_path):
    r = sample_report()
    r.set_value("vbqppl_ban_hanh", None)
    r.set_value("cv_ky_luat", 0)
    path = tmp_path / "bc.cchc.json"
    save_report(r, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "vbqppl_ban_hanh" not in data["values"]
    assert data["values"]["cv_ky_luat"] == 0
    data["values"]["vbqppl_kiem_tra"] = None  # null also means "not reported"
    back = report_from_dict(data)
    assert back.get("vbqppl_kiem_tra") is None and back.get("cv_ky_luat") == 0


def test_unknown_keys_are_preserved_on_save(tmp_path):
    data = sample_report().to_dict()
    data["future_section"] = {"a": 1}
    data["unit"]["province_code"] = "35"
    data["document"]["signer"]["seal"] = "đỏ"
    src = tmp_path / "in.cchc.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = load_report(src)
    r.set_value("vbqppl_ban_hanh", 270)
    out = tmp_path / "out.cchc.json"
    save_report(r, out)
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["future_section"] == {"a": 1}
    assert saved["unit"]["province_code"] == "35"
    assert saved["document"]["signer"]["seal"] == "đỏ"
    assert saved["values"]["vbqppl_ban_hanh"] == 270


def test_save_keeps_the_previous_version_as_bak(tmp_path):
    path = tmp_path / "bc.cchc.json"
    r = sample_report()
    save_report(r, path)
    r.set_value("vbqppl_ban_hanh", 300)
    save_report(r, path)
    assert json.loads((tmp_path / "bc.cchc.json.bak").read_text("utf-8"))["values"]["vbqppl_ban_hanh"] == 266
    assert load_report(path).get("vbqppl_ban_hanh") == 300
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("content, fragment", [
    ("{not json", "tệp bị hỏng ở dòng 1"),
    ("[]", "không phải là báo cáo"),
    ('{"format": "x"}', "không phải là báo cáo"),
])
def test_malformed_files_are_refused(tmp_path, content, fragment):
    p = tmp_path / "x.cchc.json"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ReportFileError) as exc:
        load_report(p)
    assert fragment in str(exc.value) and str(p) in str(exc.value)


@pytest.mark.parametrize("mutate, fragment", [
    (lambda d: d["values"].__setitem__("vbqppl_ban_hanh", "266"), "vbqppl_ban_hanh"),
    (lambda d: d["values"].__setitem__("vbqppl_ban_hanh", True), "vbqppl_ban_hanh"),
    (lambda d: d.__setitem__("format_version", 3), "phiên bản mới hơn"),
    (lambda d: d["period"].__setitem__("kind", "quy_2"), "quy_2"),
    (lambda d: d["period"].__setitem__("year", "2024"), "year"),
    (lambda d: d["unit"].__setitem__("level", "thon"), "thon"),
    (lambda d: d["document"].__setitem__("date", "16/12/2024"), "16/12/2024"),
    (lambda d: d["narrative"].__setitem__("the_che", 5), "narrative.the_che"),
])
def test_wrong_types_are_refused_naming_the_field(tmp_path, mutate, fragment):
    data = sample_report().to_dict()
    mutate(data)
    p = tmp_path / "x.cchc.json"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ReportFileError) as exc:
        load_report(p)
    assert fragment in str(exc.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ReportFileError, match="không tìm thấy"):
        load_report(tmp_path / "none.cchc.json")


def test_phase_report_round_trip(tmp_path):
    data = sample_report().to_dict()
    data["period"] = {"kind": "giai_doan", "from_year": 2021, "to_year": 2025}
    r = report_from_dict(data)
    assert r.period.title == "giai đoạn 2021 - 2025"
    assert r.to_dict()["period"] == {"kind": "giai_doan", "from_year": 2021, "to_year": 2025}


def test_saved_and_exported_files_get_the_users_normal_permissions(tmp_path):
    import os
    import stat

    from app.export import export_report
    from app.sample import sample_report
    from app.storage import save_report

    mask = os.umask(0)
    os.umask(mask)
    expected = 0o666 & ~mask
    save_report(sample_report(), tmp_path / "r.cchc")
    export_report(sample_report(), docx=tmp_path / "r.docx", xlsx=tmp_path / "r.xlsx")
    for name in ("r.cchc", "r.docx", "r.xlsx"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == expected, name
