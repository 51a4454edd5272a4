"""Contract tests: every rule computed in one place, so every front end agrees.

- the command line and the window's collection path (import → store → consolidate) give the
  same result on the same inputs;
- the annex total of every indicator equals the consolidated report's figure, including "not
  computable";
- every command given every kind of bad input prints one line and exits 2.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from app.catalog import load_catalog
from app.cli import main
from app.combining import report_derived
from app.export.annex import write_annex
from app.model import Period, Unit
from app.sample import sample_report
from app.services.collection import (
    commit_import,
    consolidate_files,
    consolidate_stored,
    prepare_import,
)
from app.storage import load_report, save_report
from app.units import RegisteredUnit, save_register

ROOT = Path(__file__).resolve().parents[2]
PERIOD = Period("nam", 2025)


def report_file(path: Path, name: str, level: str, values: dict, code: str = "") -> Path:
    data = {"format": "cchc-report", "format_version": 1,
            "unit": {"name": name, "code": code, "level": level},
            "period": {"kind": "nam", "year": 2025}, "values": values}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# ------------------------------------------------------------------ one collection use case


@pytest.fixture
def register_with_one_department():
    save_register([RegisteredUnit("Sở Tư pháp", "so_nganh", "STP")])


@pytest.mark.usefixtures("store")  # on SQLite and on PostgreSQL
def test_command_line_and_window_path_consolidate_to_the_same_total(
        tmp_path, register_with_one_department, filled_intake):
    known = filled_intake(tmp_path / "stp.xlsx", Unit("Sở Tư pháp", "STP", "so_nganh"), PERIOD,
                          {"vbqppl_ban_hanh": 5})
    stranger = filled_intake(tmp_path / "la.xlsx", Unit("Sở Lạ", "SL", "so_nganh"), PERIOD,
                             {"vbqppl_ban_hanh": 100})
    out = tmp_path / "tong-hop.cchc"
    assert main(["consolidate", str(known), str(stranger), "--out", str(out)]) == 1
    by_cli = load_report(out)

    from app.units import load_register

    plan = prepare_import([known, stranger], PERIOD, load_register())
    assert [Path(r.file).name for r in plan.refused] == ["la.xlsx"]
    assert "không có trong danh sách đơn vị" in plan.refused[0].reason
    commit_import(plan)
    by_window = consolidate_stored(PERIOD, load_register()).report

    assert by_cli.values["vbqppl_ban_hanh"] == by_window.values["vbqppl_ban_hanh"] == 5
    assert by_cli.values == by_window.values


@pytest.mark.usefixtures("store")  # on SQLite and on PostgreSQL
def test_a_register_change_after_import_applies_to_stored_submissions(tmp_path, filled_intake):
    a = filled_intake(tmp_path / "a.xlsx", Unit("Sở Tư pháp", "STP", "so_nganh"), PERIOD,
                      {"vbqppl_ban_hanh": 5})
    b = filled_intake(tmp_path / "b.xlsx", Unit("Sở Lạ", "SL", "so_nganh"), PERIOD,
                      {"vbqppl_ban_hanh": 100})
    commit_import(prepare_import([a, b], PERIOD, []))  # no register yet: both are kept
    save_register([RegisteredUnit("Sở Tư pháp", "so_nganh", "STP")])
    from app.units import load_register

    stored = consolidate_stored(PERIOD, load_register())
    files = consolidate_files([a, b], PERIOD, register=load_register())
    assert stored.report.values["vbqppl_ban_hanh"] == files.report.values["vbqppl_ban_hanh"] == 5
    assert [Path(r.file).name for r in stored.rejected] == ["b.xlsx"]


# ------------------------------------------------------------------ annex total = report


def _unit_sheet_layout(path: Path, keys: list[str]) -> Path:
    cols = "\n".join(f'[[trang_tinh.cot]]\nma = "{k}"\ntieu_de = "{k}"\ndo_rong = 9\n'
                     for k in keys)
    path.write_text(
        'phien_ban = 1\nten = "Kiểm tra"\n\n[[trang_tinh]]\nten = "Xã"\nloai = "don_vi"\n'
        'cap = ["xa"]\ntieu_de = "Số liệu của các {cap}"\n\n'
        '[[trang_tinh.cot]]\nma = "stt"\ntieu_de = "STT"\ndo_rong = 5\n\n'
        '[[trang_tinh.cot]]\nma = "don_vi"\ntieu_de = "Đơn vị"\ndo_rong = 20\n\n'
        + cols + '\n[[trang_tinh.cot]]\nma = "ghi_chu"\ntieu_de = "Ghi chú"\ndo_rong = 30\n',
        encoding="utf-8")
    return path


def _annex_totals(xlsx: Path, keys: list[str]) -> dict[str, float | None]:
    ws = openpyxl.load_workbook(xlsx, read_only=True)["Xã"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and "Đơn vị" in r)
    total = next(r for r in rows if r and isinstance(r[1], str) and r[1].startswith("Tổng cộng"))
    return {k: total[header.index(k)] for k in keys}


COMMUNES = {
    # Xã A gives a weighted rate with its weight, Xã B without: not computable (issue 10)
    "Xã A": {"ty_le_so_hoa_ket_qua": 50, "ho_so_da_giai_quyet": 200, "ho_so_truoc_han": 50,
             "ho_so_dung_han": 140, "tthc_tong_so": 100, "tthc_mot_cua": 90,
             "ho_so_tiep_nhan": 300, "ho_so_truc_tuyen": 90, "ho_so_truc_tiep_buu_chinh": 200,
             "ho_so_ky_truoc_chuyen_sang": 10, "vbqppl_ban_hanh": 3,
             "ty_le_thanh_toan_truc_tuyen": 40},
    "Xã B": {"ty_le_so_hoa_ket_qua": 70, "tthc_tong_so": 80, "tthc_mot_cua": 80,
             "ty_le_thanh_toan_truc_tuyen": 60, "ho_so_tiep_nhan": 40},
    # Xã C gave only part of the dossier counts, nothing else
    "Xã C": {"ho_so_truc_tuyen": 7, "vbqppl_ban_hanh": 4},
}


def test_annex_totals_equal_the_consolidated_report_for_every_indicator(tmp_path):
    cat = load_catalog()
    paths = [report_file(tmp_path / f"{n}.cchc.json", n, "xa", v, code=f"X{i}")
             for i, (n, v) in enumerate(COMMUNES.items())]
    result = consolidate_files(paths, PERIOD)
    report = result.report
    keys = [k for k, ind in cat.indicators.items() if "xa" in ind.levels] + \
        [d.key for d in cat.derived.values() if d.kind == "percent"]
    xlsx = tmp_path / "phu-luc.xlsx"
    write_annex(report, xlsx,
                       layout=_unit_sheet_layout(tmp_path / "layout.toml", keys))
    annex = _annex_totals(xlsx, keys)
    derived = report_derived(report, cat)
    from app.formatting import round_half_up

    for key in keys:
        in_report = derived[key] if key in cat.derived else report.values.get(key)
        expected = None if in_report is None else round_half_up(in_report)
        assert annex[key] == expected, key
    # the cases the issue names
    assert report.values.get("ty_le_so_hoa_ket_qua") is None
    assert annex["ty_le_so_hoa_ket_qua"] is None
    assert "trọng số" in result.not_combined["ty_le_so_hoa_ket_qua"]
    assert report.values["vbqppl_ban_hanh"] == annex["vbqppl_ban_hanh"] == 7
    # Xã C's lone online count makes the online rate not computable everywhere
    assert derived["ty_le_tiep_nhan_truc_tuyen"] is None
    assert "Xã C" in result.not_combined["ty_le_tiep_nhan_truc_tuyen"]
    # the one-stop share is recomputed from the summed counts, never a mean of rates: 170/180
    assert annex["ty_le_tthc_mot_cua"] == round_half_up(170 * 100 / 180)


# ------------------------------------------------------------------ one shape of a submission


@pytest.mark.usefixtures("store")  # on SQLite and on PostgreSQL
def test_consolidated_sources_are_submissions_that_survive_a_save_and_total_as_the_report(
        tmp_path, filled_intake):
    from app.intake import Submission

    cat = load_catalog()
    paths = [report_file(tmp_path / f"{n}.cchc", n, "xa", v, code=f"X{i}")
             for i, (n, v) in enumerate(list(COMMUNES.items())[:2])]
    paths.append(filled_intake(tmp_path / "xa-c.xlsx", Unit("Xã C", "X2", "xa"), PERIOD,
                               COMMUNES["Xã C"]))
    by_files = consolidate_files(paths, PERIOD).report
    commit_import(prepare_import(paths, PERIOD, []))
    by_store = consolidate_stored(PERIOD, None).report

    for report in (by_files, by_store):
        # one shape: the submissions themselves, as the file keeps them
        assert [type(s) for s in report.sources] == [Submission] * 3
        assert [(s.unit.name, s.kind) for s in report.sources] == [
            ("Xã A", "report"), ("Xã B", "report"), ("Xã C", "intake")]
        assert all(s.period == PERIOD and s.received is not None for s in report.sources)
        # blank is not zero: what a unit left blank is absent from its figures
        assert report.sources[2].values == COMMUNES["Xã C"]
    assert by_store.sources == by_files.sources

    saved = tmp_path / "tong-hop.cchc"
    save_report(by_files, saved)
    loaded = load_report(saved)
    assert loaded.sources == by_files.sources
    assert loaded.to_dict()["sources"] == by_files.to_dict()["sources"]
    again = tmp_path / "lan-hai.cchc"
    save_report(loaded, again)
    assert again.read_bytes() == saved.read_bytes()

    keys = [k for k, ind in cat.indicators.items() if "xa" in ind.levels] + \
        [d.key for d in cat.derived.values() if d.kind == "percent"]
    xlsx = tmp_path / "phu-luc.xlsx"
    write_annex(loaded, xlsx, layout=_unit_sheet_layout(tmp_path / "layout.toml", keys))
    annex = _annex_totals(xlsx, keys)
    derived = report_derived(loaded, cat)
    from app.formatting import round_half_up

    for key in keys:
        in_report = derived[key] if key in cat.derived else loaded.values.get(key)
        assert annex[key] == (None if in_report is None else round_half_up(in_report)), key
    assert annex["vbqppl_ban_hanh"] == loaded.values["vbqppl_ban_hanh"] == 7


def test_a_source_reads_back_as_written_whatever_its_received_text(tmp_path):
    from datetime import datetime

    texts = ["", "hôm qua", "2024-12-10", "2024-12-10T08:00:00", "2024-12-10T08:00:00+07:00"]
    data = {"format": "cchc-report", "format_version": 2,
            "unit": {"name": "UBND tỉnh", "code": "", "level": "tinh"},
            "period": {"kind": "nam", "year": 2025}, "values": {"vbqppl_ban_hanh": 5},
            "sources": [{"unit": {"name": f"Xã {i}", "code": f"X{i}", "level": "xa",
                                  "ghi_chu": "khóa của phiên bản sau"},
                         "file": f"x{i}.xlsx" if i else "x0.cchc", "received": text,
                         "values": {"vbqppl_ban_hanh": 1}, "khoa_moi": [i]}
                        for i, text in enumerate(texts)]}
    path = tmp_path / "r.cchc"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = load_report(path)
    assert [s.received for s in report.sources] == [
        None, None, datetime(2024, 12, 10), datetime(2024, 12, 10, 8),
        datetime.fromisoformat("2024-12-10T08:00:00+07:00")]
    assert [s.kind for s in report.sources] == ["report"] + ["intake"] * 4
    assert all(s.period == report.period for s in report.sources)
    # written back as read: the texts, and keys a newer program added
    out = tmp_path / "r2.cchc"
    save_report(report, out)
    written = json.loads(out.read_text(encoding="utf-8"))["sources"]
    assert written == data["sources"]
    assert load_report(out).sources == report.sources
    # a changed time is written in ISO 8601, to the second
    report.sources[1].received = datetime(2025, 1, 2, 3, 4, 5, 678)
    assert report.to_dict()["sources"][1]["received"] == "2025-01-02T03:04:05"
    # the annex prints a date as a date and a text that is not one as written
    xlsx = tmp_path / "a.xlsx"
    report.sources[1].received = None
    write_annex(report, xlsx, layout=_unit_sheet_layout(tmp_path / "layout.toml",
                                                        ["ngay_nhan", "vbqppl_ban_hanh"]))
    cells = {c for ws in openpyxl.load_workbook(xlsx, read_only=True).worksheets
             for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert {"hôm qua", "10/12/2024", "Tổng cộng (5 đơn vị)"} <= cells


# ------------------------------------------------------------------ bad input: one line, exit 2


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def _docx_with(body: str, path: Path) -> Path:
    """The built-in template with its body text replaced by `body` (a Jinja snippet)."""
    src = ROOT / "report_templates" / "default" / "bao_cao.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                start = text.index("<w:body>") + len("<w:body>")
                end = text.index("<w:sectPr")
                text = text[:start] + f"<w:p><w:r><w:t>{body}</w:t></w:r></w:p>" + text[end:]
                data = text.encode("utf-8")
            zout.writestr(item, data)
    return path


def _bad_templates(tmp: Path) -> dict[str, Path]:
    (tmp / "empty.docx").write_bytes(b"")
    (tmp / "corrupt.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (tmp / "encrypted.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    folder = tmp / "mau-bo-cuc"
    folder.mkdir()
    _docx_with("{{ vbqppl_ban_hanh }}", folder / "bao_cao.docx")
    (folder / "phu_luc.toml").write_text('phien_ban = 7\nten = "x"\n', encoding="utf-8")
    (folder / "manifest.toml").write_text(
        'ten = "Mẫu thử"\ntep_word = "bao_cao.docx"\nbo_cuc_phu_luc = "phu_luc.toml"\n',
        encoding="utf-8")
    return {
        "empty": tmp / "empty.docx",
        "corrupt": tmp / "corrupt.docx",
        "doc": tmp / "old.doc",
        "encrypted": tmp / "encrypted.docx",
        "missing": tmp / "khong-co.docx",
        "stray endif": _docx_with("Trong kỳ {% endif %}", tmp / "endif.docx"),
        "unknown filter": _docx_with("{{ vbqppl_ban_hanh|khong_co_bo_loc }}", tmp / "filter.docx"),
        "bad layout": folder,
    }


def test_every_bad_template_is_one_line_and_exit_2(tmp_path):
    report = tmp_path / "r.cchc"
    save_report(sample_report(), report)
    for case, template in _bad_templates(tmp_path).items():
        out = tmp_path / "o.docx"
        xlsx = tmp_path / "o.xlsx"
        proc = run("export", str(report), "--docx", str(out), "--xlsx", str(xlsx),
                   "--template", str(template))
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2, (case, proc.stderr)
        assert len(lines) == 1 and lines[0].startswith("Lỗi:"), (case, proc.stderr)
        assert "Traceback" not in proc.stderr and not out.exists() and not xlsx.exists(), case


def test_bad_files_for_every_command_are_one_line_and_exit_2(tmp_path):
    bad_report = tmp_path / "hong.cchc"
    bad_report.write_text('{"format": "cchc-report", "values": [1, 2', encoding="utf-8")
    bad_workbook = tmp_path / "phieu.xlsx"
    bad_workbook.write_bytes(b"PK\x03\x04 broken")
    bad_units = tmp_path / "don-vi.xlsx"
    bad_units.write_text("không phải Excel", encoding="utf-8")
    good = tmp_path / "r.cchc"
    save_report(sample_report(), good)
    cases = [
        ["validate", str(bad_report)],
        ["validate", str(good), "--previous", str(bad_report)],
        ["export", str(bad_report), "--docx", str(tmp_path / "o.docx")],
        ["intake", "--units", str(bad_units), "--period", "nam", "--year", "2025",
         "--out", str(tmp_path)],
        ["intake", "--unit", "Xã A", "--level", "thon_xom", "--period", "nam", "--year", "2025",
         "--out", str(tmp_path / "a.xlsx")],
        ["template", "check", str(tmp_path / "khong-co.docx")],
    ]
    for argv in cases:
        proc = run(*argv)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2, (argv, proc.stderr)
        assert len(lines) == 1 and "Traceback" not in proc.stderr, (argv, proc.stderr)
    # a broken workbook among good inputs is refused by name, the others are consolidated
    proc = run("consolidate", str(bad_workbook), str(good), "--out", str(tmp_path / "t.cchc"))
    assert proc.returncode == 1 and "phieu.xlsx" in proc.stderr and "Traceback" not in proc.stderr


def test_a_period_always_has_its_years():
    from datetime import date

    from app.model import Period, Report

    assert Report().period.year == date.today().year  # a new report is this year's
    q = Period("quy_1", 2025)
    assert (q.first_year, q.last_year, q.report_year) == (2025, 2025, 2025)
    phase = Period("giai_doan", None, 2016, 2020)
    assert (phase.year, phase.first_year, phase.last_year) == (2020, 2016, 2020)
    assert Period("giai_doan", 2025) == Period("giai_doan", None, 2021, 2025)
    assert phase.same_period_year_before() == Period("giai_doan", None, 2011, 2015)
    assert phase.window == (date(2015, 12, 15), date(2020, 12, 14))


def test_a_stored_submission_is_the_submission_it_stored(tmp_path, filled_intake):
    from app.history import History, StoredSubmission
    from app.intake import Submission, load_submission
    from app.model import Period, Unit

    unit, period = Unit("Sở Tư pháp", "STP", "so_nganh"), Period("nam", 2025)
    sub = load_submission(filled_intake(tmp_path / "stp.xlsx", unit, period, {"vbqppl_ban_hanh": 5}))
    h = History(tmp_path / "h.sqlite")
    assert h.add_submission(sub).status == "added"
    (stored,) = h.submissions(sub.period)
    assert isinstance(stored, StoredSubmission) and isinstance(stored, Submission)
    assert (stored.unit, stored.period, stored.values, stored.key) == (sub.unit, sub.period, sub.values, sub.key)
