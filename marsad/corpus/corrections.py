"""Analysts' corrections of the machine's records, kept apart from them (table `corrections`, migration 5).

A correction changes one field of one item of a document: an event (type, sub_type, plover, actor1, actor2,
place, date, modality), a mention (entity, type) or a technique span (technique); or deletes an item, or adds a
mention or technique span the machine missed. The record in `documents.record` stays the machine's output, so
re-ingest and re-analysis (which rewrite it) never touch a correction; every read path overlays them with
`apply_corrections`, which marks each corrected item `"checked": "human"` (with the analyst's `note`) and
lists what it did under the record's `corrections` (docs/schema.md, docs/corpus.md "Corrections").

The target key survives re-analysis because it is made of the text, not of rows: the document's id, the kind,
the item's span (an event's evidence span) and `n`, the item's position among the items of that kind with the
same span (0 unless two events share one evidence sentence). A correction whose target the current record no
longer has is kept and reported as "orphaned", never dropped.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ..ingest import InputError
from .backend import table_exists, write_transaction
from .rows import INDEX_TABLES, index_rows, load_record

KINDS = ("event", "mention", "technique")
LISTS = {"event": "events", "mention": "mentions", "technique": "techniques"}
FIELDS = {
    "event": ("type", "sub_type", "plover", "actor1", "actor2", "place", "date", "modality", "deleted"),
    "mention": ("entity", "type", "deleted", "added"),
    "technique": ("technique", "deleted", "added"),
}
ENTITY_FIELDS = ("actor1", "actor2", "place", "entity")  # values are entity ids, described in `entities`
EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments")  # ACLED's six
MENTION_TYPES = ("PER", "ORG", "LOC", "MISC")
HUMAN = "human"
COLUMNS = ("id", "doc_id", "target", "target_start", "target_end", "target_n", "field", "old_value", "new_value",
           "note", "author", "created", "superseded_by")
_SLUG = re.compile(r"[^\w]+")

Key = tuple[int, int, int]  # (start, end, n)


class CorrectionError(InputError):
    """A correction that cannot be made (no such document, target, field or value); says why."""


# --- overlaying corrections on a record ------------------------------------------------------------------------

def span_of(kind: str, item: Mapping) -> tuple[int, int] | None:
    span = item.get("evidence") if kind == "event" else item
    if not isinstance(span, Mapping):
        return None
    a, b = span.get("start"), span.get("end")
    return (a, b) if isinstance(a, int) and isinstance(b, int) else None


def keyed(items: Iterable[Mapping], kind: str) -> dict[Key, Mapping]:
    """The items of one kind by target key (start, end, n)."""
    out, seen = {}, Counter()
    for item in items:
        span = span_of(kind, item) if isinstance(item, Mapping) else None
        if span is not None:
            out[(*span, seen[span])] = item
            seen[span] += 1
    return out


def key_text(key: Key) -> str:
    """A key as the CLI takes it: START:END, or START:END#N when n > 0."""
    return f"{key[0]}:{key[1]}" + (f"#{key[2]}" if key[2] else "")


def parse_key(text: str) -> Key:
    m = re.fullmatch(r"\s*(\d+)\s*[:-]\s*(\d+)\s*(?:#\s*(\d+))?\s*", text or "")
    if not m:
        raise CorrectionError(f"{text!r}: give the span as START:END (or START:END#N), e.g. 120:168")
    return int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)


@dataclass
class Overlay:
    """A record with corrections applied; deleted items still in place (marked) so that keys stay stable."""
    record: dict
    keys: dict[str, dict[Key, dict]]
    applied: list[dict] = field(default_factory=list)  # the corrections with their status

    def live(self, kind: str) -> list[tuple[Key, dict]]:
        """(key, item) of the items of `kind` that are not deleted, in record order."""
        return [(k, it) for k, it in self.keys[kind].items() if not it.get("_deleted")]


