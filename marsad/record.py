"""The `marsad/1` record (../docs/schema.md): build an empty one from a Document, and check one."""
from __future__ import annotations

from .ingest import Document

SCHEMA = "marsad/1"
# Lists of objects that carry offsets into `text`, and the key of each offset pair.
SPAN_LISTS = {"sentences": None, "mentions": None, "techniques": None, "events": "evidence"}
# The fields a new record takes from its Document, there before any stage runs (`language` is not: it may be
# None until the language stage).
FROM_DOCUMENT = ("id", "title", "source", "url", "published", "text", "warnings")


def new(doc: Document) -> dict:
    """A record with every field of marsad/1 present; stages fill the lists."""
    return {
        "schema": SCHEMA,
        "id": doc.id,
        "title": doc.title,
        "source": doc.source,
        "url": doc.url,
        "published": doc.published,
        "language": doc.language,
        "language_score": None,
        "text": doc.text,
        "sentences": [],
        "mentions": [],
        "entities": {},
        "events": [],
        "techniques": [],
        "scores": {},
        "warnings": list(doc.warnings),
    }


def add_warning(record: dict, warning: str) -> None:
    """One warning in the record's `warnings` (once), where the record has that list."""
    if isinstance(record.get("warnings"), list) and warning not in record["warnings"]:
        record["warnings"].append(warning)


def validate(record: dict) -> list[str]:
    """Problems with a record (empty when it is valid): missing fields, offsets that do not index `text`,
    mention text that differs from the text it points at, entity ids used but not described."""
    problems = []
    for key in ("schema", "id", "language", "text", "mentions", "entities", "events", "techniques", "scores"):
        if key not in record:
            problems.append(f"missing field {key!r}")
    if problems:
        return problems
    if record["schema"] != SCHEMA:
        problems.append(f"schema is {record['schema']!r}, not {SCHEMA!r}")
    text = record["text"]
    for name, sub in SPAN_LISTS.items():
        for k, item in enumerate(record.get(name, [])):
            span = item.get(sub) if sub else item
            if not span:
                continue
            a, b = span.get("start"), span.get("end")
            if not (isinstance(a, int) and isinstance(b, int) and 0 <= a <= b <= len(text)):
                problems.append(f"{name}[{k}]: offsets {a}..{b} do not index text of length {len(text)}")
            elif name == "mentions" and item.get("text") != text[a:b]:
                problems.append(f"mentions[{k}]: text {item.get('text')!r} != text[{a}:{b}] {text[a:b]!r}")
    problems += _check_persuasion(record.get("persuasion"))
    used = {m.get(k) for m in record["mentions"] for k in ("entity", "place")} | {
        e.get(k) for e in record["events"] for k in ("actor1", "actor2", "place", "claimed_by")}
    for ent in sorted(x for x in used if x and x not in record["entities"]):
        problems.append(f"entity {ent!r} is used but not described in entities")
    return problems


def _check_persuasion(p) -> list[str]:
    """The optional `persuasion` field: {score 0..1, per_1000_words >= 0, families {family: >= 0}, method, ...}."""
    if p is None:
        return []
    if not isinstance(p, dict):
        return ["persuasion is not an object"]
    from .techniques.persuasion import FAMILIES

    out = []
    sc = p.get("score")
    if not (isinstance(sc, (int, float)) and 0 <= sc <= 1):
        out.append(f"persuasion.score {sc!r} is not a number in 0..1")
    rate = p.get("per_1000_words")
    if not (isinstance(rate, (int, float)) and rate >= 0):
        out.append(f"persuasion.per_1000_words {rate!r} is not a number >= 0")
    fams = p.get("families")
    if not isinstance(fams, dict):
        out.append("persuasion.families is not an object")
    else:
        for f, v in fams.items():
            if f not in FAMILIES:
                out.append(f"persuasion.families: unknown family {f!r}")
            elif not (isinstance(v, (int, float)) and v >= 0):
                out.append(f"persuasion.families[{f!r}] {v!r} is not a number >= 0")
        if isinstance(rate, (int, float)) and abs(sum(v for v in fams.values() if isinstance(v, (int, float)))
                                                  - rate) > 0.05 + 0.01 * len(fams):
            out.append("persuasion.families do not add up to per_1000_words")
    if not isinstance(p.get("method"), str):
        out.append("persuasion.method is not a string")
    for k in ("technique_score", "encoder"):  # the v2 score's parts, where it has them
        v = p.get(k, 0.0)
        if not (isinstance(v, (int, float)) and 0 <= v <= 1):
            out.append(f"persuasion.{k} {v!r} is not a number in 0..1")
    return out
