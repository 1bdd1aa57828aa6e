"""Events: ACLED type/sub-type and PLOVER type of what a text says happened, with its actors, place, date, modality,
source and fatalities (the `events` of a marsad/1 record, ../docs/schema.md).

    extract(record) -> [event, ...] in text order

The record needs `text`, `language`, `sentences`, `mentions` and `entities` (the earlier stages). Per clause, trigger
hits (lang/<code>/event_triggers.tsv) of one ACLED type form one event; its arguments come from the mentions
(arguments.py), its modality and source from cue words (modality.py), its date and fatalities from dates.py and
casualties.py. In Arabic, a classifier trained on judged sentences (classifier.py) confirms the
ASSAULT/PROTEST reading of a hit. Every rule reads actors by kind and side, never by name, so the same sentence
with the sides swapped gets the same event type and modality.

What a sentence leaves out, the article may say; each such reading is marked on the event:
  - a violent event naming no agent takes the actor the article says claimed responsibility, else the one it
    names for violence by the same means ("regime airstrikes ... 51 killed in air raids"), else the one it
    accuses of the attack (`actor1_inferred`);
  - a generic attack or clash naming no means takes the means the article names most (`means_inferred`);
  - bombing or shelling dead with no fighters among them count as civilians (`civilians_inferred`), and a bare
    count the article gives elsewhere as fighters is those fighters;
  - a count of 10,000 dead or more is a war-wide toll, not an event's.
"""
from __future__ import annotations

import functools
import re
import bisect
from collections import Counter

from .. import lang as languages
from . import arguments as A
from . import casualties, dates
from . import modality as M
from . import triggers as T

VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
# A force named by its weapon ("coalition warplanes", "طيران التحالف") is the agent of the strike its name says.
_WEAPON_MEANS = {"air_strike", "shelling"}
_MEANS_SUB = {"air_strike": "Air/drone strike", "shelling": "Shelling/artillery/missile attack",
              "chemical": "Chemical weapon"}
# The most specific reading wins when several triggers of one type share a clause.
_SUB_RANK = ["Chemical weapon", "Suicide bomb", "Remote explosive/landmine/IED", "Grenade", "Air/drone strike",
             "Shelling/artillery/missile attack", "TERRITORY", "Armed clash", "Abduction/forced disappearance",
             "Sexual violence", "Attack", "Agreement", "Non-violent transfer of territory", "Arrests"]


# The data files of the parts of an event, and what is left empty without them.
_STAGE_FILES = (("months.tsv", "event dates"), ("number_words.tsv", "number words"),
                ("casualty_words.tsv", "fatality counts"))


def _warn(record: dict, warning: str) -> None:
    """One warning in the record (once), where the record has a warnings list."""
    if isinstance(record.get("warnings"), list) and warning not in record["warnings"]:
        record["warnings"].append(warning)


