"""Event argument roles: who acts (actor1), on whom (actor2) and where, against annotated spans.

Two formats, told apart by the file's name:
- ConfliBERT / Multi-CoPED CAMEO spans (`cameo_ner_train.txt` or any `token tag` CoNLL file with S/T/R tags;
  GPL-3.0): each sentence is a document (tokens joined by spaces). Gold: the main event's source (S) and target
  (T) actor spans; a reciprocal actor (R, "X and Y met") counts for both roles. The sentences' events are
  political events of every kind (meetings, accusations, aid), not only the violent ones marsad codes, so recall
  is bounded by which events marsad codes.
- WikiEvents (`dev.jsonl`: KAIROS events with triggers and arguments; MIT): each document as the annotators
  cut it into sentences (one per line). Gold events: attacks (Conflict.Attack: Attacker, Target, Place), deaths
  (Life.Die: Killer, Victim, Place), injuries (Life.Injure: Injurer, Victim, Place) and arrests
  (Justice.ArrestJailDetain: Jailer, Detainee, Place). A predicted event of an ACLED type other than `Other`
  matches a gold event when its evidence covers the gold trigger (the first such event).
A predicted actor is right when one of the record's mentions of that entity overlaps a gold span of the role
(WikiEvents: a mention of the argument or one coreferent with it, from `coref_dev.jsonlines` beside the file:
the "coref" matching of the WikiEvents paper, as its arguments are often a pronoun or a head noun such as
"general"); a place when its mention does. Precision is over the role fillers of
the predicted events (CAMEO) or of the matched events where the annotators gave the role an argument
(WikiEvents: a filler of an event or a role the annotators left empty cannot be judged); recall over the gold arguments, an event marsad missed counting as missed arguments.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Iterator

from ..ingest import Document
from . import EvalError, prf

ROLES = ("actor1", "actor2", "place")
# KAIROS event type -> marsad role of each of its argument roles
WIKIEVENTS_ROLES = {
    "Conflict.Attack": {"Attacker": "actor1", "Target": "actor2", "Place": "place"},
    "Life.Die": {"Killer": "actor1", "Victim": "actor2", "Place": "place"},
    "Life.Injure": {"Injurer": "actor1", "Victim": "actor2", "Place": "place"},
    "Justice.ArrestJailDetain": {"Jailer": "actor1", "Detainee": "actor2", "Place": "place"},
}
CAMEO_ROLES = {"S": ("actor1",), "T": ("actor2",), "R": ("actor1", "actor2")}


Sentence = list[tuple[str, str]]  # (token, BIO tag)


def read_spans(path: Path) -> Iterator[Sentence]:
    """Sentences of `token tag` lines (a blank line between sentences; CRLF tolerated), one at a time; the
    role tagger's trainer (marsad/train/roles.py) reads its data with it too."""
    cur: Sentence = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                if cur:
                    yield cur
                cur = []
                continue
            try:
                token, tag = line.rstrip("\r\n").rsplit(" ", 1)
            except ValueError:
                raise EvalError(f"{path}:{n}: expected 'token tag' lines (ConfliBERT CAMEO spans)") from None
            cur.append((token, tag))
    if cur:
        yield cur


def chunks(tags: list[str]) -> list[tuple[str, int, int]]:
    """The spans of BIO tags as (type, first token, end token); an I- tag that continues no span of its type
    starts one."""
    out, cur = [], None
    for i, t in enumerate(list(tags) + ["O"]):
        if cur and not (t.startswith("I-") and t[2:] == cur[0]):
            out.append((cur[0], cur[1], i))
            cur = None
        if t.startswith("B-") or (t.startswith("I-") and cur is None):
            cur = (t[2:], i)
    return out


def _cameo(path: Path) -> Iterator[tuple[Document, dict]]:
    for n, sentence in enumerate(read_spans(path), 1):
        text = " ".join(token for token, _ in sentence)
        starts, pos = [], 0
        for token, _ in sentence:
            starts.append(pos)
            pos += len(token) + 1
        gold: dict[str, list] = {r: [] for r in ROLES}
        for tag, i, j in chunks([tag for _, tag in sentence]):
            for role in CAMEO_ROLES.get(tag, ()):
                gold[role].append((starts[i], starts[j - 1] + len(sentence[j - 1][0])))
        yield Document(id=f"cameo-{n}", text=text, language="en"), {"events": None, "spans": gold}


def _clusters(path: Path) -> dict[str, list[str]]:
    """entity mention id -> the ids of its coreference cluster, from `coref_<split>.jsonlines` beside the file
    (WikiEvents' own clusters), or {} where there is none."""
    coref = path.with_name(f"coref_{path.stem}.jsonlines")
    out: dict[str, list[str]] = {}
    if coref.exists():
        for line in coref.read_text(encoding="utf-8").splitlines():
            for cluster in json.loads(line)["clusters"] if line.strip() else ():
                for m in cluster:
                    out[m] = cluster
    return out


