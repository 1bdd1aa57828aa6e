"""Filter values as people write them: every spelling a record or a page shows is accepted, and an unknown
value is an error that names the nearest valid ones instead of an empty result.

A filter value is resolved against a vocabulary of canonical values, each with its spellings:
  technique   the code (Loaded_Language) and the label pages show (Loaded Language), any case
  event_type  ACLED type or sub-type, or PLOVER type (air/drone strike = Air/drone strike)
  actor       the entity id (actor:russia), its tail (russia), its English or Arabic name, any surface form a
              document used for it (قسد), and (for filters) every alias of marsad's actor dictionary
  place       the place id (geonames:79415), its names in both scripts, the surface forms documents used, and
              the gazetteer's names (Hodeidah -> geonames:79415 even where only الحديدة was written)
  side, modality, source, lang   the values themselves, any case; sides also by one of their words
The vocabularies hold the values stored in the corpus plus the values marsad knows in general (the 23
techniques, the actor dictionary, the modalities), so a known value the corpus lacks gives no documents
rather than an error. They are read once per database state (document count and last rowid) and kept.
"""
from __future__ import annotations

import difflib
import re
import sqlite3
import threading
from collections import defaultdict
from typing import Callable

from ..ingest import InputError
from ..lang import fold_for_matching
from .backend import identity, table_exists

_NON_WORD = re.compile(r"[\W_]+")
MODALITIES = ("asserted", "reported", "planned", "hypothetical", "negated")
MODALITY_ALIASES = {"denied": "negated", "claimed": "reported", "attributed": "reported", "fact": "asserted"}
LANGUAGES = {"ar": ("arabic", "العربية", "عربي"), "en": ("english", "الإنجليزية", "انجليزي")}
# The filters whose value names one of several stored spellings (the rest are dates, numbers or points).
RESOLVED = ("technique", "event_type", "actor", "place", "side", "modality", "source", "lang")


class UnknownValue(InputError):
    """A filter value no spelling matches (or that matches several values): says which are nearest."""

    def __init__(self, name: str, given: str, nearest: list[str], ambiguous: bool = False):
        self.name, self.given, self.nearest = name, given, nearest
        flag = "--" + name.replace("_", "-")
        if ambiguous:
            msg = f"{flag} {given!r} matches several values: {', '.join(nearest)}; give one of them"
        elif nearest:
            msg = f"{flag} {given!r}: no such value in this corpus; nearest: {', '.join(nearest)}"
        else:
            msg = f"{flag} {given!r}: no such value in this corpus"
        super().__init__(msg + " (`marsad facets` lists every value with its count)")


def key(text: str) -> str:
    """What two spellings of one value share: folded (case, diacritics, Arabic letter variants), with every run
    of punctuation, underscores and spaces as one space."""
    return _NON_WORD.sub(" ", fold_for_matching(str(text)).text).strip()


