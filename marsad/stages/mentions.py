"""Stage: entity mentions and the entities they name, in both scripts.

Three sources, merged by one rule: the actor dictionary and the gazetteer give precise spans with ids; the
NER model finds the names neither knows (people, small groups, places spelled oddly). Where spans overlap,
a dictionary or gazetteer span wins over a model span, and a longer dictionary span over a shorter one.

A label ("terrorists", "regime forces", "المسلحين") is a description, not a name: its mention is typed MISC
and keeps the actor it refers to in `entity` and the words in `label`.

A state named in the text is both an actor and a territory ("Jordan backs...", "in Jordan"): its mention
names the actor in `entity` and the territory in `place` (a marsad addition to marsad/1), so events can
use either.
"""
from __future__ import annotations

import re

from .. import places
from ..config import settings
from ..entities import actors, anaphora, ner, ner_tables
from ..lang import fold_for_matching, folded_words, own
from ..lang.sentences import blocks, split_at
from ..places import home
from ..record import add_warning
from ..spans import SpanIndex
from . import declares

_SLUG = re.compile(r"[^\w]+")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_WORDS = re.compile(r"[^\s\"«»“”]+")
# Types that a model span may have when no dictionary knows it.
_KIND_OF_TYPE = {"PER": "person", "ORG": "organization", "MISC": "other", "LOC": "place"}


@declares(requires=("text", "language", "sentences", "encoded"),
          assigns=("mentions", "entities", "dictionary_matches", "warnings", "home"))
def find(analysis) -> None:
    rec = analysis.record
    text = rec["text"]
    sentences = [(s["start"], s["end"]) for s in rec["sentences"]]

    actor_found, place_found = actors.match(text), places.match(text)
    # Kept as matched for later stages (the technique stage masks party names with them): _merge_precise
    # copies what this stage trims and merges.
    analysis.scratch["dictionary_matches"] = (actor_found, place_found)
    labelled = [dict(m, type="MISC") if m.get("label") else m for m in actor_found]
    precise = _merge_precise(labelled, place_found)
    # The NER model reads the sentences that start before its cap, block by block (bounded time and memory);
    # past the cap mentions come from the dictionary and the gazetteer (and names it found before, propagated).
    cap = settings()["entities"]["model_chars"]
    read, past = split_at(sentences, cap)
    if past:
        add_warning(rec, f"names past character {cap:,} found by the actor dictionary and the gazetteer only "
                         "(the NER model's cap: settings.toml [entities] model_chars)")
    found = [m for block in blocks(read) or [[]]
             for m in ner.predict(text, block, rec["language"], analysis.scratch.get("encoded"))]
    merged = _merge_model(found, precise, rec["language"])
    merged += places.governed_mentions(text, rec["language"], merged)  # «نحو مأرب»: world-tier names the model missed
    profile = own(rec["language"])  # None: no folder, none of the language-specific rules below
    if profile is not None and not profile.traits.letter_case:  # no capitals tell a name from a word
        merged = _drop_stray_places(merged)
    for m in merged:
        _trim_article(m, text)
        if profile is not None and _descriptors(profile.code):
            _trim_descriptor(m, text, profile.code)
    merged = _join_same_span(merged)
    merged += places.people_mentions(text, rec["language"], merged)  # «العراقيين»: the Arabic NER's data tags none
    merged += _propagate(merged, text, rec["language"], settings()["entities"]["propagate_min_confidence"])
    merged.sort(key=lambda m: (m["start"], -m["end"]))

    for m in merged:  # "Paris, Ky.": a capital named for its state, qualified as a town elsewhere, is that town
        if str(m.get("entity", "")).startswith("actor:") and m.get("place") \
                and places.qualified_elsewhere(m["place"], text, m["end"]):
            for key in ("entity", "place", "candidates"):
                m.pop(key, None)
            m["type"] = "LOC"
    merged = places.retype(merged, text)  # the model's ORG/PER over "Henderson County", "in Kherson", "Ras al-Ain and X"
    merged = sorted(merged + places.dateline_mentions(text, merged), key=lambda m: (m["start"], -m["end"]))
    entities: dict[str, dict] = {}
    # Places: gazetteer candidates and model LOC spans are resolved together, so that context (the
    # article's other places) disambiguates each of them.
    # a state named as an actor ("Ukraine") is context too: its territory
    home_ids = home.context(rec, analysis.options)
    entities.update(places.resolve([m for m in merged if m["type"] == "LOC" and "entity" not in m], text,
                                   tuple(m["place"] for m in merged if m.get("place")), home_ids))
    places.local_namesakes(merged, entities, text, home_ids)  # "Paris" in a Tennessee story: Paris, Tennessee
    merged = [m for m in merged if m.get("source") != "dateline" or m.get("entity")]  # "CRICKET -": no town
    merged = [m for m in merged if not _weak_unresolved(m)]
    _link_unknown(merged, entities, text)
    places.name_countries(merged, text)  # "Sri Lankan": Sri Lanka, as the `place` of the mention
    merged = sorted(merged + anaphora.references(text, rec["language"], merged), key=lambda m: (m["start"], -m["end"]))
    for eid in {m.get(key) for m in merged for key in ("entity", "place")} - set(entities) - {None}:
        desc = actors.describe(eid) if eid.startswith("actor:") else places.describe(eid)
        if desc:
            entities[eid] = desc
    rec["mentions"] = [_public(m, text) for m in merged if m.get("entity")]
    rec["entities"] = {k: entities[k] for k in sorted(entities)
                       if any(m.get("entity") == k or m.get("place") == k for m in rec["mentions"])}


