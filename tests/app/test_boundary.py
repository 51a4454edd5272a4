"""The typed, bounded boundary of report files: whatever a file holds, loading either gives a
report every later step can handle or refuses the file with one Vietnamese line naming the field."""

import json
import os
import sys

import jsonschema
import pytest

from app.report_file import schema_text
from app.sample import sample_report
from app.storage import ReportFileError, load_report, report_from_dict, save_report

BASE = sample_report().to_dict()
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def write(tmp_path, text):
    p = tmp_path / "x.cchc.json"
    p.write_text(text, encoding="utf-8")
    return p


def refused(tmp_path, text):
    p = write(tmp_path, text)
    with pytest.raises(ReportFileError) as exc:
        load_report(p)
    line = str(exc.value)
    assert line.startswith(str(p)) and "\n" not in line
    return line


def with_value(text):
    return json.dumps(BASE).replace('"vbqppl_ban_hanh": 266', f'"vbqppl_ban_hanh": {text}')


@pytest.mark.parametrize("text, fragment", [
    (with_value("1" + "0" * 400), "values.vbqppl_ban_hanh"),
    (with_value("1e308"), "values.vbqppl_ban_hanh"),
    (with_value("1e400"), "số quá lớn"),
    (with_value("10000000000000000000000000000"), "values.vbqppl_ban_hanh"),
    (with_value("10000000000000"), "vượt giới hạn 1.000.000.000.000"),
    (with_value("NaN"), "NaN"),
    (with_value('"266"'), "values.vbqppl_ban_hanh"),
    (json.dumps({**BASE, "narrative": {"x": "\ud800"}}), "UTF-16"),
    (json.dumps({**BASE, "extra": json.loads("[" * 600 + "]" * 600)}), "lồng nhau quá sâu"),
    ('{"format":"cchc-report","format_version":1,"x":' + "[" * 3000 + "]" * 3000 + "}", "lồng nhau quá sâu"),
    (json.dumps({**BASE, "sources": [1]}), "sources[0]"),
    (json.dumps({**BASE, "sources": "abc"}), "sources"),
    (json.dumps({**BASE, "sources": [{"unit": {"name": "A"}, "values": {"x": "1"}}]}), "sources[0].values.x"),
    (json.dumps({**BASE, "sources": [{"unit": {"name": "A"}, "values": {"ho_so_tiep_nhan": 10**14}}]}), "nguồn số 1"),
    (json.dumps({**BASE, "unit": {"name": "x" * 1000}}), "unit.name"),
    (json.dumps({**BASE, "document": {"number": -3}}), "document.number"),
    (json.dumps({**BASE, "period": {"kind": "nam", "year": 99999}}), "period.year"),
    (json.dumps({**BASE, "period": {"kind": "giai_doan", "from_year": 2025, "to_year": 2021}}), "2025 - 2021"),
    (json.dumps({**BASE, "period": {"kind": "giai_doan", "from_year": 2021}}), "to_year"),
])
def test_out_of_range_or_malformed_content_is_refused_naming_the_field(tmp_path, text, fragment):
    assert fragment in refused(tmp_path, text)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")
def test_special_files_are_refused_before_reading(tmp_path):
    fifo = tmp_path / "pipe.cchc.json"
    os.mkfifo(fifo)
    with pytest.raises(ReportFileError, match="không phải tệp dữ liệu thông thường"):
        load_report(fifo)  # would block forever if it were opened for reading
    with pytest.raises(ReportFileError, match="không phải tệp dữ liệu thông thường"):
        load_report("/dev/zero")
    with pytest.raises(ReportFileError, match="thư mục"):
        load_report(tmp_path)


def test_size_is_limited(tmp_path, monkeypatch):
    import app.storage as storage

    monkeypatch.setattr(storage, "MAX_FILE_BYTES", 1000)
    assert "quá lớn" in refused(tmp_path, json.dumps(BASE))


def test_unknown_keys_are_kept_and_a_loaded_report_saves(tmp_path):
    data = dict(BASE, future={"nested": {"deeper": [1, 2, {"k": "v"}]}})
    data["unit"] = dict(BASE["unit"], extra_field="giữ nguyên")
    p = write(tmp_path, json.dumps(data, ensure_ascii=False))
    r = load_report(p)
    save_report(r, tmp_path / "y.cchc.json")
    again = json.loads((tmp_path / "y.cchc.json").read_text("utf-8"))
    assert again["future"] == data["future"] and again["unit"]["extra_field"] == "giữ nguyên"


def test_the_published_schema_is_generated_from_the_loader_definition():
    with open(os.path.join(ROOT, "docs", "cchc-report.schema.json"), encoding="utf-8") as f:
        assert f.read() == schema_text(), "regenerate: python -m app.report_file > docs/cchc-report.schema.json"


def test_the_schema_accepts_a_real_report_and_rejects_what_the_loader_rejects():
    schema = json.loads(schema_text())
    jsonschema.validate(BASE, schema)
    bad = dict(BASE, period={"kind": "quy_2", "year": 2024})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    with pytest.raises(ReportFileError):
        report_from_dict(bad)


def test_settings_unit_register_and_annex_layout_are_read_through_the_boundary(tmp_path, monkeypatch):
    from app.export.annex_layout import check_layout
    from app.settings import load_settings, settings_path
    from app.units import UnitListError, load_register

    monkeypatch.setenv("CCHC_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text(json.dumps({"autosave_interval_s": 10**400 // 10**390,
                                           "agency_name": "x" * 10_000,
                                           "province": "Hà Nam"}), encoding="utf-8")
    s = load_settings()
    assert s.autosave_interval_s == 30 and s.agency_name == "" and s.province == "Hà Nam"
    if sys.platform != "win32":
        settings_path().unlink()
        os.mkfifo(settings_path())
        assert load_settings().province == ""  # defaults; never blocks on a pipe
        reg = tmp_path / "units.json"
        os.mkfifo(reg)
        with pytest.raises(UnitListError, match="không phải tệp dữ liệu thông thường"):
            load_register(reg)
    deep = tmp_path / "deep.json"
    deep.write_text('{"units": ' + "[" * 3000 + "]" * 3000 + "}", encoding="utf-8")
    with pytest.raises(UnitListError, match="lồng nhau quá sâu"):
        load_register(deep)
    layout = tmp_path / "phu_luc.toml"
    layout.write_text("a = " + "[" * 2000 + "]" * 2000 + "\n", encoding="utf-8")
    problems = check_layout(layout)
    assert problems and "sâu" in problems[0]
