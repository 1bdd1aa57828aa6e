"""Trigger hits grouped into the events of a clause: one event per ACLED type (per PLOVER type for `Other`), the
most specific reading of a group (`_best`), and the tests that drop or retype a group (a hit inside a date, a
figurative "targeted" with no violence around it, a generic killing of fighters).
"""
from __future__ import annotations

import bisect
import functools

from .. import lang as languages
from . import arguments as A
from . import triggers as T
from .event_means import _means_cue

VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
# The most specific reading wins when several triggers of one type share a clause.
_SUB_RANK = ["Chemical weapon", "Suicide bomb", "Remote explosive/landmine/IED", "Grenade", "Air/drone strike",
             "Shelling/artillery/missile attack", "TERRITORY", "Armed clash", "Abduction/forced disappearance",
             "Sexual violence", "Attack", "Agreement", "Non-violent transfer of territory", "Arrests"]


def _groups(text: str, sent, s_hits) -> list[tuple[tuple[int, int], list]]:
    """Per clause, the trigger hits grouped into one event per ACLED type (per PLOVER type for `Other`), in text
    order; generic attack/killing words are dropped where a sentence names a more specific violent event. Weak
    hits are then weighed against the clause's strong ones by `_give_way`, once the sentence's toll is known."""
    out = []
    for clause in T.clauses(text, *sent):
        by: dict = {}
        for h in s_hits:
            if clause[0] <= h.start < clause[1]:
                d = T.data(h)
                by.setdefault(d["type"] if d["type"] != "Other" else ("Other", d["plover"]), []).append(h)
        for grp in by.values():  # hits far apart in one clause are separate events ("طرد داعش ... وسيطر على")
            cur = [grp[0]]
            for h in grp[1:]:  # ...except a bare blast's: "the blast ... was due to a rocket" is one event
                if len(T.tokens(text[cur[-1].end:h.start])) > 4 and not (_bare(h) or all(_bare(c) for c in cur)):
                    out.append((clause, cur))
                    cur = []
                cur.append(h)
            out.append((clause, cur))
    specific = any(T.data(h)["type"] in VIOLENT and not _generic(h) for _, g in out for h in g)
    if specific:
        out = [(c, [h for h in g if not _generic(h)]) for c, g in out]
    return sorted(((c, g) for c, g in out if g), key=lambda cg: min(h.start for h in cg[1]))


def _displaced(text: str, sent, s_hits) -> list[tuple[tuple[int, int], object]]:
    """The generic attack/killing hits (with their clauses) that `_groups` drops because the sentence names a more
    specific violent event: «قتلوا إثر هجوم مجموعة مسلحة عليهم، حيث قامت بخطفهم» tells one abduction in three
    clauses. Empty where the sentence names no specific violent event."""
    if not any(T.data(h)["type"] in VIOLENT and not _generic(h) for h in s_hits):
        return []
    return [(c, h) for c in T.clauses(text, *sent) for h in s_hits if c[0] <= h.start < c[1] and _generic(h)]


def _absorb(text: str, events: list[dict], displaced: list) -> None:
    """Each displaced generic hit's clause joins the evidence of the violent event of its sentence that tells it:
    the first one after it ("12 were killed when an air strike hit ...", «إثر هجوم مجموعة مسلحة عليهم، حيث قامت
    بخطفهم»), else the last one before it; only where no other event of the sentence lies between them and no
    contrastive boundary ("while", «بينما») sets them apart (`events`: the sentence's events)."""
    for clause, h in displaced:
        if any(e["evidence"]["start"] <= h.start < e["evidence"]["end"] for e in events):
            continue
        after = [e for e in events if e["evidence"]["start"] >= clause[1]]
        before = [e for e in events if e["evidence"]["end"] <= clause[0]]
        e = min(after, key=lambda e: e["evidence"]["start"], default=None) if after else \
            max(before, key=lambda e: e["evidence"]["end"], default=None)
        if e is None or e["type"] not in VIOLENT:
            continue
        ev = e["evidence"]
        a, b = (clause[1], ev["start"] + 12) if ev["start"] >= clause[1] else (ev["end"], clause[0] + 12)
        if T.contrast(text, a, b):  # the later part opens with "while" / «بينما»
            continue
        e["evidence"]["start"] = min(e["evidence"]["start"], clause[0])
        e["evidence"]["end"] = max(e["evidence"]["end"], clause[1])