def _inside(a: dict, b: dict) -> bool:
    """a lies within b."""
    return b["start"] <= a["start"] and a["end"] <= b["end"]


def _merge_precise(dict_mentions: list[dict], place_mentions: list[dict]) -> list[dict]:
    """Actor matches first; a gazetteer match on the same span adds the territory of a state actor; a
    place inside a longer actor name ("the guarantor states in Astana") is kept as well, except inside a
    person's name; a place that only partly overlaps a name is dropped."""
    out = [dict(m) for m in dict_mentions]
    by_span = {(m["start"], m["end"]): m for m in out}
    index = SpanIndex(out)  # grows with `out`
    for p in place_mentions:
        same = by_span.get((p["start"], p["end"]))
        if same is not None:
            # a state's name is also its territory; an agency or party named like a city (SANA, Sanaa) is not
            if p.get("candidates") and (actors.describe(same.get("entity", "")) or {}).get("kind") == "state":
                same["place"] = p["candidates"][0]
            continue
        # a place word inside a person's name is part of the name: "Rami" (Rama) in "Rami Abdel Rahman"
        if any(not _inside(p, out[i]) or out[i].get("type") == "PER" for i in index.overlapping(p)):
            continue
        index.add(dict(p))
    return out


def _merge_model(model: list[dict], precise: list[dict], lang: str = "ar") -> list[dict]:
    """Model spans know context (a team called Chicago is an ORG; "American" is an adjective); dictionary
    and gazetteer spans know ids. Per model span:
      - the same span in the dictionary: one mention with the dictionary's id and the model's type, except
        that a confident model ORG over a gazetteer-only place drops the place (a club named after a town);
      - a longer model span holding dictionary spans: the model's mention, unless it is MISC over actors ("the
        Syria-Iran-Russia-Hezbollah axis") or LOC over places («الفلوجة والرمادي»), whose names are kept;
      - in Arabic, a model person holding a known city ("جيوب البوكمال" as PER): the place (in English,
        capitals tell names apart: "Jack London" stays a person);
      - a model person inside a dictionary person (the alias carries a title): the model's span with the
        dictionary's id;
      - a dictionary span holding or crossing it: the dictionary wins.
    Dictionary spans the model did not see are kept: they are the recall for rare names."""
    keep_precise = [True] * len(precise)
    out: list[dict] = []
    index = SpanIndex(precise)
    profile = own(lang)
    uncased = profile is not None and not profile.traits.letter_case  # no capitals tell a name from a city
    for m in model:
        m = dict(m, source="ner")
        hits = index.overlapping(m)
        if not hits:
            out.append(m)
            continue
        same = [i for i in hits if (precise[i]["start"], precise[i]["end"]) == (m["start"], m["end"])]
        if same:
            p = precise[same[0]]
            p["_confirmed"] = True
            # A team or company named after its town ("Chicago beat Boston") is an ORG; a town read as a
            # person at the start of a sentence is still the town.
            if _is_place_only(p) and m["type"] == "ORG" and m["confidence"] >= 0.8:
                keep_precise[same[0]] = False
                out.append(m)
            elif not p.get("label") and m["confidence"] >= 0.8:
                p["type"] = m["type"]  # "American" is MISC, "Washington" as a place is LOC: context decides
            continue
        if (len(hits) == 1 and m["type"] == "PER" and precise[hits[0]].get("type") == "PER"
                and not precise[hits[0]].get("label") and _inside(m, precise[hits[0]])):
            # A person's name inside a dictionary alias that carries a title ("الرئيس السوري بشار الأسد",
            # "King Abdullah II"): the mention is the name the model found, with the dictionary's id.
            p = precise[hits[0]]
            p.update(start=m["start"], end=m["end"], _confirmed=True)
            continue
        if all(_inside(precise[i], m) for i in hits):
            if uncased and m["type"] == "PER" and any(_is_place_only(precise[i]) and _is_city(precise[i])
                                                           and not _name_like(precise[i]) for i in hits):
                continue  # "جيوب البوكمال" read as a person: a known city is the safer reading
            if (m["type"] == "MISC" and any(precise[i]["entity"].startswith("actor:") for i in hits
                                           if precise[i].get("entity"))) \
                    or (m["type"] == "LOC" and len(hits) > 1 and all(_is_place_only(precise[i]) for i in hits)):
                continue
            for i in hits:
                keep_precise[i] = False
            if m["type"] == "LOC" and len(hits) == 1 and _is_place_only(precise[hits[0]]):
                m["candidates"] = precise[hits[0]].get("candidates", [])
            out.append(m)
        # otherwise a dictionary span holds or crosses the model span: the dictionary wins
    return [p for p, k in zip(precise, keep_precise) if k] + out


