"""marsad on Dask (marsad/dask.py), against a real distributed.LocalCluster of 2 worker processes."""
import json

import pytest

import marsad

from conftest import EXAMPLES
from test_workers import mixed_documents

distributed = pytest.importorskip("distributed", reason="dask.distributed is in the test extra")
db = pytest.importorskip("dask.bag")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as c:
        yield c


def test_cli_engine_dask_gives_the_local_output(cluster, tmp_path, run_cli):
    docs = [d for d in mixed_documents() if isinstance(d, dict)]
    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs) + "{not json\n",
                    encoding="utf-8")
    local = run_cli(path, EXAMPLES, "--workers", "1")
    on_dask = run_cli(path, EXAMPLES, "--engine", "dask", "--scheduler", cluster.scheduler_address)
    assert on_dask[0] == local[0] == 1
    assert on_dask[1] == local[1]  # byte for byte, in input order
    assert on_dask[2] == local[2]  # one line per bad document, the same lines
    assert len(on_dask[1].splitlines()) == len(docs) - 1 + 2  # the empty one fails; the two examples


def test_analyze_bag_records_failures_and_event_frame(cluster):
    from marsad import dask as marsad_dask

    docs = mixed_documents()
    expected, expected_failures = [], []
    for rec in marsad.analyze_many(docs, workers=1, on_error=expected_failures.append):
        expected.append(json.dumps(rec, ensure_ascii=False))
    with distributed.Client(cluster) as client:
        results = client.persist(marsad_dask.analyze_bag(db.from_sequence(docs, npartitions=2)))
        recs, fails = client.gather(client.compute([marsad_dask.records(results), marsad_dask.failures(results)]))
        frame = client.compute(marsad_dask.events_frame(results)).result()
    assert [json.dumps(r, ensure_ascii=False) for r in recs] == expected
    # Without an id a document is named by its place in the bag: partition 0 holds the first 4 items.
    assert [(f.id, f.message) for f in fails] == [(expected_failures[0].id, expected_failures[0].message),
                                                   ("0-4", "a document must be a string or a mapping, not int")]
    events = [ev for r in recs for ev in r["events"]]
    assert events and len(frame) == len(events)
    assert list(frame["document_id"]) == [r["id"] for r in recs for _ in r["events"]]
