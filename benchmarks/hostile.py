"""Worst-case documents: time and peak memory of `marsad.analyze` on text built to be hard.

    python benchmarks/hostile.py                        # every case at 1 MB, each in its own process
    python benchmarks/hostile.py --chars 20000 --case en-unpunctuated --profile fast
    python benchmarks/hostile.py --cprofile --chars 20000 --case ar-unpunctuated   # where the time goes

Models are loaded as `marsad analyze` loads them (both languages'), so the peak RSS is what the command reaches.

Cases (issue 13): English and Arabic with no sentence punctuation (the words of the bundled examples, their
punctuation and line breaks removed), one token of the given length, and 20,000 x "Douma!!!!!!!!!!". Each case
runs in a fresh process (models loaded first, not timed), so each peak RSS is that document's and not the
previous one's. The target is < 30 s and < 1 GB peak RSS per case. Say the machine's load beside the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASES = ("en-unpunctuated", "ar-unpunctuated", "one-token", "douma-bangs")


def _words(arabic: bool) -> list[str]:
    for f in sorted(EXAMPLES.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        if (sum("\u0600" <= c <= "\u06ff" for c in text) > len(text) / 4) == arabic:
            return re.findall(r"\w+", text)
    raise SystemExit("no example article in that script")


def hostile_text(case: str, chars: int) -> str:
    if case in ("en-unpunctuated", "ar-unpunctuated"):
        words = _words(case.startswith("ar"))
        out, n, i = [], 0, 0
        while n < chars:
            w = words[i % len(words)]
            out.append(w)
            n += len(w) + 1
            i += 1
        return " ".join(out)[:chars]
    if case == "one-token":
        return ("Douma" * (chars // 5 + 1))[:chars]
    if case == "douma-bangs":
        return "Douma!!!!!!!!!! " * min(20_000, chars // 16)  # the case: 20,000 of them
    raise ValueError(case)


def run_one(case: str, chars: int, profile: str | None, cprofile: bool) -> dict:
    import marsad

    # load the models as `marsad analyze` does (every language's, marsad.pipeline.load_models), so the peak RSS
    # is the command's; and the fast technique bundle that reads past the technique models' cap
    from marsad import pipeline, techniques

    pipeline.load_models({"profile": profile} if profile else None)
    for lang in techniques.LANGS:
        techniques.load(lang, "fast")
    text = hostile_text(case, chars)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    if cprofile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
    record = marsad.analyze(text, profile=profile)
    seconds = time.perf_counter() - t0
    if cprofile:
        prof.disable()
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    return {"case": case, "chars": len(text), "profile": record.get("profile"), "seconds": round(seconds, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "rss_after_loading_mb": round(rss_before), "sentences": len(record["sentences"]),
            "mentions": len(record["mentions"]), "events": len(record["events"])}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", choices=CASES, action="append", help="one case (repeatable; default: all)")
    ap.add_argument("--chars", type=int, default=1_000_000, help="document length (default 1 MB)")
    ap.add_argument("--profile", choices=["accurate", "fast"], default=None)
    ap.add_argument("--cprofile", action="store_true", help="print cProfile's top functions on stderr")
    ap.add_argument("--json", help="write the figures here too")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # child mode: this process, one case
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.case[0], args.chars, args.profile, args.cprofile)))
        return 0
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}, "
          f"{os.cpu_count()} cores", file=sys.stderr)
    rows = []
    for case in args.case or CASES:
        cmd = [sys.executable, __file__, "--one", "--case", case, "--chars", str(args.chars)]
        cmd += ["--profile", args.profile] if args.profile else []
        cmd += ["--cprofile"] if args.cprofile else []
        done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        row = json.loads(done.stdout) if done.returncode == 0 else {"case": case, "error": done.returncode}
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0 if all("error" not in r for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
