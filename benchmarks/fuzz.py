"""Fuzz marsad for a while: the CLI's JSONL reader, `analyze`, `analyze_many` and the web API (the targets in
tests/fuzzing.py), round after round of hypothesis examples until the time is up; prints the examples run per
target and every distinct failure (anything but InputError or a clean 4xx/503, or an offset outside the text).

    python benchmarks/fuzz.py --minutes 60                 # the issue's hour
    python benchmarks/fuzz.py --minutes 2 --target analyze
    python benchmarks/fuzz.py --atheris -- -max_total_time=600   # coverage-guided, if atheris installs

Exit status 1 when any failure was found. Runs on 127.0.0.1 only (the web target uses an in-process client).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fuzzing  # noqa: E402

ROUND = settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def web_client():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from marsad.corpus import Corpus
    from marsad.web.app import create_app

    db = Path(tempfile.mkdtemp()) / "fuzz.db"
    with Corpus(db) as c:
        c.ingest([{"id": "d/1", "text": "Russian jets struck Idlib on Monday, killing 12 people."}],
                 options={"profile": "fast"})
    return TestClient(create_app(str(db), None, max_bytes=50_000, profile="fast"))


def targets(names):
    out = {}
    if "readers" in names:
        out["readers"] = given(st.lists(fuzzing.line_st, max_size=6))(fuzzing.readers)
    if "analyze" in names:
        out["analyze"] = given(fuzzing.text_st, st.sampled_from([None, "ar", "en", "fr"]),
                               st.one_of(st.none(), fuzzing.text_st))(fuzzing.analyze)
    if "analyze_many" in names:
        out["analyze_many"] = given(st.lists(st.one_of(fuzzing.text_st, fuzzing.doc_st, st.integers()),
                                             max_size=4))(fuzzing.analyze_many)
    if "web" in names:
        client = web_client()
        out["web"] = given(fuzzing.web_st)(lambda request: fuzzing.web(client, request))
    return {k: ROUND(v) for k, v in out.items()}


def run_atheris(args: list[str]) -> int:
    import atheris

    with atheris.instrument_imports():
        import marsad  # noqa: F401

    def one_input(data: bytes) -> None:
        fdp = atheris.FuzzedDataProvider(data)
        line = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 4000))
        fuzzing.readers([line])
        fuzzing.analyze(fdp.ConsumeUnicode(4000), None, None)

    atheris.Setup([sys.argv[0], *args], one_input)
    atheris.Fuzz()
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--target", action="append", choices=list(fuzzing.CALLS), help="default: all")
    ap.add_argument("--atheris", action="store_true", help="coverage-guided fuzzing with atheris instead")
    ap.add_argument("--json", help="write the figures here too")
    ap.add_argument("rest", nargs="*", help="with --atheris: libFuzzer options")
    args = ap.parse_args()
    if args.atheris:
        return run_atheris(args.rest)
    import marsad

    marsad.analyze("Douma was shelled. قصفت دوما.", profile="fast")  # models loaded before the clock starts
    run = targets(args.target or list(fuzzing.CALLS))
    failures: dict[str, str] = {}
    t0 = time.monotonic()
    rounds = 0
    while time.monotonic() - t0 < args.minutes * 60:
        for name, test in run.items():
            try:
                test()
            except Exception as e:  # noqa: BLE001 - a failure found: recorded, the run goes on
                key = f"{name}: {type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''}"
                if key not in failures:
                    failures[key] = "".join(traceback.format_exception(e))[-3000:]
                    print(f"FAILURE {key}", file=sys.stderr, flush=True)
        rounds += 1
    figures = {"minutes": round((time.monotonic() - t0) / 60, 1), "rounds": rounds, "examples": dict(fuzzing.CALLS),
               "failures": list(failures)}
    print(json.dumps(figures))
    for key, tb in failures.items():
        print(f"\n=== {key}\n{tb}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
