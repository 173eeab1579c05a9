"""The one place that knows which database engine the interop suite runs the servers on.

DESKGATE_TEST_BACKEND=sqlite (the default) keeps every deployment in a SQLite file under the
test's temporary directory; DESKGATE_TEST_BACKEND=postgres gives every deployment a fresh
PostgreSQL database on the cluster DESKGATE_TEST_DATABASE_URL points at (`scripts/with-postgres`
starts one and exports it; its role may create databases). The tests then talk to the database
through `connect`, which looks the same on both engines: `execute(sql, params)` with `?`
placeholders, rows readable by column name and by index (like `sqlite3.Row`), autocommit.

`database(path)` is what a test passes to `--database`: the SQLite path itself, or the URL of a
PostgreSQL database made for that path on first use (the same one on every later call, so code
that only knows the path, such as a CLI helper taking a deployment's root, finds the same
database). Databases are never dropped: the cluster is thrown away after the run."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import threading
import uuid
from pathlib import Path
from typing import Any, Iterable, Sequence
from urllib.parse import urlsplit, urlunsplit

import pytest

BACKENDS = ("sqlite", "postgres")


def backend() -> str:
    """`sqlite` or `postgres`, from DESKGATE_TEST_BACKEND."""
    name = os.environ.get("DESKGATE_TEST_BACKEND", "sqlite").strip().lower() or "sqlite"
    if name not in BACKENDS:
        raise RuntimeError(f"DESKGATE_TEST_BACKEND={name!r}: expected one of {', '.join(BACKENDS)}")
    return name


def on_postgres() -> bool:
    return backend() == "postgres"


def is_url(database: str | Path) -> bool:
    return str(database).lower().startswith(("postgres://", "postgresql://"))


# --- PostgreSQL databases ------------------------------------------------------------------------

def server_url() -> str:
    """DESKGATE_TEST_DATABASE_URL, or a test failure that says where it comes from."""
    url = os.environ.get("DESKGATE_TEST_DATABASE_URL", "")
    if not url:
        pytest.fail("DESKGATE_TEST_DATABASE_URL is not set: run the suite inside scripts/with-postgres")
    return url


def with_dbname(url: str, dbname: str) -> str:
    """`url` (same user, password, host and options) naming another database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + dbname, parts.query, parts.fragment))


_admin_lock = threading.Lock()
_admin: Any = None


def create_postgres_database(prefix: str = "t") -> str:
    """A new, empty database owned by the test role, with a unique name; its URL."""
    import psycopg

    global _admin
    url = server_url()
    name = f"{prefix}_{uuid.uuid4().hex}"
    with _admin_lock:
        if _admin is None or _admin.closed:
            _admin = psycopg.connect(url, autocommit=True)
        _admin.execute(f'CREATE DATABASE "{name}"')
    return with_dbname(url, name)


# --- which database a deployment uses ----------------------------------------------------------

_made: dict[str, str] = {}


def database(path: str | Path) -> str:
    """What to pass as `--database` for the database a test calls `path` (e.g. root / "db.sqlite"):
    on SQLite the path itself; on PostgreSQL a fresh database, created on the first call for
    this path and returned again on every later one."""
    path = str(path)
    if not on_postgres():
        return path
    with _admin_lock:
        known = _made.get(path)
    if known is None:
        known = create_postgres_database()
        with _admin_lock:
            known = _made.setdefault(path, known)
    return known


def new_database(path: str | Path) -> str:
    """Same as `database`, named for call sites that make a deployment."""
    return database(path)


def file_of(database: str | Path) -> Path | None:
    """The SQLite file behind `database`, or None for a PostgreSQL URL."""
    return None if is_url(database) else Path(database)


# --- connections -------------------------------------------------------------------------------

class Row(tuple):
    """A result row read by index, slice or (case-insensitive) column name, like sqlite3.Row."""

    _names: tuple[str, ...] = ()

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            lowered = key.lower()
            for i, name in enumerate(self._names):
                if name.lower() == lowered:
                    return tuple.__getitem__(self, i)
            raise IndexError(f"no such column: {key}")
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor):
    names = tuple(col.name for col in cursor.description or ())
    cls = type("Row", (Row,), {"_names": names, "__slots__": ()})

    def make(values: Sequence[Any]) -> Row:
        return cls(values)
    return make


