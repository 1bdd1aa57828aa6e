"""An outlet's home as resolution context (marsad/places/home.py): given with --home / --outlet-homes / the API,
inferred by `marsad homes` from an outlet's analysed stories."""
from __future__ import annotations

import json

import pytest

import marsad
from marsad.cli import main
from marsad.corpus.store import Corpus
from marsad.places import home

LOCAL = "Police in Alexandria arrested two men after a fight on Friday night."
LOUISIANA = "geonames:4331987"
ALEXANDRIA_LA, ALEXANDRIA_EG = "geonames:4314550", "geonames:361058"


def alexandria(rec: dict) -> str | None:
    return next(m["entity"] for m in rec["mentions"] if m["text"] == "Alexandria")


def test_a_lone_name_takes_the_home_area():
    assert alexandria(marsad.analyze(LOCAL, profile="fast")) != ALEXANDRIA_LA  # the text alone cannot tell
    rec = marsad.analyze(LOCAL, profile="fast", home="Alexandria, Louisiana")
    assert alexandria(rec) == ALEXANDRIA_LA
    assert rec["home"] == {"place": ALEXANDRIA_LA, "name": "Alexandria", "country": "US",
                           "given": "Alexandria, Louisiana"}
    # the state as an id: the same choice
    assert alexandria(marsad.analyze(LOCAL, profile="fast", home=LOUISIANA)) == ALEXANDRIA_LA


def test_a_named_qualifier_still_wins_over_the_home():
    rec = marsad.analyze("Egyptian police in Alexandria, Egypt, arrested two men.", profile="fast", home=LOUISIANA)
    assert alexandria(rec) == ALEXANDRIA_EG


def _entity(rec: dict, text: str) -> str | None:
    return next((m.get("entity") for m in rec["mentions"] if m["text"] == text), None)


INDIANA, GEORGIA_STATE, TEXAS, TENNESSEE = "geonames:4921868", "geonames:4197000", "geonames:4736286", "geonames:4662168"


def test_a_local_paper_names_its_own_states_towns_and_the_state_itself():
    # a country's name is also a town of the home state: the local paper's reader knows which (home_bonus)
    text = "A Lebanon woman was charged with theft on Thursday, the county prosecutor said."
    lebanon = _entity(marsad.analyze(text, profile="fast"), "Lebanon")
    assert lebanon and lebanon != "geonames:4922673"  # alone: the country
    assert _entity(marsad.analyze(text, profile="fast", home=INDIANA), "Lebanon") == "geonames:4922673"
    # a capital abroad and a town of the home state: the town
    text = "The Athens city council approved a new budget for the fire department on Tuesday."
    assert _entity(marsad.analyze(text, profile="fast"), "Athens") == "geonames:264371"
    assert _entity(marsad.analyze(text, profile="fast", home=TENNESSEE), "Athens") == "geonames:4603284"
    # the home itself, named bare: the state, not the country
    text = "Georgia regulators will vote on the new power rates next month, the commission said."
    assert _entity(marsad.analyze(text, profile="fast", home=GEORGIA_STATE), "Georgia") == GEORGIA_STATE


def test_the_texts_own_state_beats_the_home():
    # a wire story in a Texas paper: North Carolina, named in the text, decides Carthage; the home does not
    text = ("Police in Carthage said the suspect was arrested after the shooting. The nursing home in Moore County, "
            "North Carolina, reopened on Monday.")
    rec = marsad.analyze(text, profile="fast", home=TEXAS)
    assert _entity(rec, "Carthage") == "geonames:4459426"
    # a country as the home gives no bonus: its towns are context already, and a national outlet names every country
    rec = marsad.analyze("Talks with Lebanon resumed on Monday.", profile="fast", home="Syria")
    assert _entity(rec, "Lebanon") != "geonames:4922673"


ONTARIO, LONDON_ON, WOODSTOCK_ON = "geonames:6093943", "geonames:6058560", "geonames:6184365"


