"""Near-duplicates (marsad/corpus/duplicates.py): wire copies and republished articles grouped at ingest, on
SQLite and PostgreSQL; the groups in `marsad duplicates`, outlet profiles and compare clusters."""
from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.corpus import Corpus, duplicates, migrations
from marsad.corpus.cli import main as corpus_main
from marsad.ingest import make_document
from marsad.record import new as new_record

import wire_copies
from conftest import new_corpus_target


def records(docs: list[dict]) -> list[dict]:
    """Records without analysis: grouping reads the text alone."""
    return [new_record(make_document(d["id"], d["text"], title=d.get("title"), source=d["source"],
                                     published=d["published"], language=d["language"])) for d in docs]


def partition(c: Corpus) -> set[frozenset[str]]:
    """The groups as sets of document ids (group ids depend on the order documents were stored in)."""
    return {frozenset(d["id"] for d in g["documents"]) for g in duplicates.groups(c, min_size=1)}


def test_twenty_wire_copies_become_one_group_listing_twenty_outlets(db_target):
    copies, others = wire_copies.copies(20), wire_copies.unrelated()
    with Corpus(db_target) as c:
        assert c.add_records(records(copies[:7] + others + copies[7:])) == 23
        gs = c.duplicate_groups()
        assert len(gs) == 1
        assert gs[0]["size"] == 20 and sorted(gs[0]["outlets"]) == sorted(d["source"] for d in copies)
        assert gs[0]["first_published"] == "2019-05-01"
        # the group is named by its first-stored document; each unrelated story stands alone
        first = c.conn.execute("SELECT min(rowid) FROM documents").fetchone()[0]
        assert gs[0]["group"] == first
        assert partition(c) == {frozenset(d["id"] for d in copies)} | {frozenset([d["id"]]) for d in others}


def test_arabic_copies_are_grouped_through_the_pipeline(db_target):
    copies = wire_copies.copies(5, lang="ar")
    with Corpus(db_target) as c:
        stats = c.ingest(copies + wire_copies.unrelated()[:1], options={"profile": "fast"})
        assert stats.added == 6 and not stats.failures
        gs = duplicates.groups(c)
        assert [(g["size"], len(g["outlets"])) for g in gs] == [(5, 5)]


def test_reingest_adds_nothing_and_groups_stay(db_target):
    docs = wire_copies.copies(6) + wire_copies.unrelated()
    with Corpus(db_target) as c:
        c.add_records(records(docs))
        before = duplicates.groups(c, min_size=1)
        assert c.add_records(records(docs)) == 0
        assert duplicates.groups(c, min_size=1) == before
    with Corpus(db_target) as c:  # reopened: nothing regrouped, nothing lost
        assert duplicates.groups(c, min_size=1) == before
        assert c.conn.execute("SELECT count(*) FROM doc_minhash").fetchone()[0] == len(docs)


def test_a_copy_close_to_two_groups_merges_them(tmp_path, monkeypatch):
    """Halves of one story share nothing; the whole story is close to each (Jaccard ~0.5) under a threshold of
    0.3, so it joins their groups into one, named by the first-stored document."""
    monkeypatch.setattr(duplicates, "THRESHOLD", 0.3)
    duplicates._layout.cache_clear()  # the LSH bands follow the threshold
    story = wire_copies.WIRE_EN
    texts = {"a": " ".join(story[:6]), "b": " ".join(story[6:])}
    texts["ab"] = texts["a"] + " " + texts["b"]
    try:
        with Corpus(tmp_path / "c.db") as c:
            for doc_id in ("a", "b", "ab"):
                c.add_records(records([{"id": doc_id, "text": texts[doc_id], "source": doc_id, "published": None,
                                        "language": "en"}]))
                if doc_id == "b":
                    assert partition(c) == {frozenset("a"), frozenset("b")}
            [group] = duplicates.groups(c)
            assert (group["group"], group["outlets"]) == (1, ["a", "b", "ab"])
    finally:
        monkeypatch.undo()
        duplicates._layout.cache_clear()


