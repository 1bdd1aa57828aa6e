"""A self-contained HTML page of analysed documents: text with annotation layers, right-to-left where the
language is. All article-derived strings go through html.escape; the page carries a CSP that forbids script.

Layers are (start, end, css class, tooltip) spans; later stages add layers (mentions, techniques) by
extending `layers()`; spans may nest or overlap, and `render_spans` keeps the markup well formed."""
from __future__ import annotations

from html import escape
from pathlib import Path
from string import Template
from typing import TextIO

from .. import __version__
from .. import lang as languages

TEMPLATES = Path(__file__).parent / "templates"


def _template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def layers(record: dict) -> list[tuple[int, int, str, str]]:
    return [(s["start"], s["end"], "s", f"sentence {k}") for k, s in enumerate(record.get("sentences", []), 1)]


def render_spans(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """Escaped `text` with each span wrapped in <span class title>. Overlapping spans are cut at every
    boundary, so tags never cross; a sentence gets a number marker at its first piece."""
    spans = [s for s in spans if 0 <= s[0] < s[1] <= len(text)]
    cuts = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    by_start = sorted(range(len(spans)), key=lambda k: (spans[k][0], -spans[k][1]))
    out, active, nxt = [], [], 0
    for a, b in zip(cuts, cuts[1:]):
        while nxt < len(by_start) and spans[by_start[nxt]][0] <= a:
            active.append(by_start[nxt])
            nxt += 1
        active = [k for k in active if spans[k][1] > a]
        piece = escape(text[a:b])
        for k in reversed(active):  # outermost (earliest, longest) span outside
            start, _end, cls, tip = spans[k]
            mark = f'<sup class="n">{escape(tip.rsplit(" ", 1)[-1])}</sup>' if cls == "s" and start == a else ""
            piece = f'<span class="{escape(cls)}" title="{escape(tip)}">{mark}{piece}</span>'
        out.append(piece)
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
    meta_html = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in meta)
    warn = "".join(f'<p class="warn">⚠ {escape(w)}</p>' for w in record.get("warnings", []))
    title = escape(record.get("title") or str(record.get("id")))
    body = render_spans(record["text"], layers(record))
    return (f'<section class="doc"><header><h2 dir="auto">{title}</h2><dl class="meta">{meta_html}</dl>{warn}</header>'
            f'<article dir="{lang.direction}" lang="{escape(code)}">{body}</article></section>\n')


class HtmlWriter:
    def __init__(self, stream: TextIO):
        self.stream = stream
        self.count = 0
        stream.write(_template("head.html").substitute(version=__version__))

    def write(self, record: dict) -> None:
        self.stream.write(render_document(record))
        self.count += 1

    def close(self) -> None:
        self.stream.write(_template("foot.html").substitute(version=__version__, count=self.count))
