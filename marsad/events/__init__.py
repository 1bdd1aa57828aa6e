"""Events: ACLED type/sub-type and PLOVER type of what a text says happened, with its actors, place, date, modality,
source and fatalities (the `events` of a marsad/1 record, ../docs/schema.md).

    extract(record) -> [event, ...] in text order

The record needs `text`, `language`, `sentences`, `mentions` and `entities` (the earlier stages). Per clause, trigger
hits (lang/<code>/event_triggers.tsv) of one ACLED type form one event (clause_events.py); its arguments come from
the mentions (arguments.py, place_argument.py), its means from cue words (event_means.py), its modality and source
from cue words (modality.py), its date and fatalities from dates.py and casualties.py (event_fatalities.py). In
Arabic, a classifier trained on judged sentences (classifier.py) confirms the ASSAULT/PROTEST reading of a hit.
In the accurate profile a role tagger on the encoder's states (roles.py) names an agent or a target where the
rules find none in the clause.
Every rule reads actors by kind and side, never by name, so the same sentence with the sides swapped gets the same
event type and modality.

What a sentence leaves out, the article may say (article_places.py, article_inferences.py); each such reading is
marked on the event:
  - a violent event naming no agent takes the actor the article says claimed responsibility, else the one it
    names for violence by the same means ("regime airstrikes ... 51 killed in air raids"), else the one it
    accuses of the attack (`actor1_inferred`);
  - a generic attack or clash naming no means takes the means the article names most (`means_inferred`);
  - bombing or shelling dead with no fighters among them count as civilians (`civilians_inferred`), and a bare
    count the article gives elsewhere as fighters is those fighters;
  - a count of 10,000 dead or more is a war-wide toll, not an event's.
"""
from __future__ import annotations

import bisect
import functools

from .. import lang as languages
from ..record import add_warning
from . import arguments as A
from . import dates
from . import modality as M
from . import protests
from . import triggers as T
# The parts of extract() by role, each its own module (the names keep their old place here: marsad.events._fat_for,
# marsad.events._means_cue, marsad.events.VIOLENT are imported from the package).
from .article_inferences import _background_tolls, _claimed_attacks, _implicit_agents, _implicit_means, _same_count
from .article_places import _home_state, _main_place, _named_in_paragraph, _place_mentions
from .clause_events import (VIOLENT, _absorb, _bare, _best, _displaced, _fighters_hit, _generic, _give_way, _groups,
                            _introduced)
from .clause_events import _in_date, _one_victim, _violence_around
from .event_fatalities import _EMPTY_FAT, _fat_for, _fatalities, _within
from .event_means import _MEANS_SUB, _WEAPON_MEANS, _means_cue, _means_named

# The data files of the parts of an event, and what is left empty without them.
_STAGE_FILES = (("months.tsv", "event dates"), ("number_words.tsv", "number words"),
                ("casualty_words.tsv", "fatality counts"))


