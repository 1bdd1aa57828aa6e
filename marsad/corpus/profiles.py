"""Outlet profiles (`marsad compare --profiles`, the web app's /profiles): how each outlet writes, over the
whole corpus and period by period.

`profiles(corpus, period="year")` gives, per outlet (documents.source; a document without one counts as an
outlet of its own, named by its id): documents, languages, words, persuasion techniques per 1,000 words and the
most used ones, its `persuasion` (score 0..1, calibrated technique-family occurrences per 1,000 English-equivalent
words and per family, pooled over its documents: one rule for every language and length, see
marsad/techniques/persuasion.py; recomputed from each record's spans with the shipped calibration; where records
carry the accurate profile's encoder component, the v2 score with their components' words-weighted mean), the labels
it uses for groups (with their stance and the side they point at), the modality shares of its events, its events
per side of actor 1, its `stories` (documents, with its copies of one story counted once: near-duplicate groups,
duplicates.py), how many of them other outlets ran too (`shared_stories`: wire copies, republished articles) and
with whom (`shared_with`), and `over_time`: the same measures for each year or month of publication (documents
without a publication date fall under "undated"), so a change of tone shows.

The same rules for every outlet and side: nothing here weighs what a label or technique says, it only counts.
Pure SQL and Python over the stored records; nothing is stored.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict

from marsad.techniques import persuasion

PERIODS = {"year": 4, "month": 7}  # period -> length of the YYYY[-MM] prefix of a published date
UNDATED = "undated"


def _words(text: str) -> int:
    return len(text.split())


def _period(published: str | None, width: int) -> str:
    if isinstance(published, str) and len(published) >= width and published[:4].isdigit():
        return published[:width]
    return UNDATED


def _rate(n: int, words: int) -> float:
    return round(1000 * n / words, 2) if words else 0.0


class _Tally:
    """The counts behind one profile (an outlet, or an outlet in one period)."""

    def __init__(self):
        self.documents, self.words = 0, 0
        self.languages, self.techniques = Counter(), Counter()
        self.modality, self.sides, self.stances = Counter(), Counter(), Counter()
        self.labels: dict[tuple, dict] = {}
        self.persuasion, self.persuasion_words = Counter(), 0.0  # family -> calibrated weights; their words
        self.encoder, self.encoder_words = 0.0, 0.0  # the v2 encoder components x words; those documents' words

    def add(self, other: "_Tally") -> "_Tally":
        self.documents += other.documents
        self.words += other.words
        self.persuasion.update(other.persuasion)
        self.persuasion_words += other.persuasion_words
        self.encoder += other.encoder
        self.encoder_words += other.encoder_words
        for mine, theirs in ((self.languages, other.languages), (self.techniques, other.techniques),
                             (self.modality, other.modality), (self.sides, other.sides),
                             (self.stances, other.stances)):
            mine.update(theirs)
        for key, lab in other.labels.items():
            self.labels.setdefault(key, {**lab, "count": 0})["count"] += lab["count"]
        return self

    def summary(self, top: int = 5) -> dict:
        n_tech, n_events = sum(self.techniques.values()), sum(self.modality.values())
        return {
            "documents": self.documents,
            "languages": dict(self.languages.most_common()),
            "words": self.words,
            "techniques": n_tech,
            "techniques_per_1000_words": _rate(n_tech, self.words),
            "top_techniques": dict(self.techniques.most_common(top)),
            "persuasion": persuasion.summary(self.persuasion, self.persuasion_words, encoder=(
                self.encoder / self.encoder_words if self.encoder_words else None)),
            "labels": sorted(self.labels.values(), key=lambda x: (-x["count"], x["label"])),
            "label_stances": dict(self.stances.most_common()),
            "events": n_events,
            "modality": ({k: round(v / n_events, 3) for k, v in self.modality.most_common()}
                         if n_events else {}),
            "events_by_actor1_side": dict(self.sides.most_common()),
        }


def _record(rec_json: str | None) -> dict:
    try:
        return json.loads(rec_json) if rec_json else {}
    except ValueError:
        return {}


def profiles(corpus, period: str = "year") -> dict[str, dict]:
    """outlet -> {documents, languages, words, techniques, techniques_per_1000_words, top_techniques, persuasion
    ({score, per_1000_words, families}), labels,
    label_stances, events, modality, events_by_actor1_side, stories, shared_stories, shared_with, over_time: [{period, ...the same...}]}, outlets with
    the most documents first; `over_time` in period order, "undated" last."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    width = PERIODS[period]
    q = corpus.conn.execute
    by_period: dict[str, dict[str, _Tally]] = defaultdict(lambda: defaultdict(_Tally))

    def tally(outlet: str, published) -> _Tally:
        return by_period[outlet][_period(published, width)]

    for outlet, text, lang, published, rec_json in q("SELECT coalesce(source, id), text, language, published, "
                                                     "record FROM documents"):
        t = tally(outlet, published)
        t.documents += 1
        t.languages[lang or "und"] += 1
        t.words += _words(text)
        rec = _record(rec_json)  # parsed once: the persuasion measure and the labels below read it
        fam, n_words = persuasion.weights({"text": text, "language": lang or rec.get("language"),
                                           "sentences": rec.get("sentences") or [],
                                           "techniques": rec.get("techniques") or []})
        t.persuasion.update(fam)
        t.persuasion_words += n_words
        enc = (rec.get("persuasion") or {}).get("encoder") if isinstance(rec.get("persuasion"), dict) else None
        if isinstance(enc, (int, float)):  # a v2 record (accurate profile): its encoder component, words-weighted
            t.encoder += enc * n_words
            t.encoder_words += n_words
        ents = rec.get("entities") or {}
        for m in rec.get("mentions") or []:
            if not (isinstance(m, dict) and m.get("label")):
                continue
            side = (ents.get(m.get("entity")) or {}).get("side")
            lab = t.labels.setdefault((m["label"], m.get("stance"), side),
                                      {"label": m["label"], "stance": m.get("stance"), "side": side, "count": 0})
            lab["count"] += 1
            t.stances[m.get("stance") or "unknown"] += 1
    for outlet, published, technique, n in q(
            "SELECT coalesce(d.source, d.id), d.published, t.technique, count(*) FROM techniques t "
            "JOIN documents d ON d.rowid = t.doc GROUP BY 1, 2, 3"):
        tally(outlet, published).techniques[technique] += n
    for outlet, published, mod, side, n in q(
            "SELECT coalesce(d.source, d.id), d.published, e.modality, e.actor1_side, count(*) "
            "FROM events e JOIN documents d ON d.rowid = e.doc GROUP BY 1, 2, 3, 4"):
        t = tally(outlet, published)
        t.modality[mod or "unknown"] += n
        t.sides[side or "unknown"] += n
    copies = _copies(corpus.conn)
    out = {}
    for outlet, periods in by_period.items():
        order = sorted(periods, key=lambda k: (k == UNDATED, k))
        whole = _Tally()
        for k in order:
            whole.add(periods[k])
        p = whole.summary()
        p.update(copies.get(outlet, {"stories": p["documents"], "shared_stories": 0, "shared_with": {}}))
        p["over_time"] = [{"period": k, **periods[k].summary(top=3)} for k in order]
        out[outlet] = p
    return dict(sorted(out.items(), key=lambda kv: (-kv[1]["documents"], kv[0])))


