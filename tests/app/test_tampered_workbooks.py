"""The generated corpus of tampered and damaged intake workbooks (tests/tampered_workbooks.py):
every re-addressed workbook is refused naming the row or the field, every damaged one is named
with its reason while the good ones of the same batch are imported."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from app.intake import SubmissionError, load_submission
from app.model import Period
from app.services.collection import consolidate_files

_spec = importlib.util.spec_from_file_location(
    "tampered_workbooks", Path(__file__).resolve().parent.parent / "tampered_workbooks.py")
corpus = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("tampered_workbooks", corpus)
_spec.loader.exec_module(corpus)


found_data_dir: list[str] = []


@pytest.fixture(autouse=True)
def _this_installation(user_dirs, cases, monkeypatch):
    """Every test reads the corpus as the installation that wrote it."""
    monkeypatch.setenv("CCHC_DATA_DIR", found_data_dir[0])


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    base = tmp_path_factory.mktemp("corpus")
    mine, other = str(base / "data"), str(base / "other-installation")
    saved = os.environ.get("CCHC_DATA_DIR")
    os.environ["CCHC_DATA_DIR"] = mine

    def switch() -> None:
        os.environ["CCHC_DATA_DIR"] = other if os.environ["CCHC_DATA_DIR"] == mine else mine

    try:
        found = corpus.generate(base / "forms", other_installation=switch)
        found_data_dir[:] = [mine]
        yield found
    finally:
        if saved is None:
            os.environ.pop("CCHC_DATA_DIR", None)
        else:
            os.environ["CCHC_DATA_DIR"] = saved


def test_the_corpus_covers_every_kind(cases):
    kinds = {c.expect for c in cases}
    assert kinds == {"good", "refused", "unreadable", "foreign"} and len(cases) >= 25


def test_each_tampered_or_damaged_workbook_is_refused_with_its_reason(cases):
    for c in cases:
        if c.expect == "good":
            assert load_submission(c.path).unit.name
            continue
        with pytest.raises(SubmissionError) as exc:
            load_submission(c.path)
        reason = "; ".join(exc.value.problems)
        assert exc.value.file == c.path.name, c.name
        assert reason and c.fragment in reason, (c.name, reason)
        if c.expect == "refused" and "không đi với tên" in c.fragment:
            assert "dòng " in reason, (c.name, reason)  # names the row


def test_re_addressed_unit_code_is_refused_even_when_both_units_exist(cases):
    (c,) = [c for c in cases if c.name == "ma-don-vi-STP-thanh-STC.xlsx"]
    with pytest.raises(SubmissionError) as exc:
        load_submission(c.path)
    assert "chữ ký của phiếu không khớp" in exc.value.problems[0]
    assert "STC" in exc.value.problems[0]  # tells what the form now claims


def test_a_form_of_another_installation_is_accepted_only_when_the_administrator_says_so(cases):
    (c,) = [c for c in cases if c.expect == "foreign"]
    with pytest.raises(SubmissionError) as exc:
        load_submission(c.path)
    assert exc.value.foreign and "Vẫn nhận" in exc.value.problems[0]
    sub = load_submission(c.path, accept_foreign=True)
    assert sub.values["vbqppl_ban_hanh"] == 12
    # accepting a foreign form does not accept an edited row
    (swapped,) = [c for c in cases if c.name == "hoan-doi-ma-hai-dong.xlsx"]
    with pytest.raises(SubmissionError):
        load_submission(swapped.path, accept_foreign=True)


def test_one_batch_imports_the_good_ones_and_names_every_other(cases):
    result = consolidate_files([c.path for c in cases], Period("nam", 2025))
    assert sorted(s.file for s in result.accepted) == ["good-snv.xlsx", "good-stp.xlsx"]
    refused = {r.file: r.reason for r in result.rejected}
    assert set(refused) == {c.path.name for c in cases if c.expect != "good"}
    assert all(refused.values())
    assert result.report is not None and result.report.values["vbqppl_ban_hanh"] == 24