def test_existing_corpus_is_grouped_by_the_migration(db_target):
    path = db_target
    docs = wire_copies.copies(8) + wire_copies.unrelated()
    with Corpus(path) as c:
        c.add_records(records(docs))
        expected = partition(c)
        # back to schema 3, as a corpus made before this version looks
        for table in ("doc_groups", "doc_lsh_keys", "doc_minhash"):
            c.conn.execute(f"DROP TABLE {table}")
        c.conn.execute("DELETE FROM schema_version WHERE version = 4")
        c.conn.execute("DELETE FROM meta WHERE key = 'duplicates'")
        assert 4 not in migrations.applied(c.conn)
    with Corpus(path) as c:
        assert 4 in migrations.applied(c.conn) and migrations.version(c.conn) == migrations.LATEST
        assert partition(c) == expected


def test_changed_settings_regroup_the_corpus(tmp_path):
    with Corpus(tmp_path / "c.db") as c:
        c.add_records(records(wire_copies.copies(4)))
        expected = partition(c)
        c.conn.execute("DELETE FROM doc_groups")
        c.conn.execute("UPDATE meta SET value = 'older settings' WHERE key = 'duplicates'")
        assert migrations.reindex_if_stale(c.conn)
        assert partition(c) == expected
        assert not migrations.reindex_if_stale(c.conn)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000))
def test_groups_do_not_depend_on_ingest_order(tmp_path_factory, seed):
    docs = wire_copies.copies(6) + wire_copies.copies(4, lang="ar") + wire_copies.unrelated()
    random.Random(seed).shuffle(docs)
    with Corpus(tmp_path_factory.mktemp("order") / "c.db") as c:
        c.add_records(records(docs))
        assert partition(c) == ({frozenset(f"strike-en-{k:02d}" for k in range(1, 7)),
                                 frozenset(f"strike-ar-{k:02d}" for k in range(1, 5))}
                                | {frozenset([f"other-{k}"]) for k in range(3)})


def test_profiles_count_a_story_once_and_name_who_else_ran_it(tmp_path):
    copies = wire_copies.copies(5)
    twice = dict(copies[0], id="again", text=copies[0]["text"] + " Updated.", published="2019-05-02")
    with Corpus(tmp_path / "c.db") as c:
        c.add_records(records(copies + [twice] + wire_copies.unrelated()))
        ps = c_profiles(c)
        first = ps[copies[0]["source"]]
        assert (first["documents"], first["stories"], first["shared_stories"]) == (2, 1, 1)
        assert first["shared_with"] == {d["source"]: 1 for d in copies[1:]}
        assert (ps["Other Outlet 0"]["stories"], ps["Other Outlet 0"]["shared_stories"]) == (1, 0)


def c_profiles(c):
    from marsad.corpus.profiles import profiles, render_profiles

    ps = profiles(c)
    assert "also ran in other outlets" in render_profiles(ps)
    return ps


def _with_one_event(recs: list[dict]) -> list[dict]:
    for r in recs:
        r["entities"] = {"place:x": {"name": "Maarat al-Numan", "kind": "place", "lat": 35.64, "lon": 36.67,
                                     "country": "SY", "admin1": "Idlib"}}
        r["events"] = [{"type": "Explosions/Remote violence", "plover": "ATTACK", "place": "place:x",
                        "date": "2019-05-01", "modality": "asserted", "fatalities": {"total": 14},
                        "evidence": {"start": 0, "end": 40}, "confidence": 0.9}]
    return recs


def test_compare_counts_wire_copies_as_one_story(tmp_path):
    from marsad.corpus.compare import clusters, render_clusters

    recs = _with_one_event(records(wire_copies.copies(4)))
    with Corpus(tmp_path / "c.db") as c:
        c.add_records(recs)
        [cluster] = clusters(c, embeddings=False)
        assert len(cluster["outlets"]) == 4 and cluster["stories"] == 1
        assert cluster["copies"] == [sorted(r["source"] for r in recs)]
        assert "4 outlets, 1 story" in render_clusters([cluster | {"id": 1}])