def overlay(record: Mapping, corrections: Iterable[Mapping]) -> Overlay:
    rec = dict(record)
    for name in LISTS.values():
        rec[name] = [dict(x) if isinstance(x, Mapping) else x for x in record.get(name) or []]
    rec["entities"] = dict(record.get("entities") or {})
    keys = {kind: dict(keyed(rec[LISTS[kind]], kind)) for kind in KINDS}
    out = Overlay(rec, keys)
    for c in sorted(corrections, key=lambda c: c["id"]):
        kind, key = c["target"], (c["target_start"], c["target_end"], c["target_n"])
        new = _loads(c["new_value"])
        item = keys.get(kind, {}).get(key)
        if c["field"] == "added" and item is None and isinstance(new, Mapping):
            item = _added_item(kind, key, new, rec)
            rec[LISTS[kind]].append(item)
            keys[kind][key] = item
        status = "orphaned" if item is None else "applied"
        if item is not None:
            _set(item, c["field"], new, rec["entities"])
            item["checked"] = HUMAN
            if c.get("note"):
                item["note"] = c["note"]
        out.applied.append(summary(c) | {"status": status})
    return out


def apply_corrections(record: dict, corrections: Iterable[Mapping]) -> dict:
    """`record` with `corrections` (rows of the corrections table, active ones) applied: corrected items marked
    `"checked": "human"` (and `note`), deleted ones left out, added ones appended, and the record's
    `corrections` listing each with its status (applied, orphaned). No corrections: `record` itself."""
    corrections = list(corrections)
    if not corrections:
        return record
    ov = overlay(record, corrections)
    rec = ov.record
    for name in LISTS.values():
        rec[name] = [x for x in rec[name] if not (isinstance(x, Mapping) and x.get("_deleted"))]
    if any(c["target"] == "technique" for c in corrections):
        rec["technique_counts"] = dict(Counter(t.get("technique") for t in rec["techniques"] if t.get("technique")))
        if "persuasion" in rec:  # the measure follows the corrected spans
            from ..techniques.persuasion import persuasion

            rec["persuasion"] = persuasion(rec)
    rec["corrections"] = ov.applied
    return rec


def _set(item: dict, name: str, new, entities: dict) -> None:
    if name == "deleted":
        item["_deleted"] = bool(new)
    elif name == "added":
        item.update({k: v for k, v in new.items() if k not in ("start", "end", "description")})
        _describe(new.get("entity"), new.get("description"), entities)
    elif name in ENTITY_FIELDS and isinstance(new, Mapping):
        item[name] = new.get("id")
        _describe(new.get("id"), new.get("description"), entities)
    else:
        item[name] = new


def _describe(entity_id, description, entities: dict) -> None:
    if entity_id and entity_id not in entities:
        entities[entity_id] = dict(description or {})


def _added_item(kind: str, key: Key, new: Mapping, rec: Mapping) -> dict:
    start, end = key[0], key[1]
    if kind == "mention":
        return {"start": start, "end": end, "text": (rec.get("text") or "")[start:end], "type": new.get("type"),
                "entity": None, "confidence": 1.0}
    return {"technique": new.get("technique"), "start": start, "end": end, "confidence": 1.0}


def summary(c: Mapping) -> dict:
    """A correction as records, listings and exports show it."""
    return {"id": c["id"], "doc_id": c["doc_id"], "target": c["target"], "start": c["target_start"],
            "end": c["target_end"], "n": c["target_n"], "field": c["field"], "old": _shown(_loads(c["old_value"])),
            "new": _shown(_loads(c["new_value"])), "note": c.get("note"), "author": c.get("author"),
            "created": c.get("created")}


def _shown(value):
    """An entity value as its id (the stored value also carries the entity's description)."""
    return value["id"] if isinstance(value, Mapping) and "id" in value and "description" in value else value


def _loads(value):
    return json.loads(value) if value is not None else None


# --- the table ---------------------------------------------------------------------------------------------------

def active_corrections(conn, doc_ids: Iterable[str] | None = None, *, history: bool = False) -> list[dict]:
    """Corrections (all documents, or those of `doc_ids`) oldest first; superseded ones only with `history`."""
    if not table_exists(conn, "corrections"):
        return []  # a database opened without migrating (tests of older versions)
    where, params = ([] if history else ["superseded_by IS NULL"]), []
    if doc_ids is not None:
        doc_ids = [str(d) for d in doc_ids]
        if not doc_ids:
            return []
        where.append(f"doc_id IN ({', '.join('?' * len(doc_ids))})")
        params += doc_ids
    sql = f"SELECT {', '.join(COLUMNS)} FROM corrections" + (f" WHERE {' AND '.join(where)}" if where else "")
    return [dict(zip(COLUMNS, row)) for row in conn.execute(sql + " ORDER BY id", params).fetchall()]