def _wikievents(path: Path) -> Iterator[tuple[Document, dict]]:
    clusters = _clusters(path)
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                text, starts = "", []
                for sent in d["sentences"]:
                    starts.append(len(text) + (1 if text else 0))
                    text += ("\n" if text else "") + sent[1]
                # token -> character span in our text: the sentence's tokens carry document offsets; shift them
                tokens = []
                for k, sent in enumerate(d["sentences"]):
                    base = sent[0][0][1] if sent[0] else 0
                    tokens += [(starts[k] + a - base, starts[k] + b - base) for _, a, b in sent[0]]
                mentions = {m["id"]: (tokens[m["start"]][0], tokens[m["end"] - 1][1]) for m in d["entity_mentions"]}
                events = []
                for e in d["event_mentions"]:
                    kind = ".".join(e["event_type"].split(".")[:2])
                    if kind not in WIKIEVENTS_ROLES:
                        continue
                    trig = e["trigger"]
                    args = {r: [] for r in ROLES}
                    for a in e["arguments"]:
                        role = WIKIEVENTS_ROLES[kind].get(a["role"])
                        if role and a["entity_id"] in mentions:  # the argument and the mentions coreferent with it
                            args[role].append([mentions[m] for m in clusters.get(a["entity_id"], [a["entity_id"]])
                                               if m in mentions])
                    events.append({"trigger": (tokens[trig["start"]][0], tokens[trig["end"] - 1][1]), "args": args})
            except (KeyError, IndexError, TypeError, ValueError):
                raise EvalError(f"{path}:{n}: expected a WikiEvents document (sentences, entity_mentions, "
                                "event_mentions)") from None
            yield Document(id=d["doc_id"], text=text, language="en"), {"events": events, "spans": None}


def examples(path: Path) -> Iterator[tuple[Document, dict]]:
    if path.suffix.lower() == ".jsonl":
        return _wikievents(path)
    if path.suffix.lower() == ".txt":
        return _cameo(path)
    raise EvalError(f"{path}: give ConfliBERT CAMEO spans (.txt) or WikiEvents (.jsonl)")


def _filler_spans(record: dict, entity: str | None) -> list[tuple[int, int]]:
    if not entity:
        return []
    return [(m["start"], m["end"]) for m in record.get("mentions", [])
            if entity in (m.get("entity"), m.get("place"))]  # a state's name is an actor and a place


def _overlaps(spans, gold) -> bool:
    return any(a < d and c < b for a, b in spans for c, d in gold)


class Scorer:
    def __init__(self):
        self.c: dict[str, Counter] = {r: Counter() for r in ROLES}
        self.events = Counter()

    def add(self, record: dict, gold: dict) -> None:
        coded = [e for e in record.get("events", []) if e.get("type") not in (None, "Other")]
        if gold["spans"] is not None:  # CAMEO: one sentence, its main event's roles
            for role in ("actor1", "actor2"):
                fillers = {e.get(role) for e in coded if e.get(role)}
                spans = gold["spans"][role]
                self.c[role]["gold"] += len(spans)
                self.c[role]["pred"] += len(fillers)
                self.c[role]["right"] += sum(_overlaps(_filler_spans(record, f), spans) for f in fillers)
                found = [s for f in fillers for s in _filler_spans(record, f)]
                self.c[role]["found"] += sum(_overlaps(found, [g]) for g in spans)
            return
        for g in gold["events"]:
            a, b = g["trigger"]
            e = next((e for e in coded if e["evidence"]["start"] <= a and b <= e["evidence"]["end"]), None)
            self.events["gold"] += 1
            self.events["found"] += e is not None
            for role in ROLES:
                args = g["args"][role]  # per argument, the spans of its mentions
                self.c[role]["gold"] += len(args)
                if e is None or not e.get(role) or not args:  # nothing annotated for the role: not judged
                    continue
                self.c[role]["pred"] += 1
                got = _filler_spans(record, e[role])
                self.c[role]["right"] += any(_overlaps(got, spans) for spans in args)
                self.c[role]["found"] += sum(_overlaps(got, spans) for spans in args)

    def rows(self) -> list[dict]:
        out = []
        if self.events["gold"]:
            out.append({"measure": "events found (evidence covers the gold trigger)",
                        "value": round(self.events["found"] / self.events["gold"], 4), "gold": self.events["gold"]})
        for role in ROLES:
            c = self.c[role]
            if c["gold"] or c["pred"]:
                out.append({"measure": role, **prf(c["right"], c["pred"], c["found"], c["gold"]),
                            "gold": c["gold"], "pred": c["pred"]})
        return out
