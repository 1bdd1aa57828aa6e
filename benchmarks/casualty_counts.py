# Run: python benchmarks/casualty_counts.py [-v]   (FA-KES dev, ../shared/data/events/fakes)
"""Quick FA-KES dev check of marsad.events.numbers.fatalities: per article, run it over every sentence, take
the sentence with the largest count, compare with the crowd gold (nb_civilians etc.). Not tuned per article."""
import csv, sys, time
from marsad.events.numbers import fatalities
from marsad.lang import get
from marsad.lang.sentences import split

rows = list(csv.DictReader(open("/work/shared/data/events/fakes/fakes_dev.csv", encoding="utf-8")))
en = get("en")
stats = {"strict": 0, "mapped": 0, "children": 0, "women": 0, "noncivilians": 0}
t0 = time.time(); nsent = 0
bad = []
for r in rows:
    text = r["article_content"]
    best = None
    for a, b in split(text, en):
        nsent += 1
        f = fatalities(text[a:b], "en")
        if f["note"] and "cumulative" in f["note"]:
            continue
        key = f["total"] or 0
        if key and (best is None or key > best["total"]):
            best = f
    best = best or {"total": None, "civilians": None, "children": None, "women": None, "combatants": None}
    gold = {k: int(float(r["nb_" + k])) for k in ("civilians", "children", "women", "noncivilians")}
    civ_strict = best["civilians"] or 0
    civ_mapped = max(best["civilians"] or 0, (best["total"] or 0) - (best["combatants"] or 0))
    stats["strict"] += civ_strict == gold["civilians"]
    stats["mapped"] += civ_mapped == gold["civilians"]
    stats["children"] += (best["children"] or 0) == gold["children"]
    stats["women"] += (best["women"] or 0) == gold["women"]
    stats["noncivilians"] += (best["combatants"] or 0) == gold["noncivilians"]
    if civ_mapped != gold["civilians"]:
        bad.append((r["unit_id"], gold["civilians"], civ_mapped, best["total"]))
n = len(rows)
print({k: round(v / n, 3) for k, v in stats.items()}, "n", n, "sentences", nsent, "secs %.2f" % (time.time() - t0))
if "-v" in sys.argv:
    for b in bad: print(b)
