"""A self-contained HTML page of analysed documents: text with annotation layers, right-to-left where the
language is. All article-derived strings go through html.escape; the page carries a CSP that forbids script.

Layers are (start, end, css class, tooltip) spans: sentences, event evidence, persuasion techniques and
mentions; spans may nest or overlap, and `render_spans` keeps the markup well formed."""
from __future__ import annotations

from html import escape
from pathlib import Path
from string import Template
from typing import TextIO

from .. import __version__
from .. import lang as languages
from .html_parts import (entity_table, event_table, human_checked, technique_filter_css, technique_legend,
                         technique_tip)
from .svg_map import document_map

TEMPLATES = Path(__file__).parent / "templates"


def _template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def _entity_tip(record: dict, m: dict) -> str:
    ent = record.get("entities", {}).get(m.get("entity"), {})
    names = " / ".join(x for x in (ent.get("name"), ent.get("name_ar")) if x) or m.get("entity", "")
    extra = [m["type"], m.get("entity", "")]
    if ent.get("side"):
        extra.append(f"side: {ent['side']}")
    if m.get("label"):
        extra.append(f"label: {m['label']}")
    return f"{names} ({', '.join(x for x in extra if x)})"


def layers(record: dict) -> list[tuple[int, int, str, str]]:
    spans = [(s["start"], s["end"], "s", f"sentence {k}") for k, s in enumerate(record.get("sentences", []), 1)]
    for k, ev in enumerate(record.get("events", []), 1):
        span = ev.get("evidence") or {}
        if span:
            tip = f"event {k}: {ev.get('type')}" + (f" / {ev['sub_type']}" if ev.get("sub_type") else "") + \
                  f" ({ev.get('modality')})"
            spans.append((span["start"], span["end"], f"ev {ev.get('modality') or ''}".strip(), _checked(ev, tip)))
    sentence_spans = {(s["start"], s["end"]) for s in record.get("sentences", [])}
    for t in record.get("techniques", []):
        # A technique read from a whole sentence is underlined, not shaded: shading whole paragraphs would
        # hide the short, exact spans that matter most.
        whole = " whole" if (t["start"], t["end"]) in sentence_spans else ""
        spans.append((t["start"], t["end"], f"t T-{t['technique']}{whole}",
                      _checked(t, f"{technique_tip(t['technique'])} ({t.get('confidence', 0):.2f})")))
    for m in record.get("mentions", []):
        cls = f"m {m['type']}" + (" label" if m.get("label") else "")
        spans.append((m["start"], m["end"], cls, _checked(m, _entity_tip(record, m))))
    return spans


def _checked(item: dict, tip: str) -> str:
    return f"{tip} · {human_checked(item)}" if item.get("checked") else tip


def render_spans(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """Escaped `text` with each span wrapped in <span class title>. Nested spans nest; a span that crosses
    another's end is closed and reopened there, so tags never cross. A sentence gets a number marker."""
    spans = sorted((s for s in spans if 0 <= s[0] < s[1] <= len(text)), key=lambda s: (s[0], -s[1]))
    cuts = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    out: list[str] = []
    stack: list[tuple[int, int, str, str]] = []
    nxt = 0

    def open_tag(span) -> str:
        _start, _end, cls, tip = span
        mark = f'<sup class="n">{escape(tip.rsplit(" ", 1)[-1])}</sup>' if cls == "s" else ""
        return f'<span class="{escape(cls)}" title="{escape(tip)}">{mark}'

    for a, b in zip(cuts, cuts[1:]):
        # Close what ends here. Spans are cut when opened so that each ends within its parent: the ones
        # ending here are on top of the stack.
        while stack and stack[-1][1] <= a:
            stack.pop()
            out.append("</span>")
        while nxt < len(spans) and spans[nxt][0] <= a:
            sp = spans[nxt]
            nxt += 1
            if stack and sp[1] > stack[-1][1]:
                # Crosses the end of the span it opens inside: cut it there, the rest opens again later.
                spans.insert(nxt, (stack[-1][1], sp[1], sp[2], sp[3]))
                spans[nxt:] = sorted(spans[nxt:], key=lambda s: (s[0], -s[1]))
                sp = (sp[0], stack[-1][1], sp[2], sp[3])
            stack.append(sp)
            out.append(open_tag(sp))
        out.append(escape(text[a:b]))
    out.append("</span>" * len(stack))
    return "".join(out)


def _safe_link(url: str) -> str:
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{escape(url)}" rel="noreferrer noopener">{escape(url)}</a>'
    return escape(url)


def render_document(record: dict) -> str:
    lang = languages.get(record.get("language"))
    meta = [("id", escape(str(record.get("id"))))]
    code = record.get("language") or "und"
    score = record.get("language_score")
    meta.append(("language", f"{escape(code)} ({escape(lang.name)}"
                 + (f", {score:.2f})" if isinstance(score, (int, float)) else ")")))
    for key in ("published", "source"):
        if record.get(key):
            meta.append((key, escape(str(record[key]))))
    if record.get("url"):
        meta.append(("url", _safe_link(str(record["url"]))))
    meta.append(("sentences", str(len(record.get("sentences", [])))))
    meta.append(("mentions", str(len(record.get("mentions", [])))))
    meta.append(("events", str(len(record.get("events", [])))))
    pers = record.get("persuasion")
    if isinstance(pers, dict) and isinstance(pers.get("score"), (int, float)):
        meta.append(("persuasion", f"{pers['score']:.2f} ({pers.get('per_1000_words', 0):.1f} per 1,000 words)"))
    elif "persuasion" in record.get("scores", {}):
        meta.append(("persuasion (share of text)", f"{record['scores']['persuasion']:.2f}"))
    meta_html = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in meta)
    warn = "".join(f'<p class="warn">⚠ {escape(w)}</p>' for w in record.get("warnings", []))
    title = escape(record.get("title") or str(record.get("id")))
    body = render_spans(record["text"], layers(record))
    return (f'<section class="doc"><header><h2 dir="auto">{title}</h2><dl class="meta">{meta_html}</dl>{warn}</header>'
            f'<article dir="{lang.direction}" lang="{escape(code)}">{body}</article>{document_map(record)}'
            f'{event_table(record)}{entity_table(record)}</section>\n')


class HtmlWriter:
    def __init__(self, stream: TextIO):
        self.stream = stream
        self.count = 0
        self.techniques: dict[str, int] = {}
        stream.write(_template("head.html").substitute(version=__version__))

    def write(self, record: dict) -> None:
        self.stream.write(render_document(record))
        self.count += 1
        for t in record.get("techniques", []):
            self.techniques[t["technique"]] = self.techniques.get(t["technique"], 0) + 1

    def close(self) -> None:
        # The legend's counts are known only at the end; a sticky bar keeps it in view anyway.
        legend = technique_legend(self.techniques)
        css = f"<style>{technique_filter_css(self.techniques)}</style>" if self.techniques else ""
        self.stream.write(_template("foot.html").substitute(version=__version__, count=self.count,
                                                             legend=legend + css))