def save(conn, doc_id: str, kind: str, key: Key, changes: Mapping[str, tuple], note: str | None,
         author: str) -> list[int]:
    """Store one correction per changed field ({field: (old, new)}) in one transaction, superseding earlier
    corrections of the same target and field, and rewrite the document's index rows. Returns the new ids."""
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    ids = []
    with write_transaction(conn):
        for name, (old, new) in changes.items():
            row = conn.execute(
                "INSERT INTO corrections(doc_id, target, target_start, target_end, target_n, field, old_value, "
                "new_value, note, author, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (doc_id, kind, key[0], key[1], key[2], name, json.dumps(old, ensure_ascii=False),
                 json.dumps(new, ensure_ascii=False), note or None, author, now)).fetchone()
            conn.execute("UPDATE corrections SET superseded_by = ? WHERE doc_id = ? AND target = ? AND "
                         "target_start = ? AND target_end = ? AND target_n = ? AND field = ? AND id != ? "
                         "AND superseded_by IS NULL", (row[0], doc_id, kind, *key, name, row[0]))
            ids.append(row[0])
        for rowid, text, rec in conn.execute("SELECT rowid, text, record FROM documents WHERE id = ?",
                                             (doc_id,)).fetchall():
            write_index_rows(conn, rowid, load_record(text, rec))
    return ids


def write_index_rows(conn, rowid: int, record: Mapping, *, replace: bool = True) -> None:
    """Document `rowid`'s index rows (what filters, facets, the map and compare read) from its machine `record`
    with the analysts' corrections over it; `replace`: its old rows go first. documents.record stays the
    machine's output. Used at ingest, after a correction and at re-analysis."""
    if replace:
        for table in INDEX_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE doc = ?", (rowid,))
    index_rows(conn, rowid, apply_corrections(record, active_corrections(conn, [record.get("id")])))


def correct(corpus, doc_id: str, kind: str, key: Key, changes: Mapping[str, object], *, note: str | None = None,
            author: str = "analyst") -> list[int]:
    """Correct fields of one item of a stored document ({field: value}; "deleted": True removes the item; for a
    mention or technique span the machine missed, "added": its label). Values are checked and normalised
    (an actor or place given by name becomes its entity id). Raises CorrectionError."""
    if kind not in KINDS:
        raise CorrectionError(f"target must be one of {', '.join(KINDS)}, not {kind!r}")
    record = corpus.get(doc_id, machine=True)
    if record is None:
        raise CorrectionError(f"no document with id {doc_id!r}")
    ov = overlay(record, active_corrections(corpus.conn, [doc_id]))
    item = ov.keys[kind].get(key)
    if "added" in changes:
        if not (0 <= key[0] < key[1] <= len(record.get("text") or "")):
            raise CorrectionError(f"{key_text(key)} is not a span of the text (0..{len(record.get('text') or '')})")
        key = (key[0], key[1], sum(1 for k in ov.keys[kind] if k[:2] == key[:2]))  # after any item there
        item = {}
    elif item is None or item.get("_deleted"):
        shown = ", ".join(key_text(k) for k, _ in ov.live(kind)[:12]) or "none"
        raise CorrectionError(f"{doc_id}: no {kind} at {key_text(key)} (its {LISTS[kind]}: {shown}; "
                              f"`marsad correct {doc_id} --list` shows them)")
    if not changes:
        raise CorrectionError("nothing to change: give --set FIELD=VALUE, --delete or --add")
    out = {}
    for name, value in changes.items():
        if name not in FIELDS[kind]:
            raise CorrectionError(f"{LISTS[kind]} have no correctable field {name!r}: {', '.join(FIELDS[kind])}")
        new = normalise(corpus.conn, kind, name, value, str(changes.get("type") or item.get("type")).upper() == "LOC")
        out[name] = (item.get(name) if name not in ("deleted", "added") else None, new)
    return save(corpus.conn, doc_id, kind, key, out, note, author)


