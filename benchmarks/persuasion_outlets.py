"""Persuasion score per outlet type, as `marsad analyze` reports it (issue 17: "a wire report near the bottom in
both languages"), with a wire sample large enough to say where wire copy sits.

    python benchmarks/persuasion_outlets.py [--profile accurate] [--per-type 40] [--json OUT]

Each text goes through `marsad.analyze` (the record's `persuasion.score`, the number a user sees), read in place
from ../shared/data (nothing is copied):
* FA-KES dev (English Syrian-war news, 205 articles), grouped by outlet as benchmarks/persuasion_score.py groups it;
* ArMPro train (Arabic news paragraphs), grouped by the page's domain the same way;
* wire agency (Reuters) [en]: the Reuters stories of CoNLL-2003 dev (RCV1, 1996), rebuilt from the sentence file:
  a story starts at its headline, the sentence before a dateline line ("LONDON 1996-08-30") or before the
  byline that precedes it ("Larry Fine"), its tokens joined
  back ("2-1 ( halftime 1-1 ) ." -> "2-1 (halftime 1-1)."); the sports desk's stories (a headline that starts
  "SOCCER - ", "Boxing-") are left out: the other outlets are news about war and politics. FA-KES's own 5 Reuters
  articles are kept as their own row.
There is no Arabic wire agency in the data (ANERcorp is newswire but has no story boundaries or sources).
At most --per-type texts of each type (a fixed random sample, seed 17), so one run takes minutes, not an hour.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from persuasion_score import OUTLET_TYPES  # noqa: E402  (one grouping of outlets for both benchmarks)

DATA = ROOT.parent / "shared" / "data"
SPORTS_DESK = re.compile(r"^(?:[A-Z]+(?: [A-Z]+)? - |(?:soccer|cricket|tennis|golf|baseball|basketball|athletics|"
                         r"cycling|rugby|boxing|motor\w*|formula one|nfl|nba|nhl|ice hockey|swimming|skiing|"
                         r"horse racing|badminton|squash|volleyball|handball|rowing|sailing|olympic\w*)\b)", re.I)
BYLINE = re.compile(r"^(?:[A-Z][\w'.-]+ ){1,3}[A-Z][\w'-]+$")
DATELINE = re.compile(r"^[A-Z][A-Z .'-]+(?:,\s*[A-Za-z .]+)? \d{4}-\d\d-\d\d$")


def _detokenized(sentence: str) -> str:
    """"Romania beat Lithuania 2-1 ( halftime 1-1 ) ." -> "Romania beat Lithuania 2-1 (halftime 1-1)."."""
    sentence = re.sub(r" ([.,;:!?)%]|'s\b|n't\b)", r"\1", sentence)
    return sentence.replace("( ", "(")


def conll_stories(path: Path) -> list[str]:
    """The Reuters stories of a CoNLL-2003 file (token per line, blank line between sentences, no -DOCSTART-):
    a headline, then a dateline, then the body."""
    from marsad.evaluation.ner import iter_conll

    sentences = [_detokenized(" ".join(tokens)) for doc in iter_conll(path) for tokens, _tags in doc]
    starts = [k - 1 - (k >= 2 and bool(BYLINE.match(sentences[k - 1])))  # "Larry Fine": a byline, then the headline
              for k, s in enumerate(sentences) if k and DATELINE.match(s)]
    stories = []
    for a, b in zip(starts, [*starts[1:], len(sentences)]):
        text = "\n".join(sentences[a:b])
        if not SPORTS_DESK.match(text):  # "SOCCER - ROMANIA BEAT LITHUANIA": the sports desk, not news
            stories.append(text)
    return stories


def items(per_type: int) -> dict[tuple[str, str], list[str]]:
    """(outlet type, language) -> texts."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    with open(DATA / "events" / "fakes" / "fakes_dev.csv", encoding="utf-8", errors="replace") as f:
        for r in csv.DictReader(f):
            typ = OUTLET_TYPES.get(r["source"], "other regional outlets")
            groups[(typ + (" (FA-KES)" if r["source"] == "reuters" else ""), "en")].append(r["article_content"])
    for line in (DATA / "techniques" / "armpro" / "ArMPro_span_V2_train.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        groups[(OUTLET_TYPES.get(r["page_domain"], "other regional outlets"), "ar")].append(r["paragraph"])
    groups[("wire agency (Reuters, CoNLL-2003 dev)", "en")] = conll_stories(DATA / "ner" / "conll2003" / "dev.txt")
    rnd = random.Random(17)
    return {k: (rnd.sample(v, per_type) if len(v) > per_type else v) for k, v in sorted(groups.items())}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profile", default="accurate", choices=("accurate", "fast"))
    ap.add_argument("--per-type", type=int, default=40)
    ap.add_argument("--json")
    args = ap.parse_args()
    import marsad

    table = {}
    for (typ, lang), texts in items(args.per_type).items():
        scores = [marsad.analyze(t, language=lang, profile=args.profile)["persuasion"]["score"] for t in texts]
        table[f"{typ} [{lang}]"] = {"n": len(scores), "mean": round(statistics.mean(scores), 3),
                                   "median": round(statistics.median(scores), 3)}
        print(f"{typ} [{lang}]: n {len(scores)} mean {table[f'{typ} [{lang}]']['mean']}", file=sys.stderr)
    print("| outlet type [language] | n | mean score | median |\n|---|---|---|---|")
    for lang in ("ar", "en"):
        rows = sorted(((k, v) for k, v in table.items() if k.endswith(f"[{lang}]")), key=lambda kv: -kv[1]["mean"])
        for k, v in rows:
            print(f"| {k} | {v['n']} | {v['mean']} | {v['median']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(table, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