_QMARK = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*")|(\?)|(%)""")


def to_pyformat(sql: str) -> str:
    """SQLite's `?` placeholders as psycopg's `%s` (not inside quotes), literal `%` doubled,
    and `BEGIN IMMEDIATE` (SQLite's take-the-write-lock-now) as a plain `BEGIN`."""
    def swap(m: re.Match) -> str:
        if m.group(1) is not None:
            return m.group(1).replace("%", "%%")
        if m.group(2) is not None:
            return "%s"
        return "%%"
    sql = _QMARK.sub(swap, sql)
    return re.sub(r"^\s*BEGIN\s+IMMEDIATE\b", "BEGIN", sql, flags=re.IGNORECASE)


class Connection:
    """One connection with the surface the tests use: execute, commit, close, `with` (which
    closes it). Statements autocommit unless the test says BEGIN."""

    def __init__(self, raw: Any, postgres: bool):
        self.raw = raw
        self.postgres = postgres

    def execute(self, sql: str, params: Iterable[Any] = ()):
        params = tuple(params)
        if self.postgres:
            return self.raw.execute(to_pyformat(sql), params)
        return self.raw.execute(sql, params)

    def commit(self) -> None:
        self.raw.commit()

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def connect(database: str | Path, readonly: bool = True) -> Connection:
    """A connection to `database` (a SQLite path or a PostgreSQL URL). Read-only by default:
    SQLite opens the file with mode=ro, PostgreSQL makes the session read-only."""
    if is_url(database):
        import psycopg

        raw = psycopg.connect(str(database), autocommit=True, row_factory=_row_factory, connect_timeout=10)
        if readonly:
            raw.execute("SET default_transaction_read_only = on")
        return Connection(raw, postgres=True)
    if readonly:
        raw = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)
    else:
        raw = sqlite3.connect(str(database), timeout=10, isolation_level=None)
    raw.row_factory = sqlite3.Row
    return Connection(raw, postgres=False)


def tables(conn: Connection) -> set[str]:
    """The names of the tables in the database (not SQLite's own, not PostgreSQL's catalogs)."""
    if conn.postgres:
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() " \
              "AND table_type = 'BASE TABLE'"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    return {row[0] for row in conn.execute(sql)}


sqlite_only = pytest.mark.sqlite_only


def password_of(database: str | Path) -> str:
    """The password in a PostgreSQL URL ('' for a path or a URL without one)."""
    return (urlsplit(str(database)).password or "") if is_url(database) else ""


# --- servers behind row-level security --------------------------------------------------------

_granted: set[str] = set()


def as_server(args: list[str]) -> list[str]:
    """A server's arguments with `--database URL` switched to the role servers run as in a
    deployment (DESKGATE_TEST_SERVER_ROLE, made by scripts/with-postgres: it owns nothing, so
    PostgreSQL's row-level security binds every statement), after `deskgate store
    grant-server-role` on that database. Only for a database that already holds Deskgate: a
    server asked to create the schema needs the owner. On SQLite, or without the role, the
    arguments are returned as they are."""
    role = os.environ.get("DESKGATE_TEST_SERVER_ROLE")
    if not role or not on_postgres() or "--database" not in args:
        return args
    at = args.index("--database") + 1
    url = args[at]
    parts = urlsplit(url)
    if not is_url(url) or not parts.username or parts.username == role:
        return args
    with connect(url) as db:
        if db.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0] is not True:
            return args
    if url not in _granted:
        from conftest import binary
        out = subprocess.run([str(binary("deskgate")), "--database", url, "store", "grant-server-role", role],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        _granted.add(url)
    netloc = parts.netloc.replace(f"{parts.username}:", f"{role}:", 1)
    return [*args[:at], urlunsplit(parts._replace(netloc=netloc)), *args[at + 1:]]