def normalise(conn, kind: str, name: str, value, location: bool = False):
    """The value to store for field `name`, or CorrectionError. `location`: a mention's entity is looked up
    among places first."""
    text = value.strip() if isinstance(value, str) else value
    if name == "deleted":
        return bool(value)
    if name == "added":
        label_field = "technique" if kind == "technique" else "type"
        return {label_field: normalise(conn, kind, label_field, value)}
    if text in ("", None):
        if name in ("type", "technique"):
            raise CorrectionError(f"{name} cannot be empty")
        return None  # an actor, place, date... the analyst says the text does not give
    if name in ENTITY_FIELDS:
        return resolve_entity(conn, text, place=name == "place" or location, either=name == "entity")
    if name == "date":
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise CorrectionError(f"date must be YYYY-MM-DD, not {text!r}") from None
    if name == "modality":
        from .values import MODALITIES

        if text.lower() not in MODALITIES:
            raise CorrectionError(f"modality must be one of {', '.join(MODALITIES)}, not {text!r}")
        return text.lower()
    if name == "technique":
        from .values import vocabulary

        found = vocabulary(conn, "technique").resolve(text)
        if len(found) != 1:
            raise CorrectionError(f"technique {text!r} names several: {', '.join(found)}")
        return found[0]
    if kind == "event" and name == "type":
        match = [t for t in EVENT_TYPES if t.casefold() == text.casefold()]
        if not match:
            raise CorrectionError(f"event type must be one of ACLED's: {', '.join(EVENT_TYPES)}")
        return match[0]
    if kind == "mention" and name == "type":
        if text.upper() not in MENTION_TYPES:
            raise CorrectionError(f"mention type must be one of {', '.join(MENTION_TYPES)}")
        return text.upper()
    return text


def resolve_entity(conn, given: str, *, place: bool, either: bool = False) -> dict:
    """{"id", "description"} of the actor or place `given` (an id, or a name in either script), looked up among
    places or actors as `place` says (and, with `either`, among the other kind when that finds nothing: a
    mention may name either); a name no dictionary, gazetteer or stored record knows becomes a new `ent:`
    entity, as the pipeline names them."""
    from .values import UnknownValue, vocabulary

    found: list[str] = []
    for vocab in (place, not place) if either else (place,):
        try:
            found = vocabulary(conn, "place" if vocab else "actor").resolve(given)
        except UnknownValue as e:
            if "several" in str(e):
                raise CorrectionError(str(e)) from None
        if found:
            break
    if len(found) > 1:
        raise CorrectionError(f"{given!r} names several: {', '.join(found)}; give one id")
    if found:
        return {"id": found[0], "description": describe(conn, found[0])}
    slug = _SLUG.sub("-", given.casefold()).strip("-") or "x"
    arabic = bool(re.search(r"[\u0600-\u06FF]", given))
    return {"id": given if given.startswith("ent:") else f"ent:{slug}",
            "description": {"name": None if arabic else given, "name_ar": given if arabic else None,
                            "kind": "place" if place else "organization"}}


def describe(conn, entity_id: str) -> dict:
    """An entity's description: as a stored record has it, else from marsad's dictionaries."""
    cols = ("name", "name_ar", "kind", "side", "country", "lat", "lon", "admin1")
    row = conn.execute(f"SELECT {', '.join(cols)} FROM entities WHERE entity = ? LIMIT 1", (entity_id,)).fetchone()
    if row:
        return {k: v for k, v in zip(cols, row) if v is not None}
    try:
        if entity_id.startswith(("geonames:", "place:")):
            from ..places.resolve import describe as place

            return place(entity_id) or {"name": entity_id, "kind": "place"}
        from ..entities.actors import describe as actor

        return actor(entity_id)
    except KeyError:
        return {"name": entity_id.split(":", 1)[-1]}


def orphaned(corpus) -> list[dict]:
    """The active corrections whose target the current record no longer has (or whose document is gone)."""
    out = []
    by_doc: dict[str, list[dict]] = {}
    for c in active_corrections(corpus.conn):
        by_doc.setdefault(c["doc_id"], []).append(c)
    for doc_id, cs in by_doc.items():
        record = corpus.get(doc_id, machine=True)
        if record is None:
            out += [summary(c) | {"status": "orphaned"} for c in cs]
        else:
            out += [s for s in overlay(record, cs).applied if s["status"] == "orphaned"]
    return out
