"""Final means complete: a report without the details a signed report needs (issuing body,
number line, place and date, recipients, signer, distribution) or without any figure has errors
of its own, and `validate` exits 1 listing them in words."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app.model import Period, Report
from app.sample import sample_report
from app.validation import validate

ROOT = Path(__file__).resolve().parents[2]


def rules(report):
    return {f.rule: f for f in validate(report)}


def test_a_blank_report_has_an_error_for_every_missing_detail():
    found = rules(Report(period=Period("nam", 2025)))
    for rule in ("D01", "D02", "D04", "D05", "D06", "D07", "D08", "D09", "D10"):
        assert found[rule].severity == "error" and found[rule].blocking
    assert "tên cơ quan ban hành" in found["D01"].message
    assert "họ và tên người ký" in found["D08"].message
    assert "chưa có số liệu" in found["D10"].message


def test_the_sample_has_every_detail_and_each_missing_one_is_named():
    r = sample_report()
    assert not [f for f in validate(r) if f.rule.startswith("D")]
    r.document.signer.name = " "
    r.document.to = []
    r.document.symbol = ""
    assert {f.rule for f in validate(r) if f.rule.startswith("D")} == {"D03", "D06", "D08"}


def test_a_units_submission_is_not_asked_for_a_signer():
    assert not [f for f in validate(Report(period=Period("nam", 2025)), document=False) if f.rule.startswith("D")]


def test_validate_of_a_blank_report_exits_1_and_lists_the_missing_details(tmp_path):
    path = tmp_path / "trong.cchc"
    path.write_text(json.dumps({"format": "cchc-report", "format_version": 1,
                                "period": {"kind": "nam", "year": 2025}}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "app", "validate", str(path)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 1, done.stderr
    for words in ("tên cơ quan ban hành", "số văn bản", "địa danh", "ngày ban hành",
                  "Kính gửi", "chức vụ người ký", "họ và tên người ký", "Nơi nhận"):
        assert words in done.stdout


def test_comparison_with_another_agency_or_period_is_a_warning_naming_both():
    r = sample_report()
    before = sample_report(r.period.year - 1)
    assert not [f for f in validate(r, before) if f.rule in ("P04", "P05")]
    before.unit.name = "SỞ NỘI VỤ TỈNH NINH BÌNH"
    before.period.year = r.period.year - 2
    found = {f.rule: f for f in validate(r, before)}
    assert found["P04"].severity == "warning"
    assert "SỞ NỘI VỤ TỈNH NINH BÌNH" in found["P04"].message and r.unit.name in found["P04"].message
    assert str(r.period.year - 2) in found["P05"].message and str(r.period.year - 1) in found["P05"].message
    same = sample_report(r.period.year - 1)
    same.unit.name = r.unit.name.upper()  # the same agency, written in capitals
    assert "P04" not in {f.rule for f in validate(r, same)}
