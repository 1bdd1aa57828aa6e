"""marsad eval: the scorers on hand-made data (figures worked out by hand), and the command end to end."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.cli import main
from marsad.evaluation import EvalError, ner, techniques
from marsad.evaluation.techniques import SpanCounts

ROOT = Path(__file__).resolve().parent.parent

CONLL = """\
-DOCSTART- -X- O O

John NNP B-PER
Smith NNP I-PER
visited VBD O
London NNP B-LOC
. . O

The DT O
United NNP B-ORG
Nations NNP I-ORG
met VBD O
in IN O
Geneva NNP B-LOC
. . O

Mary NNP B-PER
spoke VBD O
French JJ B-MISC
. . O
"""


@pytest.fixture
def conll(tmp_path):
    f = tmp_path / "tiny.conll"
    f.write_text(CONLL, encoding="utf-8")
    return f


def mention(text: str, words: str, kind: str, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return {"start": start, "end": start + len(words), "type": kind}


def test_conll_document_is_the_text_marsad_reads(conll):
    (doc, (token_spans, tags)), = ner.examples(conll)
    assert doc.text == "John Smith visited London .\nThe United Nations met in Geneva .\nMary spoke French ."
    assert [doc.text[s:e] for s, e in token_spans][:4] == ["John", "Smith", "visited", "London"]
    assert tags[:4] == ["B-PER", "I-PER", "O", "B-LOC"]


def test_ner_scores_worked_out_by_hand(conll):
    pytest.importorskip("seqeval")
    (doc, gold), = ner.examples(conll)
    text = doc.text
    # 5 gold PER/ORG/LOC names (French is MISC: not scored). Predicted: John Smith and London right;
    # "United" alone (wrong boundary), Geneva as an ORG (wrong type), Mary missed, French as MISC (not scored).
    mentions = [mention(text, "John Smith", "PER"), mention(text, "London", "LOC"), mention(text, "United", "ORG"),
                mention(text, "Geneva", "ORG"), mention(text, "French", "MISC")]
    scorer = ner.Scorer()
    scorer.add({"mentions": mentions}, gold)
    rows = {r["measure"]: r for r in scorer.rows()}
    micro = rows["entities, micro"]
    assert (micro["p"], micro["r"], micro["f1"]) == (0.5, 0.4, 0.4444)  # 2/4, 2/5, 2PR/(P+R)
    assert (micro["gold"], micro["pred"]) == (5, 4)
    assert (rows["PER"]["p"], rows["PER"]["r"], rows["PER"]["f1"]) == (1.0, 0.5, 0.6667)
    assert (rows["ORG"]["p"], rows["ORG"]["r"], rows["ORG"]["f1"]) == (0.0, 0.0, 0.0)
    assert (rows["LOC"]["p"], rows["LOC"]["r"], rows["LOC"]["f1"]) == (1.0, 0.5, 0.6667)


def test_a_mention_covers_the_tokens_it_overlaps_and_the_longest_wins():
    spans = [(0, 4), (5, 10), (11, 18)]  # "John Smith visited"
    chunks = ner.covered_chunks(spans, [{"start": 2, "end": 7, "type": "PER"},   # part of two tokens
                                        {"start": 0, "end": 10, "type": "ORG"}])  # longer, same start
    assert chunks == {(0, 2, "ORG")}


def test_iob1_and_anercorp_types_read_as_iob2():
    assert ner.to_iob2(["I-PERS", "I-PERS", "B-PERS", "O", "I-LOC"]) == ["B-PER", "I-PER", "B-PER", "O", "B-LOC"]


# ---------------------------------------------------------------- techniques
def test_partial_overlap_worked_out_by_hand():
    counts = SpanCounts()
    gold = [(0, 10, "Doubt"), (20, 30, "Slogans")]
    predicted = [(5, 15, "Doubt"), (20, 25, "Slogans")]
    counts.add(predicted, gold)
    # P = (5/10 + 5/5) / 2 = 0.75; R = (5/10 + 5/10) / 2 = 0.5; F1 = 2 * 0.75 * 0.5 / 1.25 = 0.6
    assert counts.scores("si") == {"p": 0.75, "r": 0.5, "f1": 0.6}
    assert counts.scores("flc") == {"p": 0.75, "r": 0.5, "f1": 0.6}
    wrong_label = SpanCounts()
    wrong_label.add([(5, 15, "Slogans")], [(0, 10, "Doubt")])
    assert wrong_label.scores("si") == {"p": 0.5, "r": 0.5, "f1": 0.5}
    assert wrong_label.scores("flc") == {"p": 0.0, "r": 0.0, "f1": 0.0}


spans = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40), st.sampled_from(["Doubt", "Slogans", "Repetition"]))
                 .map(lambda t: (t[0], t[0] + t[1], t[2])), max_size=8)


@settings(max_examples=200, deadline=None)
@given(gold=spans, predicted=spans)
def test_span_scores_lie_in_0_1_and_a_perfect_copy_scores_1(gold, predicted):
    counts = SpanCounts()
    counts.add(predicted, gold)
    for measure in ("si", "flc"):
        assert all(0.0 <= v <= 1.0 for v in counts.scores(measure).values())
    if gold:
        perfect = SpanCounts()
        perfect.add(gold, gold)
        assert perfect.scores("si") == perfect.scores("flc") == {"p": 1.0, "r": 1.0, "f1": 1.0}


def test_labels_per_text_worked_out_by_hand(tmp_path):
    f = tmp_path / "task1B.jsonl"
    f.write_text('{"id": "a", "text": "x", "labels": ["Doubt"]}\n{"id": "b", "text": "y", "labels": []}\n')
    (_, gold_a), (_, gold_b) = techniques.examples(f)
    assert gold_a == ("labels", {"Doubt"}) and gold_b == ("labels", set())  # empty: no_technique
    scorer = techniques.Scorer()
    scorer.add({"techniques": [{"start": 0, "end": 1, "technique": "Doubt"},
                               {"start": 0, "end": 1, "technique": "Slogans"}]}, gold_a)
    scorer.add({"techniques": []}, gold_b)
    # decisions: {Doubt, Slogans} vs {Doubt}; {no_technique} vs {no_technique}: 2 right of 3 predicted, 2 gold
    (row,) = scorer.rows()
    assert (row["measure"], row["p"], row["r"], row["f1"]) == ("labels per text, micro", 0.6667, 1.0, 0.8)


def test_ptc_folder_maps_marsad_techniques_to_the_2020_classes(tmp_path):
    (tmp_path / "train-articles").mkdir()
    (tmp_path / "train-articles" / "article7.txt").write_text("Either you are with us or against us.\n")
    (tmp_path / "train-task-flc-tc.labels").write_text("7\tBlack-and-White_Fallacy\t0\t37\n")
    (doc, gold), = techniques.examples(tmp_path)
    assert doc.id == "7" and doc.language == "en"
    scorer = techniques.Scorer()
    scorer.add({"techniques": [{"start": 0, "end": 37, "technique": "False_Dilemma-No_Choice"}]}, gold)
    assert [(r["measure"], r["f1"]) for r in scorer.rows()] == [("si", 1.0), ("flc", 1.0)]


# ---------------------------------------------------------------- the command
def run_eval(capsys, *args):
    code = main(["eval", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    return code, out, [ln for ln in err.splitlines() if ln.strip()]


def test_ner_end_to_end_fast_profile(capsys, conll):
    pytest.importorskip("seqeval")
    code, out, err = run_eval(capsys, "ner", conll, "--profile", "fast", "--workers", "1", "--lang", "en",
                              "--format", "json")
    assert code == 0 and not err
    (result,) = json.loads(out)
    assert (result["task"], result["documents"], result["profile"]) == ("ner", 1, "fast")
    assert [r["measure"] for r in result["rows"]] == ["entities, micro", "PER", "ORG", "LOC"]
    assert result["rows"][0]["gold"] == 5 and all(0 <= r["f1"] <= 1 for r in result["rows"])


def test_techniques_end_to_end_text_table(capsys, tmp_path):
    f = tmp_path / "spans.jsonl"
    rows = [{"id": "p1", "text": "The criminal regime murders children while the cowards watch.",
             "labels": [{"start": 4, "end": 20, "technique": "Name_Calling-Labeling"}]},
            {"paragraph_id": "p2", "paragraph": "Talks resumed on Tuesday.", "labels": []}]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    code, out, err = run_eval(capsys, "techniques", f, "--profile", "fast", "--workers", "1", "--lang", "en")
    assert code == 0 and not err
    header, si, flc = out.splitlines()
    assert header.split()[:5] == ["task", "dataset", "profile", "docs", "measure"]
    assert si.split()[2:5] == ["fast", "2", "si"] and flc.split()[4] == "flc"


def test_geoparse_end_to_end_on_marsad_paragraphs(capsys, tmp_path):
    code, out, err = run_eval(capsys, "geoparse", ROOT / "benchmarks/data/geoparse-en.jsonl", "--limit", "2",
                              "--profile", "fast", "--workers", "1", "--format", "json", "--out", tmp_path / "r.json")
    assert code == 0 and not err and out == ""
    (result,) = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    exact = result["rows"][0]
    assert result["documents"] == 2 and exact["measure"] == "exact GeoNames id" and exact["value"] >= 0.5


TR_NEWS_XML = """<articles><article docid="7"><text><![CDATA[Edmonton needs vegetables.
In Edmonton, Sask. and Ottawa]]></text><toponyms>
<toponym><phrase>Edmonton</phrase><start>0</start><end>8</end>
 <gaztag geonameid="5946768"><lat>53.55</lat><lon>-113.47</lon></gaztag></toponym>
