"""Arguments of an event: actor1 (agent), actor2 (target), place and its precision, and the choices that depend on
them (territory gained by a state force or by a non-state group; PLOVER FIGHT or ASSAULT).

Agent and target, by the same rules for every side:
  - English: "by X" / "من قبل X" / "على يد X" names the agent; a passive trigger ("was liberated") has its subject
    as target; an actor right before the trigger names it ("regime air raids"); otherwise the first actor of the
    clause before the trigger (its subject: "The Russian Aerospace Forces destroyed a Daesh post and killed 34")
    is the agent and the first after it the target. Counted or killed victims ("31 jihadists"), the source of a
    report ("X said") and mentions in compounds ("Britain-based") are never agents.
  - Phrases naming a side by an adjective on a military noun ("rebel rocket fire", "الطيران الروسي") and "the
    army" of the article's country are actor mentions too (lang/<code>/event_agents.tsv).
  - Arabic: VSO order: an actor right after the verb (nothing but its head noun in between, no preposition) is the
    subject; else the subject is the nearest earlier actor in the sentence that is not already the object of an
    earlier event (coordinated verbs share their subject: "فالجيش ... ليطرد داعش ... وسيطر على").
  - No actor in the sentence: the subject of the previous event close by, else the last armed actor of the
    previous sentence (a continuing story: "The army advanced. The town was liberated.").

The cue words (agent markers, passive auxiliaries, prepositions, Arabic subject head nouns, civilian words,
reference and locative words) are data: lang/<code>/event_arguments.tsv.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from marsad.lang import data_file
from marsad.lang import get as get_language
from marsad.spans import SpanIndex

ACTOR_KINDS = {"state", "armed_force", "armed_group", "political_group", "organization", "person", "other"}
ARMED_KINDS = {"state", "armed_force", "armed_group"}
GOV_SIDES = {"syrian_government", "russia", "iran_axis"}


@functools.cache
def _lists(lang: str) -> dict[str, tuple[str, ...]]:
    """lang/<code>/event_arguments.tsv: list name -> its regex fragments, in file order."""
    out: dict = {}
    path = data_file(lang, "event_arguments.tsv")
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        if line.strip() and not line.startswith("#"):
            name, pattern = line.split("\t")[:2]
            out.setdefault(name, []).append(pattern)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def _has(name: str, lang: str) -> bool:
    """Whether the language's event_arguments.tsv has the cue list `name` (the rules that read it apply)."""
    return bool(_lists(lang).get(name))


def _alt(name: str, *langs: str) -> str:
    return "|".join(p for lang in langs for p in _lists(lang).get(name, ()))


@functools.cache
def _list_re(template: str, name: str, lang: str) -> re.Pattern:
    """`template` with ALT replaced by a cue list's alternation, compiled once, case-insensitive: for the cues
    read per language at call time (the language-independent ones are compiled together in _cues)."""
    return re.compile(template.replace("ALT", _alt(name, lang)), re.I)


@dataclass(frozen=True)
class _Cues:
    by: re.Pattern
    passive_en: re.Pattern
    prep_en: re.Pattern
    civilian: re.Pattern
    prep_before: re.Pattern
    reference: re.Pattern
    locative: re.Pattern  # a state named where something happens ("in Syria"), not as an actor
    count: re.Pattern  # a number before a mention: the mention is counted victims ("killed 31 jihadists")
    victim_after: re.Pattern  # words after a mention that make it the victims ("ISIS militants were killed")
    by_other: re.Pattern  # "by" after another participle belongs to it: "a town held by IS"
    from_agent: re.Pattern  # an attacker or weapon "from X": "a suicide bomber from the Nusra Front"
    reporter: re.Pattern  # a reporting verb after a mention: the mention is the source of the report
    modifier_after: re.Pattern  # a mention in a compound modifier is no actor ("Britain-based", "rebel-held")
    agent_in: re.Pattern  # "killed in a <actor> (operation|strike)": the actor of the operation is the agent
    heads_ar: frozenset  # words that may stand between an Arabic verb and its subject (its head noun)
    clitic_ar: re.Pattern  # a proclitic preposition and the article: the mention is governed, not a subject