class Vocabulary:
    """Canonical values of one filter with their spellings (by key) and a label each for people."""

    def __init__(self, name: str):
        self.name = name
        self.spellings: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[str, str] = {}
        self.stored: set[str] = set()   # values the corpus holds (suggestions come from these first)
        self.fallback = None            # given -> set of values, tried when no spelling matches exactly
        self.extend = None              # adds the spellings marsad knows beyond the corpus, once, when a
                                        # filter value is not among the corpus's own (the actor dictionary)
        self.exact: dict[str, str] = {}  # casefolded value -> value: the value itself wins over its spellings

    def add(self, value: str, *spellings, label: str | None = None, stored: bool = False) -> None:
        if not value:
            return
        self.exact.setdefault(value.casefold(), value)
        for s in (value, *spellings):
            if s:
                k = key(s)
                if k:
                    self.spellings[k].add(value)
        if label and value not in self.labels:
            self.labels[value] = label
        if stored:
            self.stored.add(value)

    def lookup(self, given: str) -> set[str]:
        """Canonical values spelt exactly `given` (after folding); empty when none."""
        if given.casefold() in self.exact:
            return {self.exact[given.casefold()]}
        found = set(self.spellings.get(key(given), ()))
        if not found and self.fallback is not None and key(given):
            found = self.fallback(given)
        return found

    def resolve(self, given: str) -> list[str]:
        """The canonical values meant by `given`, or UnknownValue with the nearest ones."""
        found = self.lookup(given)
        if not found and self.extend is not None:
            extend, self.extend = self.extend, None
            extend(self)
            found = self.lookup(given)
        if found:
            return sorted(found)
        k = key(given)
        words = set(k.split())
        # a value is also reached by some of its words ("government" for syrian_government) when that
        # picks one value only; several are an ambiguity to show, never a silent union
        partial = {v for s, vs in self.spellings.items() if words and words <= set(s.split()) for v in vs}
        if len(partial) == 1:
            return sorted(partial)
        if partial:
            ranked = sorted(partial, key=lambda v: (v not in self.stored, v))
            raise UnknownValue(self.name, given, [self.show(v) for v in ranked[:8]], ambiguous=True)
        raise UnknownValue(self.name, given, [self.show(v) for v in self.nearest(k)])

    def nearest(self, k: str, n: int = 5) -> list[str]:
        keys = sorted(self.spellings, key=lambda s: (not (self.spellings[s] & self.stored), s))
        close = difflib.get_close_matches(k, keys, n=3 * n, cutoff=0.6)
        out: list[str] = []
        for s in close:
            for v in sorted(self.spellings[s], key=lambda v: (v not in self.stored, v)):
                if v not in out:
                    out.append(v)
        return out[:n]

    def show(self, value: str) -> str:
        label = self.labels.get(value)
        return f"{value} ({label})" if label and key(label) != key(value) else value


_cache: dict[tuple, dict[str, Vocabulary]] = {}
_lock = threading.Lock()


def state(conn: sqlite3.Connection) -> tuple:
    """What the corpus holds, as far as caches of its derived views care: the database, its documents and its
    corrections (a correction can name an actor or place no stored record had, and changes events)."""
    fixes = conn.execute("SELECT max(id) FROM corrections").fetchone() if table_exists(conn, "corrections") else ()
    return (identity(conn),) + tuple(conn.execute("SELECT count(*), max(rowid) FROM documents").fetchone()) + tuple(fixes)


def vocabulary(conn: sqlite3.Connection, name: str) -> Vocabulary:
    """The vocabulary of filter `name` for this database as it is now (built once per state)."""
    current = state(conn)
    with _lock:
        held = _cache.get(current)
        if held is None:
            _cache.clear()  # one database state at a time: the newest
            held = _cache[current] = {}
        if name in held:
            return held[name]
    vocab = _BUILDERS[name](conn)
    with _lock:
        _cache.setdefault(current, {})[name] = vocab
    return vocab


def resolve(conn: sqlite3.Connection, filters: dict) -> dict:
    """`filters` with each RESOLVED value replaced by its canonical value(s) (a list where a spelling names
    several, such as a place name shared by two towns); raises UnknownValue."""
    out = dict(filters)
    for name in RESOLVED:
        given = out.get(name)
        if name == "lang" and not given:
            given = out.pop("language", None)
        if not given:
            continue
        values: list[str] = []
        for g in given if isinstance(given, (list, tuple)) else [given]:
            values += [v for v in vocabulary(conn, name).resolve(str(g)) if v not in values]
        out[name] = values[0] if len(values) == 1 else values
    return out


def entities_named(conn: sqlite3.Connection, text: str) -> set[str]:
    """Actor and place ids a query (or one of its phrases) names exactly, in either script: "Hodeidah" ->
    the id of الحديدة, "قسد" -> actor:sdf. Empty when it names none. Actors by the names and surface forms
    the corpus holds (not the whole actor dictionary: each query would pay for loading it)."""
    return vocabulary(conn, "actor").lookup(text) | vocabulary(conn, "place").lookup(text)


# --- the vocabularies ----------------------------------------------------------------------------------------

