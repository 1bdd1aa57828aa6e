"""What the world gazetteer costs `marsad analyze`: peak RSS and first-document time, this checkout against another
(by default /work/main, the code before the world tier), in alternating rounds in fresh processes.

    python benchmarks/places_footprint.py                          # 3 rounds, examples/ + 40 LGL articles
    python benchmarks/places_footprint.py --base /path/to/checkout --rounds 5 --docs 80

Each round runs `marsad analyze --workers 1 --format jsonl` on the same JSONL input once per checkout (the other
checkout's code put first on sys.path), in a child process whose peak RSS is read from getrusage; first document
= seconds from the child's start to its first output line (imports, models and gazetteers loaded, first record
written). Both checkouts' caches (~/.cache/marsad) are warmed by an untimed run first. The table gives each
side's median; the machine's load average is printed beside it, since other jobs slow both sides alike.
Input: the bundled examples and the first --docs articles of LGL (/work/geo-data/lgl.xml; local US news, so the
world tier is exercised), as JSONL.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _input(docs: int, lgl: Path) -> Path:
    rows = [{"id": p.name, "text": p.read_text(encoding="utf-8")} for p in sorted((ROOT / "examples").glob("*.txt"))]
    if lgl.exists():
        for i, art in enumerate(ET.parse(lgl).getroot().iter("article")):
            if i >= docs:
                break
            rows.append({"id": f"lgl-{i}", "text": art.findtext("text") or "", "language": "en"})
    f = Path(tempfile.mkdtemp()) / "input.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return f


def _run(checkout: Path, data: Path) -> tuple[float, float, int]:
    """(first-document seconds, peak RSS MB, records) of one `marsad analyze` run of `checkout`'s code."""
    code = (f"import sys; sys.path.insert(0, {str(checkout)!r}); sys.argv = ['marsad', 'analyze', {str(data)!r}, "
            "'--workers', '1', '--format', 'jsonl', '--quiet']; from marsad.cli import main; sys.exit(main())")
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                            cwd=checkout)
    first = None
    n = 0
    for _ in proc.stdout:
        if first is None:
            first = time.perf_counter() - t0
        n += 1
    _, status, usage = os.wait4(proc.pid, 0)
    return first or float("nan"), usage.ru_maxrss / 1024, n


def _world_cold() -> str:
    """The world tier's own start-up cost, which the whole-run comparison hides in the machine's noise: opening the
    SQLite files and the first and a later name look-up, and the RSS they add."""
    code = ("import resource, time; from marsad.places import world; r0 = resource.getrusage(resource.RUSAGE_SELF)"
            ".ru_maxrss; t = time.perf_counter(); world.lookup('Donetsk'); t1 = time.perf_counter(); "
            "[world.lookup(n) for n in ('Springfield', 'Paris', 'Lashio', 'كييف')]; t2 = time.perf_counter(); "
            "r1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; print(f'first look-up {t1 - t:.3f} s, four more "
            "{t2 - t1:.4f} s, +{(r1 - r0) / 1024:.1f} MB RSS')")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT).stdout.strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default="/work/main", help="the checkout to compare with")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--lgl", default="/work/geo-data/lgl.xml")
    args = ap.parse_args()
    data = _input(args.docs, Path(args.lgl))
    sides = {"base": Path(args.base).resolve(), "this": ROOT}
    for p in sides.values():
        _run(p, data)  # warm the caches
    res: dict[str, list[tuple[float, float, int]]] = {k: [] for k in sides}
    for _ in range(args.rounds):
        for k, p in sides.items():
            res[k].append(_run(p, data))
    load = os.getloadavg()
    print(f"{len(json.loads('[' + ','.join(data.read_text().splitlines()) + ']'))} documents, {args.rounds} rounds, "
          f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, {os.cpu_count()} cores")
    print(f"{'':6} {'first document s':>18} {'peak RSS MB':>12} {'records':>8}")
    out = {}
    for k, rs in res.items():
        first, rss = statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs)
        out[k] = {"first_s": round(first, 2), "rss_mb": round(rss, 1), "records": rs[0][2]}
        print(f"{k:6} {first:18.2f} {rss:12.1f} {rs[0][2]:8}")
    print(f"world tier, in a fresh process: {_world_cold()}")
    print(json.dumps({"first_s_delta": round(out["this"]["first_s"] - out["base"]["first_s"], 2),
                      "rss_mb_delta": round(out["this"]["rss_mb"] - out["base"]["rss_mb"], 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