@functools.cache
def _cues() -> _Cues:
    # Both languages' rows go into one pattern (as before the lists became data): a sentence may mix scripts.
    # The English article "the" and the "-ern" adjectives stay in the templates, they are not list members.
    ci = re.I
    return _Cues(
        by=re.compile(rf"(?:{_alt('by', 'en', 'ar')})\s*(?:(?<=\s)the\s+)?(?:(?:{_alt('by_modifier', 'en')})\s+)?$", ci),
        count=re.compile(rf"(?:(?<![\d,.])(?!(?:1[89]|20)\d\d\b)\d[\d,]*|\b(?:{_alt('count', 'en')}))\s+"
                         rf"(?:(?!(?:the|a|an)\s)[^\W\d][\w-]*\s+)?$", ci),
        by_other=re.compile(rf"\b(?:{_alt('by_other', 'en')})\s+by\b", ci),
        from_agent=re.compile(rf"\s*(?:{_alt('from_agent', 'en')})\s+(?:the\s+)?", ci),
        reporter=re.compile(rf"\s+(?:(?:has|have|had|also|later|earlier|on\s+\w+day)\s+)?(?:{_alt('reporting', 'en')})\b", ci),
        modifier_after=re.compile(rf"-(?:{_alt('modifier_after', 'en')})\b", ci),
        agent_in=re.compile(rf"\b(?:{_alt('agent_in', 'en')})\s+(?:(?:an?|the)\s+)?$", ci),
        victim_after=re.compile(rf"\s*(?:(?:fighters|militants|members|terrorists|jihadists|soldiers|troops|men)\s+)?"
                                rf"(?:{_alt('victim_after', 'en')})\b", ci),
        passive_en=re.compile(rf"\b(?:{_alt('passive_aux', 'en')})\s+(?:\w+ly\s+)?$", ci),
        prep_en=re.compile(rf"\b(?:{_alt('object_prep', 'en')})\s+(?:the\s+)?$", ci),
        civilian=re.compile(_alt("civilian", "en", "ar"), ci),
        prep_before=re.compile(rf"(?:\b(?:{_alt('governing_prep', 'en')})\s+(?:the\s+)?|"
                               rf"(?:^|\s)(?:{_alt('governing_prep', 'ar')})\s+)$", ci),
        reference=re.compile(rf"(?:{_alt('reference', 'en', 'ar')})\s+(?:the\s+)?$", ci),
        locative=re.compile(rf"(?:\b(?:{_alt('locative', 'en')})\s+(?:\w+ern\s+)?(?:the\s+)?|"
                            rf"(?:^|\s)(?:{_alt('locative', 'ar')})\s+|(?:^|\s)(?:{_alt('locative_clitic', 'ar')}))$",
                            ci),
        heads_ar=frozenset(_lists("ar").get("subject_head", ())),
        clitic_ar=re.compile(rf"(?:{_alt('governing_clitic', 'ar')})ال"),
    )


_FEATURE_PRECISION = {"continent": 3, "country": 3, "admin1": 3, "governorate": 3, "province": 3, "region": 2,
                      "district": 2, "admin2": 2, "area": 2}


def is_actor(m: dict, entities: dict) -> bool:
    """A party that can act in a conflict event: states, armed forces and groups, political groups; persons,
    organisations and other names only when the dictionary gives them a side (monitors and NGOs report events,
    they are not their actors)."""
    e = entities.get(m["entity"]) or {}
    if e.get("kind") in ("person", "organization", "other") and not e.get("side"):
        return False
    return e.get("kind") in ACTOR_KINDS


def is_place(m: dict, entities: dict) -> str | None:
    """The place id a mention names (a place, or the territory of a state mention)."""
    e = entities.get(m["entity"]) or {}
    if e.get("kind") == "place":
        return m["entity"]
    return m.get("place")


