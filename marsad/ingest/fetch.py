"""Polite HTTP fetching for feeds, sitemaps, URL lists and article pages: robots.txt obeyed, one request per
host every `min_interval_s`, a user agent that names marsad, timeouts, retries with back-off (urllib3's Retry,
honouring Retry-After), a size cap read while streaming, and an optional on-disk cache of fetched pages so that
a killed or repeated run fetches no article twice (feeds and sitemaps are asked again: they change)."""
from __future__ import annotations

import sqlite3
import threading
import time
import urllib.robotparser
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .. import __version__
from ..config import settings
from .document import InputError


class FetchError(InputError):
    """A URL that could not be fetched; the message says why (status, robots.txt, timeout, size)."""


@dataclass(frozen=True)
class Page:
    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    from_cache: bool = False


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class FetchCache:
    """Fetched pages (status 200 only), zlib-compressed in one SQLite file: `--fetch-cache FILE`."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS fetched (url TEXT PRIMARY KEY, final_url TEXT, "
                             "content_type TEXT, fetched_at REAL, body BLOB)")

    def get(self, url: str) -> Page | None:
        with self._lock:
            row = self._db.execute("SELECT final_url, content_type, body FROM fetched WHERE url = ?", (url,)).fetchone()
        if row is None:
            return None
        return Page(url, row[0], 200, row[1], zlib.decompress(row[2]), from_cache=True)

    def put(self, page: Page) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO fetched VALUES (?, ?, ?, ?, ?)",
                             (page.url, page.final_url, page.content_type, time.time(), zlib.compress(page.body)))

    def close(self) -> None:
        self._db.close()


class Fetcher:
    """One per run. `get(url)` -> Page, or FetchError; `fresh=True` skips the cache (feeds, sitemaps)."""

    def __init__(self, cache: FetchCache | None = None, **overrides):
        conf = {**settings()["fetch"], **overrides}
        self.cache = cache
        self.min_interval = float(conf["min_interval_s"])
        self.timeout = float(conf["timeout_s"])
        self.max_bytes = int(conf["max_bytes"])
        self.max_archive_bytes = int(conf.get("max_archive_bytes", 2_000_000_000))
        self.obey_robots = bool(conf["robots"])
        self.user_agent = conf["user_agent"].format(version=__version__)
        self._retries = int(conf["retries"])
        self._session = None
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def _http(self):
        if self._session is None:
            import requests  # only paid for by runs that fetch
            from requests.adapters import HTTPAdapter
            from urllib3.util.retry import Retry

            retry = Retry(total=self._retries, connect=self._retries, read=self._retries, backoff_factor=0.5,
                          status_forcelist=(429, 500, 502, 503, 504), respect_retry_after_header=True,
                          allowed_methods=("GET",), raise_on_status=False)
            self._session = requests.Session()
            self._session.headers["User-Agent"] = self.user_agent
            for scheme in ("http://", "https://"):
                self._session.mount(scheme, HTTPAdapter(max_retries=retry))
        return self._session

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            wait = self._last.get(host, -1e9) + self.min_interval - now
            self._last[host] = now + max(wait, 0.0)
        if wait > 0:
            time.sleep(wait)

    def _raw(self, url: str) -> Page:
        body = bytearray()
        final_url, status, content_type = self._stream(url, body.extend, self.max_bytes, "max_bytes")
        return Page(url, final_url, status, content_type, bytes(body))

    def _stream(self, url: str, write, limit: int, setting: str) -> tuple[str, int, str]:
        """GET `url`, each chunk of the body to `write`, refused past `limit` bytes while streaming;
        returns (final URL, status, content type)."""
        import requests

        self._wait_turn(_host(url))
        try:
            with self._http().get(url, timeout=self.timeout, stream=True) as r:
                n = 0
                for chunk in r.iter_content(65536):
                    n += len(chunk)
                    if n > limit:
                        raise FetchError(f"larger than {limit:,} bytes; not read (raise [fetch] {setting} in settings)")
                    write(chunk)
                return r.url, r.status_code, r.headers.get("Content-Type", "")
        except requests.exceptions.Timeout:
            raise FetchError(f"no answer within {self.timeout:g} s (after {self._retries} retries)") from None
        except requests.exceptions.RequestException as e:
            reason = type(e).__name__ if not str(e) else str(e).split(":")[-1].strip()[:100]
            raise FetchError(f"cannot fetch: {reason}") from None

    def download(self, url: str, dest: Path) -> None:
        """A web archive at `url` streamed into the file `dest` (never held in memory, never cached: archives
        are large and read once), up to [fetch] max_archive_bytes; robots.txt obeyed as for pages."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError("only http and https URLs are fetched")
        if not self.allowed(url):
            raise FetchError("robots.txt of its site disallows fetching it; not fetched")
        with open(dest, "wb") as fh:
            _, status, _ = self._stream(url, fh.write, self.max_archive_bytes, "max_archive_bytes")
        if status != 200:
            raise FetchError(f"HTTP status {status}")

    def allowed(self, url: str) -> bool:
        """What the host's robots.txt says of this URL for marsad's user agent (a missing file allows all)."""
        if not self.obey_robots:
            return True
        host = _host(url)
        if host not in self._robots:
            parser = urllib.robotparser.RobotFileParser()
            try:
                page = self._raw(host + "/robots.txt")
                parser.parse(page.body.decode("utf-8", "replace").splitlines() if page.status == 200 else [])
            except FetchError:
                parser.parse([])
            self._robots[host] = parser
        return self._robots[host].can_fetch(self.user_agent, url)

    def get(self, url: str, *, fresh: bool = False) -> Page:
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError("only http and https URLs are fetched")
        if self.cache is not None and not fresh:
            cached = self.cache.get(url)
            if cached is not None:
                return cached
        if not self.allowed(url):
            raise FetchError("robots.txt of its site disallows fetching it; not fetched")
        page = self._raw(url)
        if page.status != 200:
            raise FetchError(f"HTTP status {page.status}")
        if self.cache is not None:
            self.cache.put(page)
        return page

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        if self.cache is not None:
            self.cache.close()
