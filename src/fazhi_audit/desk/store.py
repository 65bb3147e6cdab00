"""Open a review store: a SQLite file on one office's PC, or a PostgreSQL server shared by a city or province.

    review.db / sqlite:///review.db      an embedded SQLite file (WAL, busy timeout)
    postgresql://user@host/db            a shared server (driver: psycopg 3)

Opening migrates the store to this version's schema with the Alembic
migrations shipped in desk/migrations; a store written by a newer version
(a revision this version does not know) is refused, never touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from fazhi_audit.base.errors import UsageError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000  # concurrent uploads wait for each other's commit instead of failing


class StoreError(UsageError):
    """The store cannot be opened or used as asked: one Chinese line, exit 2."""


def engine_url(given: str) -> str:
    """The SQLAlchemy URL for what `--store` was given: a path, a sqlite:/// URL or a postgresql:// URL."""
    if "://" not in given:
        return "sqlite:///" + str(Path(given).expanduser().resolve())
    try:
        url = make_url(given)
    except ArgumentError:
        raise StoreError(f"--store {given!r} 不是有效的地址：请给出文件路径（如 review.db）、sqlite:///路径 或 postgresql://用户@主机/库名") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        return str(url)
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    raise StoreError(f"--store 不支持 {backend}：请用文件路径（SQLite）或 postgresql:// 地址")


class Store:
    """One open store: its engine and sessions."""

    def __init__(self, engine: Engine, label: str):
        self.engine = engine
        self.label = label  # for messages: the path or the URL without its password
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self.sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_engine(url: str) -> Engine:
    path = make_url(url).database
    if path and path != ":memory:":
        folder = Path(path).parent
        if not folder.is_dir():
            raise StoreError(f"审查库所在目录不存在：{folder}：请先创建该目录，或换一个路径")
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # transactions are begun below, not by the driver
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # IMMEDIATE: a writer takes the write lock at the start, so two uploads queue on the
        # busy timeout instead of one failing when it tries to upgrade a read lock.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def open_store(given: str) -> Store:
    """Open the store `given` names, creating or migrating its schema; StoreError with the reason otherwise."""
    url = engine_url(given)
    if url.startswith("sqlite"):
        engine = _sqlite_engine(url)
        label = make_url(url).database or given
    else:
        engine = create_engine(url, pool_pre_ping=True)
        label = make_url(url).render_as_string(hide_password=True)
    try:
        migrate(engine)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise StoreError(f"无法打开审查库 {label}：{reason}") from None
    except StoreError:
        engine.dispose()
        raise
    return Store(engine, label)


def _alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    config = _alembic_config(None)
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to this version's head; refuse a store from a newer version."""
    from alembic import command

    found = current_revision(engine)
    if found is not None and found not in known_revisions():
        raise StoreError(
            f"审查库由更新版本的 fazhi-audit 写入（库结构版本 {found}，本版本最高为 {head_revision()}）：请升级 fazhi-audit 后再打开，本程序不会改动它"
        )
    if found == head_revision():
        return
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
