"""What the review desk's tests share: stores on SQLite and on a throwaway PostgreSQL cluster, and audited seeds.

PostgreSQL: the cluster is made with initdb in a temporary folder and
started with pg_ctl on a Unix socket only (no TCP port); as root (CI runs
as root, and PostgreSQL refuses to run as root) it runs as the `postgres`
user via runuser. Without PostgreSQL the tests that need it are skipped
with the reason on a developer's machine and fail in CI, where .ci/run
installs it.
"""

from __future__ import annotations

import copy
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from conftest import in_ci

ROOT = Path(__file__).resolve().parents[1]
FOLLOW = ROOT / "tests" / "followthrough_corpus"


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Cluster:
    """A PostgreSQL cluster of its own, on a Unix socket in a temporary folder."""

    def __init__(self):
        bindir = pg_bin()
        if bindir is None:
            why = "PostgreSQL (initdb, pg_ctl) not found; .ci/run installs Debian's postgresql"
            if in_ci():
                pytest.fail(why, pytrace=False)
            pytest.skip(why)
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="fazhi-pg-"))
        self.data = self.folder / "data"
        self.socket = self.folder
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # the server refuses to run as root
            shutil.chown(self.folder, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "fazhi", "-E", "UTF8", "--no-sync", "--locale=C")
        options = f"-k {self.socket} -c listen_addresses='' -F"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run([*self.as_user, str(self.bindir / program), *args], capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}")

    def new_database(self) -> str:
        import psycopg

        name = "t" + uuid.uuid4().hex[:12]
        with psycopg.connect(f"host={self.socket} user=fazhi dbname=postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://fazhi@/{name}?host={self.socket}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A new, empty store on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "review.db")
    return request.getfixturevalue("pg_cluster").new_database()


@pytest.fixture
def store(store_url):
    from fazhi_audit.desk.store import open_store

    opened = open_store(store_url)
    yield opened
    opened.close()


SEED_NAMES = ["001_93de1b03becaf1ca.txt", "002_fb4fb1fb4ee4856e.txt", "000_013ac8b11a237051.txt"]


@pytest.fixture(scope="session")
def audited_seeds(tmp_path_factory):
    """Three seed reports audited once through the engine, as the desk stores them."""
    from fazhi_audit.desk.services.audits import audit_folder

    folder = tmp_path_factory.mktemp("seeds")
    for name in SEED_NAMES:
        shutil.copy(ROOT / "seeds" / name, folder / name)
    found = audit_folder(str(folder), [(n, n) for n in SEED_NAMES], flags={"jobs": 1})
    for item in found:
        item.data = (folder / item.source).read_bytes()
    return found


def fresh(audited) -> list:
    return [copy.deepcopy(a) for a in audited]