def extract(record: dict, encoded=None) -> list[dict]:
    """The record's events. `encoded`: the encode stage's states (accurate profile), read by the learned
    confirmer of Arabic ASSAULT / PROTEST readings where they cover the sentence."""
    text = record.get("text") or ""
    lang = languages.rules_for(record.get("language"), text)
    if languages.get(lang).data("event_triggers.tsv") is None:  # a language marsad has no event rules for
        add_warning(record, f"no event rules for language {lang!r} (lang/{lang}/event_triggers.tsv): no events coded")
        return []
    missing = [f"{f} ({what})" for f, what in _STAGE_FILES if languages.get(lang).data(f) is None]
    if missing:  # events, but without the parts the language has no data for
        add_warning(record, f"language {lang!r} has no {', '.join(missing)}: those are left empty")
    mentions = sorted(record.get("mentions") or [], key=lambda m: m["start"])
    entities = record.setdefault("entities", {}) if isinstance(record.get("entities"), dict) else {}
    sentences = [(s["start"], s["end"]) for s in record.get("sentences") or []] or [(0, len(text))]
    toks = T.tokens(text)
    names = [m for m in mentions if not A.is_place(m, entities)]
    name_starts = [m["start"] for m in names]
    longest = max((m["end"] - m["start"] for m in names), default=0)

    def inside_name(h) -> bool:  # a trigger word inside a longer name ("Liberation Army") is no trigger
        lo = bisect.bisect_left(name_starts, h.start - longest)
        hi = bisect.bisect_right(name_starts, h.start)
        return any(m["start"] <= h.start and h.end <= m["end"] and m["end"] - m["start"] > h.end - h.start
                   and not (T.data(h)["means"] in _WEAPON_MEANS and A.is_actor(m, entities))
                   for m in names[lo:hi])

    hits = [h for h in T.triggers(lang).find(text, toks) if not inside_name(h)]
    cue_hits = T.cues(lang).find(text, toks)
    places = _place_mentions(mentions, entities, text)
    main_place = _main_place(places, entities)
    implicit = A.implicit_agents(text, lang, mentions, entities, (entities.get(main_place) or {}).get("country"))
    for m in implicit:
        if m["entity"] not in entities:
            entities[m["entity"]] = _describe(m["entity"])
    actors = sorted([m for m in mentions if A.is_actor(m, entities)] + implicit, key=lambda m: m["start"])
    # Every date expression, resolved or not, found once for the article: the casualty parser masks them
    # per sentence (a sentence's own search gives the same spans: 24,561 sentences of PTC, FA-KES, the
    # Arabic GSR and ArAIEval checked; issue 14).
    date_spans = sorted((d["start"], d["end"]) for d in dates.find_dates(text, lang, None))
    # a trigger word inside a date expression is the month, not the event ("since March 2014", "في آذار")
    hits = [h for h in hits if not _in_date(h, date_spans)]
    # Per sentence, found by bisect: a long article must not rescan every hit for every sentence.
    hits_in = _by_sentence(hits, sentences, lambda h: h.start)
    actors_in = _by_sentence(actors, sentences, lambda m: m["start"])
    cues_in = _by_sentence(cue_hits, sentences, lambda h: h.start)
    mentions_in = _by_sentence(mentions, sentences, lambda m: m["start"])
    places_in = _by_sentence(places, sentences, lambda m: m["start"])
    home = _home_state(main_place, places, mentions, entities)
    found_dates = [d for d in dates.find_dates(text, lang, record.get("published")) if d.get("date")]
    from . import classifier, roles
    confirmer_states = classifier.DocumentStates.of(encoded) if classifier.covers(lang) else None
    role_states = roles.SentenceRoles.of(text, encoded)  # the learned role tagger (accurate profile)
    events, prev, armed_prev, last_armed = [], None, None, -9
    fighters: set = set()  # counts the text gives as fighters killed
    claimers: list = []  # actors the text says claimed responsibility for an attack
    accused: list = []  # actors the text accuses of an attack
    for si, sent in enumerate(sentences):
        s_hits, s_actors, s_cues = hits_in[si], actors_in[si], cues_in[si]
        # the agent and target candidates: a label right after an armed group's name is that group ("ISIS militants")
        s_parties = A.without_group_labels(text, s_actors, entities)
        groups = _groups(text, sent, s_hits)
        fat = _fatalities(text[sent[0]:sent[1]], lang, _within(date_spans, sent)) if groups else None
        # a toll of its own (not a war-wide one) keeps a weak killing word beside a strong non-violent trigger
        groups = _give_way(groups, bool(fat and fat.get("total") and "cumulative" not in (fat.get("note") or "")))
        if fat and fat.get("combatants") and not fat.get("civilians"):
            fighters.add(fat["combatants"])
        used_objects: set = set()
        fat_given = False
        claimer = A.claimant(text, lang, sent, s_actors)
        if claimer:
            claimers.append(claimer)
        accusation = A.accusation(text, lang, sent, s_actors)
        blamed = accusation[0] if accusation else None
        if blamed:
            accused.append(blamed)
        for clause, grp in groups:
            d = _best(grp)
            weight = max(T.data(h)["weight"] for h in grp)
            if all(T.data(h).get("needs") == "violence" for h in grp) \
                    and not _violence_around(text[sent[0]:sent[1]], lang, fat, s_actors, s_hits, grp, entities):
                continue  # "the drill targeted readiness", "استهدفت الحملة الشباب": a figurative use
            if weight < 0.5 and not (fat and fat.get("total")) \
                    and not _one_victim(text, lang, toks, grp, mentions_in[si], entities):
                continue
            if prev and prev["_sent"] == si and prev["type"] == d["type"] == "Explosions/Remote violence" \
                    and all(_bare(h) for h in grp) and not T.contrast(text, prev["evidence"]["end"], clause[0] + 12):
                # "the rocket ... killed one; in addition to damages within the area of explosion": the same blast
                prev["evidence"]["end"] = max(prev["evidence"]["end"], clause[1])
                continue
            background = any(T.data(c)["modality"] == "background" for c in s_cues)
            generic = all(_generic(h) or T.data(h)["weight"] < 1 for h in grp) and d["type"] in VIOLENT
            if generic and background:
                continue  # "280,000 have been killed since 2011": a toll, not an event
            if generic and prev and prev["type"] in VIOLENT and prev["_sent"] >= si - 2 \
                    and not _introduced(text, lang, toks, grp):
                # the text goes on about the event before: "The attack killed 12 civilians." (its evidence too,
                # where the words are a killing's or the same kind of event's: a weak bomb word after a torture is
                # no more of it)
                toll = bool(fat) and not any(prev["fatalities"].values()) and not fat_given
                if toll:
                    prev["fatalities"], fat_given = _fat_for(prev["type"], fat), True
                if toll or d["type"] == prev["type"] or all(_generic(h) for h in grp):
                    prev["evidence"]["end"] = max(prev["evidence"]["end"], clause[1])
                if not prev["actor1"] and not (claimer or blamed):  # "... 60 killed. Russian aircraft targeted ..."
                    first = min(grp, key=lambda h: h.start)
                    own = [m for m in s_actors if clause[0] <= m["start"] < first.start]  # the clause's subject
                    if own and (entities.get(own[0]["entity"]) or {}).get("kind") in A.ARMED_KINDS \
                            and not A.governed_or_victim(text, lang, own[0]) and own[0]["entity"] != prev["actor2"]:
                        prev["actor1"] = own[0]["entity"]
                continue
            trig = (min(h.start for h in grp), max(h.end for h in grp))
            first = min(grp, key=lambda h: h.start)
            prev_a1 = prev["actor1"] if prev and prev["_sent"] >= si - 1 and prev["type"] in VIOLENT else None
            if prev_a1 and T.contrast(text, prev["evidence"]["start"], trig[0]):
                prev_a1 = None  # "X struck A, while Y shelled B": the subject does not carry across "while"
            # a person (a president, a minister) speaks about violence, forces carry it out
            cands = [m for m in s_parties if (entities.get(m["entity"]) or {}).get("kind") != "person"] \
                if d["type"] in VIOLENT else s_parties
            learned = functools.partial(role_states.pick, sent) if role_states else None
            carried = armed_prev  # only states fly warplanes: "... which IS has besieged. In May 60 civilians
            if d["means"] == "air_strike" and (entities.get(carried) or {}).get("kind") == "armed_group":
                carried = None  # were killed by barrel bomb attacks" carries no IS over as the bombs' agent
            a1, a2 = A.agents(text, lang, (first.start, first.end), clause, sent, cands, used_objects,
                              prev_a1, carried, home, d["means"], learned, d["type"] in VIOLENT)
            # the target the rules found none for, where the tagger decides one: given once the article's own
            # readings (claims, accusations) have named the agents, so that it never displaces one of them
            learned_a2 = learned([m for m in cands if clause[0] <= m["start"] < clause[1] and m["entity"] != home
                                  and not (m["start"] < trig[1] and trig[0] < m["end"])
                                  and not A.in_compound_modifier(text, m)], "target", {a1}) \
                if a2 is None and learned else None
            if accusation and trig[0] >= accusation[1] and a1 != blamed and d["type"] in VIOLENT:
                # "X accused Y of shelling", «اتهمت موسكو القوات الأوكرانية بقصف»: the accused is the alleged agent
                a1, a2 = blamed, (None if a2 == blamed else a2)
            if a2:
                used_objects.add(a2)
            etype, sub, plover = d["type"], d["sub_type"], d["plover"]
            if etype == "Violence against civilians" and all(_generic(h) for h in grp) \
                    and _fighters_hit(fat, a2, entities):
                # "the army killed 60 militants", "an armed group attacked an army checkpoint": violence between
                # armed actors is a battle (ACLED), whichever side the fighters are on. The PLOVER reading stays
                # the trigger's (the Arabic GSR's annotators call such killings ASSAULT; the classifier decides)
                etype, sub = "Battles", "Armed clash"
            if sub == "TERRITORY":
                sub = A.territory_sub_type(a1, entities)
            if plover == "AUTO":
                plover = A.plover_auto(text, clause, sent, sub)
            if plover in ("ASSAULT", "PROTEST") and classifier.covers(lang):
                vectors = confirmer_states.vectors(sent, s_hits, plover) if confirmer_states else None
                plover = classifier.confirm(text[sent[0]:sent[1]], plover, etype, weight, vectors)
                if plover is None:
                    continue
            mod, claimed = M.assess(text, lang, toks, s_cues, sent, clause, (first.start, first.end),
                                    mentions_in[si], entities)
            claimed = None if claimed and claimed == a1 == blamed else claimed  # the accused is no accuser
            pid, prec = A.place(text, trig, clause, sent, places_in[si], entities, main_place, (a1, a2),
                                main_here=_named_in_paragraph(text, trig[0], main_place, places),
                                violent=etype in VIOLENT)
            history = M.told_as_history(text, toks, s_cues, (first.start, first.end))
            # told as history ("three years after militants seized the city"): dated by its own sentence or not
            date, dprec = _date_for(found_dates, sent, trig, None if history else record.get("published"))
            means = d["means"]
            if means is None and etype in VIOLENT:
                means = _means_cue(text[clause[0]:clause[1]], lang) or _means_cue(text[sent[0]:sent[1]], lang)
            elif etype == "Explosions/Remote violence" and weight < 1:
                # a weak word ("targeted", "strikes") guesses the means; the clause's own words say it
                cue = _means_cue(text[clause[0]:clause[1]], lang)
                if cue in _MEANS_SUB and cue != means:
                    means, sub = cue, _MEANS_SUB[cue]
            elif means == "shelling":
                # «قصفت طائرات حربية», "warplanes shelled": a bombardment by aircraft is an air strike, unless the
                # clause also names guns or rockets
                named = _means_named(text[clause[0]:first.start] + " " + text[first.end:clause[1]], lang)
                if "air_strike" in named and "shelling" not in named:
                    means, sub = "air_strike", _MEANS_SUB["air_strike"]
            f = _EMPTY_FAT
            if etype in VIOLENT and fat and not fat_given and not background:
                f, fat_given = _fat_for(etype, fat), True
            conf = 0.45 + 0.3 * min(weight, 1) + 0.1 * bool(a1) + 0.1 * bool(pid)
            events.append({"type": etype, "sub_type": sub, "plover": plover, "actor1": a1, "actor2": a2,
                           "place": pid, "place_precision": prec, "date": date, "date_precision": dprec,
                           "modality": mod, "claimed_by": claimed, "means": means, "fatalities": dict(f),
                           "evidence": {"start": clause[0], "end": clause[1]},
                           "confidence": round(min(conf, 0.95) * (0.8 if mod == "hypothetical" else 1), 2),
                           "_sent": si, "_learned_actor2": learned_a2})
            if history:
                events[-1]["background"] = True
            prev = events[-1]
        _absorb(text, [e for e in events if e["_sent"] == si], _displaced(text, sent, s_hits))
        # the armed actors that may carry the story on: not the victims or the objects of a preposition
        armed = [m for m in s_actors if (entities.get(m["entity"]) or {}).get("kind") in ("armed_force", "armed_group")
                 and not A.governed_or_victim(text, lang, m)]
        if armed or si > last_armed + 1:  # the last armed actor of the previous two sentences
            armed_prev, last_armed = (armed[-1]["entity"], si) if armed else (None, last_armed)
    events = protests.mark_interventions(events, text, lang, toks)
    _background_tolls(events)
    _claimed_attacks(events, claimers)
    _implicit_means(events)
    _implicit_agents(events, entities)
    _claimed_attacks(events, accused)
    _same_count(events, fighters)
    used = {e.get(k) for e in events for k in ("actor1", "actor2")}
    for m in implicit:
        if m["entity"] not in used and not any(x["entity"] == m["entity"] for x in mentions):
            entities.pop(m["entity"], None)
    for e in events:
        e.pop("_sent", None)
        target = e.pop("_learned_actor2", None)
        if target and not e["actor2"] and target != e["actor1"]:
            e["actor2"] = target
    return events


def _describe(entity_id: str) -> dict:
    from ..entities import actors
    return actors.describe(entity_id)


def _by_sentence(items: list, sentences: list[tuple[int, int]], start) -> list[list]:
    """items grouped by the sentence their start falls in (items outside every sentence are dropped)."""
    out: list[list] = [[] for _ in sentences]
    starts = [a for a, _ in sentences]
    for it in items:
        k = bisect.bisect_right(starts, start(it)) - 1
        if k >= 0 and start(it) < sentences[k][1]:
            out[k].append(it)
    return out


def _date_for(found, sent, trig, published):
    inside = [d for d in found if sent[0] <= d["start"] < sent[1]]
    if inside:
        d = min(inside, key=lambda d: abs(d["start"] - trig[0]))
        return d["date"], d.get("precision") or "day"
    if published:
        return str(published)[:10], "week"
    return None, None