def extract(record: dict, encoded=None) -> list[dict]:
    """The record's events. `encoded`: the encode stage's states (accurate profile), read by the learned
    confirmer of Arabic ASSAULT / PROTEST readings where they cover the sentence."""
    text = record.get("text") or ""
    lang = languages.rules_for(record.get("language"), text)
    if languages.get(lang).data("event_triggers.tsv") is None:  # a language marsad has no event rules for
        _warn(record, f"no event rules for language {lang!r} (lang/{lang}/event_triggers.tsv): no events coded")
        return []
    missing = [f"{f} ({what})" for f, what in _STAGE_FILES if languages.get(lang).data(f) is None]
    if missing:  # events, but without the parts the language has no data for
        _warn(record, f"language {lang!r} has no {', '.join(missing)}: those are left empty")
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
    from . import classifier
    confirmer_states = classifier.DocumentStates.of(encoded) if classifier.covers(lang) else None
    events, prev, armed_prev, last_armed = [], None, None, -9
    fighters: set = set()  # counts the text gives as fighters killed
    claimers: list = []  # actors the text says claimed responsibility for an attack
    accused: list = []  # actors the text accuses of an attack
    for si, sent in enumerate(sentences):
        s_hits, s_actors, s_cues = hits_in[si], actors_in[si], cues_in[si]
        groups = _groups(text, sent, s_hits)
        fat = _fatalities(text[sent[0]:sent[1]], lang, _within(date_spans, sent)) if groups else None
        if fat and fat.get("combatants") and not fat.get("civilians"):
            fighters.add(fat["combatants"])
        used_objects: set = set()
        fat_given = False
        claimer = A.claimant(text, lang, sent, s_actors)
        if claimer:
            claimers.append(claimer)
        blamed = A.accused(text, lang, sent, s_actors)
        if blamed:
            accused.append(blamed)
        for clause, grp in groups:
            d = _best(grp)
            weight = max(T.data(h)["weight"] for h in grp)
            if all(T.data(h).get("needs") == "violence" for h in grp) \
                    and not _violence_around(text[sent[0]:sent[1]], lang, fat, s_actors, s_hits, grp, entities):
                continue  # "the drill targeted readiness", "استهدفت الحملة الشباب": a figurative use
            if weight < 0.5 and not (fat and fat.get("total")):
                continue
            background = any(T.data(c)["modality"] == "background" for c in s_cues)
            generic = all(_generic(h) or T.data(h)["weight"] < 1 for h in grp) and d["type"] in VIOLENT
            if generic and background:
                continue  # "280,000 have been killed since 2011": a toll, not an event
            if generic and prev and prev["type"] in VIOLENT and prev["_sent"] >= si - 2:
                # the text goes on about the event before: "The attack killed 12 civilians."
                if fat and not any(prev["fatalities"].values()) and not fat_given:
                    prev["fatalities"], fat_given = _fat_for(prev["type"], fat), True
                    prev["evidence"]["end"] = max(prev["evidence"]["end"], clause[1])
                if not prev["actor1"] and not (claimer or blamed):  # "... 60 killed. Russian aircraft targeted ..."
                    first = min(grp, key=lambda h: h.start)
                    own = [m for m in s_actors if clause[0] <= m["start"] < first.start]  # the clause's subject
                    if own and (entities.get(own[0]["entity"]) or {}).get("kind") in A.ARMED_KINDS \
                            and not A.governed_or_victim(text, lang, own[0]) and own[0]["entity"] != prev["actor2"]:
                        prev["actor1"] = own[0]["entity"]
                        prev["evidence"]["end"] = max(prev["evidence"]["end"], clause[1])
                continue
            trig = (min(h.start for h in grp), max(h.end for h in grp))
            first = min(grp, key=lambda h: h.start)
            prev_a1 = prev["actor1"] if prev and prev["_sent"] >= si - 1 and prev["type"] in VIOLENT else None
            # a person (a president, a minister) speaks about violence, forces carry it out
            cands = [m for m in s_actors if (entities.get(m["entity"]) or {}).get("kind") != "person"] \
                if d["type"] in VIOLENT else s_actors
            a1, a2 = A.agents(text, lang, (first.start, first.end), clause, sent, cands, used_objects,
                              prev_a1, armed_prev, home, d["means"])
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
            pid, prec = A.place(text, trig, clause, sent, places_in[si], entities, main_place, (a1, a2),
                                main_here=_named_in_paragraph(text, trig[0], main_place, places))
            date, dprec = _date_for(found_dates, sent, trig, record.get("published"))
            means = d["means"]
            if means is None and etype in VIOLENT:
                means = _means_cue(text[clause[0]:clause[1]], lang) or _means_cue(text[sent[0]:sent[1]], lang)
            elif etype == "Explosions/Remote violence" and weight < 1:
                # a weak word ("targeted", "strikes") guesses the means; the clause's own words say it
                cue = _means_cue(text[clause[0]:clause[1]], lang)
                if cue in _MEANS_SUB and cue != means:
                    means, sub = cue, _MEANS_SUB[cue]
            f = _EMPTY_FAT
            if etype in VIOLENT and fat and not fat_given and not background:
                f, fat_given = _fat_for(etype, fat), True
            conf = 0.45 + 0.3 * min(weight, 1) + 0.1 * bool(a1) + 0.1 * bool(pid)
            events.append({"type": etype, "sub_type": sub, "plover": plover, "actor1": a1, "actor2": a2,
                           "place": pid, "place_precision": prec, "date": date, "date_precision": dprec,
                           "modality": mod, "claimed_by": claimed, "means": means, "fatalities": dict(f),
                           "evidence": {"start": clause[0], "end": clause[1]},
                           "confidence": round(min(conf, 0.95) * (0.8 if mod == "hypothetical" else 1), 2),
                           "_sent": si})
            prev = events[-1]
        # the armed actors that may carry the story on: not the victims or the objects of a preposition
        armed = [m for m in s_actors if (entities.get(m["entity"]) or {}).get("kind") in ("armed_force", "armed_group")
                 and not A.governed_or_victim(text, lang, m)]
        if armed or si > last_armed + 1:  # the last armed actor of the previous two sentences
            armed_prev, last_armed = (armed[-1]["entity"], si) if armed else (None, last_armed)
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
    return events


