"""Analysts' corrections (marsad/corpus/corrections.py): made in the web app or the CLI, kept apart from the
machine output, surviving re-ingest and re-analysis, shown in exports and on the article page; Label Studio
and doccano round trips (annotation_tools.py)."""
from __future__ import annotations

import csv
import io
import json
import warnings

import pytest

from conftest import BACKENDS, new_corpus_target
from marsad.corpus import Corpus, migrations, store
from marsad.corpus.cli import main as corpus_main
from marsad.corpus.corrections import correct, orphaned
from marsad.ingest import make_document
from marsad.record import new as new_record, validate

pytest.importorskip("fastapi")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from marsad.web.app import create_app

TOKEN = "s3cret-token"
SHELL = {"id": "en-shell", "text": "Government forces shelled the town of Douma on Monday, killing 12 civilians.",
         "language": "en", "source": "Reuters", "published": "2018-04-09"}
HAND_TEXT = "Regime forces shelled Douma. The criminal regime murders children, <b>the</b> monitor said."
NOTE = 'SDF positions <script>alert("x")</script>'


def handmade() -> dict:
    """A record with one event, two mentions and two technique spans, as a model might write it."""
    r = new_record(make_document("hand-1", HAND_TEXT, language="en", source="Outlet", published="2018-03-01"))
    douma = HAND_TEXT.index("Douma")
    crim = HAND_TEXT.index("criminal regime")
    r["entities"] = {"geonames:170592": {"name": "Douma", "kind": "place", "lat": 33.57, "lon": 36.40,
                                         "country": "SY", "admin1": "Rif Dimashq"},
                     "actor:syrian-arab-army": {"name": "Syrian Arab Army", "kind": "armed_force",
                                                "side": "syrian_government"}}
    r["mentions"] = [{"start": 0, "end": 13, "text": HAND_TEXT[:13], "type": "ORG", "entity": "actor:syrian-arab-army"},
                     {"start": douma, "end": douma + 5, "text": "Douma", "type": "LOC", "entity": "geonames:170592"}]
    r["events"] = [{"type": "Explosions/Remote violence", "sub_type": "Shelling/artillery/missile attack",
                    "plover": "ASSAULT", "actor1": "actor:syrian-arab-army", "actor2": None, "place": "geonames:170592",
                    "date": "2018-03-01", "modality": "asserted", "claimed_by": None, "means": "shelling",
                    "fatalities": {"total": None}, "evidence": {"start": 0, "end": 28}, "confidence": 0.9}]
    r["techniques"] = [{"technique": "Loaded_Language", "start": crim, "end": crim + 15, "confidence": 0.7},
                       {"technique": "Name_Calling-Labeling", "start": crim + 9, "end": crim + 15, "confidence": 0.6}]
    assert validate(r) == []
    return r


def reanalyse(c: Corpus, doc_id: str, change) -> None:
    """What a new model does to a stored document: its machine record rewritten (same text, same hash), here
    by deleting the stored row and storing `change(old record)` under the same hash (no store API re-analyses)."""
    digest, = c.conn.execute("SELECT hash FROM documents WHERE id = ?", (doc_id,)).fetchone()
    new = change(c.get(doc_id, machine=True))
    with store.backend.write_transaction(c.conn):
        c.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    assert c.add_records([(new, digest)]) == 1


@pytest.fixture(params=BACKENDS)
def hand_db(request, tmp_path) -> str:
    """A corpus holding the handmade record, on each backend in turn."""
    db = new_corpus_target(request, request.param, tmp_path)
    with Corpus(db) as c:
        c.add_records([handmade()])
    return db


def exports(c: Corpus) -> dict:
    out = {}
    for fmt in ("csv", "plover", "geojson"):
        buf = io.StringIO()
        c.export(fmt, buf)
        out[fmt] = buf.getvalue()
    return out


# ----- the done-when test: web correction, re-ingest, re-analysis, exports -----------------------------------

