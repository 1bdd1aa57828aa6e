"""The corpus store (marsad/corpus): idempotent, transactional ingest; migrations; bilingual search and its
filters; exports; content stored and returned intact."""
from __future__ import annotations

import csv
import io
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import marsad
from marsad.corpus import Corpus, backend, migrations, store
from marsad.corpus.cli import main as corpus_main
from marsad.ingest import make_document
from marsad.outputs.events import COLUMNS
from marsad.record import new as new_record

from conftest import BACKENDS, new_corpus_target

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

DOCS = [
    {"id": "ar-king", "text": "التقى الوزير بالملك في عمّان أمس وبحثا الوضع في المنطقة.", "language": "ar",
     "source": "SANA", "published": "2018-03-01"},
    {"id": "ar-bk", "text": "سيطرت القوات على الميادين والبوكمال بعد معارك عنيفة استمرت أياماً.", "language": "ar",
     "source": "Enab Baladi", "published": "2017-11-09"},
    {"id": "ar-diac", "text": "وصلت المساعدات إلى إِدْلِب، ووزعت في مدرسة القرية على العائلات.", "language": "ar",
     "source": "SANA", "published": "2019-02-14"},
    {"id": "en-shell", "text": "Government forces shelled the town of Douma on Monday, killing 12 civilians.",
     "language": "en", "source": "Reuters", "published": "2018-04-09", "title": "Shelling in Eastern Ghouta"},
    {"id": "en-talks", "text": "Talks in Geneva ended without agreement, the envoy said on Friday.",
     "language": "en", "source": "AP", "published": "2018-05-01"},
]


@pytest.fixture(scope="module", params=BACKENDS)
def corpus(request, tmp_path_factory):
    c = Corpus(new_corpus_target(request, request.param, tmp_path_factory.mktemp("corpus")))
    stats = c.ingest(DOCS, batch=2)
    assert stats.added == len(DOCS) and not stats.failures
    c.add_records(_structured())
    yield c
    c.close()


def ids(hits) -> list[str]:
    return [h.id for h in hits]


# ----- idempotence and transactions -------------------------------------------------------------------------

def test_ingest_twice_adds_nothing(db_target):
    with Corpus(db_target) as c:
        first = c.ingest(DOCS[:4], batch=3)
        counts = c.stats()
        again = c.ingest(DOCS[:4], batch=3)
        assert (first.added, again.added, again.skipped) == (4, 0, 4)
        assert c.stats() == counts
        assert counts["mentions"] > 0 and counts["entities"] > 0
    with Corpus(db_target) as c:  # and after reopening
        assert c.ingest(DOCS[:2]).added == 0 and len(c) == 4


def test_ingest_accepts_one_path_or_one_document(db_target, tmp_path):
    with Corpus(db_target) as c:
        assert c.ingest(DOCS[4]).added == 1
        assert c.ingest(str(tmp_path / "nothing-here")).failures[0].message == "no such file or directory"


def test_duplicate_inside_one_input_is_stored_once(db_target):
    with Corpus(db_target) as c:
        stats = c.ingest([DOCS[0], dict(DOCS[0], id="copy")])
        assert (stats.added, stats.skipped, len(c)) == (1, 1, 1)


def test_stored_counts_match_the_record(db_target):
    rec = next(marsad.analyze_many([str(p) and p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))][:1]))
    with Corpus(db_target) as c:
        c.add_records([rec])
        s = c.stats()
        assert (s["mentions"], s["entities"], s["events"], s["techniques"]) == (
            len(rec["mentions"]), len(rec["entities"]), len(rec["events"]), len(rec["techniques"]))
        assert list(c.records()) == [rec]


def _consistent(target) -> int:
    conn = store.connect(target, migrate=False)
    if backend.dialect(conn) == "sqlite":
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    n = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    fts_rows = "doc_fts_docsize" if backend.dialect(conn) == "sqlite" else "doc_fts"
    assert conn.execute(f"SELECT count(*) FROM {fts_rows}").fetchone()[0] == n
    for table in ("mentions", "entities", "events", "techniques"):
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE doc NOT IN (SELECT rowid FROM documents)"
                            ).fetchone()[0] == 0
    conn.close()
    return n