@functools.cache
def _agent_phrases(lang: str) -> tuple[tuple[tuple[re.Pattern, str], ...], dict[str, str]]:
    """lang/<code>/event_agents.tsv: (pattern, actor id) for phrases that name an agent by its side's adjective,
    and the national army per country code."""
    path = data_file(lang, "event_agents.tsv")
    heads, rows, armies = {}, [], {}
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        if line.strip() and not line.startswith("#"):
            kind, a, b = line.split("\t")[:3]
            if kind == "head":
                heads[a] = b
            elif kind == "army":
                armies[a] = b
            else:
                rows.append((a, b))
    fill = lambda p: re.sub(r"\{(\w+)\}", lambda m: heads[m.group(1)], p)
    return tuple((re.compile(fill(p), re.I), actor) for p, actor in rows), armies


def implicit_agents(text: str, lang: str, mentions: list[dict], entities: dict,
                    country: str | None = None) -> list[dict]:
    """Actor mentions for phrases that name an agent by a side's adjective on a military noun ("regime planes",
    "rebel rocket fire", "الطيران الروسي"), or "the army" of the country the article is about, where no actor
    mention covers them; marked `implicit`."""
    taken = SpanIndex([{"start": m["start"], "end": m["end"]} for m in mentions if is_actor(m, entities)])
    out = []
    rows, armies = _agent_phrases(lang)
    for rx, actor in rows:
        if actor == "@army":
            actor = armies.get(country or "")
            if not actor:
                continue
        for m in rx.finditer(text):
            s, e = m.span("a") if "a" in rx.groupindex else m.span()
            if not taken.overlapping({"start": s, "end": e}):
                out.append({"start": s, "end": e, "text": text[s:e], "entity": actor, "implicit": True})
                taken.add({"start": s, "end": e})
    return sorted(out, key=lambda m: m["start"])


