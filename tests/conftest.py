import contextlib
import json
import os
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

from marsad.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@contextlib.contextmanager
def language_folder(root: Path, code: str, toml: str, files: dict[str, str] | None = None):
    """A toy language: root/<code> with its language.toml (and other data files) registered with marsad.lang for
    the block and unregistered after, whatever the block raised."""
    from marsad import lang

    folder = root / code
    folder.mkdir()
    (folder / "language.toml").write_text(toml, encoding="utf-8")
    for name, content in (files or {}).items():
        (folder / name).write_text(content, encoding="utf-8")
    lang.register(root)
    try:
        yield folder
    finally:
        lang.unregister(root)


@pytest.fixture
def run_cli(capsys):
    """Run `marsad analyze ARGS` in-process; returns (exit status, stdout, stderr lines)."""

    def run(*args):
        code = main(["analyze", *(str(a) for a in args)])
        out, err = capsys.readouterr()
        return code, out, [ln for ln in err.splitlines() if ln.strip()]

    return run


def records(stdout: str) -> list[dict]:
    return [json.loads(ln) for ln in stdout.splitlines() if ln.strip()]


# --- the web app served on loopback, and Debian's headless chromium driven by playwright ----------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(app):
    """`app` served by uvicorn on a free loopback port; yields its base URL. Skips without chromium, since only
    the browser checks serve."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: the browser checks need Debian's chromium")
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.time() + 10
        while not server.started and time.time() < deadline:
            time.sleep(0.05)
        assert server.started
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextlib.contextmanager
def chromium_page(**options):
    """A page of Debian's headless chromium driven by playwright (its own browser download is not used)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the browser test needs playwright (the test extra)")
    with tempfile.TemporaryDirectory() as profile, sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True,
                                                        args=CHROMIUM_FLAGS,
                                                        **({"viewport": {"width": 1200, "height": 900}} | options))
        try:
            yield context.new_page()
        finally:
            context.close()


@pytest.fixture
def tiny_conll(tmp_path):
    """A tiny CoNLL training file (15 sentences, PER/LOC/ORG) for quick `marsad train ner` runs."""
    data = tmp_path / "tiny.txt"
    sents = ["John B-PER\nlives O\nin O\nParis B-LOC\n. O", "Mary B-PER\nworks O\nfor O\nAcme B-ORG\nCorp I-ORG",
             "Ali B-PER\nvisited O\nRome B-LOC"] * 5
    data.write_text("\n\n".join(sents) + "\n", encoding="utf-8")
    return data


# --- corpus backends: every corpus test runs on SQLite and on a real PostgreSQL server ------------------------

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL cluster for the session (tests/postgres_server.py); skips, saying why, without
    PostgreSQL's server binaries or the psycopg driver (the SQLite tests run regardless)."""
    from postgres_server import Cluster, find_binaries

    pytest.importorskip("psycopg", reason="the PostgreSQL tests need psycopg (the postgres or test extra)")
    bindir, why = find_binaries()
    if bindir is None:
        pytest.skip(why)
    cluster = Cluster(bindir).start()
    yield cluster
    cluster.stop()


def new_corpus_target(request, backend: str, directory: Path) -> str:
    """A fresh, empty corpus on `backend`: a file path in `directory`, or a new database's postgresql:// URL."""
    if backend == "postgres":
        return request.getfixturevalue("postgres_cluster").new_database()
    fd, path = tempfile.mkstemp(suffix=".db", dir=directory)
    os.close(fd)
    os.unlink(path)
    return path


@pytest.fixture(params=BACKENDS)
def db_target(request, tmp_path) -> str:
    """One fresh corpus (file path or URL) per test, on each backend in turn."""
    return new_corpus_target(request, request.param, tmp_path)
