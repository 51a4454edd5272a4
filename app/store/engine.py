"""Which store, how to reach it, and its schema: one SQLAlchemy engine per store address.

An address is a PostgreSQL URL (`postgresql://user@host:5432/db`, the department's shared
server) or a SQLite file (a path, or `sqlite:///path`; the default is `history.sqlite3` in the
per-user data folder). The store used when none is named: $CCHC_STORE, else the address in the
settings (`store_url`), else the per-user SQLite file.

The password of a PostgreSQL store is never written in the settings: it comes from the address
itself (typed on a command line), else the operating system's credential store (Windows
Credential Manager, through `keyring`), else libpq's own means (PGPASSWORD, pgpass.conf).

Opening a store brings its schema up to date with the Alembic migrations in
app/store/migrations (shipped as data files in the frozen build). A server that cannot be reached
raises `StoreOffline`: one Vietnamese line, and the caller carries on without the store.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

KEYRING_SERVICE = "cchc-report-store"
HEAD = "0002"  # the newest migration; a test checks it against the migrations folder
CONNECT_TIMEOUT_S = 3  # a department's server answers at once or is out of reach
_MIGRATE_LOCK = 7_170_001  # PostgreSQL advisory lock: one process migrates a new store at a time


class StoreError(UserError, RuntimeError):
    """The store cannot be used as asked; str() is one Vietnamese line."""


class StoreOffline(StoreError):
    """The shared store's server cannot be reached (network, server down, wrong address)."""


def who() -> tuple[str, str]:
    """The operating-system user and the machine, as the audit trail records them."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment (a service account): say so, go on
        user = "?"
    try:
        machine = socket.gethostname()
    except OSError:
        machine = "?"
    return user, machine


def file_hash(path: str | os.PathLike[str] | None) -> str:
    """SHA-256 of a file's bytes (hex), or "" when there is no readable file."""
    if not path:
        return ""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 16), b""):
                h.update(block)
    except OSError:
        return ""
    return h.hexdigest()


# ------------------------------------------------------------------------------- addresses


def default_address() -> str:
    """$CCHC_STORE, else the settings' store address, else the per-user SQLite file."""
    env = os.environ.get("CCHC_STORE", "").strip()
    if env:
        return env
    from app.settings import history_path, load_settings

    configured = load_settings().store_url.strip()
    return configured or str(history_path())


def shared_address() -> str | None:
    """The store's address when it is a shared PostgreSQL server (team mode), else None."""
    address = default_address()
    return address if address.startswith(("postgresql", "postgres:")) else None


def parse_address(address: str | os.PathLike[str] | None) -> URL:
    """The SQLAlchemy URL of an address; a clear error for anything else."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = str(address if address else default_address()).strip()
    if "://" not in text:
        return make_url("sqlite://").set(database=str(Path(text).expanduser()))
    try:
        url = make_url(text)
    except ArgumentError:
        raise StoreError(f"“{text}”: địa chỉ kho không đúng dạng (ví dụ "
                         f"postgresql://nguoidung@may-chu:5432/cchc).") from None
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and url.database:
        return url.set(drivername="sqlite")
    raise StoreError(f"“{describe(url)}”: chỉ dùng được kho PostgreSQL (postgresql://…) hoặc tệp "
                     f"SQLite.")


def describe(url: URL | str) -> str:
    """The address as a user may see it: never the password."""
    from sqlalchemy.engine import make_url

    u = make_url(url) if isinstance(url, str) else url
    if u.get_backend_name() == "sqlite":
        return u.database or ""
    host = f"{u.host or 'localhost'}:{u.port or 5432}"
    return f"postgresql://{u.username + '@' if u.username else ''}{host}/{u.database or ''}"


def _keyring_user(url: URL) -> str:
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def stored_password(url: URL) -> str | None:
    """The password kept in the OS credential store for this server and user, if any."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, _keyring_user(url))
    except Exception:  # no credential store on this machine (a bare Linux CI): libpq decides
        return None


def save_password(address: str, password: str) -> None:
    """Keep a PostgreSQL store's password in the OS credential store (never in settings)."""
    url = parse_address(address)
    if url.get_backend_name() != "postgresql":
        raise StoreError("chỉ kho PostgreSQL mới cần mật khẩu.")
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, _keyring_user(url), password)
    except Exception as exc:
        raise StoreError(f"không lưu được mật khẩu vào kho thông tin đăng nhập của hệ điều hành "
                         f"({exc.__class__.__name__}).") from None
    forget_engines()  # connections made with the old password are not reused


# --------------------------------------------------------------------------------- engines

_engines: dict[str, Engine] = {}
_migrated: set[str] = set()
_lock = threading.Lock()