def agents(text: str, lang: str, trigger: tuple[int, int], clause: tuple[int, int], sentence: tuple[int, int],
           actors: list[dict], used_objects: set, prev_actor1: str | None, prev_armed: str | None,
           home: str | None = None, means: str | None = None):
    """(actor1, actor2) entity ids for a trigger; `actors` are the sentence's actor mentions."""
    t0, t1 = trigger
    traits = get_language(lang).traits
    if _has("victim_after", lang):  # counted or killed victims are not agents: "Syrian Army kills 10 terrorists"
        victims = [m for m in actors if _victim(text, m)]
        if victims:
            actors = [m for m in actors if m not in victims]
            used_objects = set(used_objects) | {m["entity"] for m in victims}
    in_clause = [m for m in actors if clause[0] <= m["start"] < clause[1] and not (m["start"] < t1 and t0 < m["end"])]
    before = [m for m in in_clause if m["end"] <= t0]
    after = [m for m in in_clause if m["start"] >= t1]
    a1 = a2 = None
    named = next((m for m in actors if m["start"] < t1 and t0 < m["end"]), None)
    if named is not None:  # the trigger is part of the actor's name: "coalition air strikes", "طيران التحالف"
        obj = next((m for m in after if m["entity"] != named["entity"]), None)
        return named["entity"], obj["entity"] if obj else None
    home_m = [m for m in actors if home and m["entity"] == home]
    by = next((m for m in after if _cues().by.search(text[t1:m["start"]]) and m["start"] - t1 < 60
               and not _cues().by_other.search(text[t1:m["start"]])), None)
    if by is None:
        by = next((m for m in actors if sentence[0] <= m["start"] < clause[1] and m["start"] >= t1
                   and _cues().by.search(text[max(t1, m["start"] - 15):m["start"]])
                   and not _cues().by_other.search(text[t1:m["start"]])), None)
    if by is None and _has("from_agent", lang):  # "a suicide bomber from the Nusra Front", "jets belonging to the regime"
        by = next((m for m in after if m not in home_m and _cues().from_agent.fullmatch(text[t1:m["start"]])), None)
    if by is not None:
        a1 = by["entity"]
        rest = [m for m in before if m["entity"] != a1] + [m for m in after if m is not by and m["entity"] != a1]
        a2 = rest[-1]["entity"] if rest and rest[-1] in before else (rest[0]["entity"] if rest else None)
        return a1, a2
    # The state the events happen in is a place or a headline tag ("Syria rebel infighting kills 45", "12 dead in
    # Syria car bomb"), not the agent, unless "by" names it; the country's government and forces have own names.
    # Only a state has an air force: "Syria air raids kill 20" names the state's.
    pre = [m for m in before if m in home_m and means == "air_strike" and re.fullmatch(r"\s+", text[m["end"]:t0])]
    before = [m for m in before if m not in home_m]
    after = [m for m in after if m not in home_m]
    actors = [m for m in actors if m not in home_m]
    # "regime air raids", "Russian airstrikes": the actor modifies the trigger noun; "X has killed" is a verb and its
    # subject is read below, the clause's first actor
    pre = pre or [m for m in before if re.fullmatch(r"(?:['’]s)?[\s\-]*(?:\w+\s)?", text[m["end"]:t0])
                  and not re.search(r"\b(?:has|have|had|was|were|is|are|will|would|also|then|reportedly)\s+$",
                                    text[m["end"]:t0], re.I) and traits.modifier_before_noun]
    if pre:  # "regime air raids", "Russian airstrikes", "Syrian government shelling"
        obj = next((m for m in after if m["entity"] != pre[-1]["entity"]), None)
        return pre[-1]["entity"], obj["entity"] if obj else None
    if traits.subject_after_verb:
        subj = next((m for m in after if _vso_subject(text, t1, m)), None)
        if subj is not None:
            a1 = subj["entity"]
            obj = next((m for m in after if m is not subj and m["entity"] != a1), None)
            return a1, obj["entity"] if obj else None
        earlier = [m for m in actors if sentence[0] <= m["start"] and m["end"] <= t0
                   and m["entity"] not in used_objects and not _after_preposition(text, m)]
        a1 = earlier[-1]["entity"] if earlier else None
        obj = next((m for m in after if m["entity"] != a1), None)
        a2 = obj["entity"] if obj else None
    else:
        passive = bool(_cues().passive_en.search(text[max(clause[0], t0 - 25):t0]))
        by_op = next((m for m in in_clause if _cues().agent_in.search(text[max(clause[0], m["start"] - 16):m["start"]])
                      and _op_noun(text, m)), None)
        if by_op is not None:  # "23 Daesh members were killed in a Turkish Armed Forces operation"
            a1 = by_op["entity"]
            obj = next((m for m in in_clause if m is not by_op and m["entity"] != a1), None)
            a2 = obj["entity"] if obj else None
        elif passive:
            a2 = before[-1]["entity"] if before else None
        else:
            subj = [m for m in before if not _cues().prep_en.search(text[max(clause[0], m["start"] - 14):m["start"]])]
            a1 = subj[0]["entity"] if subj else None
            if a1 is None:
                earlier = [m for m in actors if sentence[0] <= m["start"] and m["end"] <= t0
                           and m["entity"] not in used_objects
                           and not _cues().prep_en.search(text[max(sentence[0], m["start"] - 14):m["start"]])]
                a1 = earlier[-1]["entity"] if earlier else None
            obj = next((m for m in after if m["entity"] != a1), None)
            a2 = obj["entity"] if obj else None
    if a1 is None:
        a1 = prev_actor1 or prev_armed
        if a1 == a2:
            a1 = None
    return a1, a2


def claimant(text: str, lang: str, sentence: tuple[int, int], actors: list[dict]) -> str | None:
    """The actor a sentence says claimed responsibility for an attack, if it does and does not deny it."""
    span = text[sentence[0]:sentence[1]]
    cue = _list_re("ALT", "responsibility", lang).search(span) if _alt("responsibility", lang) else None
    if cue is None or _list_re("ALT", "no_claim", lang).search(span[:cue.start()]):
        return None
    at = sentence[0] + cue.start()
    armed = [m for m in actors if sentence[0] <= m["start"] < sentence[1]]
    pre = [m for m in armed if m["end"] <= at]
    post = [m for m in armed if m["start"] >= at]
    verb_first = get_language(lang).traits.subject_after_verb  # "أعلن تنظيم X مسؤوليته" / "X claimed responsibility"
    pick = pre[-1] if pre and not verb_first else (post[0] if post else (pre[-1] if pre else None))
    return pick["entity"] if pick else None


