"""The web app's analyses run here: a bounded pool of threads with a per-request timeout, so that one long
article, or many at once, cannot hold the server (issue 13: an 18 KB Arabic body held it for 15 s, and every
request thread could be analysing at once while searches waited).

At most `threads` analyses run and `queue` more wait; a request beyond that is refused at once with 503 and
Retry-After instead of piling up. A request whose analysis passes `timeout_s` gets 503 too; its thread
finishes the analysis (Python cannot stop a thread) and keeps its slot until then, so the bound holds.
Sizes come from settings.toml [web].
"""
from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi import HTTPException

from ..config import settings


class AnalysisPool:
    def __init__(self, threads: int | None = None, queue: int | None = None, timeout_s: float | None = None):
        conf = settings()["web"]
        self.threads = threads or conf["analysis_threads"]
        self.timeout_s = timeout_s or conf["analysis_timeout_s"]
        self.retry_after_s = conf["retry_after_s"]
        self._slots = threading.BoundedSemaphore(self.threads + (conf["analysis_queue"] if queue is None else queue))
        self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="marsad-analyse")

    def _refuse(self, why: str) -> HTTPException:
        return HTTPException(503, why, headers={"Retry-After": str(self.retry_after_s)})

    async def run(self, fn, *args, timeout: bool = True, **kwargs):
        """fn(*args, **kwargs) on the pool; HTTPException 503 when the pool is full or the time is up."""
        if not self._slots.acquire(blocking=False):
            raise self._refuse(f"busy: {self.threads} analyses running and the queue is full; retry shortly")
        try:
            future = self._executor.submit(fn, *args, **kwargs)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _f: self._slots.release())  # the slot is held until the work ends
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout_s if timeout else None)
        except asyncio.TimeoutError:
            raise self._refuse(f"analysis took longer than {self.timeout_s:g} s; split the article or retry "
                               "when the server is less busy") from None

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
