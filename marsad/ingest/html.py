"""HTML article pages: main text, title, date and URL with trafilatura (boilerplate-aware extraction)."""
from __future__ import annotations

import logging

from .document import InputError

# trafilatura logs every page it finds empty; marsad reports failures itself, once, with the document id.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def extract(html: str) -> dict:
    """{'text', 'title', 'published', 'url', 'source'} of an article page; InputError when no text is found."""
    import trafilatura  # imported on first HTML document only: plain-text runs never pay for it

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, favor_recall=True)
    except Exception as e:  # lxml raises a zoo of parser errors on hostile markup
        raise InputError(f"malformed HTML: {type(e).__name__}: {str(e)[:80]}") from None
    text = (doc.text if doc else None) or ""
    if not text.strip():
        try:
            _, text, _ = trafilatura.baseline(html)  # short pages fall below the main extractor's thresholds
        except Exception:
            text = ""
    if not text.strip():
        raise InputError("no article text found in the HTML (malformed, empty, or not an article page)")
    return {
        "text": text,
        "title": getattr(doc, "title", None) if doc else None,
        "published": getattr(doc, "date", None) if doc else None,
        "url": getattr(doc, "url", None) if doc else None,
        "source": getattr(doc, "sitename", None) or getattr(doc, "hostname", None) if doc else None,
    }
