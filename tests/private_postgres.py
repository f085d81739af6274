"""A throwaway PostgreSQL cluster of a test's own, to stop and restart at will.

The shared cluster serves other engineers and the test database, so tests that kill
connections or restart the server start their own: initdb into a temporary folder owned by
the `postgres` user (CI runs as root, and PostgreSQL refuses to), a free loopback port, a
socket in that folder, trust authentication on loopback only, no fsync (nothing to keep).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from tests.helpers import free_port

INITDB_OPTIONS = ("--auth=trust", "--username=postgres", "--encoding=UTF8", "--no-sync")


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian's layout), if any."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=_version)
    return versions[-1].parent if versions else None


def _version(pg_ctl: Path) -> float:
    return float(pg_ctl.parent.parent.name)


class Cluster:
    def __init__(self, bin_dir: Path, folder: Path) -> None:
        self.bin_dir, self.folder, self.port = bin_dir, folder, free_port()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, program: str, *args: str) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*as_postgres, str(self.bin_dir / program), *args],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def pg_ctl(self, *args: str) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        data, log = str(self.folder / "data"), str(self.folder / "log")
        self.run("pg_ctl", "-D", data, "-l", log, "-o", options, "-w", *args)

    def sql(self, database: str, statement: str, *params: object) -> list[tuple[object, ...]]:
        with psycopg.connect(self.url(database), autocommit=True) as db:
            cursor = db.execute(statement, params)  # type: ignore[arg-type]  # the test's own
            return cursor.fetchall() if cursor.description else []


@contextmanager
def private_cluster(bin_dir: Path) -> Iterator[Cluster]:
    folder = Path(tempfile.mkdtemp(prefix="turntide-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    cluster = Cluster(bin_dir, folder)
    try:
        cluster.run("initdb", "-D", str(folder / "data"), *INITDB_OPTIONS)
        cluster.pg_ctl("start")
        yield cluster
    finally:
        if (folder / "data" / "postmaster.pid").exists():
            cluster.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)
