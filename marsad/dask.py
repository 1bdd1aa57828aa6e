"""marsad on a Dask cluster (pip install 'marsad[dask]'): the `--engine dask` of `marsad analyze` and
`marsad ingest`, and helpers for users' own Dask graphs. How to run a cluster: docs/scale.md.

    import dask.bag as db
    import marsad.dask

    docs = db.read_text("news-*.jsonl").map(json.loads)          # strings or mappings, as analyze_many takes
    results = marsad.dask.analyze_bag(docs)                        # records and Failures
    marsad.dask.records(results).map(json.dumps).to_textfiles("out-*.jsonl")
    marsad.dask.failures(results).compute()                        # [Failure(id, message), ...]
    events = marsad.dask.events_frame(results)                     # one row per event, ACLED's columns first

Every Dask worker process loads the models once (on its first document, or at start under `--engine dask`
through a worker plugin) and holds OpenMP/BLAS to one thread, as a local worker does; give the workers one
thread each (`dask worker --nthreads 1 --nworkers N`): the analysis is pure Python and holds the GIL.
A bad document gives a Failure, as it does locally; a document whose worker dies is retried by Dask on
another worker and, if it kills that one too, fails alone with one line.
"""
from __future__ import annotations

import contextlib
import logging
import sys
from typing import Iterable, Iterator

from .ingest import Document, Failure
from .ingest.document import api_document
from .pipeline import load_models, run
from .workers import Analyse, Result, default_workers, ordered

INSTALL = "marsad's Dask engine needs dask.distributed: pip install 'marsad[dask]'"

# Worker settings of the local cluster (and docs/scale.md's advice for a real one). A Dask worker samples its
# task thread's stack every 10 ms for the dashboard's profile, and polls the process and the GIL every 1-500 ms;
# analysis is Python holding the GIL, so on 2 cores these took ~8% of the workers' CPU (benchmarks/scale.py,
# 200 PTC articles: 11.8 -> 12.9 documents/s). Neither the profile nor the GIL figures serve a batch job.
QUIET_WORKERS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.tick.interval": "200ms",
}


def _ready(options: dict) -> None:
    """What a Dask worker process does once before analysing: load the models, one numeric thread."""
    from .threads import limit_process

    load_models(options)
    limit_process(1)


def _analyse_one(doc: Document, options: dict) -> Result:
    _ready(options)  # a no-op after the first call in this worker process
    return next(run([doc], options))


def _analyse_batch(items: list[Document | Failure], options: dict) -> list[Result]:
    _ready(options)
    return list(run(items, options))


def _analyse_partition(items: Iterable, partition: int, options: dict) -> list[Result]:
    _ready(options)
    docs = (item if isinstance(item, Document) else api_document(f"{partition}-{n}", item)
            for n, item in enumerate(items, start=1))
    return list(run(docs, options))


def _loader_plugin(options: dict):
    from distributed.diagnostics.plugin import WorkerPlugin

    class LoadModels(WorkerPlugin):
        """Loads marsad's models when a worker joins, so that the first documents do not wait for them."""

        name = "marsad-load-models"

        def setup(self, worker) -> None:
            _ready(options)

    return LoadModels()


def _batches(items: Iterable[Document | Failure], size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@contextlib.contextmanager
def analyser(options: dict | None = None, *, scheduler: str | None = None, workers: int | None = None,
             window: int | None = None, batch: int = 8, announce: bool = False) -> Iterator[Analyse]:
    """Like marsad.workers.analyser, on the workers of the Dask scheduler at `scheduler` (an address such as
    tcp://10.0.0.5:8786), or of a local cluster of `workers` one-thread processes (default: every core)
    when no scheduler is given. Results come back in input order with at most `window` documents in flight
    (default 4 per worker thread).

    Documents go to the workers `batch` at a time, one Dask task each: a task costs the scheduler and the
    client some milliseconds whatever its size, which one task per news article (~0.15 s of analysis) made a
    quarter of the CPU on a 2-core machine. A task that fails (its worker died) is retried one document per
    task, so a document that kills its worker still fails alone."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SystemExit(f"marsad: {INSTALL}") from None
    options = dict(options or {})
    with contextlib.ExitStack() as stack:
        if announce:
            print(f"marsad: starting Dask {'client for ' + scheduler if scheduler else 'local cluster'} and "
                  "loading models on its workers ...", file=sys.stderr, flush=True)
        if scheduler:
            client = stack.enter_context(Client(scheduler))
        else:
            import dask

            with dask.config.set(QUIET_WORKERS):  # the nannies hand this configuration to their workers
                cluster = stack.enter_context(LocalCluster(n_workers=workers or default_workers(),
                                                           threads_per_worker=1, processes=True,
                                                           dashboard_address=None, silence_logs=logging.ERROR))
            client = stack.enter_context(Client(cluster))
        client.register_plugin(_loader_plugin(options))
        threads = sum(client.nthreads().values()) or 1

        def submit(items: list):  # Failures (unreadable inputs) travel along and come back in their places
            return client.submit(_analyse_batch, items, options, pure=False)

        def alone(doc: Document) -> Result:
            try:
                return client.submit(_analyse_one, doc, options, pure=False).result()
            except Exception as error:  # the worker, not the document: analysis errors come back as Failures
                return Failure(doc.id, f"the Dask task analysing it failed ({type(error).__name__}: {error}); "
                                       "the document was skipped")

        def recover(items: list, _error: BaseException) -> list[Result]:
            return [d if isinstance(d, Failure) else alone(d) for d in items]

        def analyse(items: Iterable[Document | Failure]) -> Iterator[Result]:
            size = max(1, batch)
            in_flight = max(2 * threads, (window or 4 * threads) // size)  # batches: one queued behind each
            for results in ordered(_batches(items, size), submit, in_flight, recover):
                yield from results

        yield analyse


def analyze_bag(documents, *, min_confidence: float = 0.0, options: dict | None = None):
    """A dask.bag of documents (strings, mappings with the JSONL fields, or marsad Documents) in; a bag of
    results out, partition for partition: each a `marsad/1` record (dict) or a `Failure`. A document
    without an id is named `<partition>-<n>`, its place in the bag."""
    import dask.bag as db
    from dask import delayed

    options = {"min_confidence": min_confidence, **(options or {})}
    parts = documents.to_delayed()
    return db.from_delayed([delayed(_analyse_partition)(part, i, options) for i, part in enumerate(parts)])


def records(results):
    """The records of analyze_bag's results."""
    return results.filter(lambda r: isinstance(r, dict))


def failures(results):
    """The Failures of analyze_bag's results (`.id`, `.message`; str() gives the one-line report)."""
    return results.filter(lambda r: isinstance(r, Failure))


def event_rows(results):
    """A bag of flat event rows (marsad/outputs/events.py: ACLED's columns first, then marsad's)."""
    from .outputs.events import rows

    return records(results).map(lambda rec: list(rows(rec))).flatten()


def events_frame(results):
    """A dask DataFrame of the events, one row each, columns as in `marsad analyze --format csv`
    (needs dask[dataframe])."""
    import pandas as pd

    from .outputs.events import COLUMNS

    meta = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    return event_rows(results).to_dataframe(meta=meta)
