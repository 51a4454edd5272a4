"""History store, replacement after confirmation, find_previous, and the completeness board."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from app.completeness import board_from_history, build_board, export_board
from app.history import History, find_previous, history_path
from app.intake import Submission
from app.model import Period, Report, Unit
from app.units import RegisteredUnit

PERIOD = Period("nam", 2025)  # deadline 20/12/2025


def sub(name, code, values, received=datetime(2025, 12, 18, 9), level="xa", period=PERIOD, warnings=()):
    return Submission(Unit(name, code, level), period, values, f"{code or name}.xlsx", received,
                      warnings=list(warnings))


def test_store_is_one_file_in_data_dir(tmp_path):
    with History() as h:
        h.add_submission(sub("Xã A", "A", {"vbqppl_ban_hanh": 1}))
    assert history_path() == tmp_path / "data" / "history.sqlite3"
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["history.sqlite3"]


def test_replacement_needs_confirmation_and_keeps_old_version():
    with History() as h:
        assert h.add_submission(sub("Xã A", "A", {"vbqppl_ban_hanh": 1})).status == "added"
        again = h.add_submission(sub("Xã A", "A", {"vbqppl_ban_hanh": 1}))
        assert again.status == "unchanged"
        newer = sub("Xã A", "A", {"vbqppl_ban_hanh": 2}, datetime(2025, 12, 19))
        r = h.add_submission(newer)
        assert r.status == "would_replace" and r.previous.values == {"vbqppl_ban_hanh": 1}
        assert h.submissions(PERIOD)[0].values == {"vbqppl_ban_hanh": 1}  # nothing written
        r = h.add_submission(newer, replace=True)
        assert r.status == "replaced"
        assert [s.values for s in h.submissions(PERIOD)] == [{"vbqppl_ban_hanh": 2}]
        assert [s.values for s in h.versions(PERIOD, newer.key)] == [{"vbqppl_ban_hanh": 2},
                                                                      {"vbqppl_ban_hanh": 1}]


def test_many_submissions_stored_all_or_nothing(monkeypatch):
    with History() as h:
        good = sub("Xã A", "A", {"vbqppl_ban_hanh": 1})
        bad = sub("Xã B", "B", {"vbqppl_ban_hanh": 1})
        bad.received = "not a datetime"  # makes the second insert fail
        with pytest.raises(AttributeError):
            h.add_submissions([good, bad])
        assert h.submissions(PERIOD) == []


def test_find_previous_same_kind_year_before():
    assert find_previous(Report(unit=Unit("UBND tỉnh", "T", "tinh"), period=PERIOD)) is None
    with History() as h:
        old = Report(unit=Unit("UBND tỉnh", "T", "tinh"), period=Period("nam", 2024),
                     values={"vbqppl_ban_hanh": 200})
        h.save_report(old)
        h.save_report(Report(unit=Unit("UBND tỉnh", "T", "tinh"), period=Period("quy_1", 2024),
                             values={"vbqppl_ban_hanh": 9}))
        h.add_submission(sub("Xã A", "A", {"vbqppl_ban_hanh": 4}, period=Period("nam", 2024)))
    prev = find_previous(Report(unit=Unit("UBND tỉnh", "T", "tinh"), period=PERIOD))
    assert prev is not None and prev.values == {"vbqppl_ban_hanh": 200}
    assert prev.period.key() == "nam-2024"
    # a unit's previous figures come from its submission when no report was saved
    prev = find_previous(Report(unit=Unit("Xã A", "A", "xa"), period=PERIOD))
    assert prev.values == {"vbqppl_ban_hanh": 4}
    assert find_previous(Report(unit=Unit("Xã Z", "Z", "xa"), period=PERIOD)) is None
    with History() as h:
        assert {p.key() for p in h.periods()} == {"nam-2024", "quy_1-2024"}


def test_completeness_board_counts(tmp_path):
    register = [
        RegisteredUnit("Sở Tư pháp", "so_nganh", "STP"),
        RegisteredUnit("Xã A", "xa", "A"),
        RegisteredUnit("Xã B", "xa", "B"),
        RegisteredUnit("Xã C", "xa", "C"),
        RegisteredUnit("Xã D", "xa", "D"),
        RegisteredUnit("Xã cũ", "xa", "OLD", active_to=date(2024, 6, 30)),  # merged away
    ]
    with History() as h:
        h.add_submissions([
            sub("Sở Tư pháp", "STP", {"vbqppl_ban_hanh": 1}, datetime(2025, 12, 20, 17), "so_nganh"),
            sub("Xã A", "A", {"vbqppl_ban_hanh": 1}, datetime(2025, 12, 23, 8),
                warnings=["R15 [Cảnh báo] …"]),
            sub("Xã ngoài", "X9", {"vbqppl_ban_hanh": 1}),
        ])
        h.record_rejection("B.xlsx", "dòng 12: ô chứa chữ “abc”", Unit("Xã B", "B", "xa"), PERIOD)
        board = board_from_history(PERIOD, h, register, today=date(2025, 12, 28))
    c = board.counts
    assert (c["on_time"], c["late"], c["rejected"], c["overdue"], c["missing"]) == (2, 1, 1, 2, 0)
    assert c["expected"] == 5 and c["reported"] == 3 and c["with_warnings"] == 1
    by_name = {r.name: r for r in board.rows}
    assert "Xã cũ" not in by_name
    assert by_name["Xã A"].status == "late" and by_name["Xã A"].days_late == 3
    assert by_name["Sở Tư pháp"].status == "on_time"  # on the deadline day is on time
    assert by_name["Xã ngoài"].registered is False
    assert "abc" in by_name["Xã B"].note
    assert board.rows[0].status == "overdue"  # the worst first
    before = build_board(PERIOD, register, [], [], today=date(2025, 12, 1))
    assert before.counts["missing"] == 5 and before.counts["overdue"] == 0
    assert "0/5 đơn vị đã nộp" in before.summary()
    out = export_board(board, tmp_path / "bang.xlsx")
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value.startswith("TÌNH HÌNH NỘP SỐ LIỆU")
    assert [ws.cell(4, c).value for c in range(1, 9)][:5] == ["STT", "Đơn vị", "Mã", "Cấp", "Tình trạng"]
    assert ws.cell(5, 5).value == "Chưa nộp, đã quá hạn"
    assert ws.max_row == 4 + 6