def accused(text: str, lang: str, sentence: tuple[int, int], actors: list[dict]) -> str | None:
    """The actor a sentence accuses of an attack ("blamed the attack on the rebels", "the government was responsible
    for the attack"), unless it denies the accusation."""
    span = text[sentence[0]:sentence[1]]
    for name, after in (("blame_after", True), ("blame_before", False)):
        bounded = get_language(lang).traits.word_boundaries
        cue = (_list_re(r"\b(?:ALT)\b" if bounded else "ALT", name, lang).search(span)
               if _alt(name, lang) else None)
        if cue is None or _list_re("ALT", "no_claim", lang).search(span[max(0, cue.start() - 30):cue.start()]):
            continue
        a, b = sentence[0] + cue.start(), sentence[0] + cue.end()
        if after:
            m = next((m for m in actors if b <= m["start"] < b + 40), None)
        else:
            m = next((m for m in reversed(actors) if a - 40 <= m["end"] <= a), None)
        if m is not None:
            return m["entity"]
    return None


def _op_noun(text: str, m: dict) -> bool:
    """A military noun follows the mention within two words ("Syrian Army anti-terrorism operations")."""
    return bool(_list_re(r"\s+(?:[\w-]+\s+){0,2}?(?:ALT)\b", "operation", "en").match(text[m["end"]:m["end"] + 60]))


def _victim(text: str, m: dict) -> bool:
    """English: the mention is counted victims ("31 jihadists", "dozens of rebels") or said to be killed, or the
    source that reports the event ("X said")."""
    return _victim_span(text, m["start"], m["end"])


@functools.lru_cache(maxsize=4096)  # asked for every actor of a sentence once per trigger of that sentence
def _victim_span(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40):start]
    count = _cues().count.search(before)
    if count and re.search(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+$",
                           before[:count.start()], re.I):
        count = None  # "June 3 rebels ...": a date, not a count
    if _cues().reporter.match(text, end):
        return True  # "the Coalition said the attack killed 100": the source, not the agent
    return bool(count or _cues().victim_after.match(text, end) or _cues().modifier_after.match(text, end))


def governed_or_victim(text: str, lang: str, m: dict) -> bool:
    """The mention is the object of a preposition or (English) the counted or killed victims: it does not carry a
    story on as the agent of the next sentence's events."""
    return _after_preposition(text, m) or (_has("victim_after", lang) and _victim(text, m))


def _vso_subject(text: str, t1: int, m: dict) -> bool:
    """An actor right after an Arabic verb is its subject: nothing between but quotes or a head noun, alone or
    with its adjective ("قصفت طائرات حربية روسية": the Russian warplanes bombed)."""
    gap = [w for w in re.split(r"[\s«»\"“”()]+", text[t1:m["start"]]) if w]
    return all(w in _cues().heads_ar for w in gap) and len(gap) <= 2


def _after_preposition(text: str, m: dict) -> bool:
    """The mention is governed by a preposition ("of the army", "من الارهاب", "بالجيش"): not a subject."""
    if _cues().clitic_ar.match(m["text"]):
        return True
    return bool(_cues().prep_before.search(text[max(0, m["start"] - 16):m["start"]]))


def territory_sub_type(actor1: str | None, entities: dict) -> str:
    e = entities.get(actor1) or {}
    if not actor1:
        return "Armed clash"
    if e.get("side") in GOV_SIDES or e.get("kind") in ("state", "armed_force"):
        return "Government regains territory"
    return "Non-state actor overtakes territory"


def plover_auto(text: str, clause: tuple[int, int], sentence: tuple[int, int], sub_type: str | None) -> str:
    """Conventional force is FIGHT; violence aimed at civilians, or a generic attack, is ASSAULT."""
    if _cues().civilian.search(text[clause[0]:clause[1]]):
        return "ASSAULT"
    if sub_type in ("Air/drone strike", "Shelling/artillery/missile attack"):
        return "FIGHT"
    return "ASSAULT"


ABROAD_NEAR_KM = 500.0  # a place abroad this close to the article's main place may be a reference point


