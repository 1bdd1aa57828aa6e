"""What the web app adds to a stored article's page (/doc/{id}), beside the `analyze --format html` rendering:
a confidence slider (a form, so the page stays script-free: spans under the chosen confidence are dropped
before the page is drawn), a chart of the article's persuasion techniques (spans per technique, their
mean confidence, by the technique's group), as Prta shows per article, and the other outlets that ran the same
story (its near-duplicate group)."""
from __future__ import annotations

from html import escape
from statistics import mean
from urllib.parse import quote

from ..outputs.html_parts import technique_info, technique_tip

STEPS = 20  # the slider moves by 0.05


def above(record: dict, confidence: float) -> dict:
    """The record with only the technique spans of at least `confidence` (the rest of it unchanged)."""
    if confidence <= 0:
        return record
    kept = [t for t in record.get("techniques") or [] if (t.get("confidence") or 0) >= confidence]
    return dict(record, techniques=kept)


def panel(record: dict, shown: dict, confidence: float) -> str:
    """The slider form and the technique chart, as HTML (every article-derived string escaped)."""
    every = record.get("techniques") or []
    doc = quote(str(record.get("id")), safe="")
    form = (f'<form class="conf" method="get" action="/doc/{doc}"><label>technique spans with confidence ≥ '
            f'<input type="range" name="confidence" min="0" max="1" step="{1 / STEPS:g}" value="{confidence:g}" '
            f'aria-label="minimum confidence of the technique spans shown"> <output>{confidence:.2f}</output></label> '
            f'<button type="submit">apply</button> <span class="muted">{len(shown.get("techniques") or [])} of '
            f'{len(every)} span(s) shown</span></form>')
    return (f'<section class="box tchart" aria-label="persuasion techniques of this article">'
            f'<h2>Persuasion techniques in this article</h2>{form}{chart(shown.get("techniques") or [])}</section>')


def copies(others: list[dict], shown: int = 50) -> str:
    """The other documents of the article's near-duplicate group (marsad.corpus.duplicates), as HTML: who else
    ran this story, each a link to its page."""
    if not others:
        return ""
    outlets = len({o["outlet"] for o in others})
    items = "".join(f'<li><a href="/doc/{quote(str(o["id"]), safe="")}" dir="auto">{escape(str(o["outlet"]))}</a> '
                    f'<span class="muted">{escape(o["published"] or "undated")}</span>'
                    f'{" · " + escape(o["title"]) if o["title"] else ""}</li>' for o in others[:shown])
    more = f'<p class="muted">and {len(others) - shown} more (marsad duplicates lists them all)</p>' \
        if len(others) > shown else ""
    return (f'<section class="box" aria-label="copies of this story"><h2>Copies of this story</h2>'
            f'<p class="muted">{len(others)} other document(s) from {outlets} outlet(s) ran this text with small '
            f'changes (wire copies, republished articles):</p><ul>{items}</ul>{more}</section>')


def chart(spans: list[dict]) -> str:
    """One bar per technique: its spans, longest bar the most frequent; the mean confidence beside it."""
    if not spans:
        return '<p class="muted">No technique span at this confidence.</p>'
    by: dict[str, list[float]] = {}
    for t in spans:
        by.setdefault(t.get("technique") or "?", []).append(float(t.get("confidence") or 0))
    top = max(len(v) for v in by.values())
    info = technique_info()
    rows = []
    for name, confs in sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        width = 100 * len(confs) / top
        group = info.get(name, {}).get("group", "")
        rows.append(f'<tr title="{escape(technique_tip(name))}"><th scope="row">{escape(name.replace("_", " "))}'
                    f'<span class="muted"> {escape(group)}</span></th><td class="barcell"><span class="tbar T-{escape(name)}" '
                    f'style="width:{width:.1f}%"></span></td><td class="num">{len(confs)}</td>'
                    f'<td class="num">{mean(confs):.2f}</td></tr>')
    return ('<table class="data tchart"><thead><tr><th>technique</th><th>spans</th><th class="num">n</th>'
            '<th class="num">mean confidence</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


STYLE = ("<style>section.tchart{margin:1rem 0;padding:.6rem 1rem;border:1px solid #d8dee4;border-radius:8px;"
         "background:#fbfbf8} section.tchart h2{font-size:1.05rem;margin:.2rem 0 .5rem} table.tchart th{text-align:left} form.conf{margin:.3rem 0 .6rem}"
         " td.barcell{width:45%} span.tbar{display:block;height:.8rem;border-radius:3px;background:#d9731f;"
         "min-width:2px} table.tchart th span.muted{font-weight:400;font-size:.8rem} .muted{color:#5b6672}</style>")