def _copies(conn, top: int = 5) -> dict[str, dict]:
    """outlet -> {stories: its documents with its own copies of one story counted once (duplicates.py),
    shared_stories: those other outlets ran too, shared_with: the outlets it shares most stories with}."""
    from .duplicates import outlets_of_groups

    shared = outlets_of_groups(conn)
    stories: dict[str, set] = defaultdict(set)
    for outlet, group in conn.execute("SELECT coalesce(d.source, d.id), g.group_id FROM documents d "
                                      "JOIN doc_groups g ON g.doc = d.rowid"):
        stories[outlet].add(group)
    out = {}
    for outlet, groups in stories.items():
        others = [shared[g] - {outlet} for g in groups if len(shared.get(g, ())) > 1]
        with_whom = Counter(o for names in others for o in names)
        out[outlet] = {"stories": len(groups), "shared_stories": len(others),
                       "shared_with": dict(sorted(with_whom.items(), key=lambda kv: (-kv[1], kv[0]))[:top])}
    return out


def render_profiles(ps: dict[str, dict]) -> str:
    lines = []
    for name, p in ps.items():
        langs = ", ".join(f"{k} {v}" for k, v in p["languages"].items())
        lines.append(f"{name}: {p['documents']} documents ({langs}), {p['words']} words, {p['events']} events")
        top = ", ".join(f"{k} {v}" for k, v in p["top_techniques"].items()) or "-"
        lines.append(f"  techniques: {p['techniques_per_1000_words']} per 1,000 words; top: {top}")
        pe = p.get("persuasion")
        if pe:
            fams = ", ".join(f"{k} {v}" for k, v in sorted(pe["families"].items(), key=lambda kv: -kv[1]) if v) or "-"
            lines.append(f"  persuasion: score {pe['score']:.2f} ({pe['per_1000_words']} calibrated technique "
                         f"occurrences per 1,000 words; by family: {fams})")
        labs = ", ".join(f"\"{x['label']}\" x{x['count']} ({x['stance'] or '?'} -> {x['side'] or '?'})"
                         for x in p["labels"][:8]) or "-"
        lines.append(f"  labels: {labs}")
        if p.get("shared_stories"):
            others = ", ".join(f"{k} {v}" for k, v in p["shared_with"].items())
            lines.append(f"  copies: {p['shared_stories']} of its {p['stories']} stories also ran in other outlets "
                         f"({others}; marsad duplicates lists them)")
        lines.append("  modality: " + (", ".join(f"{k} {round(100 * v)}%" for k, v in p["modality"].items()) or "-"))
        lines.append("  events by actor-1 side: "
                     + (", ".join(f"{k} {v}" for k, v in p["events_by_actor1_side"].items()) or "-"))
        if len(p.get("over_time", [])) > 1:
            lines.append("  over time:")
            for t in p["over_time"]:
                stances = ", ".join(f"{k} {v}" for k, v in t["label_stances"].items()) or "-"
                sides = ", ".join(f"{k} {v}" for k, v in list(t["events_by_actor1_side"].items())[:3]) or "-"
                lines.append(f"    {t['period']}: {t['documents']} documents, {t['techniques_per_1000_words']} "
                             f"techniques per 1,000 words, persuasion {t['persuasion']['score']:.2f}; "
                             f"label stances: {stances}; events by side: {sides}")
        lines.append("")
    return "\n".join(lines)
