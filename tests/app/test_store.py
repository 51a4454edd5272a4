"""The history store on both engines: migrations, the audit trail, latest-wins replacement,
copying between stores (idempotent), backups, `store` commands, offline and credentials."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import pytest

from app.cli import main
from app.history import History, StoreOffline
from app.intake import Submission
from app.model import Period, Report, Unit
from app.store import engine as store_engine
from app.store.transfer import content, copy_rows, rows_of_store
from app.units import unit_key

PERIOD = Period("nam", 2025)
pytestmark = pytest.mark.usefixtures("store")


@pytest.fixture(autouse=True)
def _dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CCHC_CONFIG_DIR", str(tmp_path / "config"))


def sub(name, code, values, received=datetime(2025, 12, 18, 9), period=PERIOD, path=""):
    return Submission(Unit(name, code, "xa"), period, values, f"{code}.xlsx", received, path=path)


def test_migrations_build_exactly_the_declared_tables():
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from app.store.schema import metadata

    script = ScriptDirectory(str(store_engine.migrations_dir()))
    assert script.get_current_head() == store_engine.HEAD
    h = History()
    with h.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    assert h.schema_version() == store_engine.HEAD


def test_a_version_1_store_is_upgraded_in_place_keeping_its_data(tmp_path, store):
    if store != "sqlite":
        pytest.skip("version 1 stores were SQLite files")
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema', '1');
        CREATE TABLE submissions (id INTEGER PRIMARY KEY, period_key TEXT NOT NULL,
            period_json TEXT NOT NULL, unit_key TEXT NOT NULL, unit_name TEXT NOT NULL,
            unit_code TEXT NOT NULL, unit_level TEXT NOT NULL, kind TEXT NOT NULL,
            file TEXT NOT NULL, received TEXT NOT NULL, imported_at TEXT NOT NULL,
            values_json TEXT NOT NULL, explanations_json TEXT NOT NULL DEFAULT '{}',
            warnings_json TEXT NOT NULL DEFAULT '[]', active INTEGER NOT NULL DEFAULT 1);
        CREATE UNIQUE INDEX submissions_active ON submissions(period_key, unit_key) WHERE active = 1;
        CREATE TABLE rejections (id INTEGER PRIMARY KEY, period_key TEXT, unit_key TEXT,
            unit_name TEXT NOT NULL DEFAULT '', file TEXT NOT NULL, at TEXT NOT NULL,
            reason TEXT NOT NULL);
        CREATE TABLE reports (id INTEGER PRIMARY KEY, period_key TEXT NOT NULL,
            period_json TEXT NOT NULL, unit_key TEXT NOT NULL, unit_name TEXT NOT NULL,
            saved_at TEXT NOT NULL, report_json TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1);
    """)
    conn.execute("INSERT INTO submissions (period_key, period_json, unit_key, unit_name, unit_code,"
                 " unit_level, kind, file, received, imported_at, values_json) VALUES "
                 "('nam-2025', '{\"kind\": \"nam\", \"year\": 2025}', ?, 'Xã A', 'A', 'xa',"
                 " 'intake', 'a.xlsx', '2025-12-18T09:00:00', '2025-12-19T10:00:00',"
                 " '{\"vbqppl_ban_hanh\": 7}')", (unit_key("Xã A", "A"),))
    conn.commit()
    conn.close()
    with History(path) as h:
        assert h.schema_version() == store_engine.HEAD
        [old] = h.submissions(PERIOD)
        assert old.values == {"vbqppl_ban_hanh": 7} and old.file == "a.xlsx"
        r = h.add_submission(sub("Xã A", "A", {"vbqppl_ban_hanh": 8}, datetime(2025, 12, 19)),
                             replace=True)
        assert r.status == "replaced"
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert "meta" not in tables and {"audit", "alembic_version"} <= tables


def test_an_older_file_never_replaces_a_newer_one_and_the_audit_names_who_and_which_file(tmp_path):
    f = tmp_path / "A-v2.xlsx"
    f.write_bytes(b"second version")
    newer = sub("Xã A", "A", {"vbqppl_ban_hanh": 2}, datetime(2025, 12, 19), path=str(f))
    older = sub("Xã A", "A", {"vbqppl_ban_hanh": 1}, datetime(2025, 12, 18))
    with History() as h:
        assert h.add_submission(newer).status == "added"
        r = h.add_submission(older, replace=True)
        assert r.status == "older" and r.previous.values == {"vbqppl_ban_hanh": 2}
        assert [s.values for s in h.submissions(PERIOD)] == [{"vbqppl_ban_hanh": 2}]
        assert h.check(older).status == "older"
        trail = h.audit(PERIOD, newer.key)
        [stored] = h.submissions(PERIOD)
    import hashlib

    digest = hashlib.sha256(b"second version").hexdigest()
    assert stored.file_hash == digest and stored.imported_by and stored.machine
    assert [e.action for e in trail] == ["added", "older"]
    assert trail[0].file_hash == digest
    user, machine = store_engine.who()
    assert trail[0].os_user == user and trail[0].machine == machine
    line = trail[1].line()
    assert "Không thay (bản đã nhận mới hơn)" in line and f"{user} trên máy {machine}" in line
    assert digest[:12] in trail[0].line()