def _home_state(main_place, places, mentions, entities) -> str | None:
    """The state mention naming the country the article's main place lies in ("Syria" for an Aleppo story)."""
    country = (entities.get(main_place) or {}).get("country")
    return next((m["entity"] for m in mentions if country and m.get("place")
                 and (entities.get(m["entity"]) or {}).get("kind") == "state"
                 and entities[m["entity"]].get("country") == country), None)


def _describe(entity_id: str) -> dict:
    from ..entities import actors
    return actors.describe(entity_id)


def _claimed_attacks(events: list[dict], claimed: list) -> None:
    """Violent events that name no agent take the actor the article says claimed responsibility ("The Daesh
    group claimed responsibility for the attack"), or, failing the article naming one by the means, the actor it
    says was accused of it; marked `actor1_inferred`."""
    if not claimed:
        return
    for e in events:
        if e["type"] in VIOLENT and not e.get("actor1") and claimed[0] != e.get("actor2"):
            e["actor1"], e["actor1_inferred"] = claimed[0], True


def _implicit_agents(events: list[dict], entities: dict) -> None:
    """A violent event whose text names no agent ("At least 51 civilians were killed in air raids") takes the
    agent the same article names for violence by the same means ("regime airstrikes ... hit Aleppo"): the one
    named most often, the first named on a tie; an event whose means is itself inferred is no evidence of who uses
    those means. The event says so with `actor1_inferred`."""
    named: dict = {}
    for e in events:
        a1 = e.get("actor1")
        if e["type"] in VIOLENT and e.get("means") and a1 and (entities.get(a1) or {}).get("side") \
                and e["modality"] in ("asserted", "reported") and not e.get("means_inferred"):
            named.setdefault(e["means"], Counter())[a1] += 1
    for e in events:
        if e["type"] in VIOLENT and not e.get("actor1") and e.get("means") in named:
            c = named[e["means"]]
            best = max(c, key=lambda a: c[a])
            if best != e.get("actor2"):
                e["actor1"], e["actor1_inferred"] = best, True


def _implicit_means(events: list[dict]) -> None:
    """A generic violent event ("13 citizens killed in terrorist attacks", "clashes left 20 dead") whose words name
    no means takes the means the article names most for its violent events ("rocket shells fired by ..."): the
    attacks it reports are those it describes. The event says so with `means_inferred`."""
    c = Counter(e["means"] for e in events if e["type"] in VIOLENT and e.get("means")
                and e["modality"] in ("asserted", "reported"))
    if not c:
        return
    best = max(c, key=lambda m: c[m])
    for e in events:
        if e["type"] in VIOLENT and not e.get("means") and e.get("sub_type") in ("Attack", "Armed clash"):
            e["means"], e["means_inferred"] = best, True


def _same_count(events: list[dict], fighters: set) -> None:
    """A bare count read as civilians ("Syrian air strikes on Raqqa kill 19") that the article gives elsewhere as
    fighters ("killing at least 19 terrorists") is those fighters."""
    for e in events:
        f = e["fatalities"]
        if f.get("civilians_inferred") and f.get("total") in fighters:
            f["civilians"], f["combatants"] = None, f["total"]
            del f["civilians_inferred"]


def _background_tolls(events: list[dict]) -> None:
    """A violent event the text dates explicitly before the article's lead violent event ("An earlier attack in
    July left 270 dead", "Last month bombings killed 170") is background: it is marked `background` and keeps its
    toll, so a reader counting this report's dead can leave it out without losing what the text says."""
    viol = [e for e in events if e["type"] in VIOLENT]
    lead = viol[0]["date"] if viol else None
    if not lead:
        return
    for e in viol[1:]:
        if e.get("date") and e.get("date_precision") != "week" and e["date"] < lead[:len(e["date"])]:
            e["background"] = True


def _by_sentence(items: list, sentences: list[tuple[int, int]], start) -> list[list]:
    """items grouped by the sentence their start falls in (items outside every sentence are dropped)."""
    out: list[list] = [[] for _ in sentences]
    starts = [a for a, _ in sentences]
    for it in items:
        k = bisect.bisect_right(starts, start(it)) - 1
        if k >= 0 and start(it) < sentences[k][1]:
            out[k].append(it)
    return out


# No single attack or battle of the wars marsad reads has killed this many: a count this large is a war-wide toll
# even where the sentence does not say "since 2011" ("More than 300000 people have been killed"). The deadliest
# single events ACLED and the VDC record (the 2013 Ghouta chemical attack, about 1,400 dead) are far below it.
_WAR_TOLL = 10000
_EMPTY_FAT = {"total": None, "civilians": None, "children": None, "women": None, "combatants": None}


