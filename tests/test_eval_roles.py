"""marsad eval roles: CAMEO source/target spans and WikiEvents arguments, scored by hand, and end to end."""
from __future__ import annotations

import json

import pytest

from marsad.cli import main
from marsad.evaluation import EvalError, roles

CAMEO = """\
Rebels O
shelled O
the B-T
army I-T
base I-T
. O

Syrian B-S
troops I-S
attacked O
rebels B-T
near O
Idlib O
. O

"""


def _wikievents(tmp_path):
    """One document of two sentences: an attack (Attacker "militants", Target "convoy" with a coreferent
    "it", Place "Mosul") and a meeting (not scored)."""
    sentences = [[["Militants", 0, 9], ["attacked", 10, 18], ["a", 19, 20], ["convoy", 21, 27], ["in", 28, 30],
                  ["Mosul", 31, 36], [".", 36, 37]], "Militants attacked a convoy in Mosul."]
    second = [[["It", 38, 40], ["burned", 41, 47], [".", 47, 48], ["Leaders", 49, 56], ["met", 57, 60],
               [".", 60, 61]], "It burned. Leaders met."]
    doc = {"doc_id": "d1", "sentences": [sentences, second],
           "entity_mentions": [{"id": "T1", "start": 0, "end": 1}, {"id": "T2", "start": 3, "end": 4},
                               {"id": "T3", "start": 5, "end": 6}, {"id": "T4", "start": 7, "end": 8},
                               {"id": "T5", "start": 10, "end": 11}],
           "event_mentions": [
               {"event_type": "Conflict.Attack.Unspecified", "trigger": {"start": 1, "end": 2},
                "arguments": [{"entity_id": "T1", "role": "Attacker"}, {"entity_id": "T2", "role": "Target"},
                              {"entity_id": "T3", "role": "Place"}]},
               {"event_type": "Contact.Contact.Meet", "trigger": {"start": 11, "end": 12},
                "arguments": [{"entity_id": "T5", "role": "Participant"}]}]}
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    (tmp_path / "coref_dev.jsonlines").write_text(json.dumps({"doc_key": "d1", "clusters": [["T2", "T4"]]}) + "\n",
                                                   encoding="utf-8")
    return path


def test_cameo_sentences_and_their_role_spans(tmp_path):
    path = tmp_path / "cameo.txt"
    path.write_text(CAMEO, encoding="utf-8")
    (d1, g1), (d2, g2) = roles.examples(path)
    assert d1.text == "Rebels shelled the army base ." and d1.language == "en"
    assert [d1.text[a:b] for a, b in g1["spans"]["actor2"]] == ["the army base"] and not g1["spans"]["actor1"]
    assert [d2.text[a:b] for a, b in g2["spans"]["actor1"]] == ["Syrian troops"]
    # scored by hand: in sentence 2, actor1 right (a mention of it overlaps "Syrian troops"), actor2 wrong
    record = {"mentions": [{"start": 0, "end": 6, "entity": "actor:syrian-arab-army"},
                           {"start": 29, "end": 34, "entity": "actor:rebels"}, {"start": 40, "end": 45,
                                                                                 "entity": "geonames:1"}],
              "events": [{"type": "Battles", "actor1": "actor:syrian-arab-army", "actor2": "geonames:1"},
                         {"type": "Other", "actor1": "actor:rebels"}]}  # `Other` is not a coded event
    scorer = roles.Scorer()
    scorer.add({"mentions": [], "events": []}, g1)
    scorer.add(record, g2)
    rows = {r["measure"]: r for r in scorer.rows()}
    assert rows["actor1"] == {"measure": "actor1", "p": 1.0, "r": 1.0, "f1": 1.0, "gold": 1, "pred": 1}
    assert rows["actor2"]["p"] == 0.0 and rows["actor2"]["gold"] == 2 and rows["actor2"]["pred"] == 1


def test_wikievents_arguments_count_their_coreferent_mentions(tmp_path):
    (doc, gold), = roles.examples(_wikievents(tmp_path))
    assert doc.text == "Militants attacked a convoy in Mosul.\nIt burned. Leaders met."
    (event,) = gold["events"]  # the meeting is not a scored kind
    assert doc.text[slice(*event["trigger"])] == "attacked"
    assert [[doc.text[a:b] for a, b in arg] for arg in event["args"]["actor2"]] == [["convoy", "It"]]
    convoy_as_it = {"start": 38, "end": 40, "entity": "actor:x"}  # only the coreferent "It" names the target
    record = {"mentions": [convoy_as_it, {"start": 31, "end": 36, "entity": "actor:iraq", "place": "geonames:99"}],
              "events": [{"type": "Battles", "evidence": {"start": 0, "end": 37}, "actor1": None,
                          "actor2": "actor:x", "place": "geonames:99"}]}
    scorer = roles.Scorer()
    scorer.add(record, gold)
    rows = {r["measure"]: r for r in scorer.rows()}
    assert rows["events found (evidence covers the gold trigger)"]["value"] == 1.0
    assert rows["actor2"]["f1"] == 1.0 and rows["place"]["f1"] == 1.0  # a state's mention names its place too
    assert rows["actor1"]["r"] == 0.0 and rows["actor1"]["pred"] == 0


def test_roles_end_to_end_and_a_file_of_another_kind(capsys, tmp_path):
    code = main(["eval", "roles", str(_wikievents(tmp_path)), "--profile", "fast", "--workers", "1", "--quiet",
                 "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0
    (result,) = json.loads(out)
    assert result["documents"] == 1 and result["rows"][0]["gold"] == 1
    with pytest.raises(EvalError, match="CAMEO spans"):
        list(roles.examples(tmp_path / "notes.csv"))
