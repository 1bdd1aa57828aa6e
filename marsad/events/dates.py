"""Date expressions in English and Arabic news text, resolved against the publication date.

`find_dates(text, lang, published)` lists every date expression with exact offsets, a resolved ISO date and a
precision; `resolve(expression, lang, published)` reads one expression; `event_date(...)` picks the date of an
event from its evidence span.

How expressions are found and resolved
- Our own patterns find every candidate: absolute dates (lang/<code>/date_patterns.tsv) built on month names
  (months.tsv: Levantine, Egyptian/Gulf and Maghrebi Arabic names and the Hijri months), weekday names
  (weekdays.tsv), relative expressions
  (relative_dates.tsv: "last week", "الثلاثاء الماضي", "قبل ثلاثة أيام" -> offset rules), years after a cue word
  ("in 2011", "عام 2011") and numeric dates (2018-04-07, 07/04/2018). A language without letter case (the
  `letter_case` trait of its language.toml) is matched on folded text (marsad.lang fold: Arabic spelling variants
  and Arabic-Indic digits need no extra entries); one with letter case on the text as written, where the
  capitals matter. A language with no months.tsv has no dates: none are found, never another language's. The cue words
  (date cues before a month or year, ambiguous month names, Arabic relative and Hijri era words) are in
  date_cues.tsv; the {N} of relative expressions uses the number words of numbers.py.
- Those tables resolve nearly every candidate directly (fast, and right where dateparser 1.5 is not: يوم
  الثلاثاء، العام الماضي، بعد يومين، شباط، 15 رمضان 1438 هـ). dateparser (search language = `lang`, RELATIVE_BASE =
  publication date, PREFER_DATES_FROM = past) resolves what the tables do not: numeric dates such as
  07/04/2018 (day-first for Arabic, dateparser's default month-first for English) and, in `resolve`, any
  expression our patterns do not cover, after the Arabic pre-normaliser (fold, drop يوم, المقبل -> القادم,
  Levantine and Maghrebi month names -> Egyptian names). It is imported lazily and called only on those short
  spans, never on whole texts; results are cached. Its false positives on whole text ("We", "$90 a", "may",
  "sat") cannot arise: English month and weekday names must be capitalised, bare "May"/"March" need a
  date cue ("in May", "May 7", "May 2017"), weekday abbreviations count only before a day-month date
  ("Wed 05 Apr 2017"), and a bare number is a date only as a year after a cue word.
- Hijri dates need a year ("15 رمضان 1438 هـ", "رمضان 1438"): they go through hijridate to the Gregorian date;
  a Hijri month without a day gives the Gregorian date of its first day with precision "month".

Conventions for `date` and `precision`
- day: that day. week: the Monday that starts the (ISO) week meant: "last week" published on Saturday
  2018-04-21 is 2018-04-09. month: the first of the month. year: 1 January.
- "on Tuesday" / "يوم الثلاثاء" / "Tuesday": the most recent Tuesday on or before the publication date;
  "last Tuesday" / "الثلاثاء الماضي": strictly before it; "next Tuesday" / "الثلاثاء المقبل": strictly after.
- A month or day-month without a year: the most recent one on or before the publication date
  ("April 7" published 2018-03-01 is 2017-04-07); "شباط الماضي" strictly before the publication month.
- Relative expressions (and yearless absolute ones) get date None when `published` is None; the entry is still
  listed with its precision. Fully specified dates resolve without it.
"""
from __future__ import annotations

import bisect
import datetime as _dt
import functools
import re
import unicodedata

from marsad.events.date_tables import _Rule, _Tables, _cues, _fold, _tables  # the tables: date_tables.py
from marsad.lang import Language, code_of, read_rows
from marsad.lang import get as get_language

_FINER = {"day": 0, "week": 1, "month": 2, "year": 3}


# ---------------------------------------------------------------- date arithmetic
def _base(published) -> _dt.date | None:
    if not published:
        return None
    try:
        return _dt.date.fromisoformat(str(published).strip()[:10])
    except ValueError:
        return None


