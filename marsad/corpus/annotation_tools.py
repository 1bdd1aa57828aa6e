"""Round trips through annotation tools: the stored records as Label Studio tasks (marsad's analysis as
`predictions`) or doccano JSONL (marsad's spans as `label`), and their annotations read back as corrections
(corrections.py: what the annotator changed from marsad's output, author "labelstudio" or "doccano").

Three span layers, in both tools: `entity` (mentions, labelled PER, ORG, LOC, MISC), `technique` (persuasion
technique spans, labelled with the 23 technique codes) and `event` (each event's evidence span, labelled with
its ACLED event type; "Other" for an event without one). doccano has one label set, so an event's label is
written `event:<type>` there; technique codes and entity types do not collide.

Read back, per document and layer: a span with the same offsets and label as marsad's is no change; the same
offsets with another label change the label (a mention's type, a technique, an event's type); a marsad span
the annotator removed is deleted; a new entity or technique span is added (a new event span is reported and
skipped: an event is more than a span). A document whose text differs from the stored one is skipped, since
its offsets would point elsewhere.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Iterator, TextIO

from .corrections import (EVENT_TYPES, KINDS, MENTION_TYPES, CorrectionError, active_corrections, correct, overlay,
                          span_of)

LAYERS = {"mention": "entity", "technique": "technique", "event": "event"}  # kind -> Label Studio from_name
KIND_OF_LAYER = {v: k for k, v in LAYERS.items()}
LABEL_FIELD = {"mention": "type", "technique": "technique", "event": "type"}
NO_EVENT_TYPE = "Other"
EVENT_PREFIX = "event:"  # doccano: the event layer's labels


def _techniques() -> list[str]:
    from ..outputs.html_parts import technique_info

    return sorted(technique_info())


def label_config() -> str:
    """The Label Studio labeling config the tasks' predictions match (from_name/to_name)."""
    def labels(name: str, values) -> str:
        inner = "".join(f'\n    <Label value="{escape(v)}"/>' for v in values)
        return f'  <Labels name="{name}" toName="text">{inner}\n  </Labels>\n'

    return ("<View>\n" + labels("entity", MENTION_TYPES) + labels("technique", _techniques())
            + labels("event", EVENT_TYPES + (NO_EVENT_TYPE,)) + '  <Text name="text" value="$text"/>\n</View>\n')


def spans(record: dict) -> Iterator[tuple[str, int, int, str]]:
    """(kind, start, end, label) of the record's mentions, technique spans and event evidence spans."""
    for kind in KINDS:
        for item in record.get(f"{kind}s") or []:
            span = span_of(kind, item)
            if span is not None:
                yield kind, span[0], span[1], item.get(LABEL_FIELD[kind]) or (NO_EVENT_TYPE if kind == "event" else "")


def labelstudio_task(record: dict) -> dict:
    text = record.get("text") or ""
    result = [{"id": f"{kind[0]}{k}", "from_name": LAYERS[kind], "to_name": "text", "type": "labels",
               "value": {"start": a, "end": b, "text": text[a:b], "labels": [label]}}
              for k, (kind, a, b, label) in enumerate(spans(record))]
    from .. import __version__

    return {"data": {"text": text, "doc_id": record.get("id"), "title": record.get("title"),
                     "language": record.get("language")},
            "predictions": [{"model_version": f"marsad {__version__}", "result": result}]}


def doccano_line(record: dict) -> dict:
    return {"text": record.get("text") or "", "doc_id": record.get("id"), "language": record.get("language"),
            "label": [[a, b, EVENT_PREFIX + label if kind == "event" else label] for kind, a, b, label in spans(record)]}