def test_failure_inside_a_batch_rolls_it_back_and_a_rerun_completes(db_target, monkeypatch):
    db = db_target
    docs = [{"id": f"d{i}", "text": f"Document number {i} about shelling in Douma."} for i in range(10)]
    real, calls = store.insert_record, itertools.count()

    def flaky(*a, **k):
        if next(calls) == 6:  # the second record of the second batch
            raise RuntimeError("disk on fire")
        return real(*a, **k)

    monkeypatch.setattr(store, "insert_record", flaky)
    with Corpus(db) as c, pytest.raises(RuntimeError):
        c.ingest(docs, batch=5)
    assert _consistent(db) == 5
    monkeypatch.setattr(store, "insert_record", real)
    with Corpus(db) as c:
        stats = c.ingest(docs, batch=5)
        assert (stats.added, stats.skipped) == (5, 5)
    assert _consistent(db) == 10


def test_killed_process_leaves_whole_batches_and_a_rerun_completes(db_target):
    db = db_target
    docs = [{"id": f"k{i}", "text": f"Report {i}: " + DOCS[3]["text"] + " " + DOCS[4]["text"]} for i in range(24)]
    script = ("import json, sys; from marsad.corpus import Corpus\n"
              "Corpus(sys.argv[1]).ingest(json.loads(sys.stdin.read()), batch=4, options={'profile': 'fast'})\n")
    proc = subprocess.Popen([sys.executable, "-c", script, str(db)], stdin=subprocess.PIPE, cwd=ROOT)
    proc.stdin.write(json.dumps(docs).encode())
    proc.stdin.close()
    deadline = time.monotonic() + 90  # a bound on waiting on a busy machine, not a timing
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            conn = store.connect(db, migrate=False)
            try:
                if conn.execute("SELECT count(*) FROM documents").fetchone()[0] >= 4:
                    break
            finally:
                conn.close()
        except Exception:  # not created yet (sqlite3.OperationalError, psycopg's UndefinedTable)
            pass
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = _consistent(db)
    assert stored % 4 == 0 and 4 <= stored <= 24
    with Corpus(db) as c:
        stats = c.ingest(docs, batch=4)
        assert (stats.added + stats.skipped, stats.skipped) == (24, stored)
    assert _consistent(db) == 24


# ----- migrations ---------------------------------------------------------------------------------------------

def test_empty_database_migrates_to_latest(db_target):
    with Corpus(db_target) as c:
        assert migrations.version(c.conn) == migrations.LATEST
        versions = [v for v, in c.conn.execute("SELECT version FROM schema_version ORDER BY version")]
        assert versions == [n for n, _, _ in migrations.MIGRATIONS]
        if backend.dialect(c.conn) == "sqlite":
            assert c.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_migration_from_previous_version_indexes_old_documents(db_target):
    db = db_target
    conn = store.connect(db, migrate=False)
    assert migrations.migrate(conn, target=1) == 1  # before the full-text index (version 2)
    rec = new_record(make_document("old-1", "القوات قصفت البوكمال", language="ar"))
    conn.execute("INSERT INTO documents(id, hash, text, record, ingested_at, language) VALUES (?, ?, ?, ?, ?, ?)",
                 ("old-1", "h-old", rec["text"], json.dumps(dict(rec, text=None)), "2020-01-01", "ar"))
    conn.close()
    with Corpus(db) as c:
        assert migrations.version(c.conn) == migrations.LATEST
        assert ids(c.search("والبوكمال")) == ["old-1"]
        assert c.get("old-1") == rec