def test_a_bare_name_chosen_abroad_does_not_take_the_home_from_the_next():
    # a London, Ontario paper: only an area the text names (a state, a qualifier) keeps the home out, not the
    # area a bare name was chosen in (England's Oxford took the home from "London" and "Woodstock")
    from marsad.places import resolve

    text = "The London school board met Monday. Parents in Oxford and Woodstock want shorter rides."
    mentions = [{"start": text.index(n), "end": text.index(n) + len(n), "text": n, "type": "LOC"}
                for n in ("London", "Oxford", "Woodstock")]
    resolve(mentions, text, home=(ONTARIO,))
    assert [m.get("entity") for m in mentions][::2] == [LONDON_ON, WOODSTOCK_ON]


def test_no_home_no_field_and_an_unknown_home_warns():
    assert "home" not in marsad.analyze(LOCAL, profile="fast")
    rec = marsad.analyze(LOCAL, profile="fast", home="Nowhereville Zzz")
    assert "home" not in rec
    assert any("names no place marsad knows" in w for w in rec["warnings"])


def test_sources_are_keyed_by_host():
    assert home.source_key("https://www.TownTalk.example/news/1.html") == "towntalk.example"
    opts = home.options_for({"https://www.towntalk.example": "Louisiana", "*": " Ohio "})
    assert opts == {"homes": {"towntalk.example": "Louisiana", "*": "Ohio"}}
    assert home.home_for({"source": "towntalk.example"}, opts) == "Louisiana"
    assert home.home_for({"source": "other.example"}, opts) == "Ohio"
    assert home.options_for(None) == {} and home.options_for({"x": " "}) == {}


def _record(source: str, *areas: tuple[str, str]) -> dict:
    entities = {f"p{k}": {"kind": "place", "country": c, "admin1": a, "feature": "town"} for k, (c, a) in enumerate(areas)}
    return {"source": source, "mentions": [{"entity": e} for e in entities], "entities": entities}


def test_inferred_home_needs_a_share_and_several_stories():
    local = [_record("local.example", ("US", "Louisiana")), _record("local.example", ("US", "Louisiana")),
             _record("local.example", ("US", "Texas"))]
    national = [_record("national.example", ("US", a)) for a in ("Ohio", "Texas", "Iowa", "Utah", "Maine")]
    once = [_record("once.example", ("US", "Ohio"))]
    assert home.infer(local + national + once) == {"local.example": LOUISIANA}
    tally = home.Tally(local)
    # a story's own places never vote for its home: without the first story, Louisiana has one story left
    assert tally.home("local.example", without=home.story_areas(local[0])) is None
    assert home._area_id("SY", "Idlib") == "place:idlib-governorate"  # a curated governorate


def test_places_not_stories_vote_for_a_home():
    # a Dublin, Ohio paper: each story names its bare "Dublin" (Ireland's, before a home) once, and several
    # Ohio towns; three stories each way, so only the places tell Ohio
    dublin = [_record("dublin.example", ("IE", "Leinster")) for _ in range(3)]
    towns = [_record("dublin.example", ("US", "Ohio"), ("US", "Ohio"), ("US", "Ohio")) for _ in range(3)]
    assert home.infer(dublin + towns) == {"dublin.example": home._area_id("US", "Ohio")}
    assert home.story_areas(towns[0]) == {("US", "Ohio"): 3}
    # a place named twice in a story is one vote
    twice = _record("x.example", ("US", "Ohio"))
    twice["mentions"] *= 2
    assert home.story_areas(twice) == {("US", "Ohio"): 1}


def test_cli_infers_homes_and_reads_them_back(tmp_path, capsys):
    news = tmp_path / "news.jsonl"
    stories = [("t1", "Pineville and Alexandria, Louisiana, officials met in Rapides Parish on Monday."),
               ("t2", "A fire destroyed a barn near Ball, Louisiana, on Tuesday, the Rapides Parish sheriff said."),
               ("t3", LOCAL)]
    news.write_text("".join(json.dumps({"id": i, "source": "https://www.towntalk.example/n", "text": t}) + "\n"
                            for i, t in stories), encoding="utf-8")
    first, homes_tsv, second = tmp_path / "r1.jsonl", tmp_path / "homes.tsv", tmp_path / "r2.jsonl"
    assert main(["analyze", str(news), "--profile", "fast", "-q", "--workers", "1", "--out", str(first)]) == 0
    capsys.readouterr()
    assert main(["homes", str(first)]) == 0
    out = capsys.readouterr().out
    assert f"towntalk.example\t{LOUISIANA}\tLouisiana" in out.splitlines()
    homes_tsv.write_text(out, encoding="utf-8")
    assert main(["analyze", str(news), "--profile", "fast", "-q", "--workers", "1", "--outlet-homes",
                 str(homes_tsv), "--out", str(second)]) == 0
    recs = [json.loads(line) for line in second.read_text(encoding="utf-8").splitlines()]
    assert alexandria(recs[2]) == ALEXANDRIA_LA and recs[2]["home"]["place"] == LOUISIANA