def _km(a: dict, b: dict) -> float:
    """Great-circle distance between two entity descriptions; 0 when either lacks coordinates."""
    if a.get("lat") is None or b.get("lat") is None:
        return 0.0
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b["lon"] - a["lon"]) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def placed(e: dict) -> str | None:
    """The admin1 of a place that lies in a country whose provinces marsad curates (settings.toml [places]
    province_countries), else None."""
    from marsad.config import settings

    return e.get("admin1") if e.get("country") in settings()["places"]["province_countries"] else None


def place(text: str, trigger: tuple[int, int], clause, sentence, places: list[dict], entities: dict,
          fallback: str | None, actors: tuple = (), main_here: bool = True) -> tuple[str | None, int | None]:
    """(place id, precision 1-3): the most specific place of the sentence, in the clause first and nearest the
    trigger; a place named as a reference point ("east of Damascus") or as an actor counts last. The article's
    main place (`fallback`) replaces a place the sentence names only when it is named in the same paragraph
    (`main_here`): a Khan Younis strike pasted under a Donetsk story keeps Khan Younis."""
    t0 = trigger[0]
    cands = [m for m in places if sentence[0] <= m["start"] < sentence[1]
             and not (m["entity"] in actors and m.get("place"))]
    main = entities.get(fallback) or {}
    home = main.get("country") if placed(main) else None  # the country the article's main place lies in
    if cands:
        def key(m):
            e = entities.get(m["pid"]) or {}
            ref = bool(_cues().reference.search(text[max(0, m["start"] - 20):m["start"]]))
            metonymic = bool(m.get("place")) and not _cues().locative.search(text[max(0, m["start"] - 12):m["start"]])
            prec = _precision(e)
            geocoded = e.get("lat") is not None
            abroad = bool(home) and e.get("country") not in (home, None)  # a dateline ("Beirut") or a place abroad
            return (not geocoded, abroad, metonymic, prec == 3, not (clause[0] <= m["start"] < clause[1]), prec,
                    ref, abs(m["start"] - t0) + (0 if m["start"] >= t0 else 20))
        best = min(cands, key=key)
        e = entities.get(best["pid"]) or {}
        # "the town of Khan Shaikhoun in Idlib Province": a town the gazetteer puts in another province than the
        # one named with it in the clause is the wrong town of that name; the province is sure
        provinces = [m for m in cands if _precision(entities.get(m["pid"]) or {}) == 3
                     and placed(entities.get(m["pid"]) or {})
                     and re.fullmatch(r",?\s+(?:in|of)\s+(?:the\s+)?(?:\w+ern\s+)?", text[best["end"]:m["start"]])]
        if placed(e) and provinces and all((entities.get(m["pid"]) or {}).get("admin1") != e["admin1"]
                                                 for m in provinces):
            main_there = main.get("admin1") == (entities.get(provinces[0]["pid"]) or {}).get("admin1")
            return (fallback, 2) if main_there and _precision(main) < 3 else (provinces[0]["pid"], 3)
        prec = _precision(e)
        weak = e.get("lat") is None or prec == 3
        # a place the gazetteer cannot put in a province, or one abroad when the article's own place is at home:
        # the article's main place says more about where this happened
        # ...but only near home (Kilis for an Aleppo story): a place on another front (a Khan Younis strike pasted
        # under a Donetsk story) is where its own event happened
        unplaced = bool(home) and (not placed(e) or e.get("country") != home) and main_here \
            and _km(e, main) <= ABROAD_NEAR_KM
        if weak and fallback and _precision(main) < 3 and (main_here or e.get("lat") is None):
            return fallback, 2  # "in Syria": the article's own place says more
        if unplaced:
            return fallback, max(2, _precision(main))
        if prec == 1 and _cues().reference.search(text[max(0, best["start"] - 20):best["start"]]):
            prec = 2
        return best["pid"], prec
    if fallback:
        return fallback, max(2, _precision(entities.get(fallback) or {}))
    return None, None


def _precision(e: dict) -> int:
    feat = str(e.get("feature") or "").lower()
    if feat in _FEATURE_PRECISION:
        return _FEATURE_PRECISION[feat]
    if e.get("kind") == "place" and not e.get("admin1") and feat not in ("city", "town", "village", "capital"):
        return 2 if e.get("lat") is not None else 3
    return 1