def test_web_correction_survives_reingest_and_reanalysis_and_shows_in_exports(db_target):
    with Corpus(db_target) as c:
        assert c.ingest([SHELL], options={"profile": "fast"}).added == 1
        ev = c.get("en-shell")["events"][0]
    client = TestClient(create_app(db_target, TOKEN))
    span = ev["evidence"]
    r = client.post("/api/corrections", headers={"Authorization": f"Bearer {TOKEN}"},
                    json={"doc_id": "en-shell", "target": "event", "start": span["start"], "end": span["end"],
                          "set": {"type": "Battles", "actor2": "SDF", "date": "2018-04-08"}, "note": NOTE,
                          "author": "rana"})
    assert r.status_code == 201, r.text
    assert len(r.json()["ids"]) == 3

    def check(c: Corpus) -> None:
        rec = c.get("en-shell")
        e = rec["events"][0]
        assert (e["type"], e["actor2"], e["date"], e["checked"], e["note"]) == (
            "Battles", "actor:sdf", "2018-04-08", "human", NOTE)
        assert validate(rec) == []  # the new actor is described in entities
        assert c.conn.execute("SELECT type, actor2 FROM events").fetchall() == [("Battles", "actor:sdf")]
        assert c.search("", event_type="Battles", actor="SDF")[0].id == "en-shell"
        out = exports(c)
        row = next(csv.DictReader(io.StringIO(out["csv"])))
        assert (row["event_type"], row["actor2"], row["checked"], row["checked_note"]) == (
            "Battles", "Syrian Democratic Forces", "human", NOTE)
        plover = json.loads(out["plover"])[0]
        assert (plover["acled_event_type"], plover["checked"], plover["note"]) == ("Battles", "human", NOTE)
        props = json.loads(out["geojson"])["features"][0]["properties"]
        assert (props["event_type"], props["checked"], props["event_date"]) == ("Battles", "human", "2018-04-08")

    with Corpus(db_target) as c:
        check(c)
        again = c.ingest([SHELL], options={"profile": "fast"})  # `marsad ingest` of the same document
        assert (again.added, again.skipped) == (0, 1)
        check(c)

        def new_model(old: dict) -> dict:
            new = dict(old, profile="accurate")
            new["events"] = [dict(old["events"][0], confidence=0.5, actor2=None)]
            return new

        reanalyse(c, "en-shell", new_model)
        assert c.get("en-shell", machine=True)["events"][0]["confidence"] == 0.5
        check(c)
        assert c.get("en-shell")["events"][0]["confidence"] == 0.5  # the new model's output under the correction
    page = client.get("/doc/en-shell")
    assert page.status_code == 200
    assert "✓ human-checked" in page.text and "&lt;script&gt;alert" in page.text and "<script>" not in page.text
    assert client.get("/api/doc/en-shell").json()["events"][0]["checked"] == "human"