@pytest.mark.parametrize("content", ["towntalk.example\n", "\tLouisiana\n"])
def test_cli_bad_homes_file_is_a_usage_error(tmp_path, capsys, content):
    bad = tmp_path / "homes.tsv"
    bad.write_text(content, encoding="utf-8")
    assert main(["analyze", "-", "--outlet-homes", str(bad)]) == 2
    assert "is not source<TAB>place" in capsys.readouterr().err
    assert main(["analyze", "-", "--outlet-homes", str(tmp_path / "missing.tsv")]) == 2
    assert main(["homes"]) == 2


def test_homes_from_a_corpus_and_ingest_with_a_home(tmp_path, capsys):
    news = tmp_path / "news.jsonl"
    stories = ["Pineville and Alexandria, Louisiana, officials met in Rapides Parish on Monday.",
               "A fire destroyed a barn near Ball, Louisiana, on Tuesday, the Rapides Parish sheriff said.", LOCAL]
    news.write_text("".join(json.dumps({"id": f"t{k}", "source": "towntalk.example", "text": t}) + "\n"
                            for k, t in enumerate(stories)), encoding="utf-8")
    db = str(tmp_path / "corpus.sqlite")
    assert main(["ingest", str(news), "--db", db, "--profile", "fast", "-q", "--workers", "1",
                 "--home", "Alexandria, Louisiana"]) == 0
    capsys.readouterr()
    assert main(["homes", "--db", db]) == 0
    assert f"towntalk.example\t{LOUISIANA}\tLouisiana" in capsys.readouterr().out.splitlines()
    with Corpus(db) as corpus:
        recs = list(corpus.records())
    assert len(recs) == 3 and all(r["home"]["place"] == ALEXANDRIA_LA for r in recs)
    assert {alexandria(r) for r in recs if "Alexandria" in r["text"]} == {ALEXANDRIA_LA}


def test_the_benchmark_infers_homes_from_other_stories_only():
    """benchmarks/geoparse.py --outlet-homes: a story's home comes from its outlet's other stories, and the stories
    without a home are scored on the first pass's results."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import geoparse as bench

    def story(k: int, text: str, source: str, names: list[str], gold: list[str]) -> dict:
        tops = [{"start": text.index(n), "end": text.index(n) + len(n), "id": g, "lat": 0.0, "lon": 0.0,
                 "country": "US"} for n, g in zip(names, gold)]
        return {"id": f"d{k}", "text": text, "toponyms": tops, "split": "tune", "source": source}

    unscored = "geonames:0"  # the first two stories' gold is never read: only the third is scored
    docs = [story(0, "Pineville and Alexandria, Louisiana, met in Rapides Parish.", "towntalk.example",
                  ["Pineville", "Louisiana", "Rapides Parish"], [unscored] * 3),
            story(1, "A barn burned near Ball, Louisiana, in Rapides Parish.", "towntalk.example",
                  ["Ball", "Louisiana", "Rapides Parish"], [unscored] * 3),
            story(2, LOCAL, "towntalk.example", ["Alexandria"], [ALEXANDRIA_LA]),
            story(3, "Egyptian police in Alexandria arrested two men.", "wire.example", ["Alexandria"], [ALEXANDRIA_EG])]
    homes, first = bench.outlet_homes(docs, pipeline=False, profile=None)
    assert homes["d2"] == LOUISIANA and "d3" not in homes and set(first) == {"d0", "d1", "d2", "d3"}
    without = bench.evaluate(docs[2:3], homes=None, first=first)
    with_homes = bench.evaluate(docs[2:3], homes=homes, first=first)
    assert without["exact_id"] == 0.0 and with_homes["exact_id"] == 1.0
