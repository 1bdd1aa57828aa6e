"""The bilingual actor dictionary (marsad/data/actors/*.yaml) and its matcher.

    from marsad.entities import actors
    actors.match("قصفت قوات النظام ...")   # -> mention dicts (SCHEMA.md), source "actors"
    actors.describe("actor:sdf")           # -> the `entities` description of an actor id

Names of every actor (English and Arabic names, aliases) and the labels outlets use for groups
(labels.yaml: "regime forces", "الإرهابيين", ...) go into one `NameIndex` (marsad.lang.names), which
folds both scripts alike, strips Arabic proclitics and makes the Arabic article optional on the first
word. On top of it this module:
  - keeps acronyms inside longer names case-sensitive ("US troops" matches, "us troops" does not);
  - requires the Arabic article where the data says so (labels written with ال, and aliases such as
    {name: الأسد, article: required}), so that "أسد" (a lion) is not Bashar al-Assad, or forbids it
    ({name: سورية, article: forbidden}: "السورية" is the adjective "Syrian", not the country);
  - honours `case: exact` on aliases that are also common lower-case phrases ("Security Council");
  - drops matches of `not_actors` phrases (labels.yaml), which stop a shorter alias inside them
    ("القاعدة العسكرية", a military base, is not al-Qaeda);
  - prefers a proper name over a label when both claim the same words, then the higher confidence.
A mention whose matched words are a label carries `label` (the surface text) and `stance`.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

from marsad.lang import by_script, fold_for_matching, folded_words, supported
from marsad.lang import get as get_language
from marsad.lang.names import NameIndex
from marsad.memo import last_text

DATA = Path(__file__).resolve().parent.parent / "data" / "actors"
# libyaml's C loader where PyYAML was built with it: the same data, 0.05 s instead of 0.57 s for the 9 files.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

KINDS = frozenset({"state", "armed_force", "armed_group", "political_group", "organization", "person",
                   "media", "other"})
SIDES = frozenset({"syrian_government", "russia", "iran_axis", "opposition", "jihadist", "isis", "sdf",
                   "turkey", "us_coalition", "israel", "other"})
TYPES = frozenset({"PER", "ORG", "LOC", "MISC"})
STANCES = frozenset({"pejorative", "neutral", "sympathetic"})

# Default confidences: an actor's own name, an alias, a short acronym, a capital-city metonym, a label.
CONF_NAME, CONF_ALIAS, CONF_ACRONYM, CONF_METONYM, CONF_LABEL = 0.9, 0.85, 0.8, 0.7, 0.6

_WORD = re.compile(r"\w+")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_ARTICLE = fold_for_matching("ال").text


@functools.cache
def _article(article: str) -> str:
    """A definite article (the trait of a language) folded as the matcher folds text."""
    return fold_for_matching(article).text


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    name_ar: str
    kind: str
    country: str | None
    side: str | None
    type: str
    part_of: str | None = None
    source: str | None = None
    generic: bool = False
    file: str = ""
    place: str | None = None  # the place its name stands for where a text uses it as one (the EU: Europe)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "name_ar": self.name_ar, "kind": self.kind, "country": self.country,
                "side": self.side}


@dataclass(frozen=True)
class Entry:
    """One surface form in the index: what it resolves to and how it may match."""

    actor: str
    surface: str
    lang: str  # the code of the language it is listed under (aliases_<code>, labels' <code>: lists)
    type: str | None = None  # overrides the actor's mention type (e.g. "Kremlin" ORG for Russia, LOC)
    confidence: float = CONF_ALIAS
    label: bool = False
    stance: str | None = None
    article_required: bool = False
    article_forbidden: bool = False
    case_exact: bool = False  # the text must have the alias's capitalisation ("Security Council")
    blocker: bool = False  # a phrase that is no actor, listed to stop a shorter alias inside it
    metonym: bool = False
    caps_words: tuple[int, ...] = field(default=(), compare=False)  # word positions that must be all caps


def _caps_words(surface: str) -> tuple[int, ...]:
    """Positions of acronym words (2-6 capital letters) inside a multi-word Latin name."""
    words = _WORD.findall(surface)
    if len(words) < 2:
        return ()  # a one-word name is handled by NameIndex itself
    return tuple(i for i, w in enumerate(words)
                 if 2 <= len(w) <= 6 and w.isalpha() and w.isupper() and not _ARABIC.search(w))


class ActorDictionary:
    def __init__(self, folder: Path = DATA) -> None:
        self.folder = folder
        self.actors: dict[str, Actor] = {}
        self.entries: list[Entry] = []
        self.problems: list[str] = []  # data errors found while loading (the tests assert it is empty)
        self.languages = supported()  # the registered languages: the data's lists are keyed by their codes
        self._index = NameIndex()
        for path in sorted(folder.glob("*.yaml")):
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
            for raw in doc.get("actors", []):
                self._add_actor(raw, path.name)
            for raw in doc.get("labels", []):
                self._add_label(raw, path.name)
            for surface in doc.get("not_actors", []):
                self.entries.append(Entry("", surface, by_script(surface), confidence=1.0, blocker=True))
        for e in self.entries:
            if e.actor not in self.actors and not e.blocker:
                self.problems.append(f"{e.surface!r} resolves to unknown actor {e.actor}")
            self._index.add(e.surface, e)

    # --- loading ---------------------------------------------------------------------------------

    def _add_actor(self, raw: dict, file: str) -> None:
        aid = raw.get("id")
        if not aid or aid in self.actors:
            self.problems.append(f"{file}: missing or duplicate id {aid!r}")
            return
        actor = Actor(id=aid, name=raw.get("name"), name_ar=raw.get("name_ar"), kind=raw.get("kind"),
                      country=raw.get("country"), side=raw.get("side"), type=raw.get("type"),
                      part_of=raw.get("part_of"), source=raw.get("source"),
                      generic=bool(raw.get("generic", False)), file=file, place=raw.get("place"))
        self.actors[aid] = actor
        if actor.generic:
            return  # generic actors are reached through labels only
        for surface in (actor.name, actor.name_ar):
            if surface:
                self.entries.append(Entry(aid, surface, by_script(surface), confidence=CONF_NAME,
                                          caps_words=_caps_words(surface)))
        for lang in self.languages:  # aliases_ar, aliases_en...
            for item in raw.get(f"aliases_{lang}") or []:
                self.entries.append(self._alias(aid, item, lang, file, state=actor.kind == "state"))

    def _alias(self, aid: str, item: str | dict, lang: str, file: str, state: bool = False) -> Entry:
        opts = item if isinstance(item, dict) else {"name": item}
        surface = str(opts["name"])
        metonym = bool(opts.get("metonym", False))
        letters = [c for c in surface if c.isalpha()]
        default = (CONF_METONYM if metonym else
                   CONF_ACRONYM if len(letters) <= 3 and all(c.isupper() for c in letters) else CONF_ALIAS)
        if lang != by_script(surface):
            self.problems.append(f"{file}: {aid} alias {surface!r} is listed under aliases_{lang}")
        mention_type = opts.get("type") or ("MISC" if state and _is_nisba(surface, lang) else
                                            "ORG" if state and _is_institution(surface, lang) else None)
        return Entry(aid, surface, lang, type=mention_type, confidence=float(opts.get("confidence", default)),
                     article_required=opts.get("article") == "required",
                     article_forbidden=opts.get("article") == "forbidden", metonym=metonym,
                     case_exact=opts.get("case") == "exact",
                     caps_words=_caps_words(surface))

    def _add_label(self, raw: dict, file: str) -> None:
        aid, stance = raw.get("actor"), raw.get("stance")
        own = bool(raw.get("own_name", False))
        conf = float(raw.get("confidence", CONF_NAME if own else CONF_LABEL))
        if stance not in STANCES:
            self.problems.append(f"{file}: label for {aid} has stance {stance!r}")
        for lang in self.languages:  # ar:, en:...
            for surface in raw.get(lang) or []:
                if lang != by_script(surface):
                    self.problems.append(f"{file}: label {surface!r} is listed under {lang}")
                # a label that starts with the language's glued article matches only with it ("الإرهابيين")
                art = get_language(lang).traits.definite_article
                article = bool(art) and not own and fold_for_matching(surface).text.startswith(_article(art))
                self.entries.append(Entry(aid, surface, lang, confidence=conf, label=not own, stance=stance,
                                          article_required=article, caps_words=_caps_words(surface)))

    # --- matching --------------------------------------------------------------------------------

    def match(self, text: str) -> list[dict[str, Any]]:
        folded = fold_for_matching(text)
        out = []
        for m in self._index.find(text, folded):
            surface = text[m.start:m.end]
            ok = [e for e in m.payloads if self._fits(e, text, m.start, surface)]
            if not ok:
                continue
            best = max(ok, key=lambda e: (e.blocker, not e.label, e.confidence))
            if best.blocker:
                continue
            actor = self.actors[best.actor]
            mention: dict[str, Any] = {
                "start": m.start, "end": m.end, "text": surface, "type": best.type or actor.type,
                "entity": actor.id, "confidence": round(best.confidence, 3), "source": "actors",
            }
            if best.label:
                mention["label"] = surface
                mention["stance"] = best.stance
            out.append(mention)
        return out

    @staticmethod
    def _fits(e: Entry, text: str, start: int, surface: str) -> bool:
        if e.case_exact and _WORD.findall(surface) != _WORD.findall(e.surface):
            return False
        if e.caps_words:
            words = _WORD.findall(surface)
            if len(words) == len(_WORD.findall(e.surface)):
                if any(not (words[i].isupper() and words[i].isalpha()) for i in e.caps_words):
                    return False
        if e.article_required or e.article_forbidden:
            word = _WORD.match(surface)
            first = fold_for_matching(word.group() if word else surface).text
            # "للجيش": the match starts at the second lam, the article's alef being elided after the first.
            lam_elided = start > 0 and text[start - 1] == "ل" and first.startswith("ل")
            has_article = first.startswith(_ARTICLE) or lam_elided
            if has_article != e.article_required:
                return False
        return True

    # --- lookup ----------------------------------------------------------------------------------

    def describe(self, entity_id: str) -> dict[str, Any]:
        return self.actors[entity_id].describe()

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.actors

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.actors.values())

    def __len__(self) -> int:
        return len(self.actors)

    def resolve(self, name: str) -> set[str]:
        """Actor ids a whole name (or label) resolves to, as the matcher would read it alone."""
        return {m["entity"] for m in self.match(name) if m["start"] == 0 and m["end"] >= len(name.rstrip(".'’"))}

    def collisions(self) -> dict[tuple[str, ...], set[str]]:
        """Folded surface forms claimed by more than one actor, with the claimants."""
        seen: dict[tuple[str, ...], set[str]] = {}
        for e in self.entries:
            words = _WORD.findall(fold_for_matching(e.surface).text)
            if words and _ARABIC.match(words[0]) and words[0].startswith(_ARTICLE) and len(words[0]) > 3:
                words[0] = words[0][len(_ARTICLE):]
            if not e.blocker:
                seen.setdefault(tuple(words), set()).add(e.actor)
        return {k: v for k, v in seen.items() if len(v) > 1}


@functools.cache
def load() -> ActorDictionary:
    """The actor dictionary, read once per process."""
    return ActorDictionary()


@last_text  # three stages match the same article in a row (marsad/memo.py)
def match(text: str) -> list[dict[str, Any]]:
    return load().match(text)


def describe(entity_id: str) -> dict[str, Any]:
    return load().describe(entity_id)


def _is_institution(surface: str, lang: str) -> bool:
    """A state's alias that names its government ("US administration", «الحكومة العراقية»), not its land."""
    words = f" {fold_for_matching(surface).text} "
    return any(f" {w} " in words for w in folded_words(lang, "institution_words.txt"))


def _is_nisba(surface: str, lang: str | None = None) -> bool:
    """A one-word alias of the language's glued article (definite_article trait) and a nationality ending
    (lang/<code>/nationality_endings.txt), like الفرنسي / الفرنسية / الإيرانيين, is a nationality adjective
    ("French"), not the state's name: its mentions are MISC, as "French" is in English NER, while still naming
    the actor. `lang`: the alias's language, or the language of its script (lang.by_script) for the mention
    stage's descriptor rule, which asks of a word of the text."""
    lang = lang or by_script(surface)
    article, endings = get_language(lang).traits.definite_article, folded_words(lang, "nationality_endings.txt")
    if not article or not endings:
        return False
    folded = fold_for_matching(surface).text
    return " " not in folded and folded.startswith(_article(article)) and folded.endswith(tuple(endings))
