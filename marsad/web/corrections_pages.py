"""Corrections in the web app (marsad/corpus/corrections.py): on a stored article's page (/doc/{id}) the list of
its corrections, and on a writable server (`marsad serve --token`) a small form per event (type, actors, place,
date, modality), per technique span (label, or delete) and per mention (entity, type, or delete), each with a
note; and the write endpoint.

  POST /api/corrections   JSON {doc_id, target, start, end, n, set: {field: value}, delete, add, note, author}
                          with `Authorization: Bearer TOKEN` (as /api/ingest); or the page's form, which
                          carries the token in a password field the analyst fills in, and is answered with a
                          redirect back to the article.

A cross-site page cannot forge a correction: the token is a secret the forging page does not know (the form
never pre-fills it), and a request whose Origin names another site is refused as well. Every value drawn on the
page is escaped."""
from __future__ import annotations

import hmac
from html import escape
from typing import Callable
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError

from ..corpus.corrections import (EVENT_TYPES, MENTION_TYPES, CorrectionError, Overlay, active_corrections, correct, key_text,
                                  overlay, parse_key)
from ..corpus.values import MODALITIES  # the filters and the correction form offer the same values

EVENT_FORM_FIELDS = ("type", "actor1", "actor2", "place", "date", "modality")


class CorrectionIn(BaseModel):
    doc_id: str
    target: str = Field(pattern="^(event|mention|technique)$")
    start: int
    end: int
    n: int = 0
    set: dict[str, str | None] = {}
    delete: bool = False
    add: str | None = None
    note: str | None = None
    author: str | None = None


def register(app: FastAPI, *, corpus: Callable, token: str | None) -> None:
    def authorised(request: Request, given: str | None) -> None:
        """The bearer header's token, or (from the page's form) the form's; refuses a foreign Origin."""
        if not token:
            raise HTTPException(403, "read-only server: start `marsad serve --token TOKEN` to allow corrections")
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
            raise HTTPException(403, "cross-site request refused")
        header = request.headers.get("authorization", "")
        given = header[7:] if header.startswith("Bearer ") else given
        if not (given and hmac.compare_digest(given.encode(), token.encode())):
            raise HTTPException(401, "a valid `Authorization: Bearer TOKEN` header (or the form's token) is required",
                                headers={"WWW-Authenticate": "Bearer"})

    def store(doc_id: str, kind: str, key: tuple, changes: dict, note: str | None, author: str | None) -> list[int]:
        with corpus() as c:
            try:
                return correct(c, doc_id, kind, key, changes, note=note, author=author or "web")
            except CorrectionError as e:
                raise HTTPException(400, str(e)) from None

    @app.post("/api/corrections", summary="Correct an event, mention or technique span of a stored document "
                                          "(needs Authorization: Bearer TOKEN)")
    async def api_corrections(request: Request):
        if request.headers.get("content-type", "").startswith("application/json"):
            authorised(request, None)  # before the body is read, as /api/ingest
            try:
                body = CorrectionIn.model_validate_json(await request.body())
            except ValidationError as e:  # a 422 naming the field, as FastAPI answers a bad body
                raise RequestValidationError([{k: x[k] for k in ("type", "loc", "msg")} for x in e.errors()]) from None
            changes: dict = dict(body.set)
            if body.delete:
                changes["deleted"] = True
            if body.add is not None:
                changes["added"] = body.add
            ids = store(body.doc_id, body.target, (body.start, body.end, body.n), changes, body.note, body.author)
            return JSONResponse({"ids": ids}, status_code=201)
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        doc_id, kind = form.get("doc_id", ""), form.get("target", "")
        back = f"/doc/{quote(doc_id, safe='')}#corrections"
        try:
            authorised(request, form.get("token"))
            try:
                key = parse_key(form.get("key", ""))
            except CorrectionError as e:
                raise HTTPException(400, str(e)) from None
            changes = changed_fields(doc_id, kind, key, form)
            if not changes:
                raise HTTPException(400, "nothing changed: edit a field (or tick delete) before saving")
            store(doc_id, kind, key, changes, form.get("note") or None, form.get("author") or None)
        except HTTPException as e:  # a person reads this one: a page saying what went wrong, and the way back
            return HTMLResponse(f'<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>correction not saved'
                                f'</title><main><p class="err">The correction was not saved: {escape(str(e.detail))}</p>'
                                f'<p><a href="{escape(back)}">← back to the article</a></p></main></html>',
                                status_code=e.status_code, headers=e.headers)
        return RedirectResponse(back, status_code=303)

    def changed_fields(doc_id: str, kind: str, key: tuple, form: dict) -> dict:
        """The form's fields whose value differs from the item's current one (the form shows them all)."""
        if form.get("delete"):
            return {"deleted": True}
        with corpus() as c:
            record = c.get(doc_id, machine=True)
            ov = overlay(record, active_corrections(c.conn, [doc_id])) if record else None
        item = ov.keys.get(kind, {}).get(key) if ov else None
        if item is None:
            raise HTTPException(400, f"{doc_id}: no {kind} at {key_text(key)}")
        names = EVENT_FORM_FIELDS if kind == "event" else ("technique",) if kind == "technique" else ("entity", "type")
        return {n: form[n] for n in names if n in form and (form[n] or None) != (item.get(n) or None)}