_ANCHORED = ("country", "capital", "admin1", "region")


def _drop_stray_places(mentions: list[dict]) -> list[dict]:
    """Arabic has no capitals to tell a name from a word, and GeoNames knows towns called «يشير» or «منزله».
    A gazetteer match the NER model did not confirm stays only if it is a country, capital or region, a
    curated place (`place:`), or lies in marsad's focus region (settings.toml) or a country the article
    otherwise names."""
    def place_of(m):
        return places.describe(m["candidates"][0]) if m.get("candidates") else None

    countries = set(settings()["places"]["focus_countries"])
    for m in mentions:
        if m.get("_confirmed") or m.get("source") == "ner" or str(m.get("entity", "")).startswith("actor:"):
            d = place_of(m) or (actors.describe(m["entity"]) if str(m.get("entity", "")).startswith("actor:")
                                else None)
            if d and d.get("country"):
                countries.add(d["country"])
    kept = []
    for m in mentions:
        if _is_place_only(m) and not m.get("_confirmed"):
            d = place_of(m)
            cid = m["candidates"][0] if m.get("candidates") else ""
            if d and not (d.get("feature") in _ANCHORED or cid.startswith("place:") or d.get("country") in countries):
                continue
            if d and _word_like_village(m, d, cid):
                continue
            if _name_like(m) and not m.get("cue"):
                continue
        kept.append(m)
    return kept


def _word_like_village(m: dict, d: dict, cid: str) -> bool:
    """A gazetteer-only place the NER model left O, whose name is a common Arabic word ("جديدة", "مصدر",
    "حول") and which is small, with no place cue or locative preposition before it (قرية، بلدة، ريف، في،
    إلى...; marsad/lang/ar/place_prepositions.txt): read as the word. Countries,
    regions, curated places and towns above the population threshold stay; thresholds: settings.toml [places]."""
    cfg = settings()["places"]
    if m.get("cue") or m.get("after_preposition") or cid.startswith("place:") or d.get("feature") in _ANCHORED:
        return False
    if (d.get("population") or 0) >= cfg["ar_word_place_max_population"]:
        return False
    z = ner_tables.word_zipf(m.get("text") or "")
    return z is not None and z >= cfg["ar_word_place_min_zipf"]


def _name_like(m: dict) -> bool:
    """A gazetteer match that reads as part of a person's name or as a common word: right after بن/أبو...
    ("سعد بن أبي وقاص"), or without the article that every listing of the place has ("خليل" for الخليل,
    "ورقة" = و + رقة for الرقة; marsad.places.resolve)."""
    return bool(m.get("after_name_particle") or m.get("without_article"))


_CITY = ("city", "capital", "admin1", "country", "region")


