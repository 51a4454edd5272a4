"""Consolidation: intake → fill (openpyxl, as a unit would) → import → consolidate, checked
against hand-computed numbers; rejections; the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from filling import fill_intake as fill

from app.combining import derived_values as compute_derived
from app.consolidation import consolidate
from app.intake import load_submission, write_intake
from app.model import Period, Unit
from app.services.collection import consolidate_files
from app.storage import load_report

PERIOD = Period("nam", 2025)




def report_file(path: Path, unit: dict, values: dict, period: dict | None = None) -> Path:
    data = {"format": "cchc-report", "format_version": 1, "unit": unit,
            "period": period or {"kind": "nam", "year": 2025}, "values": values}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


A = {"ho_so_da_giai_quyet": 200, "ho_so_truoc_han": 50, "ho_so_dung_han": 140, "ho_so_qua_han": 10,
     "ty_le_so_hoa_ket_qua": 80, "tthc_tong_so": 100, "tthc_mot_cua": 90, "vbqppl_ban_hanh": 5,
     "cps_ty_le_van_ban_dien_tu": 99.5}
B = {"ho_so_da_giai_quyet": 300, "ho_so_truoc_han": 100, "ho_so_dung_han": 170, "ho_so_qua_han": 30,
     "ty_le_so_hoa_ket_qua": 60, "tthc_tong_so": 50, "tthc_mot_cua": 50}
C = {"ho_so_da_giai_quyet": 500, "ho_so_truoc_han": 0, "ho_so_dung_han": 480, "ho_so_qua_han": 20,
     "ty_le_so_hoa_ket_qua": 90, "tthc_tong_so": 40, "tthc_mot_cua": 40,
     "cps_ty_le_van_ban_dien_tu": 80}


@pytest.fixture
def inputs(tmp_path) -> list[Path]:
    a = fill(write_intake(tmp_path / "a.xlsx", Unit("Sở Tư pháp", "STP", "so_nganh"), PERIOD), A)
    b = fill(write_intake(tmp_path / "b.xlsx", Unit("Sở Y tế", "SYT", "so_nganh"), PERIOD), B)
    c = report_file(tmp_path / "c.cchc.json", {"name": "Xã An Bình", "code": "X01", "level": "xa"}, C)
    return [a, b, c]


def test_end_to_end_totals_and_recomputed_percentages(inputs):
    result = consolidate_files(inputs)
    assert not result.rejected
    v = result.report.values
    assert v["ho_so_da_giai_quyet"] == 1000
    assert v["ho_so_truoc_han"] + v["ho_so_dung_han"] == 940
    assert v["tthc_tong_so"] == 190 and v["tthc_mot_cua"] == 180
    derived = compute_derived(v)
    assert derived["ty_le_giai_quyet_dung_han"] == pytest.approx(94.0)       # 940 / 1000
    assert derived["ty_le_tthc_mot_cua"] == pytest.approx(180 / 190 * 100)   # 94,74 %, not the mean 96,67
    # entered percentage with a catalogue weight: (80·200 + 60·300 + 90·500) / 1000 = 79
    assert v["ty_le_so_hoa_ket_qua"] == pytest.approx(79.0)
    # entered percentage without a weight: left blank, listed per unit in the sources
    assert "cps_ty_le_van_ban_dien_tu" not in v
    assert "cps_ty_le_van_ban_dien_tu" in result.not_combined
    # blank is not zero: only the Sở Tư pháp reported documents; the total says who is missing
    assert v["vbqppl_ban_hanh"] == 5
    assert result.missing["vbqppl_ban_hanh"] == ["Sở Y tế", "Xã An Bình"]
    # nobody reported pakn: stays blank, never 0
    assert "pakn_tiep_nhan" not in v
    # scores and ranks are not summed
    assert "cs_par_diem" not in v


def test_sources_shape_for_the_annex(inputs):
    from app.intake import Submission

    report = consolidate_files(inputs).report
    assert all(type(s) is Submission for s in report.sources)
    assert [s.unit for s in report.sources] == [
        Unit("Sở Tư pháp", "STP", "so_nganh"),
        Unit("Sở Y tế", "SYT", "so_nganh"),
        Unit("Xã An Bình", "X01", "xa"),
    ]
    assert [s.kind for s in report.sources] == ["intake", "intake", "report"]
    assert all(s.period == PERIOD for s in report.sources)
    assert report.sources[0].file == "a.xlsx"
    assert report.sources[0].values == A
    assert report.sources[2].values == C
    assert report.sources[0].received is not None and report.sources[0].received.microsecond == 0
    # the file keeps each source as {"unit", "file", "received", "values"}
    entry = report.to_dict()["sources"][0]
    assert set(entry) == {"unit", "file", "received", "values"}
    assert entry["unit"] == {"name": "Sở Tư pháp", "code": "STP", "level": "so_nganh"}
    assert entry["received"][:4].isdigit() and "T" in entry["received"]


def test_weighted_mean_refused_when_a_weight_is_missing(tmp_path):
    a = report_file(tmp_path / "a.json", {"name": "X1", "level": "xa"}, {"ty_le_so_hoa_ket_qua": 50,
                                                                        "ho_so_da_giai_quyet": 10})
    b = report_file(tmp_path / "b.json", {"name": "X2", "level": "xa"}, {"ty_le_so_hoa_ket_qua": 70})
    result = consolidate_files([a, b])
    assert "ty_le_so_hoa_ket_qua" not in result.report.values
    assert "X2" in result.not_combined["ty_le_so_hoa_ket_qua"]


def test_rejections_listed_rest_consolidated(inputs, tmp_path):
    other_period = report_file(tmp_path / "q1.json", {"name": "Xã Q", "level": "xa"},
                               {"vbqppl_ban_hanh": 1}, {"kind": "quy_1", "year": 2025})
    bad = fill(write_intake(tmp_path / "bad.xlsx", Unit("Xã Bad", "", "xa"), PERIOD),
               {"ho_so_tiep_nhan": "nhiều"})
    result = consolidate_files([*inputs, other_period, bad])
    assert len(result.accepted) == 3
    reasons = {r.file: r.reason for r in result.rejected}
    assert "kỳ quý I năm 2025, không phải kỳ đang tổng hợp (năm 2025)" in reasons["q1.json"]
    assert "ô chứa chữ “nhiều”" in reasons["bad.xlsx"]
    assert result.report.values["ho_so_da_giai_quyet"] == 1000
    assert result.report.raw["consolidation"]["rejected"]


def test_newer_submission_of_same_unit_wins(inputs, tmp_path):
    newer = fill(write_intake(tmp_path / "a2.xlsx", Unit("Sở Tư pháp", "STP", "so_nganh"), PERIOD),
                 dict(A, vbqppl_ban_hanh=7))
    os.utime(inputs[0], (1_700_000_000, 1_700_000_000))
    result = consolidate_files([*inputs, newer])
    assert result.report.values["vbqppl_ban_hanh"] == 7
    assert [r.file for r in result.rejected] == ["a.xlsx"]
    assert "bản nộp mới hơn (a2.xlsx)" in result.rejected[0].reason


def test_register_rejects_unknown_and_inactive_units(inputs):
    from datetime import date

    from app.units import RegisteredUnit

    register = [RegisteredUnit("Sở Tư pháp", "so_nganh", "STP"),
                RegisteredUnit("Sở Y tế", "so_nganh", "SYT", active_to=date(2024, 6, 30))]
    result = consolidate_files(inputs, register=register)
    reasons = {r.file: r.reason for r in result.rejected}
    assert "không hoạt động trong năm 2025" in reasons["b.xlsx"]
    assert "không có trong danh sách đơn vị" in reasons["c.cchc.json"]
    assert len(result.accepted) == 1


def test_consolidate_refuses_mixed_periods():
    from app.intake import Submission

    s = Submission(Unit("X", "", "xa"), Period("quy_1", 2025), {"vbqppl_ban_hanh": 1}, "x.json",
                   __import__("datetime").datetime(2025, 3, 1))
    with pytest.raises(ValueError):
        consolidate([s], PERIOD)


def test_cli_consolidate(inputs, tmp_path, capsys):
    from app.cli import main

    out = tmp_path / "tong_hop.cchc.json"
    assert main(["consolidate", *map(str, inputs), "--out", str(out), "--unit", "UBND tỉnh Hà Nam"]) == 0
    report = load_report(out)
    assert report.unit.name == "UBND tỉnh Hà Nam" and report.values["ho_so_da_giai_quyet"] == 1000
    assert len(report.sources) == 3
    assert json.loads(out.read_text(encoding="utf-8"))["consolidation"]["missing"]["vbqppl_ban_hanh"]
    captured = capsys.readouterr()
    assert "Đã tổng hợp 3 đơn vị (năm 2025)" in captured.out
    # one refused input: still written from the others, exit 1, one line per refusal
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["consolidate", *map(str, inputs), str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if line.startswith("Từ chối:")] == [
        "Từ chối: bad.json: tệp bị hỏng ở dòng 1 (nội dung không đúng định dạng; có thể tệp "
        "đã bị sửa bằng chương trình khác)."]
    # a folder as input; and a period that matches none
    assert main(["consolidate", str(tmp_path), "--out", str(out)]) == 1  # bad.json in the folder
    assert main(["consolidate", *map(str, inputs), "--out", str(out), "--period", "quy_1",
                 "--year", "2025"]) == 1
    assert "Không có tệp hợp lệ nào" in capsys.readouterr().err
    # bad usage
    assert main(["consolidate", str(inputs[0]), "--out", str(tmp_path / "no" / "x.json")]) == 2
    assert main(["consolidate", str(inputs[0]), "--out", str(out), "--period", "nam"]) == 2


def test_submission_values_survive_as_loaded(inputs):
    sub = load_submission(inputs[0])
    assert sub.values == A and sub.to_source().unit.code == "STP"