def panel(machine_record: dict, corrections: list[dict], writable: bool) -> str:
    """The article page's corrections section: those in force (orphaned ones flagged) and, on a writable server,
    the correction forms. Empty when there is nothing to show."""
    ov = overlay(machine_record, corrections)
    listed = "".join(
        f'<li class="{escape(s["status"])}">{escape(s["target"])} {s["start"]}:{s["end"]} '
        f'{escape(s["field"])}: {escape(_show(s["old"]))} → <strong>{escape(_show(s["new"]))}</strong> '
        f'<span class="muted">{escape(s.get("author") or "")} {escape(s.get("created") or "")}</span>'
        + (f' <em>{escape(s["note"])}</em>' if s.get("note") else "")
        + (' <span class="flag">orphaned: the current analysis has no such item</span>' if s["status"] == "orphaned" else "")
        + "</li>" for s in ov.applied)
    if not listed and not writable:
        return ""
    body = f"<ul>{listed}</ul>" if listed else '<p class="muted">No corrections yet.</p>'
    if writable:
        body += _forms(ov)
    return (f'<section class="box corrections" id="corrections" aria-label="human corrections">'
            f"<h2>Human corrections</h2>{body}</section>{STYLE}")


def _show(value) -> str:
    return "—" if value is None else str(value)


def _forms(ov: Overlay) -> str:
    doc = escape(str(ov.record.get("id")))
    text = ov.record.get("text") or ""
    out = []
    for key, ev in ov.live("event"):
        fields = [f'<label>type <select name="type">{_options(("",) + EVENT_TYPES, ev.get("type"))}</select></label>']
        for name in ("actor1", "actor2", "place"):
            fields.append(f'<label>{name} <input type="text" name="{name}" value="{escape(ev.get(name) or "")}" '
                          f'placeholder="id or name"></label>')
        fields.append(f'<label>date <input type="text" name="date" value="{escape(ev.get("date") or "")}" '
                      f'placeholder="YYYY-MM-DD" size="10"></label>')
        fields.append(f'<label>modality <select name="modality">{_options(("",) + MODALITIES, ev.get("modality"))}'
                      f"</select></label>")
        out.append(_form(doc, "event", key, f'event: {ev.get("type") or "?"}', text, "".join(fields), ev))
    from ..outputs.html_parts import technique_info

    labels = sorted(technique_info())
    for key, t in ov.live("technique"):
        fields = (f'<label>technique <select name="technique">{_options(labels, t.get("technique"))}</select></label>'
                  f'<label><input type="checkbox" name="delete" value="1"> delete this span</label>')
        out.append(_form(doc, "technique", key, f'technique: {t.get("technique")}', text, fields, t))
    mentions = []
    for key, m in ov.live("mention"):
        fields = (f'<label>entity <input type="text" name="entity" value="{escape(m.get("entity") or "")}" '
                  f'placeholder="id or name"></label><label>type <select name="type">'
                  f'{_options(MENTION_TYPES, m.get("type"))}</select></label>'
                  f'<label><input type="checkbox" name="delete" value="1"> not a name: delete</label>')
        mentions.append(_form(doc, "mention", key, f'{m.get("type")}: {m.get("entity") or "?"}', text, fields, m))
    if mentions:
        out.append(f'<details class="mentions"><summary>Mentions ({len(mentions)})</summary>{"".join(mentions)}</details>')
    return ('<p class="muted">Correct an item: change its fields, say why, give the write token, save.</p>'
            + "".join(out)) if out else ""


def _form(doc: str, kind: str, key: tuple, title: str, text: str, fields: str, item: dict) -> str:
    quote_ = " ".join(text[key[0]:key[1]].split())[:160]
    mark = ' <span class="checked">✓ human-checked</span>' if item.get("checked") else ""
    return (f'<details class="correct"><summary>{escape(title)} <span class="muted" dir="auto">{escape(quote_)}</span>{mark}'
            f'</summary><form method="post" action="/api/corrections">'
            f'<input type="hidden" name="doc_id" value="{doc}"><input type="hidden" name="target" value="{kind}">'
            f'<input type="hidden" name="key" value="{escape(key_text(key))}">{fields}'
            f'<label>note <input type="text" name="note" size="30"></label>'
            f'<label>by <input type="text" name="author" size="10" placeholder="your name"></label>'
            f'<label>token <input type="password" name="token" required autocomplete="off"></label>'
            f'<button type="submit">save correction</button></form></details>')


def _options(values, current) -> str:
    return "".join(f'<option value="{escape(v)}"{" selected" if v == current else ""}>{escape(v or "—")}</option>'
                   for v in values)


STYLE = ("<style>section.corrections{margin:1rem 0;padding:.6rem 1rem;border:1px solid #d8dee4;border-radius:8px;"
         "background:#fbfbf8} section.corrections h2{font-size:1.05rem;margin:.2rem 0 .5rem} li.orphaned{color:#8a1c00}"
         " details.correct{margin:.3rem 0} details.correct form{margin:.3rem 0 .6rem 1rem} .checked{color:#2f8f4e;"
         "font-weight:600;font-size:.85rem} .flag{background:#fde2dc;color:#8a1c00;border-radius:4px;padding:0 .4rem;"
         "font-size:.8rem}</style>")
