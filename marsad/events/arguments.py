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
reference and locative words) are data: lang/<code>/event_arguments.tsv, compiled in argument_cues.py. A speaker
named with its title and a dateline's place are never agents (agent_filters.py). The place
and its precision are chosen in place_argument.py (`place`, `placed`: importable from here as before).
"""
from __future__ import annotations

import functools
import re

from marsad.lang import data_file
from marsad.lang import get as get_language
from marsad.spans import SpanIndex

# The cue lists and their patterns: argument_cues.py; the event's place: place_argument.py (re-exported here,
# where the event extractor reads it as arguments.place / arguments.placed).
from .argument_cues import _alt, _cues, _has, _list_re
from .triggers import contrast
from .place_argument import ABROAD_NEAR_KM, place, placed  # noqa: F401
from .agent_filters import dateline, speaks_through

ACTOR_KINDS = {"state", "armed_force", "armed_group", "political_group", "organization", "person", "other"}
ARMED_KINDS = {"state", "armed_force", "armed_group"}
GOV_SIDES = {"syrian_government", "russia", "iran_axis"}




def is_actor(m: dict, entities: dict) -> bool:
    """A party that can act in a conflict event: states, armed forces and groups, political groups, a country's
    people ("Iraqis"); persons, organisations and other names only when the dictionary gives them a side
    (monitors and NGOs report events, they are not their actors)."""
    e = entities.get(m["entity"]) or {}
    if e.get("people"):  # "Iraqis protested", "Israeli troops killed three Palestinians": a country's people
        return True
    if e.get("kind") in ("person", "organization", "other") and not e.get("side"):
        return False
    return e.get("kind") in ACTOR_KINDS


def without_group_labels(text: str, actors: list[dict], entities: dict) -> list[dict]:
    """The sentence's actor mentions less a label right after an armed group's name ("ISIS militants", "Hamas
    fighters": the label describes the named group; one actor, the name's). After a state's name the label is
    its own group ("Syria rebels" are rebels, not the state)."""
    def describes_group(k: int) -> bool:
        m, before = actors[k], actors[k - 1] if k else None
        return bool(m.get("label") and before is not None and not before.get("label")
                    and (entities.get(before["entity"]) or {}).get("kind") == "armed_group"
                    and before["end"] <= m["start"] and not text[before["end"]:m["start"]].strip())
    return [m for k, m in enumerate(actors) if not describes_group(k)]


def is_place(m: dict, entities: dict) -> str | None:
    """The place id a mention names (a place, or the territory of a state mention)."""
    e = entities.get(m["entity"]) or {}
    if e.get("kind") == "place":
        return m["entity"]
    return None if m.get("demonym") else m.get("place")  # "Egyptian mediators" are not in Egypt


@functools.cache
def _agent_phrases(lang: str) -> tuple[tuple[tuple[re.Pattern, str, bool], ...], dict[str, str]]:
    """lang/<code>/event_agents.tsv: (pattern, actor id, is a label) for phrases that name an agent by its side's
    adjective or by a label ("terrorist rocket attacks"), and the national army per country code."""
    path = data_file(lang, "event_agents.tsv")
    heads, rows, armies = {}, [], {}
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        if line.strip() and not line.startswith("#"):
            kind, a, b, *rest = line.split("\t")
            if kind == "head":
                heads[a] = b
            elif kind == "army":
                armies[a] = b
            else:
                rows.append((a, b, rest[:1] == ["label"]))
    fill = lambda p: re.sub(r"\{(\w+)\}", lambda m: heads[m.group(1)], p)
    return tuple((re.compile(fill(p), re.I), actor, label) for p, actor, label in rows), armies


def implicit_agents(text: str, lang: str, mentions: list[dict], entities: dict,
                    country: str | None = None) -> list[dict]:
    """Actor mentions for phrases that name an agent by a side's adjective on a military noun ("regime planes",
    "rebel rocket fire", "الطيران الروسي"), or "the army" of the country the article is about, where no actor
    mention covers them; marked `implicit`."""
    taken = SpanIndex([{"start": m["start"], "end": m["end"]} for m in mentions if is_actor(m, entities)])
    out = []
    rows, armies = _agent_phrases(lang)
    for rx, actor, label in rows:
        if actor == "@army":
            actor = armies.get(country or "")
            if not actor:
                continue
        for m in rx.finditer(text):
            s, e = m.span("a") if "a" in rx.groupindex else m.span()
            if not taken.overlapping({"start": s, "end": e}):
                out.append({"start": s, "end": e, "text": text[s:e], "entity": actor, "implicit": True,
                            "phrase_end": m.end(),  # "Opposition Forces said": the phrase's own end speaks
                            **({"label": text[s:e]} if label else {})})  # a label describes a name before it
                taken.add({"start": s, "end": e})
    return sorted(out, key=lambda m: m["start"])


def agents(text: str, lang: str, trigger: tuple[int, int], clause: tuple[int, int], sentence: tuple[int, int],
           actors: list[dict], used_objects: set, prev_actor1: str | None, prev_armed: str | None,
           home: str | None = None, means: str | None = None, learned=None, violent: bool = True):
    """(actor1, actor2) entity ids for a trigger; `actors` are the sentence's actor mentions. `learned(mentions,
    role, exclude)`: the learned role tagger's pick (accurate profile, events/roles.py), asked for an agent the
    rules find none for in the clause, before one is carried over from the sentences before. `violent`: the event
    is violent, so that a count before a mention makes it victims, not agents."""
    a1, a2 = _agents(text, lang, trigger, clause, sentence, actors, used_objects, prev_actor1, prev_armed, home,
                     means, learned, violent)
    # "The SDF said it was attacked by ISIS": the speaker's own pronoun as a passive's subject is the target
    target = _own_target(text, trigger, sentence, actors)
    if target is not None and target != a1:
        a2 = target
    return a1, a2


def _own_target(text: str, trigger: tuple[int, int], sentence: tuple[int, int], actors: list[dict]) -> str | None:
    """The speaker ("X said ...") whose own pronoun is the subject of the passive trigger ("said it was attacked")."""
    own = _cues().own_passive.search(text, max(sentence[0], trigger[0] - 40), trigger[0])
    if own is None:
        return None
    owner = [m for m in actors if sentence[0] <= m["start"] and m["end"] <= own.start()
             and _speaks(text, m)]
    return owner[-1]["entity"] if owner else None


_POSSESSED = re.compile(r"['’]s(?:\s+[\w-]+){1,2}(?=\s)")  # "Ukraine's air force said": the state speaks through it


def _speaks(text: str, m: dict) -> bool:
    """The mention is the speaker of a reporting verb right after it, or after its possessed noun ("Ukraine's air
    force said")."""
    if _cues().reporter.match(text, m["end"]):
        return True
    owned = _POSSESSED.match(text, m["end"])
    return bool(owned) and bool(_cues().reporter.match(text, owned.end()))


def _agents(text: str, lang: str, trigger: tuple[int, int], clause: tuple[int, int], sentence: tuple[int, int],
            actors: list[dict], used_objects: set, prev_actor1: str | None, prev_armed: str | None,
            home: str | None, means: str | None, learned, violent: bool):
    t0, t1 = trigger
    traits = get_language(lang).traits
    # "X said its air strikes killed 100 militants": a speaker telling of its own act ("its", "their" right before
    # the trigger) is its agent (read before the speakers are set aside below). Only a speaker: "the regime and its
    # Russian backers ... its bombardment" leaves the possessive's owner to the rules.
    own = _cues().own_possessive.search(text, max(sentence[0], t0 - 40), t0)
    if own:
        owner = [m for m in actors if sentence[0] <= m["start"] and m["end"] <= own.start()
                 and _speaks(text, m)]
        if owner:
            a1 = owner[-1]["entity"]
            obj = next((m for m in actors if m["start"] >= t1 and m["entity"] != a1), None)
            return a1, obj["entity"] if obj else None
    victims: list = []
    if _has("victim_after", lang):  # counted or killed victims are not agents: "Syrian Army kills 10 terrorists"
        victims = [m for m in actors if _victim(text, m, counted=violent)]
        if victims:
            actors = [m for m in actors if m not in victims]
            used_objects = set(used_objects) | {m["entity"] for m in victims}
    # who speaks about reports of the event ("dismissed as fake the reports of air strikes") is not its agent:
    # the actors before the sentence's last such cue before the trigger (found once, not once per actor)
    report = max((r.start() for r in _cues().report_of.finditer(text, sentence[0], t0)), default=None)
    if report is not None:
        actors = [m for m in actors if m["end"] > report]
    # "Leading Syrian opposition figure George Sabra said the attack ...": the speaker, told with its title
    # and a dateline's place ("Beirut London- Warplanes releasing toxic gas")
    actors = [m for m in actors if not (m["end"] <= t0 and (speaks_through(text, m, t0) or dateline(text, m)))]
    in_clause = [m for m in actors if clause[0] <= m["start"] < clause[1] and not (m["start"] < t1 and t0 < m["end"])]
    before = [m for m in in_clause if m["end"] <= t0]
    after = [m for m in in_clause if m["start"] >= t1]
    a1 = a2 = None
    named = next((m for m in actors if m["start"] < t1 and t0 < m["end"]), None)
    if named is not None:  # the trigger is part of the actor's name: "coalition air strikes", "طيران التحالف"
        obj = next((m for m in after if m["entity"] != named["entity"]), None)
        return named["entity"], obj["entity"] if obj else None
    home_m = [m for m in actors if home and m["entity"] == home]
    # the distance first: the regex then reads at most 60 characters (a long clause made this quadratic)
    by = next((m for m in after if m["start"] - t1 < 60 and _cues().by.search(text[t1:m["start"]])
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
    # "The army repelled a terrorist attack, killing 10 terrorists": the attack's side is the sentence's victims,
    # so the killing is the subject's (read below); a modifier names the agent only when its actor is not killed
    pre = [m for m in pre if not any(v["entity"] == m["entity"] and v["start"] >= t1 for v in victims)]
    if pre:  # "regime air raids", "Russian airstrikes", "Syrian government shelling"
        obj = next((m for m in after if m["entity"] != pre[-1]["entity"]), None)
        return pre[-1]["entity"], obj["entity"] if obj else None
    if traits.subject_after_verb:
        subj = next((m for m in after if _vso_subject(text, t1, m)), None)
        if subj is not None:
            a1 = subj["entity"]
            obj = next((m for m in after if m is not subj and m["entity"] != a1), None)
            return a1, obj["entity"] if obj else None
        # not across "while" / «فيما»: «قصفت طائرات النظام سراقب، فيما قصف المعارضون القرداحة» has two subjects
        earlier = [m for m in actors if sentence[0] <= m["start"] and m["end"] <= t0
                   and m["entity"] not in used_objects and not _after_preposition(text, m)
                   and not contrast(text, m["end"], t0)]
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
            if a1 is None and not before and _cues().agent_in.search(text[max(clause[0], t0 - 16):t0]):
                # "In an Ambush Syrian Forces Kill 35 Terrorists": the trigger opens the clause in a phrase of its
                # own, and the actor right after it is the clause's subject, the ambush's agent
                lead = next((m for m in actors if m["start"] >= t1 and re.fullmatch(r"[\s,]*", text[t1:m["start"]])),
                            None)
                if lead is not None:
                    a1 = lead["entity"]
                    after = [m for m in after if m is not lead]
            if a1 is None:
                earlier = [m for m in actors if sentence[0] <= m["start"] and m["end"] <= t0
                           and m["entity"] not in used_objects
                           and not _cues().prep_en.search(text[max(sentence[0], m["start"] - 14):m["start"]])]
                a1 = earlier[-1]["entity"] if earlier else None
            obj = next((m for m in after if m["entity"] != a1), None)
            a2 = obj["entity"] if obj else None
    if a1 is None and learned is not None:
        a1 = learned(before + after, "source", {a2} | used_objects)
    if a1 is None:
        a1 = prev_actor1 or prev_armed
        if a1 == a2 or any(v["entity"] == a1 and clause[0] <= v["start"] < clause[1] for v in victims):
            a1 = None  # the actor before is this clause's target or its killed ("About 70 terrorists were killed")
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
    found = accusation(text, lang, sentence, actors)
    return found[0] if found else None


def accusation(text: str, lang: str, sentence: tuple[int, int], actors: list[dict]) -> tuple[str, int] | None:
    """(the accused actor, where the accusation's cue ends) of a sentence, or None. A verb-first language names the
    accuser first: «اتهمت موسكو القوات الأوكرانية بقصف...» accuses the Ukrainian forces, not Moscow."""
    span = text[sentence[0]:sentence[1]]
    for name, after in (("blame_after", True), ("blame_before", False)):
        bounded = get_language(lang).traits.word_boundaries
        cue = (_list_re(r"\b(?:ALT)\b" if bounded else "ALT", name, lang).search(span)
               if _alt(name, lang) else None)
        if cue is None or _list_re("ALT", "no_claim", lang).search(span[max(0, cue.start() - 30):cue.start()]):
            continue
        a, b = sentence[0] + cue.start(), sentence[0] + cue.end()
        if after:
            nxt = [m for m in actors if b <= m["start"] < b + 40]
            if len(nxt) > 1 and get_language(lang).traits.subject_after_verb \
                    and text[nxt[0]["end"]:nxt[1]["start"]].strip() == "":
                nxt = nxt[1:]  # verb, subject, object: the second name is the accused
            m = nxt[0] if nxt else None
        else:
            m = next((m for m in reversed(actors) if a - 40 <= m["end"] <= a), None)
        if m is not None:
            return m["entity"], b
    return None


def _op_noun(text: str, m: dict) -> bool:
    """A military noun follows the mention within two words ("Syrian Army anti-terrorism operations"), in the
    mention's own phrase: not after an article that opens another ("said in Turkey the attack ...")."""
    return bool(_list_re(r"\s+(?:(?!(?:the|a|an)\s)[\w-]+\s+){0,2}?(?:ALT)\b", "operation", "en").match(
        text[m["end"]:m["end"] + 60]))


def _victim(text: str, m: dict, counted: bool = True) -> bool:
    """English: the mention is counted victims ("31 jihadists", "dozens of rebels") or said to be killed, or the
    source that reports the event ("X said"). `counted` False: a count does not make victims (the event is not
    violent: "300 rebels surrendered" counts its agents)."""
    return _victim_span(text, m["start"], m.get("phrase_end", m["end"]), counted)


@functools.lru_cache(maxsize=4096)  # asked for every actor of a sentence once per trigger of that sentence
def _victim_span(text: str, start: int, end: int, counted: bool = True) -> bool:
    before = text[max(0, start - 40):start]
    count = _cues().count.search(before) if counted else None
    if count and re.search(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+$",
                           before[:count.start()], re.I):
        count = None  # "June 3 rebels ...": a date, not a count
    if _cues().reporter.match(text, end) and not _cues().own_denial.match(text, end):
        return True  # "the Coalition said the attack killed 100": the source, not the agent
    return bool(count or _cues().victim_after.match(text, end) or _cues().modifier_after.match(text, end))


def in_compound_modifier(text: str, m: dict) -> bool:
    """The mention is the first part of a compound modifier ("rebel-held", "Britain-based"): it describes the
    place or the source, it takes no part in the event."""
    return bool(_cues().modifier_after.match(text, m["end"]))


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