def test_marsad_reanalyze_rewrites_the_machine_output_and_keeps_the_correction(db_target, capsys):
    """`marsad reanalyze` with other models (here the accurate profile over a fast-profile corpus): the
    record is the new run's, the index rows follow it, the analyst's correction stays on top."""
    from marsad.cli import main as cli_main

    with Corpus(db_target) as c:
        c.ingest([SHELL, dict(SHELL, id="en-other", text="Protesters gathered in Homs on Friday.")],
                 options={"profile": "fast"})
        span = c.get("en-shell")["events"][0]["evidence"]
        correct(c, "en-shell", "event", (span["start"], span["end"], 0), {"type": "Battles"}, note="clashes")
        rowids = dict(c.conn.execute("SELECT id, rowid FROM documents").fetchall())
    assert cli_main(["reanalyze", "--db", str(db_target), "--profile", "accurate", "--workers", "1",
                     "--where", "id = 'en-shell'"]) == 0
    assert "1 re-analysed, 0 failed" in capsys.readouterr().err
    with Corpus(db_target) as c:
        assert c.get("en-shell", machine=True)["profile"] == "accurate"
        assert c.get("en-other", machine=True)["profile"] == "fast"  # not selected by --where
        assert dict(c.conn.execute("SELECT id, rowid FROM documents").fetchall()) == rowids  # rewritten in place
        rec = c.get("en-shell")
        assert (rec["events"][0]["type"], rec["events"][0]["checked"]) == ("Battles", "human")
        assert c.search("", event_type="Battles")[0].id == "en-shell"
        assert validate(rec) == []
    assert cli_main(["reanalyze", "--db", str(db_target), "--where", "no_such_column = 1", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--where" in err


def test_unauthorised_corrections_are_refused(hand_db):
    db = hand_db
    body = {"doc_id": "hand-1", "target": "event", "start": 0, "end": 28, "set": {"type": "Battles"}}
    assert TestClient(create_app(db, None)).post("/api/corrections", json=body).status_code == 403  # read-only
    client = TestClient(create_app(db, TOKEN))
    assert client.post("/api/corrections", json=body).status_code == 401
    assert client.post("/api/corrections", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    form = {"doc_id": "hand-1", "target": "event", "key": "0:28", "type": "Battles"}
    assert client.post("/api/corrections", data=form).status_code == 401
    refused = client.post("/api/corrections", data=form | {"token": "wrong"})
    assert refused.status_code == 401 and "not saved" in refused.text and 'href="/doc/hand-1#corrections"' in refused.text
    assert client.post("/api/corrections", data=form | {"token": TOKEN},  # a forged cross-site form
                       headers={"Origin": "https://evil.example"}).status_code == 403
    with Corpus(db) as c:
        assert c.conn.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0
        assert c.get("hand-1")["events"][0]["type"] == "Explosions/Remote violence"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/api/corrections", json=body | {"start": 1}, headers=auth)
    assert r.status_code == 400 and "no event at 1:28" in r.json()["detail"]
    assert client.post("/api/corrections", json=body | {"target": "sentence"}, headers=auth).status_code == 422
    assert client.post("/api/corrections", json=body | {"set": {"modality": "maybe"}}, headers=auth).status_code == 400


def test_article_page_forms_correct_an_event_and_delete_a_technique_span(hand_db):
    db = hand_db
    assert 'name="token"' not in TestClient(create_app(db, None)).get("/doc/hand-1").text  # read-only: no forms
    client = TestClient(create_app(db, TOKEN))
    page = client.get("/doc/hand-1").text
    assert page.count('action="/api/corrections"') == 5  # one event, two technique spans, two mentions
    assert 'type="password" name="token"' in page and TOKEN not in page
    crim = HAND_TEXT.index("criminal regime")
    r = client.post("/api/corrections", follow_redirects=False,
                    data={"doc_id": "hand-1", "target": "event", "key": "0:28", "type": "Battles",
                          "actor1": "actor:syrian-arab-army", "actor2": "", "place": "geonames:170592",
                          "date": "2018-03-01", "modality": "reported", "note": "a claim", "token": TOKEN})
    assert r.status_code == 303 and r.headers["location"] == "/doc/hand-1#corrections"
    r = client.post("/api/corrections", follow_redirects=False,
                    data={"doc_id": "hand-1", "target": "technique", "key": f"{crim + 9}:{crim + 15}",
                          "technique": "Name_Calling-Labeling", "delete": "1", "token": TOKEN})
    assert r.status_code == 303
    douma = HAND_TEXT.index("Douma")
    r = client.post("/api/corrections", follow_redirects=False,
                    data={"doc_id": "hand-1", "target": "mention", "key": f"{douma}:{douma + 5}",
                          "entity": "دوما", "type": "LOC", "token": TOKEN})
    assert r.status_code == 303
    with Corpus(db) as c:
        rec = c.get("hand-1")
        fields = sorted(x["field"] for x in rec["corrections"])
        assert fields == ["deleted", "entity", "modality", "type"]  # only what the forms changed
        assert rec["mentions"][1]["entity"].startswith(("geonames:", "place:")) and validate(rec) == []
        assert [t["technique"] for t in rec["techniques"]] == ["Loaded_Language"]
        assert rec["technique_counts"] == {"Loaded_Language": 1}
        assert c.conn.execute("SELECT count(*) FROM techniques").fetchone()[0] == 1
    page = client.get("/doc/hand-1").text
    assert "Human corrections" in page and "a claim" in page and page.count('action="/api/corrections"') == 4


def test_orphaned_correction_is_kept_and_reported(hand_db, capsys):
    db = hand_db
    crim = HAND_TEXT.index("criminal regime")
    assert corpus_main(["correct", "hand-1", "--db", db, "--technique", f"{crim}:{crim + 15}",
                        "--set", "technique=Doubt", "--note", "not loaded"]) == 0
    with Corpus(db) as c:
        assert c.get("hand-1")["techniques"][0]["technique"] == "Doubt"
        assert orphaned(c) == []
        reanalyse(c, "hand-1", lambda old: dict(old, techniques=[]))  # the new model finds no span there
        lost = orphaned(c)
        assert [(x["target"], x["start"], x["field"], x["new"]) for x in lost] == [("technique", crim, "technique", "Doubt")]
        rec = c.get("hand-1")
        assert rec["techniques"] == [] and rec["corrections"][0]["status"] == "orphaned"
    capsys.readouterr()
    assert corpus_main(["corrections", "--db", db, "--orphaned", "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "orphaned"
    page = TestClient(create_app(db, None)).get("/doc/hand-1").text
    assert "orphaned: the current analysis has no such item" in page


def test_cli_correct_list_history_and_training_export(tmp_path, hand_db, capsys):
    db = hand_db
    assert corpus_main(["correct", "hand-1", "--db", db, "--list"]) == 0
    listing = capsys.readouterr().out
    assert "--event 0:28" in listing and "--technique" in listing
    assert corpus_main(["correct", "hand-1", "--db", db, "--event", "0:28", "--set", "type=battles"]) == 0
    assert corpus_main(["correct", "hand-1", "--db", db, "--event", "0:28", "--set", "type=Riots",
                        "--author", "omar"]) == 0
    assert corpus_main(["correct", "hand-1", "--db", db, "--event", "0:28", "--set", "modality=maybe"]) == 2
    assert corpus_main(["correct", "hand-1", "--db", db, "--mention", "0:13", "--add", "ORG"]) == 0  # same span: n=1
    assert corpus_main(["correct", "hand-1", "--db", db, "--technique", "0:6", "--add", "Doubt"]) == 0
    capsys.readouterr()
    assert corpus_main(["corrections", "--db", db, "--history", "--format", "jsonl"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(x["field"], x["new"], x["status"]) for x in rows] == [
        ("type", "Battles", "superseded"), ("type", "Riots", "applied"), ("added", {"type": "ORG"}, "applied"),
        ("added", {"technique": "Doubt"}, "applied")]
    assert rows[2]["n"] == 1
    out = tmp_path / "train.jsonl"
    assert corpus_main(["corrections", "--db", db, "--export", "training", "--out", str(out)]) == 0
    line, = [json.loads(x) for x in out.read_text().splitlines()]
    assert line["text"] == HAND_TEXT and [0, 6, "Doubt"] in line["label"] and [0, 28, "event:Riots"] in line["label"]
    assert line["events"][0]["type"] == "Riots" and [0, 28, "event"] in line["checked"]
    assert corpus_main(["correct", "hand-1", "--db", db, "--mention", "0:13", "--set", "type=PER"]) == 0
    conll = tmp_path / "train.conll"
    assert corpus_main(["corrections", "--db", db, "--export", "training", "--format", "conll",
                        "--out", str(conll)]) == 0
    from marsad.train.ner import read_conll

    (doc,) = read_conll(conll)
    tokens, tags = doc[0]
    assert tokens[:4] == ["Regime", "forces", "shelled", "Douma"] and tags[:4] == ["B-PER", "I-PER", "O", "B-LOC"]


# ----- Label Studio and doccano -----------------------------------------------------------------------------

def test_labelstudio_round_trip_changes_the_corpus(tmp_path, hand_db, capsys):
    db = hand_db
    tasks_file = tmp_path / "tasks.json"
    assert corpus_main(["export", "--db", db, "--format", "labelstudio", "--out", str(tasks_file)]) == 0
    config = (tmp_path / "tasks.json.config.xml").read_text()
    tasks = json.loads(tasks_file.read_text())
    result = tasks[0]["predictions"][0]["result"]
    for r in result:  # every prediction matches the labeling config
        assert f'<Labels name="{r["from_name"]}" toName="{r["to_name"]}">' in config
        assert f'<Label value="{r["value"]["labels"][0]}"/>' in config
    # the annotator accepts the predictions, relabels one technique span and saves: Label Studio's export
    crim = HAND_TEXT.index("criminal regime")
    edited = json.loads(json.dumps(result))
    span, = [r for r in edited if r["from_name"] == "technique" and r["value"]["start"] == crim]
    span["value"]["labels"] = ["Appeal_to_Fear-Prejudice"]
    exported = [dict(tasks[0], id=1, annotations=[{"id": 1, "was_cancelled": False, "result": edited}])]
    ls_file = tmp_path / "ls-export.json"
    ls_file.write_text(json.dumps(exported))
    capsys.readouterr()
    assert corpus_main(["import-annotations", str(ls_file), "--db", db]) == 0
    assert "1 correction(s) stored" in capsys.readouterr().err
    with Corpus(db) as c:
        rec = c.get("hand-1")
        t = rec["techniques"][0]
        assert (t["technique"], t["checked"], t["start"]) == ("Appeal_to_Fear-Prejudice", "human", crim)
        assert rec["corrections"][0]["author"] == "labelstudio"
        assert rec["techniques"][1]["technique"] == "Name_Calling-Labeling" and "checked" not in rec["techniques"][1]
        assert c.search("", technique="Appeal to Fear-Prejudice")[0].id == "hand-1"
    page = TestClient(create_app(db, None)).get("/doc/hand-1").text
    assert "human-checked" in page and "Appeal_to_Fear-Prejudice" in page
    assert corpus_main(["import-annotations", str(ls_file), "--db", db]) == 0  # again: nothing new
    assert "0 correction(s) stored" in capsys.readouterr().err


def test_doccano_export_shape_and_import(tmp_path, hand_db, capsys):
    db = hand_db
    out = tmp_path / "docs.jsonl"
    assert corpus_main(["export", "--db", db, "--format", "doccano", "--out", str(out)]) == 0
    line, = [json.loads(x) for x in out.read_text().splitlines()]
    assert set(line) == {"text", "doc_id", "language", "label"} and line["text"] == HAND_TEXT
    crim = HAND_TEXT.index("criminal regime")
    douma = HAND_TEXT.index("Douma")
    assert sorted(map(tuple, line["label"])) == sorted([
        (0, 28, "event:Explosions/Remote violence"), (0, 13, "ORG"), (douma, douma + 5, "LOC"),
        (crim, crim + 15, "Loaded_Language"), (crim + 9, crim + 15, "Name_Calling-Labeling")])
    # the annotator retypes a mention and removes a technique span (doccano's newer "entities" layout)
    kept = [x for x in line["label"] if x[2] != "Name_Calling-Labeling"]
    entities = [{"start_offset": a, "end_offset": b, "label": "PER" if lab == "ORG" else lab} for a, b, lab in kept]
    annotated = tmp_path / "annotated.jsonl"
    annotated.write_text(json.dumps({"id": 7, "text": HAND_TEXT, "doc_id": "hand-1", "entities": entities}) + "\n"
                         + json.dumps({"text": "another text", "doc_id": "hand-1", "label": []}) + "\n")
    capsys.readouterr()
    assert corpus_main(["import-annotations", str(annotated), "--db", db]) == 1  # the second line is skipped
    assert "its text differs from the stored one" in capsys.readouterr().err
    with Corpus(db) as c:
        rec = c.get("hand-1")
        assert (rec["mentions"][0]["type"], rec["mentions"][0]["checked"]) == ("PER", "human")
        assert [t["technique"] for t in rec["techniques"]] == ["Loaded_Language"]
        assert {x["author"] for x in rec["corrections"]} == {"doccano"}


# ----- storage ----------------------------------------------------------------------------------------------

def test_migrations_tolerate_a_gap(tmp_path, monkeypatch):
    """A database made while one migration was missing (two branches numbered theirs 4 and 5, and 5 landed
    first) gets the missing one when it arrives, though its highest version is already past it."""
    db = str(tmp_path / "c.db")
    everything = list(migrations.MIGRATIONS)
    with monkeypatch.context() as older:  # the code of the branch without 4, its near-duplicate upkeep included
        older.setattr(migrations, "MIGRATIONS", [m for m in everything if m[0] != 4])
        older.setattr(migrations, "reindex_if_stale", lambda conn: False)
        with Corpus(db) as c:
            assert migrations.applied(c.conn) == {1, 2, 3, 5}
    with Corpus(db) as c:
        assert migrations.applied(c.conn) == {1, 2, 3, 4, 5} and migrations.version(c.conn) == 5


def test_browser_corrects_an_event_on_the_article_page(hand_db):
    """As an analyst would, in Debian's headless chromium: open the article, unfold its event, pick another
    type, write a note and the token, save; the page comes back with the event marked human-checked (the
    browser's own Origin header passes the cross-site check)."""
    from conftest import chromium_page, serve

    with serve(create_app(hand_db, TOKEN)) as base, chromium_page() as page:
        page.goto(f"{base}/doc/hand-1")
        form = page.locator("details.correct").first
        form.locator("summary").click()
        form.locator("select[name=type]").select_option("Battles")
        form.locator("input[name=note]").fill("clashes, not shelling")
        form.locator("input[name=token]").fill(TOKEN)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert page.url.endswith("/doc/hand-1#corrections")
        assert "✓ human-checked" in page.locator("details.events").inner_text()
        assert "clashes, not shelling" in page.locator("#corrections").inner_text()
    with Corpus(hand_db) as c:
        assert c.get("hand-1")["events"][0]["type"] == "Battles"


def test_a_new_entity_named_in_a_correction_is_searchable(hand_db):
    with Corpus(hand_db) as c:
        assert c.search("", actor="actor:syrian-arab-army")  # the vocabulary is built and kept
        correct(c, "hand-1", "event", (0, 28, 0), {"actor2": "Douma Martyrs Brigade"}, note="named in the video")
        rec = c.get("hand-1")
        assert rec["events"][0]["actor2"] == "ent:douma-martyrs-brigade" and validate(rec) == []
        assert [h.id for h in c.search("", actor="Douma Martyrs Brigade")] == ["hand-1"]
