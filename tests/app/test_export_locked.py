"""Export over a file someone holds: a short retry first (an antivirus, OneDrive or the search
indexer lets go within a second), then a message naming the likely holders; a folder where the
user may not write gets a message too, never a traceback, and nothing half-written stays."""

from types import SimpleNamespace

import pytest

import app.storage as storage
from app.export import ExportError, export_report
from app.sample import sample_report


@pytest.fixture
def no_wait(monkeypatch):
    slept = []
    # storage's own view of the time module only: other waits (the template child) stay real
    monkeypatch.setattr(storage, "time", SimpleNamespace(sleep=slept.append))
    return slept


def held_for(monkeypatch, failures: int) -> list:
    calls = []
    real_replace = storage.os.replace

    def replace(src, dst):
        calls.append(dst)
        if len(calls) <= failures:
            raise PermissionError(13, "The process cannot access the file")
        real_replace(src, dst)

    monkeypatch.setattr(storage.os, "replace", replace)
    return calls


def test_a_file_held_for_a_moment_is_written_after_a_short_retry(tmp_path, monkeypatch, no_wait):
    calls = held_for(monkeypatch, failures=2)
    target = tmp_path / "báo cáo.docx"
    target.write_bytes(b"old")
    result = export_report(sample_report(), docx=target)
    assert result.written == [target]
    assert target.read_bytes()[:2] == b"PK"  # the new document replaced the old bytes
    assert len(calls) == 3 and len(no_wait) == 2
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_file_that_stays_locked_names_the_likely_holders_and_keeps_the_old_file(
        tmp_path, monkeypatch, no_wait):
    held_for(monkeypatch, failures=100)
    target = tmp_path / "phụ lục.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(ExportError) as caught:
        export_report(sample_report(), xlsx=target)
    message = str(caught.value)
    assert str(target) in message
    for holder in ("Word", "Excel", "diệt virus", "OneDrive", "tìm kiếm của Windows"):
        assert holder in message
    # about a second of retries, not more (the user waits for it)
    assert 0.5 <= sum(no_wait) <= 1.5
    assert target.read_bytes() == b"old"
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_read_only_folder_gets_a_message_naming_the_folder(tmp_path, monkeypatch):
    def refused(*args, **kwargs):
        raise PermissionError(13, "Access is denied")

    monkeypatch.setattr(storage, "temp_path", refused)
    target = tmp_path / "báo cáo.docx"
    with pytest.raises(ExportError) as caught:
        export_report(sample_report(), docx=target)
    assert str(tmp_path) in str(caught.value) and "quyền ghi" in str(caught.value)
    assert not target.exists()
