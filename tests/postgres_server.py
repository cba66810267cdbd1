"""A throwaway PostgreSQL server for the tests of the PostgreSQL backend.

`make test` installs Debian's `postgresql` package when it is missing (scripts/ensure-postgresql); here
a server is started in a temporary folder on a free local port, trusting local connections, and
stopped at the end of the session. PostgreSQL refuses to run as root, so as root it runs as the
`postgres` user the package creates. Where no server can be started, the tests that need one are
skipped with a line saying why.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

USER = "drugbot"


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class NoServer(Exception):
    """Why no PostgreSQL server could be started here."""


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yields the URL of its `postgres` database (as the `drugbot` superuser)."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not (initdb and pg_ctl):
        raise NoServer("PostgreSQL is not installed (Debian package postgresql; `make test` installs it)")
    run_as: list[str] = []
    if os.geteuid() == 0:
        if (
            shutil.which("runuser") is None
            or subprocess.run(["id", "postgres"], capture_output=True).returncode
        ):
            raise NoServer("running as root with no `postgres` user to run PostgreSQL as")
        run_as = ["runuser", "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="drugbot-postgres-"))
    data = folder / "data"
    if run_as:
        shutil.chown(folder, "postgres")
        folder.chmod(0o700)
    port = _free_port()

    def run(*command: str) -> None:
        done = subprocess.run([*run_as, *command], capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise NoServer(f"{Path(command[0]).name} failed: {(done.stderr or done.stdout).strip()[-400:]}")

    try:
        run(initdb, "-D", str(data), "-U", USER, "--auth=trust", "--no-sync", "-E", "UTF8")
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        run(pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w", "start")
        try:
            yield f"postgresql://{USER}@127.0.0.1:{port}/postgres"
        finally:
            run(pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