def test_declined_replacement_and_rejection_are_in_the_audit_trail():
    with History() as h:
        h.add_submission(sub("Xã A", "A", {"vbqppl_ban_hanh": 1}))
        kept = h.add_submission(sub("Xã A", "A", {"vbqppl_ban_hanh": 5}, datetime(2025, 12, 20)))
        assert kept.status == "would_replace"
        h.record_rejection("A-hong.xlsx", "dòng 12: ô chứa chữ “abc”", Unit("Xã A", "A", "xa"), PERIOD)
        h.save_report(Report(unit=Unit("Xã A", "A", "xa"), period=PERIOD, values={"vbqppl_ban_hanh": 1}))
        actions = [e.action for e in h.audit(PERIOD)]
        n = h.last_change()
    assert actions == ["added", "kept", "rejected", "report_saved"]
    assert n >= 4


def _fill(h: History, n: int) -> None:
    """n submissions over n//4 units, each unit replaced by later versions; a rejection and a
    report per 50 units."""
    subs = []
    for i in range(n):
        unit, version = i % max(n // 4, 1), i // max(n // 4, 1)
        subs.append(sub(f"Xã {unit:04d}", f"X{unit:04d}", {"vbqppl_ban_hanh": i},
                        datetime(2025, 12, 1 + version, 9)))
    for start in range(0, n, 250):
        batch = subs[start:start + 250]
        h.add_submissions(batch, {s.key for s in batch})
    for unit in range(0, n // 4, 50):
        h.record_rejection(f"R{unit}.xlsx", "ô chứa chữ", Unit(f"Xã {unit:04d}", f"X{unit:04d}", "xa"), PERIOD)
        h.save_report(Report(unit=Unit(f"Xã {unit:04d}", f"X{unit:04d}", "xa"), period=PERIOD,
                             values={"vbqppl_ban_hanh": unit}))


def test_migration_of_1000_submissions_run_twice_gives_identical_content(tmp_path, store, capsys):
    """SQLite → the engine under test, through the command; a second run copies nothing."""
    private = tmp_path / "private.sqlite3"
    with History(private) as src:
        _fill(src, 1000)
        expected = content(src)
        assert src.counts()["submission_versions"] == 1000
    target = store_engine.default_address() if store == "postgresql" else str(tmp_path / "shared.sqlite3")
    assert main(["store", "migrate", "--store", str(private), "--to", target]) == 0
    assert "1.000 bản nộp" in capsys.readouterr().out
    with History(target) as dst:
        first = content(dst)
        assert dst.counts()["submissions"] == 250
    assert main(["store", "migrate", "--store", str(private), "--to", target]) == 0
    assert "không chép gì thêm" in capsys.readouterr().out
    with History(target) as dst:
        assert content(dst) == first
        loaded = [e for e in dst.audit() if e.action == "loaded"]
    assert len(loaded) == 1 and "1000 bản nộp" in loaded[0].detail
    assert [row for row in first if row[0] != "audit" or "'loaded'" not in str(row)] == expected


def test_backup_is_json_lines_that_a_new_store_loads(tmp_path, store, capsys):
    with History() as h:
        _fill(h, 40)
        expected = content(h)
    out = tmp_path / "sao_luu.jsonl"
    assert main(["store", "backup", "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["format"] == "cchc-store-backup"
    assert all(json.loads(x)["table"] for x in lines[1:])
    fresh = tmp_path / "fresh.sqlite3"
    assert main(["store", "migrate", "--store", str(out), "--to", str(fresh)]) == 0
    with History(fresh) as new:
        got = content(new)
        assert new.counts()["submissions"] == 10
        assert [s.values for s in new.submissions(PERIOD)][:1] == [{"vbqppl_ban_hanh": 30}]
    assert [row for row in got if "'loaded'" not in str(row)] == expected
    # a damaged backup is refused naming the line, nothing loaded
    bad = tmp_path / "hong.jsonl"
    bad.write_text(lines[0] + "\n" + lines[1] + "\n{not json\n", encoding="utf-8")
    other = tmp_path / "other.sqlite3"
    assert main(["store", "migrate", "--store", str(bad), "--to", str(other)]) == 2
    assert "dòng 3: không phải JSON" in capsys.readouterr().err
    with History(other) as h:
        assert h.counts()["submission_versions"] == 0


def test_copy_into_a_store_with_newer_versions_keeps_the_latest_current(tmp_path):
    with History(tmp_path / "a.sqlite3") as a:
        a.add_submission(sub("Xã A", "A", {"vbqppl_ban_hanh": 1}, datetime(2025, 12, 1)))
        a.add_submission(sub("Xã B", "B", {"vbqppl_ban_hanh": 1}, datetime(2025, 12, 9)))
    with History() as shared:
        shared.add_submission(sub("Xã A", "A", {"vbqppl_ban_hanh": 2}, datetime(2025, 12, 5)))
        shared.add_submission(sub("Xã B", "B", {"vbqppl_ban_hanh": 2}, datetime(2025, 12, 5)))
        with History(tmp_path / "a.sqlite3") as a:
            copied = copy_rows(rows_of_store(a), shared)
        assert copied["submissions"] == 2
        now = {s.unit.name: s.values["vbqppl_ban_hanh"] for s in shared.submissions(PERIOD)}
        assert now == {"Xã A": 2, "Xã B": 1}  # A: the shared one is later; B: the copied one
        assert len(shared.versions(PERIOD, sub("Xã A", "A", {}).key)) == 2


def test_store_status_names_engine_schema_and_counts(capsys, store):
    with History() as h:
        h.add_submission(sub("Xã A", "A", {"vbqppl_ban_hanh": 1}))
    assert main(["store", "status"]) == 0
    out = capsys.readouterr().out
    assert ("PostgreSQL (kho dùng chung)" if store == "postgresql" else "SQLite (kho riêng)") in out
    assert f"Cấu trúc: {store_engine.HEAD} (mới nhất)" in out
    assert "Bản nộp hiện dùng: 1" in out


def test_unreachable_server_is_one_clear_line_and_nothing_else_breaks(capsys, store, tmp_path):
    if store != "sqlite":
        pytest.skip("one run is enough")
    url = "postgresql://cchc@127.0.0.1:9/cchc"  # port 9 (discard): nothing listens
    with pytest.raises(StoreOffline) as exc:
        History(url)
    assert "Không kết nối được kho dùng chung postgresql://cchc@127.0.0.1:9/cchc" in str(exc.value)
    assert "\n" not in str(exc.value)
    assert main(["store", "status", "--store", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "máy chủ không nhận kết nối" in err
    # the editor's look-up of last year's report quietly finds nothing; report files still work
    import os

    from app.history import find_previous
    from app.storage import load_report, save_report

    os.environ["CCHC_STORE"] = url
    try:
        report = Report(unit=Unit("UBND tỉnh", "T", "tinh"), period=PERIOD)
        assert find_previous(report) is None
        save_report(report, tmp_path / "r.cchc.json")
        assert load_report(tmp_path / "r.cchc.json").unit.name == "UBND tỉnh"
    finally:
        del os.environ["CCHC_STORE"]


def test_bad_addresses_are_refused_by_name(capsys, store):
    if store != "sqlite":
        pytest.skip("one run is enough")
    assert main(["store", "status", "--store", "mysql://u@h/db"]) == 2
    assert "chỉ dùng được kho PostgreSQL" in capsys.readouterr().err
    assert main(["store"]) == 2
    assert "store status" in capsys.readouterr().err


def test_the_password_lives_in_the_credential_store_never_in_settings(monkeypatch, store):
    if store != "postgresql":
        pytest.skip("PostgreSQL only")
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1
        kept: dict = {}

        def get_password(self, service, username):
            return self.kept.get((service, username))

        def set_password(self, service, username, password):
            self.kept[(service, username)] = password

        def delete_password(self, service, username):
            self.kept.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        from sqlalchemy.engine import make_url

        from app.settings import Settings, load_settings, save_settings, settings_path

        url = make_url(store_engine.default_address())
        save_settings(Settings(store_url=url.set(password="bí-mật").render_as_string(False)))
        assert "bí-mật" not in settings_path().read_text(encoding="utf-8")
        assert load_settings().store_url == url.render_as_string(False)
        store_engine.save_password(url.render_as_string(False), "bí-mật")
        assert Memory.kept[(store_engine.KEYRING_SERVICE,
                            f"{url.username}@{url.host}:{url.port}/{url.database}")] == "bí-mật"
        store_engine.forget_engines()
        engine = store_engine.engine_for(url.render_as_string(False))
        assert engine.url.password == "bí-mật"  # taken from the credential store
    finally:
        keyring.set_keyring(previous)
        store_engine.forget_engines()


def test_import_command_replaces_only_when_asked_and_names_what_it_refuses(
        tmp_path, capsys, filled_intake, store):
    import os

    from app.store.engine import default_address

    unit = Unit("Xã An Bình", "X01", "xa")
    first = filled_intake(tmp_path / "an_binh.xlsx", unit, PERIOD, {"vbqppl_ban_hanh": 3})
    later = filled_intake(tmp_path / "an_binh_2.xlsx", unit, PERIOD, {"vbqppl_ban_hanh": 5})
    empty = tmp_path / "trong.xlsx"
    from app.intake import write_intake

    write_intake(empty, Unit("Xã Bắc Sơn", "X02", "xa"), PERIOD)
    os.utime(first, (1_765_000_000, 1_765_000_000))
    os.utime(later, (1_765_100_000, 1_765_100_000))
    assert main(["import", str(first), str(empty), "--period", "nam", "--year", "2025"]) == 1
    out, err = capsys.readouterr()
    assert "Đã nhận: an_binh.xlsx (Xã An Bình)" in out
    assert "Từ chối: trong.xlsx" in err and "chưa có số liệu" in err
    assert main(["import", str(later)]) == 1  # asked, not told: the old one stays
    err = capsys.readouterr().err
    assert "Giữ bản cũ: an_binh_2.xlsx" in err and "--replace" in err
    assert main(["import", str(later), "--replace"]) == 0
    assert "Đã thay bản cũ: an_binh_2.xlsx" in capsys.readouterr().out
    assert main(["import", str(first), "--replace"]) == 1  # an older file never wins
    assert "Không thay: an_binh.xlsx" in capsys.readouterr().err
    with History() as h:
        assert [s.values for s in h.submissions(PERIOD)] == [{"vbqppl_ban_hanh": 5}]
        assert [e.action for e in h.audit(PERIOD)] == ["rejected", "added", "kept", "replaced",
                                                      "older"]
    out_file = tmp_path / "tong_hop.cchc.json"
    argv = ["consolidate", "--from-store", "--period", "nam", "--year", "2025", "--out",
            str(out_file), "--store", default_address()]
    assert main(argv) == 0
    assert "Đã tổng hợp 1 đơn vị" in capsys.readouterr().out
    from app.storage import load_report

    assert load_report(out_file).values["vbqppl_ban_hanh"] == 5
    assert main(["consolidate", "--from-store", "--out", str(out_file)]) == 2
    assert "--from-store cần --period và --year" in capsys.readouterr().err
    assert main(["consolidate", "x.xlsx", "--out", str(out_file), "--store", "k.sqlite3"]) == 2
    assert "--store chỉ dùng cùng --from-store" in capsys.readouterr().err


def test_in_team_mode_the_unit_register_is_the_teams_and_the_local_copy_serves_offline(
        tmp_path, monkeypatch, capsys, store):
    from app.units import REGISTER_FILE, RegisteredUnit, data_dir, load_register, save_register

    units = [RegisteredUnit("Sở Tư pháp", "so_nganh", "STP"), RegisteredUnit("Xã A", "xa", "A")]
    if store == "sqlite":  # a private history: the register stays a file; a migration shares it
        save_register(units)
        with History() as h:
            assert h.register() == []
            private = h.path
        shared = tmp_path / "shared.sqlite3"
        assert main(["store", "migrate", "--to", str(shared)]) == 0
        assert "2 đơn vị trong danh sách" in capsys.readouterr().out
        with History(shared) as h:
            assert [u["name"] for u in h.register()] == ["Sở Tư pháp", "Xã A"]
        assert private.is_file()
        return
    save_register(units)  # another specialist's desk shares it through the store
    local = data_dir() / REGISTER_FILE
    local.unlink()
    assert [u.name for u in load_register()] == ["Sở Tư pháp", "Xã A"]
    assert local.is_file()  # the local copy, refreshed
    with History() as h:
        assert [e.action for e in h.audit()] == ["register_saved"]
    monkeypatch.setenv("CCHC_STORE", "postgresql://cchc@127.0.0.1:9/cchc")  # server gone
    assert [u.name for u in load_register()] == ["Sở Tư pháp", "Xã A"]  # from the local copy
    with pytest.raises(StoreOffline):
        save_register(units[:1])  # refused as a whole: nothing queued, nothing half-saved
    assert len(load_register()) == 2
