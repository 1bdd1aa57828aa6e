"""The parts of a document's HTML section besides its text: entity and event tables, the technique legend
with its filter, and the data they read. Everything article-derived is escaped here too."""
from __future__ import annotations

import csv
import functools
from html import escape
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


@functools.cache
def technique_info() -> dict[str, dict]:
    """technique -> {group, en, ar}: one-line explanations from data/techniques.tsv."""
    with open(DATA / "techniques.tsv", encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return {row["technique"]: row for row in csv.DictReader(lines, delimiter="\t")}


def technique_tip(name: str) -> str:
    info = technique_info().get(name, {})
    return f"{name.replace('_', ' ')}: {info.get('en', '')} · {info.get('ar', '')}".strip(" :·")


def entity_table(record: dict) -> str:
    """Every entity of the record, with both names and how often the text names it."""
    ents = record.get("entities", {})
    if not ents:
        return ""
    counts: dict[str, int] = {}
    for m in record.get("mentions", []):
        for key in ("entity", "place"):
            if m.get(key):
                counts[m[key]] = counts.get(m[key], 0) + 1
    rows = []
    for eid, e in sorted(ents.items(), key=lambda kv: (-counts.get(kv[0], 0), kv[0])):
        where = ""
        if isinstance(e.get("lat"), (int, float)) and isinstance(e.get("lon"), (int, float)):
            where = f"{e['lat']:.3f}, {e['lon']:.3f}" + (f" · {escape(e['admin1'])}" if e.get("admin1") else "")
        rows.append(f"<tr><td>{escape(e.get('name') or '')}</td><td dir=\"rtl\" lang=\"ar\">"
                    f"{escape(e.get('name_ar') or '')}</td><td>{escape(e.get('kind') or '')}</td>"
                    f"<td>{escape(e.get('side') or e.get('country') or '')}</td><td>{where}</td>"
                    f"<td class=\"num\">{counts.get(eid, 0)}</td><td><code>{escape(eid)}</code></td></tr>")
    return ("<details class=\"entities\" open><summary>Entities</summary><table><thead><tr><th>name</th>"
            "<th>Arabic name</th><th>kind</th><th>side / country</th><th>where</th><th>mentions</th><th>id</th>"
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></details>")



def _fmt_fatalities(f: dict | None) -> str:
    if not f:
        return ""
    parts = [f"{k} {v}" for k, v in f.items() if isinstance(v, int) and not isinstance(v, bool) and v]
    return ", ".join(parts)


def human_checked(item: dict) -> str:
    """What a corrected item's tooltip adds: that an analyst checked it, and the note (corpus corrections)."""
    return f"human-checked ({item['checked']})" + (f": {item['note']}" if item.get("note") else "")


def event_table(record: dict) -> str:
    """Every event: what, who, where, when, how it is stated, and the sentence that says so."""
    events = record.get("events", [])
    if not events:
        return ""
    ents = record.get("entities", {})
    text = record["text"]

    def name(eid):
        e = ents.get(eid or "", {})
        return escape(e.get("name") or e.get("name_ar") or (eid or ""))

    rows = []
    for k, ev in enumerate(events, 1):
        span = ev.get("evidence") or {}
        quote = " ".join(text[span.get("start", 0):span.get("end", 0)].split())
        what = escape(ev.get("type") or "") + (f" · {escape(ev['sub_type'])}" if ev.get("sub_type") else "")
        when = escape(ev.get("date") or "") + (f" ({escape(ev['date_precision'])})" if ev.get("date_precision") else "")
        said = escape(ev.get("modality") or "") + (f" by {name(ev['claimed_by'])}" if ev.get("claimed_by") else "")
        checked = (f' <span class="checked" title="{escape(human_checked(ev))}">✓ human-checked</span>'
                   if ev.get("checked") else "")
        rows.append(f'<tr><td class="num">{k}{checked}</td><td>{what}<br><small>{escape(ev.get("plover") or "")}'
                    f'{" · " + escape(ev["means"]) if ev.get("means") else ""}</small></td>'
                    f'<td>{name(ev.get("actor1"))}</td><td>{name(ev.get("actor2"))}</td>'
                    f'<td>{name(ev.get("place"))}</td><td>{when}</td><td class="mod {escape(ev.get("modality") or "")}">'
                    f'{said}</td><td>{escape(_fmt_fatalities(ev.get("fatalities")))}</td>'
                    f'<td dir="auto" class="quote">{escape(quote[:300])}</td></tr>')
    return ('<details class="entities events" open><summary>Events</summary><table><thead><tr><th>#</th><th>what</th>'
            "<th>actor 1</th><th>actor 2</th><th>where</th><th>when</th><th>stated as</th><th>killed</th>"
            "<th>evidence</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></details>")


def technique_legend(counts: dict[str, int]) -> str:
    """A sticky bar: each technique with its count and a checkbox that hides its highlights (pure CSS:
    the page runs no script)."""
    if not counts:
        return ""
    boxes = []
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        tid = escape(name)
        boxes.append(f'<label title="{escape(technique_tip(name))}"><input type="checkbox" id="f-{tid}" checked>'
                     f'<span class="t T-{tid}">{escape(name.replace("_", " "))}</span> {n}</label>')
    return '<div class="tlegend"><strong>Persuasion techniques</strong> (untick to hide) ' + "".join(boxes) + "</div>"


def technique_filter_css(names) -> str:
    return "".join(f"body:has(#f-{escape(n)}:not(:checked)) article .T-{escape(n)} {{background:none;border:0}}"
                   for n in names)