def test_duplicates_command(tmp_path, capsys):
    db = tmp_path / "c.db"
    with Corpus(db) as c:
        c.add_records(records(wire_copies.copies(20) + wire_copies.unrelated()))
    assert corpus_main(["duplicates", "--db", str(db), "--format", "json"]) == 0
    [group] = json.loads(capsys.readouterr().out)
    assert group["size"] == 20 and len(group["outlets"]) == 20 and group["title"].startswith("Outlet EN 01")
    assert corpus_main(["duplicates", "--db", str(db), "--min-size", "1", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("group 1: 20 documents, 20 outlets, first published 2019-05-01")
    assert out.count("group ") == 2
    assert corpus_main(["duplicates", "--db", str(tmp_path / "none.db")]) == 2
    assert corpus_main(["duplicates", "--db", str(db), "--min-size", "0"]) == 2


def test_duplicates_help_teaches(capsys):
    import pytest

    with pytest.raises(SystemExit):
        corpus_main(["duplicates", "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "marsad duplicates --db war.db --format json" in out


def test_postgres_and_sqlite_make_the_same_groups(request, tmp_path):
    docs = wire_copies.copies(10) + wire_copies.copies(3, lang="ar") + wire_copies.unrelated()
    found = []
    for backend in ("sqlite", "postgres"):
        with Corpus(new_corpus_target(request, backend, tmp_path)) as c:
            c.add_records(records(docs))
            found.append(partition(c))
    assert found[0] == found[1] and len(found[0]) == 5


def test_web_pages_show_the_copies(tmp_path):
    import pytest

    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from marsad.web.app import create_app

    path = tmp_path / "c.db"
    with Corpus(path) as c:
        c.add_records(_with_one_event(records(wire_copies.copies(4) + wire_copies.unrelated()[:1])))
    client = TestClient(create_app(str(path), None))
    profiles = client.get("/profiles").text
    assert "1 shared</span>" in profiles and "most with: Outlet EN 02 1, Outlet EN 03 1" in profiles
    compare = client.get("/compare?embeddings=0").text
    assert "4 outlets · 1 story (one wire copy: Outlet EN 01, Outlet EN 02, Outlet EN 03, Outlet EN 04)" in compare
    article = client.get("/doc/strike-en-02").text
    assert "3 other document(s) from 3 outlet(s) ran this text" in article
    assert '<a href="/doc/strike-en-01" dir="auto">Outlet EN 01</a>' in article
    assert "Copies of this story" not in client.get("/doc/other-0").text


# Two writers at once: each stores every other copy (records made without the models), a document at a time, so
# their transactions interleave; the writer lock makes each see the other's copies.
INGEST = """
import sys
sys.path.insert(0, "tests")
import wire_copies
from marsad.corpus import Corpus
from marsad.ingest import make_document
from marsad.record import new

target, first = sys.argv[1], int(sys.argv[2])
docs = (wire_copies.copies(20) + wire_copies.unrelated())[first::2]
with Corpus(target) as c:
    for d in docs:
        c.add_records([new(make_document(d["id"], d["text"], source=d["source"], language=d["language"]))])
"""


def test_two_concurrent_writers_make_one_group(db_target):
    import subprocess
    import sys
    from pathlib import Path

    Corpus(db_target).close()
    runs = [subprocess.Popen([sys.executable, "-c", INGEST, db_target, first], cwd=Path(__file__).parent.parent)
            for first in ("0", "1")]
    assert all(p.wait(timeout=300) == 0 for p in runs)
    with Corpus(db_target) as c:
        assert len(c) == 23
        assert [(g["size"], len(g["outlets"])) for g in duplicates.groups(c, min_size=1)] == [(20, 20), (1, 1),
                                                                                               (1, 1), (1, 1)]