def _add_months(d: _dt.date, k: int) -> _dt.date:
    m = d.year * 12 + (d.month - 1) + k
    return _dt.date(m // 12, m % 12 + 1, 1)


def _apply(rule: str, n: int | None, wd: int | None, base: _dt.date) -> _dt.date | None:
    unit, _, arg = rule.partition(":")
    if unit == "weekday":
        diff = (base.isoweekday() - wd) % 7
        if arg == "recent":
            return base - _dt.timedelta(days=diff)
        if arg == "last":
            return base - _dt.timedelta(days=diff or 7)
        return base + _dt.timedelta(days=((wd - base.isoweekday()) % 7) or 7)
    if arg in ("-N", "+N"):
        if n is None:
            return None
        k = -n if arg == "-N" else n
    else:
        k = int(arg)
    if unit == "day":
        return base + _dt.timedelta(days=k)
    if unit == "week":
        monday = base - _dt.timedelta(days=base.weekday())
        return monday + _dt.timedelta(weeks=k)
    if unit == "month":
        return _add_months(base.replace(day=1), k)
    if unit == "year":
        return _dt.date(base.year + k, 1, 1)
    return None


def _past_year(month: int, day: int, base: _dt.date) -> _dt.date | None:
    """The most recent (month, day) on or before `base`."""
    for y in (base.year, base.year - 1):
        try:
            d = _dt.date(y, month, day)
        except ValueError:
            return None
        if d <= base:
            return d
    return None


def _iso(d: _dt.date | None) -> str | None:
    return d.isoformat() if d else None


# ---------------------------------------------------------------- finding
def find_dates(text: str, lang: "str | Language", published: str | None) -> list[dict]:
    """Every date expression in `text`: dicts {"start", "end", "text", "date", "precision", "confidence"}
    (offsets index `text`; `date` is YYYY-MM-DD or None), in text order, non-overlapping. `lang`: a
    `marsad.lang.Language` or its code; none for a language with no months.tsv."""
    try:
        return [dict(d) for d in _find_cached(text or "", code_of(lang), _base(published))]
    except Exception:  # never raise on odd input
        return []


@functools.lru_cache(maxsize=256)
def _find_cached(text: str, lang: str, base: _dt.date | None) -> tuple:
    t = _tables(lang)
    if t is None:
        return ()
    folded, offs = _fold(text, lang)
    cands = []  # (start, end, resolver-kind, match)
    for r in t.rules:
        for m in r.regex.finditer(folded):
            cands.append((m.start("core"), m.end("core"), r, m))
    for kind, rx in t.patterns:
        for m in rx.finditer(folded):
            cands.append((m.start("core"), m.end("core"), kind, m))
    # longest first, then leftmost; keep non-overlapping
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    # the spans kept, disjoint, in text order (their ends are then in order too): an overlap test is a bisect
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    out = []
    for a, b, kind, m in cands:
        k = bisect.bisect_left(taken_starts, b)  # kept spans starting before b: the last one may reach past a
        if b <= a or (k and taken_ends[k - 1] > a):
            continue
        res = _resolve_match(kind, m, lang, base, t)
        if res is None:
            continue
        taken_starts.insert(k, a)
        taken_ends.insert(k, b)
        sa = offs[a]
        sb = _extend(text, offs[b - 1] + 1)
        date, precision, conf = res
        out.append({"start": sa, "end": sb, "text": text[sa:sb], "date": date, "precision": precision,
                    "confidence": conf})
    out.sort(key=lambda d: d["start"])
    return tuple(out)


def _extend(text: str, end: int) -> int:
    """Move an end offset past trailing harakat and tatweel that folding dropped (هـ, مدنياً)."""
    while end < len(text) and (text[end] == "\u0640" or unicodedata.category(text[end]) == "Mn"):
        end += 1
    return end


def _resolve_match(kind, m, lang, base, t: _Tables):
    """(date or None, precision, confidence) for one candidate match, or None to reject it."""
    g = m.groupdict()
    if isinstance(kind, _Rule):
        n = None
        if g.get("n"):
            from marsad.events.numbers import parse_number
            nt = g["n"].strip().lower()
            n = 1 if nt in _cues(lang).get("count_one", ()) else 2 if nt in _cues(lang).get("count_two", ()) \
                else parse_number(nt, lang)
            if n is None or n > 1000:
                return None
        wd = t.weekdays.get(g["wd"]) if g.get("wd") else None
        if kind.rule.startswith("weekday") and wd is None:
            return None
        d = _apply(kind.rule, n, wd, base) if base else None
        return _iso(d), kind.precision, kind.confidence
    y = int(g["y"]) if g.get("y") else None
    if kind == "y":
        return _iso(_dt.date(y, 1, 1)), "year", 0.8
    if kind == "hijri":
        return _hijri(int(g["m"] and t.hijri[g["m"]]), int(g["d"]) if g.get("d") else None, y)
    if kind == "iso":
        try:
            return _dt.date(y, int(g["m"]), int(g["d"])).isoformat(), "day", 0.95
        except ValueError:
            return None
    if kind == "numeric":
        d = _dateparser(m.group("core"), lang, base)
        if d is None:
            return None
        return d[0], "day", 0.7
    month = t.months.get(g["m"])
    if month is None:
        return None
    if g.get("m2") and t.months.get(g["m2"]) != month:
        return None  # "فبراير/شباط" must name one month twice
    day = int(g["d"]) if g.get("d") else None
    if kind == "m" or (kind == "month" and day is None and y is None):
        if kind == "month" and g["m"] not in t.bare_ok and not g.get("m2") and not g.get("rel"):
            return None
        if base is None:
            return None, "month", 0.7
        rel = g.get("rel")
        if rel in _cues(lang).get("rel_next", ()):
            d = _dt.date(base.year if month > base.month else base.year + 1, month, 1)
        elif rel:
            d = _dt.date(base.year if month < base.month else base.year - 1, month, 1)
        else:
            d = _dt.date(base.year if month <= base.month else base.year - 1, month, 1)
        return d.isoformat(), "month", 0.7
    if day is None:  # month and year
        return _dt.date(y, month, 1).isoformat(), "month", 0.9
    if not 1 <= day <= 31:
        return None
    if y is not None:
        try:
            return _dt.date(y, month, day).isoformat(), "day", 0.95
        except ValueError:
            return None
    if base is None:
        return None, "day", 0.85
    d = _past_year(month, day, base)
    return (_iso(d), "day", 0.85) if d else None


def _hijri(month: int, day: int | None, year: int):
    try:
        from hijridate import Hijri
        g = Hijri(year, month, day or 1).to_gregorian()
    except Exception:  # out of hijridate's range (1343-1500 AH) or an invalid day
        return None
    return _dt.date(g.year, g.month, g.day).isoformat(), "day" if day else "month", 0.9 if day else 0.8


# ---------------------------------------------------------------- dateparser (fallback)
_DATEPARSER_REGIONS = ("egypt_gulf",)  # months.tsv regions whose month names dateparser knows


@functools.cache
def _prenorm_table(lang: str) -> tuple:
    """Month name -> the name dateparser knows: that of a region in _DATEPARSER_REGIONS (Arabic: Levantine and
    Maghrebi names -> the Egyptian/Gulf ones)."""
    t = _tables(lang)
    standard = {}
    for row in read_rows(get_language(lang).folder / "months.tsv"):
        if len(row) > 3 and row[2] == "gregorian" and row[3] in _DATEPARSER_REGIONS:
            standard.setdefault(int(row[1]), _fold(row[0], lang)[0])
    pairs = [(name, standard[num]) for name, num in t.months.items() if standard.get(num) != name]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def prenormalize(expression: str, lang: "str | Language") -> str:
    """The pre-normaliser applied before dateparser for a language matched on folded text (Arabic): fold, drop
    يوم before a weekday, المقبل -> القادم, Levantine/Maghrebi month names -> Egyptian/Gulf names, "فبراير/شباط" ->
    "فبراير". A language with letter case (English) is unchanged."""
    lang = code_of(lang)
    if get_language(lang).traits.letter_case or _tables(lang) is None:
        return expression
    s = _fold(expression, lang)[0]
    s = re.sub(r"(?<!\w)يوم\s+(?=ال)", "", s)
    s = re.sub(r"(?<!\w)المقبل(?!\w)", "القادم", s)
    for name, std in _prenorm_table(lang):
        s = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", std, s)
    s = re.sub(r"(\w+)\s*[/(]\s*\1\s*\)?", r"\1", s)
    return s.strip()


@functools.lru_cache(maxsize=2048)
def _dateparser(expression: str, lang: str, base: _dt.date | None):
    """(iso date, precision) from dateparser for one short expression, or None."""
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False,
                "PARSERS": ["relative-time", "absolute-time", "custom-formats"]}
    if base:
        settings["RELATIVE_BASE"] = _dt.datetime(base.year, base.month, base.day)
    if not get_language(lang).traits.month_before_day:
        settings["DATE_ORDER"] = "DMY"
    try:
        ddp = _parser(lang, tuple(sorted((k, str(v)) for k, v in settings.items())), settings)
        data = ddp.get_date_data(expression)
    except Exception:
        return None
    if not data or data.date_obj is None:
        return None
    period = data.period if data.period in _FINER else "day"
    d = data.date_obj.date()
    if period == "week":
        d = d - _dt.timedelta(days=d.weekday())
    elif period == "month":
        d = d.replace(day=1)
    elif period == "year":
        d = d.replace(month=1, day=1)
    return d.isoformat(), period