def _indexes(conn) -> set[str]:
    if backend.dialect(conn) == "postgres":
        return {n for n, in conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")}
    return {n for n, in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_upgrade_to_v3_adds_geo_indexes_and_near_still_works(db_target):
    # a version-2 database with documents: built at v3, then its v3 indexes dropped and its version rolled back
    db2 = db_target
    conn = store.connect(db2, migrate=False)
    migrations.migrate(conn, target=2)
    conn.close()
    with Corpus(db2) as c:
        c.ingest(DOCS)
        c.conn.execute("DELETE FROM schema_version WHERE version >= 3")  # roll the version back, keep the rows
        for table in ("doc_groups", "doc_lsh_keys", "doc_minhash", "corrections"):  # and undo v4 and v5
            c.conn.execute(f"DROP TABLE {table}")
        for name in ("events_geo", "entities_geo", "events_sub_type"):
            c.conn.execute(f"DROP INDEX {name}")
        c.conn.execute("CREATE INDEX events_lat ON events(lat)")
        c.conn.execute("CREATE INDEX entities_lat ON entities(lat)")
        before = {f: ids(c.search("", near=(33.5, 36.3), km=f)) for f in (1, 20, 500)}
    with Corpus(db2) as c:
        assert migrations.version(c.conn) == migrations.LATEST
        names = _indexes(c.conn)
        assert {"events_geo", "entities_geo", "events_sub_type"} <= names and "events_lat" not in names
        assert {f: ids(c.search("", near=(33.5, 36.3), km=f)) for f in (1, 20, 500)} == before
        assert before[20]


def test_index_is_rebuilt_when_the_stemming_version_changes(db_target, monkeypatch):
    db = db_target
    with Corpus(db) as c:
        c.ingest(DOCS[1:2])
        # as if built by another stemmer
        c.conn.execute("DELETE FROM doc_fts" if backend.dialect(c.conn) == "postgres"
                       else "INSERT INTO doc_fts(doc_fts) VALUES ('delete-all')")
        c.conn.execute("UPDATE meta SET value = '0' WHERE key = 'fts_version'")
    with Corpus(db) as c:
        assert ids(c.search("البوكمال")) == ["ar-bk"]
        assert not migrations.reindex_if_stale(c.conn)


def test_database_from_a_newer_marsad_is_refused(db_target):
    db = db_target
    with Corpus(db) as c:
        c.conn.execute("INSERT INTO schema_version VALUES (999, 'future', 'x')")
    with pytest.raises(migrations.SchemaError, match="newer"):
        Corpus(db)


# ----- search -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("الملك", "ar-king"), ("بالملك", "ar-king"), ("ملك", "ar-king"), ("والملك", "ar-king"),
    ("البوكمال", "ar-bk"), ("والبوكمال", "ar-bk"), ("بوكمال", "ar-bk"), ("بالبوكمال", "ar-bk"),
    ("ادلب", "ar-diac"), ("إدلب", "ar-diac"), ("أدلب", "ar-diac"), ("إِدْلِب", "ar-diac"), ("مدرسه", "ar-diac"),
    ("عمان", "ar-king"), ("shelling", "en-shell"), ("SHELLS", "en-shell"), ("killed", "en-shell"),
    ("eastern ghouta", "en-shell"), ('"the town of douma"', "en-shell"), ("gene*", "en-talks"),
])
def test_search_folds_and_stems(corpus, query, expected):
    assert ids(corpus.search(query, lang=None))[:1] == [expected]


def test_search_highlights_index_the_original_text(corpus):
    (hit,) = corpus.search("البوكمال")
    text = corpus.get(hit.id)["text"]
    assert [text[a:b] for a, b in hit.highlights] == ["والبوكمال"]
    assert text[hit.snippet_start:hit.snippet_end] == hit.snippet
    (hit,) = corpus.search("إدلب")
    assert [text2[a:b] for text2 in [corpus.get("ar-diac")["text"]] for a, b in hit.highlights] == ["إِدْلِب"]


def test_search_syntax_and_hostile_queries(corpus):
    assert set(ids(corpus.search("geneva OR douma"))) == {"en-talks", "en-shell", "s-douma"}
    assert corpus.search("douma geneva") == []
    for q in ['"', "AND", "OR", "NEAR(", "*", "-", "^x", "'); DROP TABLE documents; --", "a:b", "{title}"]:
        corpus.search(q)  # never an FTS syntax error
    assert len(corpus) == len(DOCS) + 2