def _groups(text: str, sent, s_hits) -> list[tuple[tuple[int, int], list]]:
    """Per clause, the trigger hits grouped into one event per ACLED type (per PLOVER type for `Other`); generic
    attack/killing words are dropped where a sentence names a more specific violent event."""
    out = []
    for clause in T.clauses(text, *sent):
        by: dict = {}
        for h in s_hits:
            if clause[0] <= h.start < clause[1]:
                d = T.data(h)
                by.setdefault(d["type"] if d["type"] != "Other" else ("Other", d["plover"]), []).append(h)
        for grp in by.values():  # hits far apart in one clause are separate events ("طرد داعش ... وسيطر على")
            cur = [grp[0]]
            for h in grp[1:]:
                if len(T.tokens(text[cur[-1].end:h.start])) > 4:
                    out.append((clause, cur))
                    cur = []
                cur.append(h)
            out.append((clause, cur))
    specific = any(T.data(h)["type"] in VIOLENT and not _generic(h) for _, g in out for h in g)
    if specific:
        out = [(c, [h for h in g if not _generic(h)]) for c, g in out]
    # weak hits (< 1) of a type give way to a strong hit of another type in the same clause
    strong = {c for c, g in out if any(T.data(h)["weight"] >= 1 and T.data(h)["type"] != "Other" for h in g)}
    out = [(c, g) for c, g in out if g and (c not in strong or max(T.data(h)["weight"] for h in g) >= 1
                                              or T.data(g[0])["type"] == "Other")]
    return sorted(out, key=lambda cg: min(h.start for h in cg[1]))


def _in_date(h, date_spans: list[tuple[int, int]]) -> bool:
    """The hit lies inside one of the (sorted, non-overlapping) date expressions."""
    k = bisect.bisect_right(date_spans, (h.start, float("inf"))) - 1
    return k >= 0 and date_spans[k][0] <= h.start and h.end <= date_spans[k][1]


def _violence_around(sentence: str, lang: str, fat: dict | None, s_actors: list, s_hits: list, grp: list,
                     entities: dict) -> bool:
    """The sentence of a word with figurative uses ("targeted") also counts dead, names a weapon or an armed
    actor, or has another violent trigger."""
    if (fat and fat.get("total")) or _means_cue(sentence, lang):
        return True
    if any((entities.get(m["entity"]) or {}).get("kind") in A.ARMED_KINDS for m in s_actors):
        return True
    return any(h not in grp and T.data(h)["type"] in VIOLENT for h in s_hits)


def _fighters_hit(fat: dict | None, a2: str | None, entities: dict) -> bool:
    """The victims of a generic killing or attack are fighters: the sentence counts only combatants among its
    dead, or it counts dead and the one attacked is an armed force or group (without a toll, "these attacks"
    on a group may be a look back, not an event)."""
    if not fat or not fat.get("total"):
        return False
    if fat.get("combatants") and not fat.get("civilians") and fat["total"] <= fat["combatants"]:
        return True
    return (entities.get(a2) or {}).get("kind") in ("armed_force", "armed_group")


def _generic(h) -> bool:
    d = T.data(h)
    return d["type"] == "Violence against civilians" and d["plover"] == "AUTO"


def _best(grp) -> dict:
    def rank(h):
        d = T.data(h)
        return (-d["weight"], _SUB_RANK.index(d["sub_type"]) if d["sub_type"] in _SUB_RANK else 99)
    d = dict(T.data(min(grp, key=rank)))
    if not d.get("means"):
        d["means"] = next((T.data(h)["means"] for h in grp if T.data(h)["means"]), None)
    return d


def _place_mentions(mentions, entities, text) -> list[dict]:
    """Mentions naming a place; a name the tagger read otherwise ("Douma" as a person at a sentence start) counts
    as the place that the same words name elsewhere in the article."""
    out, by_text = [], {}
    for m in mentions:
        pid = A.is_place(m, entities)
        if pid:
            out.append(dict(m, pid=pid))
            by_text.setdefault(m["text"].casefold(), pid)
    for m in mentions:
        e = entities.get(m["entity"]) or {}
        if not A.is_place(m, entities) and m["entity"].startswith("ent:") and not e.get("side"):
            pid = by_text.get(m["text"].casefold())
            if pid:
                out.append(dict(m, pid=pid))
    return sorted(out, key=lambda m: m["start"])