def _techniques(conn) -> Vocabulary:
    from ..outputs.html_parts import technique_info

    v = Vocabulary("technique")
    stored = [t for (t,) in conn.execute("SELECT DISTINCT technique FROM techniques WHERE technique IS NOT NULL")]
    for code in list(technique_info()) + stored:
        v.add(code, code.replace("_", " "), code.replace("_", " ").replace("-", " / "),
              label=code.replace("_", " "), stored=code in stored)
    return v


def _event_types(conn) -> Vocabulary:
    v = Vocabulary("event_type")
    for col in ("type", "sub_type", "plover"):
        for (t,) in conn.execute(f"SELECT DISTINCT {col} FROM events WHERE {col} IS NOT NULL"):
            v.add(t, stored=True)
    return v


def _entities(conn, name: str, place: bool) -> Vocabulary:
    v = Vocabulary(name)
    kind = "kind = 'place'" if place else "(kind IS NULL OR kind != 'place')"
    for ent, en, ar in conn.execute(f"SELECT DISTINCT entity, name, name_ar FROM entities WHERE {kind}"):
        v.add(ent, ent.split(":", 1)[-1], en, ar, label=" · ".join(x for x in (en, ar) if x), stored=True)
    for surface, ent in conn.execute(f"SELECT DISTINCT text, entity FROM mentions WHERE entity IN "
                                     f"(SELECT DISTINCT entity FROM entities WHERE {kind})"):
        if surface and key(surface):
            v.spellings[key(surface)].add(ent)
    if place:
        from ..places.gazetteer import load, quick_key
        from ..places.resolve import lookup

        # the gazetteer's names and spellings reach a place stored under another one or another script
        # ("Hodeidah" finds الحديدة): whole names only, never a place named inside a longer phrase; the ones
        # this corpus holds first, else the best-known place of that name
        def gazetteer(given: str) -> set[str]:
            ids = lookup(given) if load().names.get(quick_key(given)) else []
            held = [i for i in ids if i in v.stored]
            return set(held or ids[:1])

        v.fallback = gazetteer
    else:
        v.extend = _actor_dictionary  # loading it takes about a second: only for a filter value the corpus lacks
    return v


def _actor_dictionary(v: Vocabulary) -> None:
    """Every actor of marsad's dictionary with its names and aliases (labels included, blockers not)."""
    from ..entities.actors import load

    actors = load()
    for actor in actors:
        v.add(actor.id, actor.id.split(":", 1)[-1], actor.name, actor.name_ar,
              label=" · ".join(x for x in (actor.name, actor.name_ar) if x))
    for entry in actors.entries:
        if not entry.blocker and key(entry.surface):
            v.spellings[key(entry.surface)].add(entry.actor)


def _plain(name: str, sql: str, known=(), aliases: dict | None = None) -> Callable[[sqlite3.Connection], Vocabulary]:
    def build(conn) -> Vocabulary:
        v = Vocabulary(name)
        for value in known:
            v.add(value)
        for (value,) in conn.execute(sql):
            v.add(value, str(value).replace("_", " "), stored=True)
        for alias, value in (aliases or {}).items():
            v.add(value, alias)
        return v
    return build


def _languages(conn) -> Vocabulary:
    v = _plain("lang", "SELECT DISTINCT language FROM documents WHERE language IS NOT NULL")(conn)
    for code, names in LANGUAGES.items():
        v.add(code, *names)
    return v


_BUILDERS = {
    "technique": _techniques,
    "event_type": _event_types,
    "actor": lambda conn: _entities(conn, "actor", place=False),
    "place": lambda conn: _entities(conn, "place", place=True),
    "side": _plain("side", "SELECT DISTINCT side FROM entities WHERE side IS NOT NULL UNION "
                   "SELECT actor1_side FROM events WHERE actor1_side IS NOT NULL UNION "
                   "SELECT actor2_side FROM events WHERE actor2_side IS NOT NULL"),
    "modality": _plain("modality", "SELECT DISTINCT modality FROM events WHERE modality IS NOT NULL", MODALITIES,
                       MODALITY_ALIASES),
    "source": _plain("source", "SELECT DISTINCT source FROM documents WHERE source IS NOT NULL"),
    "lang": _languages,
}