class LabelStudioWriter:
    """Label Studio tasks (a JSON array, streamed): import them with the config of `label_config()`."""

    def __init__(self, stream: TextIO):
        self.stream, self.count = stream, 0

    def write(self, record: dict) -> None:
        self.stream.write(("[\n" if self.count == 0 else ",\n") + json.dumps(labelstudio_task(record), ensure_ascii=False))
        self.count += 1

    def close(self) -> None:
        self.stream.write("[]\n" if self.count == 0 else "\n]\n")


class DoccanoWriter:
    """doccano sequence-labelling JSONL: one document a line, `text` and `label: [[start, end, label]]`."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, record: dict) -> None:
        self.stream.write(json.dumps(doccano_line(record), ensure_ascii=False) + "\n")

    def close(self) -> None:
        pass


# --- reading annotations back -------------------------------------------------------------------------------

Annotated = dict[str, list[tuple[int, int, str]]]  # kind -> (start, end, label)


def from_labelstudio(task: dict) -> tuple[str | None, str, Annotated] | None:
    """(doc id, text, spans) of a task's latest annotation that was not cancelled; None when it has none."""
    done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not done:
        return None
    out: Annotated = {k: [] for k in KINDS}
    for r in done[-1].get("result") or []:
        kind, value = KIND_OF_LAYER.get(r.get("from_name")), r.get("value") or {}
        if kind and value.get("labels") and isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
            out[kind].append((value["start"], value["end"], value["labels"][0]))
    data = task.get("data") or {}
    return data.get("doc_id"), data.get("text") or "", out


def from_doccano(line: dict) -> tuple[str | None, str, Annotated]:
    """(doc id, text, spans) of a doccano line: `label` [[start, end, label]] or `entities` (newer exports)."""
    out: Annotated = {k: [] for k in KINDS}
    techniques = set(_techniques())
    raw = [tuple(x[:3]) for x in line.get("label") or [] if isinstance(x, list) and len(x) >= 3]
    raw += [(e.get("start_offset"), e.get("end_offset"), e.get("label")) for e in line.get("entities") or []]
    for a, b, label in raw:
        if not (isinstance(a, int) and isinstance(b, int) and isinstance(label, str)):
            continue
        if label.startswith(EVENT_PREFIX):
            out["event"].append((a, b, label[len(EVENT_PREFIX):]))
        else:
            out["technique" if label in techniques else "mention"].append((a, b, label))
    doc_id = line.get("doc_id") or (line.get("meta") or {}).get("doc_id")
    return doc_id, line.get("text") or "", out


def differences(ov, annotated: Annotated) -> Iterator[tuple[str, tuple, dict]]:
    """(kind, key, {field: value}) turning the overlaid record's spans into the annotated ones."""
    for kind in KINDS:
        wanted = Counter(annotated.get(kind) or [])
        have = []
        for key, item in ov.live(kind):
            label = item.get(LABEL_FIELD[kind]) or (NO_EVENT_TYPE if kind == "event" else "")
            if wanted[(key[0], key[1], label)] > 0:
                wanted[(key[0], key[1], label)] -= 1  # unchanged
            else:
                have.append((key, label))
        left = list(wanted.elements())
        for key, label in have:
            relabel = next((w for w in left if w[:2] == key[:2]), None)
            if relabel is not None:
                left.remove(relabel)
                if not (kind == "event" and relabel[2] == NO_EVENT_TYPE):
                    yield kind, key, {LABEL_FIELD[kind]: relabel[2]}
            else:
                yield kind, key, {"deleted": True}
        for a, b, label in left:
            yield kind, (a, b, 0), {"added": label}


@dataclass
class ImportStats:
    documents: int = 0
    corrections: int = 0
    skipped: list[str] = field(default_factory=list)  # why a document or a change was not imported


