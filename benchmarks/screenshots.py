"""Pictures of the corpus pages as a user sees them, taken in Debian's headless chromium (playwright): the map
zoomed on one place with the time window moved, the search page's facets panel, and a search in English that
lists Arabic articles. For looking at after a change to the pages; nothing is asserted here (the browser tests
in tests/test_web*.py do that).

    python benchmarks/screenshots.py --out shots/                  # builds a corpus first (a few minutes)
    python benchmarks/screenshots.py --db war.db --place Idlib --query Baghdad --out shots/

The corpus built when --db is not given: the bundled examples, FA-KES dev (English, Syria 2011-2018) and the
Arabic event GSR's assault sentences labelled "yes" (Arabic news, Iraq 2007), read in place from ../shared/data
when it is there, analysed with the fast profile. Writes map.png, facets.png and cross-language.png.
"""
from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
SHARED = HERE.parent.parent / "shared" / "data" / "events"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def gsr_documents(path: Path):
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["label"].startswith("yes"):
                yield {"id": f"gsr-{row['id']}", "text": row["text"], "source": "Arabic event GSR"}


def build_corpus(path: Path) -> None:
    from corpus import fakes_documents  # the FA-KES reader of benchmarks/corpus.py

    from marsad.corpus import Corpus

    docs = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted((HERE.parent / "examples").glob("*.txt"))]
    if (SHARED / "fakes" / "fakes_dev.csv").exists():
        docs += fakes_documents(SHARED / "fakes" / "fakes_dev.csv")
    if (SHARED / "arabic_event_gsr" / "assault_dev.csv").exists():
        docs += gsr_documents(SHARED / "arabic_event_gsr" / "assault_dev.csv")
    print(f"analysing {len(docs)} documents into {path} (fast profile)...", file=sys.stderr)
    with Corpus(path) as c:
        stats = c.ingest(docs, options={"profile": "fast"})
    print(f"{stats.added} stored, {stats.failed} failed", file=sys.stderr)


def serve(db: str):
    import uvicorn

    from marsad.web.app import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


def take(base: str, out: Path, place: str, query: str) -> None:
    from urllib.parse import urlencode

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=FLAGS,
                                                    viewport={"width": 1280, "height": 1000},
                                                    bypass_csp=True)  # for the page.evaluate calls below
        page = ctx.new_page()
        # the map of one place's events (it fits itself to them), then the time window narrowed to its last third
        page.goto(f"{base}/map?{urlencode({'place': place})}")
        page.wait_for_selector("#t-to:not([disabled])", state="attached", timeout=30_000)
        page.evaluate("""() => { const f = document.getElementById('t-from'), t = document.getElementById('t-to');
                                 f.value = String(Math.floor(2 * (+t.max) / 3)); f.dispatchEvent(new Event('input')); }""")
        page.wait_for_timeout(800)
        page.screenshot(path=str(out / "map.png"), full_page=True)
        print("map:", page.inner_text("#t-label"), "|", page.inner_text("#emap-status"), file=sys.stderr)
        # the facets panel of the whole corpus
        page.goto(f"{base}/search?q=")
        page.locator("aside.facets").screenshot(path=str(out / "facets.png"))
        # one English word that names a place: its Arabic articles are listed too
        page.goto(f"{base}/search?{urlencode({'q': query})}")
        page.screenshot(path=str(out / "cross-language.png"), full_page=True)
        ctx.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="an existing corpus (default: build one, see above)")
    ap.add_argument("--place", default="Idlib", help="the place the map is filtered and zoomed to (default Idlib)")
    ap.add_argument("--query", default="Baghdad", help="the English search (default Baghdad)")
    ap.add_argument("--out", type=Path, default=Path("shots"), help="folder for the PNG files (default shots/)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    db = args.db
    if db is None:
        db = str(args.out / "screenshots.db")
        if not Path(db).exists():
            build_corpus(Path(db))
    server, base = serve(db)
    try:
        take(base, args.out, args.place, args.query)
    finally:
        server.should_exit = True
    print(f"wrote {', '.join(p.name for p in sorted(args.out.glob('*.png')))} in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