def _sqlite_engine(url: URL) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    path = Path(url.database or "")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{path.parent}: không tạo được thư mục kho lịch sử "
                         f"({exc.strerror}).") from None
    # NullPool: the file is closed with the store (a user may copy or move it afterwards)
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # the transactions below, not the driver's guesses

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # writers take the file's write lock at once, so two writers queue up (busy timeout)
        # rather than one failing when it upgrades a read lock; a reader's BEGIN holds its
        # snapshot until the end of the transaction
        read = conn.get_execution_options().get("cchc_read")
        conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")

    return engine


def _postgresql_engine(url: URL) -> Engine:
    from sqlalchemy import create_engine

    if url.password is None:
        password = stored_password(url)
        if password is not None:
            url = url.set(password=password)
    return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4,
                         connect_args={"connect_timeout": CONNECT_TIMEOUT_S,
                                       "application_name": "cchc-report"})


def engine_for(address: str | os.PathLike[str] | None = None) -> Engine:
    """The engine of a store (made once per process), its schema brought up to date."""
    url = parse_address(address)
    key = url.render_as_string(hide_password=False)
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = (_sqlite_engine(url) if url.get_backend_name() == "sqlite"
                      else _postgresql_engine(url))
            _engines[key] = engine
        if key not in _migrated:
            migrate(engine)
            _migrated.add(key)
    return engine


def forget_engines() -> None:
    """Close every pooled connection (tests; a process that changes its store address)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _migrated.clear()


def explain(engine: Engine, exc: BaseException) -> StoreError:
    """A database driver's error as one Vietnamese line; unreachable servers as StoreOffline."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    where = describe(engine.url)
    message = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = message[0] if message else exc.__class__.__name__
    low = " ".join(message).lower()
    if engine.url.get_backend_name() == "postgresql" and isinstance(exc, OperationalError):
        if "password authentication failed" in low or "no password supplied" in low:
            return StoreError(f"{where}: máy chủ từ chối đăng nhập (sai tên đăng nhập hoặc mật "
                              f"khẩu; mật khẩu lưu trong kho thông tin đăng nhập của Windows).")
        if "does not exist" in low and "database" in low:
            return StoreError(f"{where}: máy chủ không có cơ sở dữ liệu “{engine.url.database}”.")
        if "could not translate host name" in low or "name or service not known" in low:
            reason = "không tìm thấy máy chủ theo tên"
        elif "timeout" in low or "timed out" in low:
            reason = "máy chủ không trả lời"
        elif "refused" in low:
            reason = "máy chủ không nhận kết nối"
        else:
            reason = f"mất kết nối ({first})"
        return StoreOffline(f"Không kết nối được kho dùng chung {where}: {reason}. Tệp báo cáo vẫn "
                            f"mở và lưu bình thường; các thao tác với kho tạm thời không làm được.")
    if isinstance(exc, DBAPIError) and engine.url.get_backend_name() == "sqlite":
        if "locked" in low or "busy" in low:
            return StoreError(f"{where}: kho lịch sử đang bận (một chương trình khác đang ghi); "
                              f"hãy thử lại.")
        return StoreError(f"{where}: không dùng được kho lịch sử ({first}).")
    return StoreError(f"{where}: không dùng được kho ({first}).")


# ------------------------------------------------------------------------------ migrations


def migrations_dir() -> Path:
    from app.paths import bundle_root

    return bundle_root() / "app" / "store" / "migrations"


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["connection"] = connection
    return cfg


def schema_version(connection: Any) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the store's schema to HEAD (a new store gets every table). A store made by
    version 1 (hand-written SQL, a `meta` table) is recognised and upgraded in place; a store
    from a newer program is refused rather than half-used."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as conn:
            if engine.url.get_backend_name() == "postgresql":
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATE_LOCK})
                conn.commit()
            try:
                current = schema_version(conn)
                conn.rollback()
                if current == HEAD:
                    return
                from alembic import command

                if current is not None and not (migrations_dir() / "versions").is_dir():
                    raise StoreError(f"{describe(engine.url)}: thiếu thư mục cập nhật cấu trúc kho "
                                     f"({migrations_dir()}); hãy cài lại chương trình.")
                if current is not None and current not in _known_revisions():
                    raise StoreError(f"{describe(engine.url)}: kho do phiên bản mới hơn của "
                                     f"chương trình tạo (cấu trúc {current}); hãy cập nhật "
                                     f"chương trình.")
                cfg = _alembic_config(conn)
                if current is None and inspect(conn).has_table("submissions"):
                    conn.rollback()
                    command.stamp(cfg, "0001")  # made by version 1, before migrations
                    conn.commit()
                conn.rollback()
                command.upgrade(cfg, "head")
                conn.commit()
            finally:
                if engine.url.get_backend_name() == "postgresql":
                    conn.rollback()
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATE_LOCK})
                    conn.commit()
    except DBAPIError as exc:
        raise explain(engine, exc) from None


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(migrations_dir()))
    return {rev.revision for rev in script.walk_revisions()}