def _is_city(m: dict) -> bool:
    """A gazetteer match whose best candidate is a city or larger (not a village named like a word)."""
    d = places.describe(m["candidates"][0]) if m.get("candidates") else None
    return bool(d) and d.get("feature") in _CITY


def _is_place_only(m: dict) -> bool:
    return "candidates" in m and not str(m.get("entity", "")).startswith("actor:")


def _trim_article(m: dict, text: str) -> None:
    """Names are marked without a leading English article: "the Syrian Army" -> "Syrian Army"."""
    head = text[m["start"]:m["start"] + 4]
    if head.lower() == "the " and m["end"] - m["start"] > 4:
        m["start"] += 4


def _descriptors(lang: str) -> frozenset[str]:
    """Head nouns such as حركة, قناة, دولة (lang/<code>/name_descriptors.txt; empty without one), folded."""
    return folded_words(lang, "name_descriptors.txt")


def _names_same_actor(m: dict, text: str, start: int, end: int) -> bool:
    return any(x["start"] == 0 and x["end"] == end - start and x.get("entity") == m["entity"]
               for x in actors.match(text[start:end]))


def _trim_descriptor(m: dict, text: str, lang: str) -> None:
    """An actor mention is marked on the name, without a head noun before it («حركة حماس» -> «حماس») or a
    nationality adjective after it («حزب الله اللبناني» -> «حزب الله»), when the dictionary knows that shorter
    name for the same actor on its own."""
    if not str(m.get("entity", "")).startswith("actor:") or m.get("label"):
        return
    words = [(w.start() + m["start"], w.end() + m["start"]) for w in _WORDS.finditer(text[m["start"]:m["end"]])]
    if len(words) < 2:
        return
    head = fold_for_matching(text[words[0][0]:words[0][1]]).text
    descriptors, proclitics = _descriptors(lang), own(lang).traits.proclitics
    if (head in descriptors or (head[:1] and head[:1] in proclitics and head[1:] in descriptors)) \
            and _names_same_actor(m, text, words[1][0], m["end"]):
        m["start"] = words[1][0]
        words = words[1:]
    if len(words) >= 2 and actors._is_nisba(text[words[-1][0]:words[-1][1]]) \
            and _names_same_actor(m, text, m["start"], words[-2][1]):
        m["end"] = words[-2][1]


def _join_same_span(mentions: list[dict]) -> list[dict]:
    """A place that a trimmed actor mention now covers exactly («دولة قطر» -> «قطر») is the actor's territory,
    as in _merge_precise, not a second mention."""
    actor_at = {(m["start"], m["end"]): m for m in mentions if str(m.get("entity", "")).startswith("actor:")}
    out = []
    for m in mentions:
        a = actor_at.get((m["start"], m["end"]))
        if a is not None and a is not m and _is_place_only(m):
            if m.get("candidates") and not a.get("place"):
                a["place"] = m["candidates"][0]
            continue
        out.append(m)
    return out


def _slug(name: str) -> str:
    return _SLUG.sub("-", name.casefold()).strip("-") or "x"


def _link_unknown(mentions: list[dict], entities: dict, text: str) -> None:
    """Give names no dictionary or gazetteer knows an `ent:` id (a place that did not resolve keeps kind
    "place" without coordinates; a plural word for a country's people, "Iraqis", is `ent:people-<cc>`, kind
    "other" with its country and `people: true`, and no side); a later short form of a person's name ("Magnier"
    after "Elijah Magnier") joins the earlier full name."""
    persons: list[tuple[set[str], str]] = []
    acronyms = _acronyms_of(mentions, entities)
    for m in mentions:
        if m.get("entity"):
            continue
        surface = text[m["start"]:m["end"]]
        spelled = acronyms.get(surface.replace(".", ""))
        if spelled:  # "RSF" in an article that names the Rapid Support Forces (a bare "RSF" is no alias)
            m["entity"] = spelled
            continue
        words = set(surface.casefold().split())
        eid = None
        if m["type"] == "PER":
            eid = next((pid for ws, pid in persons if words and words <= ws), None)
        people = places.people_country(surface) if m["type"] != "PER" else None
        if people:  # "Iraqis", "Palestinians": the country's people, an actor with no side (not the state)
            eid = f"ent:people-{people.lower()}"
            arabic = bool(_ARABIC.search(surface))
            entities.setdefault(eid, {"name": None if arabic else surface, "name_ar": surface if arabic else None,
                                      "kind": "other", "country": people, "side": None, "people": True})
        elif eid is None:
            eid = f"ent:{_slug(surface)}"
            arabic = bool(_ARABIC.search(surface))
            entities.setdefault(eid, {"name": None if arabic else surface, "name_ar": surface if arabic else None,
                                      "kind": _KIND_OF_TYPE[m["type"]]})
            if m["type"] == "PER":
                persons.append((words, eid))
        m["entity"] = eid