def _give_way(groups: list[tuple[tuple[int, int], list]], counts_dead: bool) -> list[tuple[tuple[int, int], list]]:
    """`_groups` less the weak ones (all hits < 1) that give way to a strong hit of another type in their clause;
    in a sentence with its own toll (`counts_dead`), a weak violent hit ("killing", which says nothing of how)
    gives way only to a strong violent one: "killing one person and arresting 12" is a killing and an arrest.
    A clause keeps a group whenever it had one (the strong group stays)."""
    strong = {c for c, g in groups if any(T.data(h)["weight"] >= 1 and T.data(h)["type"] != "Other" for h in g)}
    violent = {c for c, g in groups if any(T.data(h)["weight"] >= 1 and T.data(h)["type"] in VIOLENT for h in g)}

    def gives_way(c, g) -> bool:
        return c in (violent if counts_dead and T.data(g[0])["type"] in VIOLENT else strong)

    return [(c, g) for c, g in groups if max(T.data(h)["weight"] for h in g) >= 1 or T.data(g[0])["type"] == "Other"
            or not gives_way(c, g)]


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


VICTIM_REACH = 2  # words between a killing and its victim's noun: "killed [a terrorist] commander"


@functools.cache
def _victim_words(lang: str) -> frozenset[str]:
    """lang/<code>/event_victims.txt, folded: words naming one person as a killing's victim (none without it)."""
    return languages.folded_words(lang, "event_victims.txt")


def _one_victim(text: str, lang: str, toks, grp: list, s_mentions: list, entities: dict) -> bool:
    """A weak killing word of the group names one person as its victim right after it: a title or a singular person
    noun («مقتل زعيم جماعة», «مقتل جندي», lang/<code>/event_victims.txt), within VICTIM_REACH more words ("killed a
    terrorist commander"), or a person's name («لقتل الجبير»).
    Such a killing is an event though the sentence counts no dead. `toks`: the article's tokens."""
    words = _victim_words(lang)
    for h in grp:
        if not _generic(h):
            continue
        k = bisect.bisect_left(toks, h.end, key=lambda t: t[0])
        if k >= len(toks) or text[h.end:toks[k][0]].strip():
            continue  # nothing after it, or punctuation between
        s, _, w = toks[k]
        if T.readings(w) & words:
            return True
        if any(m["start"] == s and (entities.get(m["entity"]) or {}).get("kind") == "person" for m in s_mentions):
            return True
        # "killed a terrorist commander": the noun after an article and a modifier or two, no punctuation between
        for j in range(k + 1, min(k + 1 + VICTIM_REACH, len(toks))):
            if text[toks[j - 1][1]:toks[j][0]].strip():
                break
            if T.readings(toks[j][2]) & words:
                return True
    return False


@functools.cache
def _indefinite_words(lang: str) -> frozenset[str]:
    return languages.folded_words(lang, "indefinite_articles.txt")


def _introduced(text: str, lang: str, toks, grp: list) -> bool:
    """The group's first word comes right after an indefinite article (lang/<code>/indefinite_articles.txt): "an
    offensive against western Aleppo" introduces a new event; "the attack killed 12" tells the one before again."""
    first = min(grp, key=lambda h: h.start)
    k = bisect.bisect_left(toks, first.start, key=lambda t: t[0]) - 1
    return k >= 0 and toks[k][2] in _indefinite_words(lang) and not text[toks[k][1]:first.start].strip()


def _fighters_hit(fat: dict | None, a2: str | None, entities: dict) -> bool:
    """The victims of a generic killing or attack are fighters: the sentence counts only combatants among its
    dead, or it counts dead and the one attacked is an armed force or group (without a toll, "these attacks"
    on a group may be a look back, not an event)."""
    if not fat or not fat.get("total"):
        return False
    if fat.get("combatants") and not fat.get("civilians") and fat["total"] <= fat["combatants"]:
        return True
    return (entities.get(a2) or {}).get("kind") in ("armed_force", "armed_group")


def _bare(h) -> bool:
    """A bare blast word ("blast", «انفجار»: lang/<code>/event_triggers.tsv reading `bare`): it says that something
    exploded, not how."""
    return T.data(h).get("reading") == "bare"


def _generic(h) -> bool:
    d = T.data(h)
    return d["type"] == "Violence against civilians" and d["plover"] == "AUTO"


def _best(grp) -> dict:
    def rank(h):  # the strongest, then the most specific: a bare blast's reading last
        d = T.data(h)
        return (-d["weight"], _bare(h), _SUB_RANK.index(d["sub_type"]) if d["sub_type"] in _SUB_RANK else 99)
    d = dict(T.data(min(grp, key=rank)))
    if not d.get("means"):
        d["means"] = next((T.data(h)["means"] for h in grp if T.data(h)["means"]), None)
    return d
