"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary directory, the server started with pg_ctl
on a Unix socket in that directory (no TCP), stopped and removed at the end. A real server, never a mock.

The server refuses to run as root, and CI runs as root: there the cluster belongs to an unprivileged user (the
Debian package's `postgres`, else `nobody`) and its commands run through `runuser`. Without PostgreSQL's binaries
`Cluster.find_binaries()` says why, and the PostgreSQL tests skip with that reason.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid


def find_binaries() -> tuple[str | None, str]:
    """(the directory holding initdb and pg_ctl, or None; why not)."""
    for d in [os.path.dirname(shutil.which("pg_ctl") or "")] + sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                                                       reverse=True):
        if d and all(os.access(os.path.join(d, b), os.X_OK) for b in ("initdb", "pg_ctl", "postgres")):
            return d, ""
    return None, "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"


def _free_port() -> int:
    # the socket file is named after the port; a port free on TCP avoids clashing with a system server's socket name
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, bindir: str):
        self.bindir = bindir
        self.user = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    self.user = pwd.getpwnam(name)
                    break
                except KeyError:
                    continue
            if self.user is None:
                raise RuntimeError("running as root and no unprivileged user (postgres, nobody) to run the server")
        # /tmp itself, not pytest's per-user directory: the server's user must be able to reach it
        self.dir = tempfile.mkdtemp(prefix="marsad-pg-", dir="/tmp")
        self.data = os.path.join(self.dir, "data")
        self.port = _free_port()
        if self.user is not None:
            os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)

    def _run(self, *args: str) -> None:
        cmd = [os.path.join(self.bindir, args[0]), *args[1:]]
        if self.user is not None:
            cmd = ["runuser", "-u", self.user.pw_name, "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120,
                       cwd=self.dir)

    def start(self) -> "Cluster":
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        # no TCP listener, the socket in our own directory; fsync off: a test cluster need not survive a crash
        opts = f"-c listen_addresses='' -c unix_socket_directories='{self.dir}' -p {self.port} -c fsync=off " \
               "-c max_connections=200"
        self._run("pg_ctl", "-D", self.data, "-o", opts, "-l", os.path.join(self.dir, "log"), "-w", "start")
        return self

    def dsn(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@/{dbname}?host={self.dir}&port={self.port}"

    def new_database(self) -> str:
        """A fresh empty database on this cluster; its DSN."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
