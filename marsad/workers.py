"""Analysis on every core: a pool of worker processes that each analyse one document at a time.

    with analyser(options, workers=4) as analyse:
        for result in analyse(items):     # records and Failures, in input order
            ...

- Models are loaded once, in the parent, before the workers are forked (where the platform can fork), so
  the workers share those pages and start at once; elsewhere (spawn) each worker loads them on start.
- Results stream out in input order with at most `window` documents in flight (read ahead, being analysed
  or waiting for an earlier one to finish): memory stays flat however long the input.
- Each worker holds the numeric libraries to one thread (marsad/threads.py): the parallelism is across
  documents.
- A document that fails gives its Failure as in one process. A document that kills its worker process (a
  crash in a C library, the kernel's out-of-memory killer) is run again alone in a fresh process; if that
  one dies too, the document fails with one line and the batch goes on in a new pool.

The options dict reaches every stage unchanged (`min_confidence`, `profile`, or whatever a plug-in reads).
`ordered` (the in-order window) is shared with the Dask engine (marsad/dask.py).
"""
from __future__ import annotations

import collections
import contextlib
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator

from .ingest import Document, Failure
from .pipeline import load_models, run

Result = dict | Failure
Analyse = Callable[[Iterable[Document | Failure]], Iterator[Result]]

DIED = "the worker process analysing it died ({why}); the document was skipped"


def default_workers() -> int:
    """Every core this process may run on (the CPU affinity mask where the platform has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def ordered(items: Iterable[Document | Failure], submit: Callable, window: int,
            recover: Callable[[Document, BaseException], Result]) -> Iterator[Result]:
    """Results in input order. `submit(doc)` returns a future (concurrent.futures or dask.distributed);
    at most `window` documents are in flight. A future that raises (its worker died) is handed to
    `recover(doc, error)`, which returns the document's result."""
    pending: collections.deque = collections.deque()

    def oldest() -> Result:
        entry = pending.popleft()
        if isinstance(entry, Failure):
            return entry
        doc, future = entry
        try:
            return future.result()
        except Exception as e:  # the worker, not the document: analysis errors come back as Failures
            return recover(doc, e)

    for item in items:
        pending.append(item if isinstance(item, Failure) else (item, submit(item)))
        if len(pending) >= window:
            yield oldest()
    while pending:
        yield oldest()


# --- inside a worker process ---
_options: dict = {}


def _start_worker(options: dict) -> None:
    global _options
    _options = options
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    load_models(options)  # a no-op after fork (the parent loaded them); loads them under spawn
    from .threads import limit_process

    limit_process(1)


def _analyse_one(doc: Document) -> Result:
    return next(run([doc], _options))


def _ready() -> bool:
    return True


class Pool:
    """The worker processes (restarted when one dies)."""

    def __init__(self, workers: int, options: dict):
        self.workers, self.options = workers, options
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.context = multiprocessing.get_context(method)
        self.executor = self._start(workers)

    def _start(self, workers: int) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(workers, mp_context=self.context, initializer=_start_worker,
                                       initargs=(self.options,))
        # Under fork every worker is forked at the first submit: do it now, before the caller starts
        # threads of its own (a progress bar), and so that a worker that cannot start fails here.
        executor.submit(_ready).result()
        return executor

    def submit(self, doc: Document):
        try:
            return self.executor.submit(_analyse_one, doc)
        except BrokenProcessPool:  # a worker died since: a new pool for the documents still to come
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._start(self.workers)
            return self.executor.submit(_analyse_one, doc)

    def recover(self, doc: Document, error: BaseException) -> Result:
        """Run `doc` again alone, in a fresh one-process pool: if it dies there too, it is the culprit."""
        if not isinstance(error, BrokenProcessPool):
            return Failure(doc.id, f"internal error in the worker pool ({type(error).__name__}: {error}); "
                                   "please report it")
        alone = self._start(1)
        try:
            return alone.submit(_analyse_one, doc).result()
        except BrokenProcessPool:
            return Failure(doc.id, DIED.format(why="a crash or out of memory, twice"))
        finally:
            alone.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def analyser(options: dict | None = None, *, workers: int | None = None, window: int | None = None,
             announce: bool = False) -> Iterator[Analyse]:
    """A function from documents to results (records or Failures, in input order), on `workers` processes
    (default: every core; 1 runs in this process, no pool). Models are loaded on entry: `announce` prints
    "marsad: loading models" on stderr first. `window` (default 4 per worker) bounds the documents in flight."""
    options = dict(options or {})
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise ValueError("workers must be at least 1")
    load_models(options, announce=announce)
    if workers == 1:
        yield lambda items: run(items, options)
        return
    pool = Pool(workers, options)
    try:
        yield lambda items: ordered(items, pool.submit, window or 4 * workers, pool.recover)
    finally:
        pool.close()