def _structured() -> list[dict]:
    """Two handmade records with events, places, actors and techniques, for the filters."""
    def rec(doc_id, text, lang, source, published, place, actor, side, etype, plover, technique, lat, lon):
        r = new_record(make_document(doc_id, text, language=lang, source=source, published=published))
        r["entities"] = {place: {"name": place.split(":")[1], "kind": "place", "lat": lat, "lon": lon,
                                 "country": "SY", "admin1": "X"},
                         actor: {"name": actor.split(":")[1], "kind": "armed_force", "side": side}}
        r["mentions"] = [{"start": 0, "end": 4, "text": text[:4], "type": "LOC", "entity": place}]
        r["events"] = [{"type": etype, "sub_type": None, "plover": plover, "actor1": actor, "actor2": None,
                        "place": place, "date": published, "modality": "asserted", "claimed_by": None,
                        "means": "air_strike", "fatalities": {"total": 3}, "evidence": {"start": 0, "end": 10},
                        "confidence": 0.9}]
        r["techniques"] = [{"technique": technique, "start": 0, "end": 4, "confidence": 0.7}]
        return r

    return [rec("s-douma", "Douma was struck by aircraft of the army.", "en", "SANA", "2018-04-14",
                "geonames:170654", "actor:syrian-arab-army", "syrian_government", "Explosions/Remote violence",
                "FIGHT", "Loaded_Language", 33.5714, 36.4024),
            rec("s-raqqa", "Raqqa was struck by aircraft of the coalition.", "en", "AP", "2017-08-01",
                "geonames:163915", "actor:us-coalition", "us_coalition", "Battles", "FIGHT", "Doubt",
                35.9528, 39.0079)]


@pytest.mark.parametrize("filters, expected", [
    ({"source": "sana"}, {"s-douma", "ar-king", "ar-diac"}),
    ({"lang": "ar"}, {"ar-king", "ar-bk", "ar-diac"}),
    ({"since": "2018-04-10", "until": "2018-04-30"}, {"s-douma"}),
    ({"place": "geonames:163915"}, {"s-raqqa"}),
    ({"near": (33.5, 36.3), "km": 20}, {"s-douma"}),
    ({"near": (33.5, 36.3), "km": 1}, set()),
    ({"actor": "actor:us-coalition"}, {"s-raqqa"}),
    ({"side": "syrian_government"}, {"s-douma"}),
    ({"event_type": "Battles"}, {"s-raqqa"}),
    ({"event_type": "FIGHT"}, {"s-douma", "s-raqqa"}),
    ({"technique": "Doubt"}, {"s-raqqa"}),
])
def test_each_filter(corpus, filters, expected):
    found = set(ids(corpus.search("", **filters)))
    if set(filters) & {"near", "actor", "side", "event_type"}:
        # the analysed documents have places, actors and events too, as the pipeline finds them today
        found &= {"s-douma", "s-raqqa"}
    assert found == expected
    assert set(ids(corpus.search("struck", **filters))) == expected & {"s-douma", "s-raqqa"}


def test_unknown_filter_is_an_error(corpus):
    with pytest.raises(TypeError, match="colour"):
        corpus.search("x", colour="red")


# ----- exports ----------------------------------------------------------------------------------------------

def _export(c, fmt) -> str:
    buf = io.StringIO()
    c.export(fmt, buf)
    return buf.getvalue()


def test_exports_parse(corpus):
    events = sum(len(r["events"]) for r in corpus.records())
    lines = _export(corpus, "jsonl").splitlines()
    assert [json.loads(ln) for ln in lines] == list(corpus.records())
    table = list(csv.reader(io.StringIO(_export(corpus, "csv"))))
    assert table[0] == COLUMNS and len(table) == 1 + events
    geo = json.loads(_export(corpus, "geojson"))
    assert geo["type"] == "FeatureCollection" and {f["properties"]["document_id"] for f in geo["features"]} >= {
        "s-douma", "s-raqqa"}
    plover = json.loads(_export(corpus, "plover"))
    assert len(plover) == events
    douma = next(p for p in plover if p["source"]["document_id"] == "s-douma")
    assert (douma["event_type"], douma["mode"], douma["actor1_side"], douma["lat"], douma["location"]["id"]) == (
        "FIGHT", "aerial", "syrian_government", 33.5714, "geonames:170654")


def test_export_of_an_empty_corpus(db_target):
    with Corpus(db_target) as c:
        assert json.loads(_export(c, "plover")) == []
        assert json.loads(_export(c, "geojson"))["features"] == []
        assert _export(c, "jsonl") == ""