def _named_in_paragraph(text: str, at: int, pid: str | None, places: list[dict]) -> bool:
    """Whether place `pid` is named in the paragraph (text between line breaks) holding offset `at`."""
    if not pid:
        return False
    lo, hi = text.rfind("\n", 0, at) + 1, text.find("\n", at)
    hi = len(text) if hi < 0 else hi
    return any(m["pid"] == pid and lo <= m["start"] < hi for m in places)


def _main_place(places, entities) -> str | None:
    """The article's main place: the most mentioned below country level (early mentions count double), in the
    country the article names most (its places, early ones double, and the state itself once a mention): a Syria
    story datelined "BEIRUT" or "UNITED NATIONS" keeps a Syrian main place."""
    c, countries = Counter(), Counter()
    for i, m in enumerate(places):
        e = entities.get(m["pid"]) or {}
        if len(m["text"]) > 3 and m["text"].isupper():
            continue  # a dateline ("BEIRUT, Lebanon:") says where the reporter is, not where it happened
        if e.get("feature") == "country" or m.get("place") or e.get("lat") is None:
            countries[e.get("country")] += 1
            continue
        c[m["pid"]] += 2 if i < 3 else 1
        countries[e.get("country")] += 2 if i < 3 else 1
    countries.pop(None, None)
    if c:
        top = countries.most_common(1)[0][0] if countries else None
        placed = [p for p in c if A.placed(entities.get(p) or {})]  # places the gazetteer puts in a province
        home = [p for p in placed if (entities.get(p) or {}).get("country") == top]
        if home or placed:
            return max(home or placed, key=lambda p: c[p])  # Counter order: the first mentioned wins a tie
        return c.most_common(1)[0][0]
    return places[0]["pid"] if places else None


def _date_for(found, sent, trig, published):
    inside = [d for d in found if sent[0] <= d["start"] < sent[1]]
    if inside:
        d = min(inside, key=lambda d: abs(d["start"] - trig[0]))
        return d["date"], d.get("precision") or "day"
    if published:
        return str(published)[:10], "week"
    return None, None


@functools.cache
def _means_table(lang: str) -> list:
    path = languages.data_file(lang, "event_means.tsv")
    rows = [l.split("\t") for l in path.read_text(encoding="utf-8").splitlines()
            if l.strip() and not l.startswith("#")] if path.exists() else []
    b = r"\b" if languages.get(lang).traits.word_boundaries else ""
    return [(re.compile(rf"{b}(?:{r[0]}){b}", re.I), r[1].strip()) for r in rows if len(r) >= 2]


def _means_cue(span: str, lang: str) -> str | None:
    """The means a generic violent event's words name ("a terrorist attack with rocket shells" -> shelling)."""
    return next((m for rx, m in _means_table(lang) if rx.search(span)), None)


def _fat_for(etype: str, fat: dict) -> dict:
    """The event's fatalities. People killed by a bombing, shelling or air strike with no fighters among the
    counted dead are civilians (the FA-KES / VDC convention: "a car bomb killed 20 people")."""
    if "cumulative" in str(fat.get("note") or "") or (fat.get("total") or 0) >= _WAR_TOLL:
        return dict(_EMPTY_FAT)  # "210,000 have been killed since 2011": a war-wide toll, not this event's
    f = {k: fat.get(k) for k in _EMPTY_FAT}
    if fat.get("note"):
        f["note"] = fat["note"]  # "at least", "dozens": how firm the figure is
    named_civ = (f["civilians"] or 0) - (f["children"] or 0) - (f["women"] or 0)  # "civilians" said as such
    if etype == "Explosions/Remote violence" and f["total"] and (f["civilians"] or 0) < f["total"] \
            and not f["combatants"] and named_civ <= 0:
        # "23 people were killed, including eight children": no fighters among them, so all 23 count as civilians;
        # "30 killed, including 20 civilians" keeps its 20
        f["civilians"] = f["total"]
        f["civilians_inferred"] = True  # the text said "people", not "civilians": say so
    return f


def _within(spans: list[tuple[int, int]], sent: tuple[int, int]) -> list[tuple[int, int]]:
    """The spans (in text order, non-overlapping) that overlap the sentence, in the sentence's own offsets."""
    lo, hi = sent
    out = []
    for a, b in spans[bisect.bisect_right(spans, lo, key=lambda s: s[1]):]:
        if a >= hi:
            break
        out.append((max(a, lo) - lo, min(b, hi) - lo))
    return out


def _fatalities(sentence: str, lang: str, date_spans=None):
    f = casualties.fatalities(sentence, lang, date_spans)
    return f if isinstance(f, dict) and any(f.get(k) for k in _EMPTY_FAT) else None