_PARTICLES = {"al", "el", "of", "the", "and", "for", "de", "in"}


def _acronyms_of(mentions: list[dict], entities: dict) -> dict[str, str]:
    """Initials -> actor id, for the actors the article names: "RSF" for the Rapid Support Forces, "SDF" for the
    Syrian Democratic Forces. Initials two actors of the article share name neither."""
    found: dict[str, set[str]] = {}
    for m in mentions:
        eid = str(m.get("entity") or "")
        name = (entities.get(eid) or actors.describe(eid) or {}).get("name") if eid.startswith("actor:") else None
        words = [w for w in re.split(r"[\s\-]+", name or "") if w and w.casefold() not in _PARTICLES]
        if len(words) >= 2 and all(w[0].isupper() for w in words):
            found.setdefault("".join(w[0] for w in words), set()).add(eid)
    return {k: next(iter(v)) for k, v in found.items() if len(v) == 1}


def _weak_unresolved(m: dict) -> bool:
    """A weak place mention (resolve.py) the text did not support: one read from an organisation's name goes, one
    the NER typed otherwise gets its type back ("Gainesville" ORG)."""
    weak, ner_type = m.pop("weak", None), m.pop("ner_type", None)
    if not weak or m.get("entity"):
        return False
    if m.get("source") == "in_name":
        return True
    m["type"] = ner_type or m["type"]
    return False


def _public(m: dict, text: str) -> dict:
    out = {"start": m["start"], "end": m["end"], "text": text[m["start"]:m["end"]], "type": m["type"],
           "entity": m["entity"], "confidence": round(float(m.get("confidence", 0.5)), 3)}
    for key in ("place", "demonym", "label", "stance", "source", "site"):
        if m.get(key):
            out[key] = m[key]
    if m.get("considered") and m.get("entity") == m["considered"][0]:
        out["candidates"] = m["considered"]  # the places a resolved place mention was told apart from
    return out


_NAME_WORD = re.compile(r"\w+")


def _propagate(mentions: list[dict], text: str, lang: str, min_confidence: float) -> list[dict]:
    """New mentions for the other occurrences of names the model found confidently ("one name, one reading
    per article": the model sees each occurrence in its own sentence and misses some): same type, 0.8 x the
    confidence, only where no mention covers the text yet. Arabic occurrences may carry a one-letter
    proclitic, left outside the mention as the model's own spans leave it. One pass over the words."""
    names: dict[str, list[tuple[list[str], dict]]] = {}  # first word -> (words, model mention)
    seen: set[str] = set()
    profile = own(lang)
    proclitics = profile.traits.proclitics if profile is not None else ""
    for m in mentions:
        if m.get("source") != "ner" or m["confidence"] < min_confidence or m["type"] not in ("PER", "ORG", "LOC"):
            continue
        words = _NAME_WORD.findall(text[m["start"]:m["end"]])
        key = " ".join(words)
        if words and len(key) >= 3 and key not in seen and text[m["start"]:m["end"]] == key:
            seen.add(key)
            names.setdefault(words[0], []).append((words, m))
    if not names:
        return []
    index = SpanIndex(list(mentions))
    tokens = list(_NAME_WORD.finditer(text))
    out: list[dict] = []
    for i, tok in enumerate(tokens):
        w, cut = tok.group(), 0
        if w not in names and proclitics and len(w) > 3 and w[0] in proclitics and w[1:] in names:
            w, cut = w[1:], 1
        for words, m in names.get(w, ()):
            last = i + len(words) - 1
            if last >= len(tokens) or [t.group() for t in tokens[i + 1:last + 1]] != words[1:]:
                continue
            new = {k: v for k, v in m.items() if k != "_confirmed"}
            new.update(start=tok.start() + cut, end=tokens[last].end(), confidence=round(m["confidence"] * 0.8, 4))
            if text[new["start"]:new["end"]] == " ".join(words) and not index.overlapping(new):
                index.add(new)
                out.append(new)
    return out