# ----- content kept intact ----------------------------------------------------------------------------------

HOSTILE = ["'); DROP TABLE documents; --", 'Robert"); DELETE FROM events WHERE ("1"="1',
           "x' OR '1'='1", "\u202eتحذير\u202c \u200d\u200c\u200f زيارة 👨‍👩‍👧 e\u0301 ﻻ ﷺ \u2028 tab\there",
           "%_\\ LIKE '%' ESCAPE '\\'", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 中文 ελληνικά \ufeffBOM", "a\r\nb\rc\n"]


def test_hostile_content_is_stored_and_returned_intact(db_target):
    with Corpus(db_target) as c:
        docs = [{"id": f"h{i} '\";--", "text": t, "title": t[:10], "source": t[-5:]} for i, t in enumerate(HOSTILE)]
        assert c.ingest(docs).added == len(HOSTILE)
        for d in docs:
            rec = c.get(d["id"])
            assert (rec["text"], rec["title"], rec["source"]) == (d["text"], d["title"], d["source"])
        assert ids(c.search("DROP TABLE")) == ["h0 '\";--"]
        assert ids(c.search("", source=HOSTILE[2][-5:])) == ["h2 '\";--"]
        assert c.stats()["documents"] == len(HOSTILE)


def test_a_nul_character_is_one_failure_not_a_stopped_batch(db_target):
    docs = [{"id": "nul", "text": "Shelling in Douma\x00 today."}, DOCS[3]]
    with Corpus(db_target) as c:
        stats = c.ingest(docs, batch=5)
        if backend.dialect(c.conn) == "postgres":  # its text type cannot hold U+0000
            assert (stats.added, [f.id for f in stats.failures]) == (1, ["nul"])
            assert "NUL" in stats.failures[0].message
        else:
            assert (stats.added, stats.failures) == (2, []) and c.get("nul")["text"] == docs[0]["text"]


_DB = Path(tempfile.mkdtemp()) / "prop.db"
_seq = itertools.count()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200).filter(str.strip))
def test_any_text_is_returned_byte_identical(text):
    with Corpus(_DB) as c:
        doc_id = f"p{next(_seq)}"
        stats = c.ingest([{"id": doc_id, "text": text}])
        if stats.failures:
            return  # not a document marsad accepts (reported, not stored)
        row = c.conn.execute("SELECT text, record FROM documents WHERE hash = ?",
                             (store.content_hash(text),)).fetchone()
        assert row[0].encode("utf-8") == text.encode("utf-8")
        assert store.load_record(*row)["text"] == text


# ----- command line -----------------------------------------------------------------------------------------

def test_cli_ingest_search_export(db_target, tmp_path, capsys):
    db = db_target
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS) + "\n{\"id\": \"bad\"}\n",
                     encoding="utf-8")
    assert corpus_main(["ingest", str(jsonl), "--db", db, "--batch", "2"]) == 1
    err = capsys.readouterr().err
    assert 'marsad: bad: lacks "text"' in err and "5 added" in err
    assert corpus_main(["ingest", str(jsonl), "--db", db, "--quiet"]) == 1
    assert corpus_main(["search", "بالبوكمال", "--db", db, "--format", "jsonl"]) == 0
    (hit,) = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert hit["id"] == "ar-bk" and hit["source"] == "Enab Baladi"
    assert corpus_main(["search", "", "--db", db, "--lang", "en", "--since", "2018-04-30"]) == 0
    out = capsys.readouterr().out
    assert "en-talks" in out and "en-shell" not in out
    out_file = tmp_path / "e.csv"
    assert corpus_main(["export", "--db", db, "--format", "csv", "--out", str(out_file)]) == 0
    assert out_file.read_text(encoding="utf-8").startswith("event_id_cnty,")
    assert corpus_main(["search", "x", "--db", str(tmp_path / "missing.db")]) == 2
    assert corpus_main(["search", "x", "--db", db, "--since", "yesterday"]) == 2
    assert corpus_main(["search", "x", "--db", db, "--near", "north"]) == 2
    assert not os.path.exists(tmp_path / "missing.db")