def read_annotations(path: str | Path, fmt: str = "auto") -> tuple[str, list]:
    """(format, [(doc id, text, spans)]) of a Label Studio JSON export or a doccano JSONL file."""
    raw = Path(path).read_text(encoding="utf-8")
    if fmt == "auto":
        fmt = "labelstudio" if raw.lstrip().startswith("[") else "doccano"
    if fmt == "labelstudio":
        tasks = json.loads(raw)
        return fmt, [x for x in (from_labelstudio(t) for t in (tasks if isinstance(tasks, list) else [tasks])) if x]
    if fmt == "doccano":
        return fmt, [from_doccano(json.loads(ln)) for ln in raw.splitlines() if ln.strip()]
    raise ValueError(f"unknown annotation format {fmt!r}: labelstudio or doccano")


def import_annotations(corpus, path: str | Path, fmt: str = "auto") -> ImportStats:
    """Store what the annotations in `path` change in the corpus as corrections (author: the tool's name)."""
    fmt, documents = read_annotations(path, fmt)
    stats = ImportStats()
    for doc_id, text, annotated in documents:
        record = corpus.get(str(doc_id), machine=True) if doc_id is not None else None
        if record is None or (record.get("text") or "") != text:
            stats.skipped.append(f"{doc_id}: " + ("no such document in the corpus" if record is None else
                                                  "its text differs from the stored one; offsets would not match"))
            continue
        stats.documents += 1
        ov = overlay(record, active_corrections(corpus.conn, [doc_id]))
        for kind, key, changes in list(differences(ov, annotated)):
            if kind == "event" and "added" in changes:
                stats.skipped.append(f"{doc_id}: new event span {key[0]}:{key[1]} skipped (add events with "
                                     f"`marsad correct` on an existing one, or in the web app)")
                continue
            try:
                stats.corrections += len(correct(corpus, str(doc_id), kind, key, changes,
                                                 note=f"imported from {fmt}", author=fmt))
            except CorrectionError as e:
                stats.skipped.append(f"{doc_id}: {kind} {key[0]}:{key[1]}: {e}")
    return stats


def training_examples(corpus) -> Iterator[dict]:
    """The documents analysts corrected, as training data: doccano-style `label` spans of the corrected record
    (every span, corrected or not: the document as a whole was checked where it was corrected), its events,
    and `checked`, the spans an analyst changed or confirmed."""
    ids = sorted({c["doc_id"] for c in active_corrections(corpus.conn)})
    for doc_id in ids:
        record = corpus.get(doc_id)
        if record is None:
            continue
        line = doccano_line(record)
        line["events"] = [{k: ev.get(k) for k in ("type", "sub_type", "plover", "actor1", "actor2", "place", "date",
                                                   "modality", "evidence", "checked")} for ev in record.get("events") or []]
        line["checked"] = [[*span_of(kind, item), kind] for kind in KINDS for item in record.get(f"{kind}s") or []
                           if item.get("checked") and span_of(kind, item)]
        line["corrections"] = [c for c in record.get("corrections") or [] if c.get("status") == "applied"]
        yield line


def conll_documents(records) -> list:
    """The records' mentions as `marsad train ner` reads its data (marsad/train/ner.py: documents of sentences of
    (tokens, IOB2 tags)), cut into tokens as the NER models cut text (marsad/entities/tokens.py). Mentions that
    are an outlet's label for a group ("terrorists": `label` set) are descriptions, not names, and stay O."""
    from ..entities.tokens import tokenize

    docs = []
    for record in records:
        text = record.get("text") or ""
        names = [m for m in record.get("mentions") or [] if not m.get("label") and span_of("mention", m)]
        doc = []
        for sentence in record.get("sentences") or [{"start": 0, "end": len(text)}]:
            toks, tags = [], []
            for a, b in tokenize(text, sentence["start"], sentence["end"]):
                m = next((m for m in names if m["start"] <= a and b <= m["end"]), None)
                toks.append(text[a:b])
                tags.append("O" if m is None else f"{'B' if m['start'] == a or not tags or tags[-1] == 'O' else 'I'}-"
                            f"{m.get('type') or 'MISC'}")
            if toks:
                doc.append((toks, tags))
        docs.append(doc)
    return docs