<toponym><phrase>Edmonton</phrase><start>33</start><end>41</end>
 <gaztag geonameid="5946768"><lat>53.55</lat><lon>-113.47</lon></gaztag></toponym>
<toponym><phrase>Ottawa</phrase><start>200</start><end>206</end>
 <gaztag geonameid="6094817"><lat>45.41</lat><lon>-75.69</lon></gaztag></toponym>
</toponyms></article></articles>"""


def test_geoparse_reader_puts_a_drifted_span_on_its_phrase(tmp_path):
    from marsad.evaluation.geoparse import read

    path = tmp_path / "TR-News.xml"
    path.write_text(TR_NEWS_XML, encoding="utf-8")
    (doc,) = read(path, {})
    spans = [doc["text"][t["start"]:t["end"]] for t in doc["toponyms"]]
    # the first already holds its phrase; the second drifted two characters ("monton, S"); the third is out of
    # the text and no occurrence lies within reach: it stays as published
    assert spans == ["Edmonton", "Edmonton", ""]
    assert doc["toponyms"][1]["start"] == doc["text"].index("Edmonton", 1)


@given(st.text(alphabet="ab ", max_size=40), st.text(alphabet="ab", min_size=1, max_size=4),
       st.integers(0, 60), st.integers(0, 5))
def test_aligned_span_holds_the_phrase_or_stays(text, phrase, start, length):
    from marsad.evaluation.geoparse import REALIGN_CHARS, aligned

    s, e = aligned(text, phrase, start, start + length)
    if (s, e) != (start, start + length):
        assert text[s:e] == phrase and abs(s - start) <= REALIGN_CHARS + len(phrase)
        # the nearest occurrence: none lies closer to the published start
        assert all(abs(k - start) >= abs(s - start) for k in range(len(text)) if text.startswith(phrase, k))


@pytest.mark.parametrize("task, name, content", [
    ("ner", "missing.txt", None),
    ("techniques", "notes.txt", "not a data set"),
    ("techniques", "broken.jsonl", '{"id": 1}\n'),
    ("geoparse", "broken.xml", "<articles><article><text>x"),
])
def test_a_bad_path_or_format_is_exit_2_and_one_line(capsys, tmp_path, task, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run_eval(capsys, task, path, "--profile", "fast", "--workers", "1")
    assert code == 2 and out == ""
    assert len(err) == 1 and err[0].startswith("marsad: eval: ") and "Traceback" not in err[0]


def test_an_empty_ptc_folder_is_an_eval_error(tmp_path):
    with pytest.raises(EvalError, match="expected one PTC split"):
        list(techniques.examples(tmp_path))


# ---------------------------------------------------------------- events (FA-KES)
FAKES_CSV = """\
unit_id,article_title,article_content,source,date,location,actor,cause_of_death,nb_children,nb_civilians,nb_noncivilians,nb_women,label
1,Shelling,"Government forces shelled Douma in Rif Dimashq on Monday, killing 4 civilians.",sana,2/1/16,damascus,syrian government or russian troops,shelling,0,4,0,0,1
2,Talks,Talks resumed in Geneva.,reuters,3/5/16,aleppo,unknown,unknown,0,0,0,0,1
"""


def test_fakes_main_event_and_its_governorate_actor_and_toll(tmp_path):
    from marsad.evaluation import events

    f = tmp_path / "fakes.csv"
    f.write_text(FAKES_CSV, encoding="utf-8")
    (doc, gold), (_, gold2) = events.examples(f)
    assert (doc.id, doc.published, doc.language) == ("1", "2016-02-01", "en")
    assert gold == {"location": "damascus", "actor": "government", "civilians": 4}
    entities = {"geonames:170592": {"kind": "place", "name": "Douma", "admin1": "Rif Dimashq"},
                "place:x": {"kind": "place", "name": "Kobani", "admin1": "Aleppo"},
                "actor:saa": {"kind": "actor", "side": "syrian_government"}}

    def event(start, place, dead, actor=None, modality="asserted", kind="Explosions/Remote violence"):
        return {"type": kind, "modality": modality, "place": place, "actor1": actor, "evidence": {"start": start},
                "fatalities": {"total": dead, "civilians": dead}}

    record = {"entities": entities, "events": [
        event(0, "place:x", 2), event(10, "geonames:170592", 4, "actor:saa"),  # the most dead: the main event
        event(20, "place:x", 9, modality="denied"), event(30, "place:x", 9, kind="Protests")]}  # not violent fact
    scorer = events.Scorer()
    scorer.add(record, gold)
    scorer.add({"entities": {}, "events": []}, gold2)  # no event: no location, actor unknown, 0 civilians
    rows = {r["measure"]: r for r in scorer.rows()}
    assert rows["location accuracy"]["value"] == 0.5 and rows["location accuracy"]["baseline"] == 0.5
    assert rows["actor accuracy"]["value"] == 1.0 and rows["civilians exact"]["value"] == 1.0


def test_events_end_to_end_and_a_csv_that_is_not_fakes(capsys, tmp_path):
    f = tmp_path / "fakes.csv"
    f.write_text(FAKES_CSV, encoding="utf-8")
    code, out, err = run_eval(capsys, "events", f, "--profile", "fast", "--workers", "1", "--format", "json")
    assert code == 0 and not err
    (result,) = json.loads(out)
    assert result["documents"] == 2 and [r["measure"] for r in result["rows"]] == [
        "location accuracy", "actor accuracy", "civilians exact"]
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    code, out, err = run_eval(capsys, "events", other, "--profile", "fast", "--workers", "1")
    assert code == 2 and len(err) == 1 and "not FA-KES" in err[0]


def test_ner_without_seqeval_says_how_to_install_it(capsys, conll, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "seqeval", None)  # as if not installed
    code, out, err = run_eval(capsys, "ner", conll, "--profile", "fast", "--workers", "1")
    assert code == 2 and err == ["marsad: eval: the ner task needs seqeval: pip install 'marsad[eval]'"]


def test_geoparse_scores_listed_places_apart():
    """A gold place in none of marsad's tables (here a made-up GeoNames id) counts against the exact id but not
    against the exact id of listed places, which measures resolution apart from coverage."""
    from marsad.evaluation.geoparse import Scorer

    gold = {"id": "d", "text": "Kyiv and Nowhere", "toponyms": [
        {"start": 0, "end": 4, "id": "geonames:703448", "lat": 50.45, "lon": 30.52, "country": "UA"},
        {"start": 9, "end": 16, "id": "geonames:999999999", "lat": 0.0, "lon": 0.0, "country": None}]}
    scorer = Scorer()
    scorer.add_resolved(gold, ["geonames:703448", None], {"geonames:703448": {"lat": 50.45, "lon": 30.52,
                                                                              "country": "UA"}})
    s = scorer.summary()
    assert (s["exact_id"], s["exact_id_listed"], s["listed"]) == (0.5, 1.0, 1)