_PARSERS: dict = {}


def _parser(lang, key, settings):
    from dateparser.date import DateDataParser
    k = (lang, key)
    if k not in _PARSERS:
        _PARSERS[k] = DateDataParser(languages=[lang], settings=settings)
    return _PARSERS[k]


# ---------------------------------------------------------------- public helpers
def resolve(expression: str, lang: "str | Language", published: str | None) -> tuple[str | None, str | None]:
    """(date, precision) for one date expression; (None, None) when it is not one. Our tables first (the
    longest expression found in it), then dateparser on the pre-normalised expression."""
    try:
        lang = code_of(lang)
        if _tables(lang) is None:
            return None, None
        found = find_dates(expression, lang, published)
        if found:
            best = max(found, key=lambda d: (d["end"] - d["start"], -_FINER[d["precision"]]))
            return best["date"], best["precision"]
        base = _base(published)
        if base is None or not (expression or "").strip() or len(expression) > 80:
            return None, None
        got = _dateparser(prenormalize(expression.strip(), lang), lang, base)
        return got if got else (None, None)
    except Exception:
        return None, None


def event_date(text: str, start: int, end: int, lang: "str | Language", published: str | None
               ) -> tuple[str | None, str | None]:
    """The date of an event whose evidence is text[start:end].

    Rule: (1) a resolved date expression overlapping the evidence: the finest precision, then the one nearest
    the evidence; (2) else the same for the sentence(s) the evidence lies in; (3) else the sentence just
    before; (4) else (published, "week"): the publication date, with precision "week" meaning "on or in the
    days before it" (news reports events of the past few days); (None, None) without a publication date."""
    try:
        lang = code_of(lang)
        dates = [d for d in find_dates(text, lang, published) if d["date"]]
        pub = _base(published)
        if dates:
            def pick(lo, hi):
                inside = [d for d in dates if d["start"] < hi and lo < d["end"]]
                if not inside:
                    return None
                mid = (start + end) / 2
                best = min(inside, key=lambda d: (_FINER[d["precision"]],
                                                  abs((d["start"] + d["end"]) / 2 - mid)))
                return best["date"], best["precision"]
            got = pick(start, max(end, start + 1))
            if got:
                return got
            from marsad.lang.sentences import split
            sents = split(text, get_language(lang))
            idx = [k for k, (a, b) in enumerate(sents) if a < max(end, start + 1) and start < b]
            if idx:
                a, b = sents[idx[0]][0], sents[idx[-1]][1]
                got = pick(a, b)
                if got:
                    return got
                if idx[0] > 0:
                    pa, pb = sents[idx[0] - 1]
                    got = pick(pa, pb)
                    if got:
                        return got
        if pub:
            return pub.isoformat(), "week"
        return None, None
    except Exception:
        return None, None
