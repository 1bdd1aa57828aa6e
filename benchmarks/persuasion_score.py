"""Persuasion score across languages and lengths (issue 17 item 2): does the article score separate persuasive
texts from others in each language, do the two languages' scores of the same text agree, and what does each
outlet type get?

    python benchmarks/persuasion_score.py collect [--dir /tmp/persuasion] [--ptc-lines 4000] [--pairs 400]
                                                  [--profile fast]
    python benchmarks/persuasion_score.py arfolds [--dir /tmp/persuasion]   # out-of-fold Arabic detections (~2 min)
    python benchmarks/persuasion_score.py enfolds [--folds-dir D]   # out-of-fold English, after the English
                                                                    # card's CV command with --folds-dir D
    python benchmarks/persuasion_score.py fit     [--dir /tmp/persuasion]   # refits models/persuasion-calibration.json
    python benchmarks/persuasion_score.py report  [--dir /tmp/persuasion]   # old and new score: AUC, Spearman, outlets

`collect` runs the shipped technique models (marsad.techniques.detect, sentences from marsad.lang.sentences, as
the `techniques` stage does; the accurate profile's encoder models unless `--profile fast`) over these sets, read
in place from ../shared/data (nothing is copied), and keeps the spans in <dir>/spans.jsonl:

* ar_train: ArAIEval-2023 task 1A train (2,427 Arabic tweets and paragraphs, label true/false = any technique),
  with the task 1B technique labels of the same ids. IN-SAMPLE for the detector: the Arabic model's sentence
  classifier was trained on 1B train (the same texts). `arfolds` adds ar_train_oof: the same texts detected by
  fold models trained without them; the calibration is fitted (k-fold CV) on these.
* ar_dev: ArAIEval-2023 task 1A dev (259): held out (the Arabic model kept 1B dev out; its threshold shift 0.15
  was picked partly on 1B dev, so slightly optimistic).
* en_ptc: lines (sentences) of PTC-2020 train articles, positive when a gold span overlaps the line, with the
  techniques of those spans. IN-SAMPLE: the English model was trained on PTC train (no PTC dev labels here).
  `enfolds` adds en_ptc_oof: each line detected by the English CV fold model that did not see its article
  (held out); the calibration is fitted on these, in the detector's folds.
* pairs: machine-translated PTC spans (ptc_arabic_translated_spans Train.tsv): the Arabic translation and the
  English span text (article[start:end]). IN-SAMPLE for both models (English: PTC train; Arabic: its sentence
  classifier was trained on these translations).
* outlets: FA-KES dev (English, 205 Syrian-war news articles with the outlet) and ArMPro train (Arabic news
  paragraphs with the page's domain; IN-SAMPLE for the Arabic model), grouped into outlet types; plus 40 whole
  PTC train articles (partisan English sites; in-sample).
"""
from __future__ import annotations

import argparse
import hashlib
import csv
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("MARSAD_SHARED_DATA", ROOT.parent / "shared" / "data"))
if not DATA.exists():
    DATA = Path("/work/shared/data")
TECH = DATA / "techniques"

# Outlet types (by what the outlet is, not by what it says).
OUTLET_TYPES = {
    # FA-KES (English)
    "reuters": "wire agency",
    "sana": "state media (Syria)", "sputnik": "state media (Russia)", "tass": "state media (Russia)",
    "trt": "state media (Turkey)", "nna": "state media (Lebanon)",
    "manar": "party / mobilisation media", "alalam": "party / mobilisation media",
    "etilaf": "party / mobilisation media",
    "ahram": "regional newspaper", "alaraby": "regional newspaper", "dailysabah": "regional newspaper",
    "jordantimes": "regional newspaper", "asharqalawsat": "regional newspaper", "arabiya": "regional broadcaster",
    # ArMPro (Arabic)
    "bbc.com": "international public broadcaster", "france24.com": "international public broadcaster",
    "dw.com": "international public broadcaster", "arabic.euronews.com": "international public broadcaster",
    "mc-doualiya.com": "international public broadcaster", "arabic.cnn.com": "international broadcaster",
    "alhurra.com": "state media (US)", "arabic.rt.com": "state media (Russia)",
    "aljazeera.net": "regional broadcaster", "mubasher.aljazeera.net": "regional broadcaster",
    "alhadath.net": "regional broadcaster", "almayadeen.net": "party / mobilisation media",
    "al-binaa.com": "party / mobilisation media", "alsahwa-yemen.net": "party / mobilisation media",
    "alaraby.co.uk": "regional newspaper", "alquds.co.uk": "regional newspaper", "aawsat.com": "regional newspaper",
    "albayan.ae": "regional newspaper", "youm7.com": "regional newspaper", "ahram.org.eg": "regional newspaper",
    "alarab.co.uk": "regional newspaper", "alghad.com": "regional newspaper", "arabi21.com": "regional newspaper",
    "elaph.com": "regional newspaper",
}



def key(lang: str, text: str) -> str:
    """A text's cache key in the vector files (benchmarks/persuasion_encoder.py, persuasion_pairs.py)."""
    return hashlib.sha1(f"{lang}\0{text}".encode("utf-8")).hexdigest()

def _jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def print_tables(out: dict, rows: list[tuple[str, str, str]], outlets_of: int) -> None:
    """The report's two markdown tables: `rows` (label, set, measure) for each score of `out`, then the outlet
    types' mean scores (their n from the `outlets_of`-th score)."""
    names = list(out)
    print("| measure | " + " | ".join(names) + " |\n|---|" + "---|" * len(names))
    for label, key, m in rows:
        n = out[names[0]].get(key, {}).get("n")
        print(f"| {label % n if '%d' in label else label} | "
              + " | ".join(str(out[k].get(key, {}).get(m, "-")) for k in names) + " |")
    print("\n| outlet type [language] | n | " + " | ".join(names) + " |\n|---|---|" + "---|" * len(names))
    for t, v in out[names[outlets_of]]["outlets"].items():
        print(f"| {t} | {v['n']} | " + " | ".join(str(out[k]["outlets"][t]["mean"]) for k in names) + " |")


def _families_of(techs) -> list[str]:
    from marsad.techniques.persuasion import FAMILY

    return sorted({FAMILY[t] for t in techs if t in FAMILY})


def _ptc_labels(art_id: str) -> list[tuple[str, int, int]]:
    from marsad.train.techniques import MAP_2020

    p = TECH / "ptc2020" / "train-labels-task-flc-tc" / f"article{art_id}.task-flc-tc.labels"
    out = []
    for line in p.read_text(encoding="utf-8").splitlines():
        c = line.split("\t")
        if len(c) == 4 and c[1] in MAP_2020:
            out.append((MAP_2020[c[1]], int(c[2]), int(c[3])))
    return out


def _ptc_articles() -> dict[str, str]:
    d = TECH / "ptc2020" / "train-articles"
    return {f.name[7:-4]: f.read_text(encoding="utf-8") for f in sorted(d.glob("article*.txt"))}


def ptc_lines(arts: dict[str, str], fold_of: dict[str, int], set_name: str) -> list[dict]:
    """Every line of 3+ words of the PTC train articles, positive when a gold span overlaps it, with the
    techniques' families, its article's fold and the article as its group."""
    lines = []
    for a in sorted(arts):
        text, gold = arts[a], _ptc_labels(a)
        pos = 0
        for line in text.split("\n"):
            s, e = pos, pos + len(line)
            pos = e + 1
            if len(line.split()) < 3:
                continue
            techs = [t for t, gs, ge in gold if gs < e and s < ge]
            lines.append({"set": set_name, "id": f"{a}:{s}", "lang": "en", "text": line, "label": int(bool(techs)),
                          "families": _families_of(techs), "fold": fold_of[a], "group": a})
    return lines


def _items(args) -> list[dict]:
    """Every text to run, with its set, language, label, families, fold and group."""
    from marsad.train.techniques import MAP_2020

    rnd = random.Random(17)
    items = []
    b_train = {r["id"]: r["labels"] for r in _jsonl(TECH / "araieval2023" / "task1B_train.jsonl")}
    b_dev = {r["id"]: r["labels"] for r in _jsonl(TECH / "araieval2023" / "task1B_dev.jsonl")}
    for split, bl in (("train", b_train), ("dev", b_dev)):
        for i, r in enumerate(_jsonl(TECH / "araieval2023" / f"task1A_{split}.jsonl")):
            items.append({"set": f"ar_{split}", "id": r["id"], "lang": "ar", "text": r["text"],
                          "label": int(r["label"] == "true"), "families": _families_of(bl.get(r["id"], [])),
                          "fold": rnd.randrange(5), "group": r.get("type")})
    arts = _ptc_articles()
    ids = sorted(arts)
    fold_of = {a: k % 5 for k, a in enumerate(rnd.sample(ids, len(ids)))}
    lines = ptc_lines(arts, fold_of, "en_ptc")
    items += rnd.sample(lines, min(args.ptc_lines, len(lines)))
    rows = []
    with open(TECH / "ptc_arabic_translated_spans" / "Train.tsv", encoding="utf-8") as f:
        for c in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(c) >= 5 and c[0] in arts and c[3].isdigit() and c[4].isdigit() and c[1].strip():
                en = arts[c[0]][int(c[3]):int(c[4])]
                if len(en.split()) >= 2:
                    rows.append((c[0], c[1], en, MAP_2020.get(c[2], c[2]), c[3]))
    for a, ar, en, tech, s in rnd.sample(rows, min(args.pairs, len(rows))):
        for lang, text in (("en", en), ("ar", ar)):
            items.append({"set": "pairs", "id": f"{a}:{s}", "lang": lang, "text": text, "label": 1,
                          "families": _families_of([tech]), "fold": fold_of[a], "group": tech})
    with open(DATA / "events" / "fakes" / "fakes_dev.csv", encoding="utf-8", errors="replace") as f:
        for r in csv.DictReader(f):
            items.append({"set": "outlets", "id": r["unit_id"], "lang": "en", "text": r["article_content"],
                          "label": None, "families": [], "fold": 0, "group": r["source"]})
    for r in _jsonl(TECH / "armpro" / "ArMPro_span_V2_train.jsonl"):
        items.append({"set": "outlets", "id": f"{r['page_id']}:{r['paragraph_id']}", "lang": "ar",
                      "text": r["paragraph"], "label": int(bool(r["labels"])),
                      "families": _families_of([x["technique"] for x in r["labels"]]), "fold": 0,
                      "group": r["page_domain"]})
    for a in rnd.sample(ids, 40):
        items.append({"set": "outlets", "id": a, "lang": "en", "text": arts[a], "label": None, "families": [],
                      "fold": fold_of[a], "group": "ptc (partisan sites)"})
    return items


def with_spans(it: dict) -> list[tuple[int, int]]:
    """Split an item's text into sentences as the pipeline does and detect its technique spans (both kept on the
    item, as spans.jsonl and pairs.jsonl hold them); returns the sentences."""
    from marsad import lang as L
    from marsad import techniques
    from marsad.lang.sentences import split

    sents = split(it["text"], L.get(it["lang"]))
    it["sentences"] = [{"start": a, "end": b} for a, b in sents]
    it["techniques"] = techniques.detect(it["text"], sents, it["lang"], profile=PROFILE)
    return sents


# Which profile's technique models `collect` runs (--profile): the accurate one's encoder models are what the
# pipeline's default profile reports and blends (before stop 38 every figure here was the fast models').
PROFILE = "accurate"


def collect(args) -> None:
    out = Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)
    items = _items(args)
    t0 = time.time()
    with open(out / "spans.jsonl", "w", encoding="utf-8") as f:
        for k, it in enumerate(items):
            with_spans(it)
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
            if k % 1000 == 0:
                print(f"{k}/{len(items)} {time.time() - t0:.0f}s", file=sys.stderr)
    print(f"{len(items)} texts in {time.time() - t0:.0f}s -> {out / 'spans.jsonl'}", file=sys.stderr)


def _detect_with(model, text: str, lang: str) -> list[dict]:
    """marsad.techniques.detect with a given model (a fold model): the same sentences, order and clean-up."""
    from marsad import lang as L
    from marsad import techniques as T
    from marsad.lang.sentences import split

    doc = T.Doc(text, split(text, L.get(lang)), lang, one_token_names=model.config.get("one_token_names", False))
    seen, found = set(), []
    for sp in sorted(model.detect(doc), key=lambda x: (x["start"], x["end"], x["technique"])):
        key = (sp["technique"], sp["start"], sp["end"])
        if key not in seen and 0 <= sp["start"] < sp["end"] <= len(text):
            seen.add(key)
            found.append({"technique": sp["technique"], "start": sp["start"], "end": sp["end"],
                          "confidence": round(float(sp["confidence"]), 3)})
    return found


def enfolds(args) -> None:
    """Out-of-fold English detections for en_ptc: the fold models of the English model card's CV command
    (`python -m marsad.train.techniques --lang en --cv 5 --folds-dir D ... --rescore`, each fold<J>.joblib with a
    re-scorer fitted on the other folds only), each detecting the lines of its own held-out articles
    (D/fold<J>/test-articles). Written to <dir>/spans.jsonl as set en_ptc_oof."""
    import joblib

    from marsad import techniques as T

    d = Path(args.folds_dir)
    path = Path(args.dir) / "spans.jsonl"
    items = [it for it in _jsonl(path) if it["set"] != "en_ptc_oof"]
    lines = [it for it in items if it["set"] == "en_ptc"]
    out, t0 = [], time.time()
    for j in range(1, 6):
        held = {f.name[7:-4] for f in (d / f"fold{j}" / "test-articles").glob("article*.txt")}
        model = T.Model(joblib.load(d / f"fold{j}.joblib"))
        for it in lines:
            if it["group"] in held:
                out.append({**it, "set": "en_ptc_oof", "fold": j - 1,
                            "techniques": _detect_with(model, it["text"], "en")})
        print(f"fold {j}: {len(held)} articles, {len(out)} lines so far, {time.time() - t0:.0f}s", file=sys.stderr)
    with open(path, "w", encoding="utf-8") as f:
        for it in items + out:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")


def arfolds(args) -> None:
    """Out-of-fold Arabic detections for ar_train: the shipped Arabic model's sentence classifier was trained on
    ArAIEval-2023 1B train, the very texts of 1A train, so its confidences there are in-sample (too sure). For
    each of the 5 folds of ar_train (the `fold` of each item), a model is trained as the shipped one (its
    params; ArMPro + machine-translated PTC spans + 1B train) but WITHOUT the fold's 1B texts, reusing the
    shipped CRF (trained on ArMPro only, which no fold changes), and detects that fold's texts. Written to
    <dir>/spans.jsonl as set ar_train_oof (`fit` then calibrates Arabic on these)."""
    import joblib
    import pycrfsuite

    from marsad import techniques as T
    from marsad.train import techniques as TT

    shipped = joblib.load(T.model_path("ar"))
    crf_bytes = shipped["crf"]

    def no_train(self, path, *a, **k):  # the shipped CRF instead of a new one (same data, same params)
        Path(path).write_bytes(crf_bytes)

    pycrfsuite.Trainer.train = no_train
    path = Path(args.dir) / "spans.jsonl"
    items = _jsonl(path)
    items = [it for it in items if it["set"] != "ar_train_oof"]
    train = [it for it in items if it["set"] == "ar_train"]
    data, extra = TT.load_data("ar", TECH)
    t0 = time.time()
    out = []
    for j in range(5):
        held = {it["id"] for it in train if it["fold"] == j}
        keep = [ex for ex in extra if ex.id not in held]
        print(f"fold {j}: {len(held)} held out, {len(extra) - len(keep)} 1B texts removed", file=sys.stderr)
        bundle = TT.train_bundle("ar", data, keep, shipped["params"], log=lambda m: print(m, file=sys.stderr))
        bundle["config"] = shipped["config"]  # the shipped CRF's masking (one placeholder per word)
        if shipped.get("rescore"):  # the span re-scorer, fitted on ArMPro CV candidates (no 1B text): reused as the CRF is
            bundle["rescore"] = shipped["rescore"]
        model = T.Model(bundle)
        for it in train:
            if it["fold"] != j:
                continue
            out.append({**it, "set": "ar_train_oof", "techniques": _detect_with(model, it["text"], "ar")})
        print(f"fold {j} done, {time.time() - t0:.0f}s", file=sys.stderr)
    with open(path, "w", encoding="utf-8") as f:
        for it in items + out:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")


# ------------------------------------------------------------------ measures
def auc(labels, scores) -> float:
    from marsad.techniques.persuasion import auc as _auc

    return _auc(labels, scores)


def spearman(a, b) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).correlation)


def _record(it) -> dict:
    return {"text": it["text"], "language": it["lang"], "sentences": it["sentences"], "techniques": it["techniques"]}


def old_score(it) -> float:
    from marsad import techniques

    return techniques.score(it["techniques"], it["text"])


def new_score(it, calibration=None) -> dict:
    from marsad.techniques import persuasion

    return persuasion.persuasion(_record(it), calibration=calibration)


def measure(items, fn) -> dict:
    """AUC per labelled set, Spearman over the pairs, share above zero, outlet-type table."""
    by = defaultdict(list)
    for it in items:
        by[it["set"]].append(it)
    res = {}
    for s in ("ar_train", "ar_train_oof", "ar_dev", "en_ptc", "en_ptc_oof"):
        xs = by.get(s, [])
        if xs:
            sc = [fn(x) for x in xs]
            res[s] = {"n": len(xs), "auc": round(auc([x["label"] for x in xs], sc), 3),
                      "above_zero": round(sum(v > 0 for v in sc) / len(sc), 3)}
    pairs = defaultdict(dict)
    for x in by.get("pairs", []):
        pairs[x["id"]][x["lang"]] = fn(x)
    pp = [(v["en"], v["ar"]) for v in pairs.values() if len(v) == 2]
    if pp:
        res["pairs"] = {"n": len(pp), "spearman": round(spearman([a for a, _ in pp], [b for _, b in pp]), 3),
                        "mean_en": round(sum(a for a, _ in pp) / len(pp), 3),
                        "mean_ar": round(sum(b for _, b in pp) / len(pp), 3)}
    table = defaultdict(list)
    for x in by.get("outlets", []):
        typ = x["group"] if x["group"].startswith("ptc") else OUTLET_TYPES.get(x["group"], "other regional outlets")
        table[(typ, x["lang"])].append(fn(x))
    res["outlets"] = {f"{t} [{lang}]": {"n": len(v), "mean": round(sum(v) / len(v), 3)}
                      for (t, lang), v in sorted(table.items(), key=lambda kv: (kv[0][1], -sum(kv[1]) / len(kv[1])))}
    return res


def load_items(args) -> list[dict]:
    return _jsonl(Path(args.dir) / "spans.jsonl")


def gold_table(items) -> dict:
    """Outlet types where the texts have gold spans (ArMPro paragraphs, PTC articles): the new score from the
    detected spans and from the annotators' spans (confidence 1), by the same rule."""
    from marsad.techniques import persuasion

    arm = {f"{r['page_id']}:{r['paragraph_id']}": r["labels"]
           for r in _jsonl(TECH / "armpro" / "ArMPro_span_V2_train.jsonl")}
    table = defaultdict(lambda: ([], []))
    for x in items:
        if x["set"] != "outlets":
            continue
        if x["lang"] == "ar":
            gold = [(lab["technique"], lab["start"], lab["end"]) for lab in arm.get(x["id"], [])]
            typ = OUTLET_TYPES.get(x["group"], "other regional outlets")
        elif x["group"].startswith("ptc"):
            gold, typ = _ptc_labels(x["id"]), x["group"]
        else:
            continue
        rec = _record(x)
        g = dict(rec, techniques=[{"technique": t, "start": a, "end": b, "confidence": 1.0} for t, a, b in gold])
        table[(typ, x["lang"])][0].append(persuasion.persuasion(rec)["score"])
        table[(typ, x["lang"])][1].append(persuasion.persuasion(g)["score"])
    return {f"{t} [{lang}]": {"n": len(d), "detected": round(sum(d) / len(d), 3), "gold": round(sum(g) / len(g), 3)}
            for (t, lang), (d, g) in sorted(table.items(), key=lambda kv: -sum(kv[1][1]) / len(kv[1][1]))}


def report(args) -> None:
    items = load_items(args)
    from marsad.techniques import persuasion

    out = {"old (share of characters, scores.persuasion)": measure(items, old_score),
           "new (persuasion.score, " + persuasion.METHOD + ")": measure(items, lambda x: new_score(x)["score"]),
           "new, raw rate (persuasion.per_1000_words)": measure(items, lambda x: new_score(x)["per_1000_words"])}
    gold = gold_table(items)
    if not args.markdown:
        print(json.dumps({**out, "new score, detected vs gold spans": gold}, indent=1, ensure_ascii=False))
        return
    print_tables(out, [("ROC AUC, Arabic ArAIEval-2023 1A dev (held out, n %d)", "ar_dev", "auc"),
                       ("ROC AUC, Arabic ArAIEval-2023 1A train (in-sample, n %d)", "ar_train", "auc"),
                       ("ROC AUC, Arabic 1A train, out-of-fold detections (n %d)", "ar_train_oof", "auc"),
                       ("ROC AUC, English PTC train lines (in-sample, n %d)", "en_ptc", "auc"),
                       ("ROC AUC, English PTC train lines, out-of-fold detections (n %d)", "en_ptc_oof", "auc"),
                       ("share above 0, Arabic 1A dev", "ar_dev", "above_zero"),
                       ("share above 0, English PTC lines", "en_ptc", "above_zero"),
                       ("Spearman EN span / its Arabic translation (in-sample, n %d)", "pairs", "spearman"),
                       ("mean, English side of the pairs", "pairs", "mean_en"),
                       ("mean, Arabic side of the pairs", "pairs", "mean_ar")], outlets_of=1)
    print("\n| outlet type [language] | n | new score, detected spans | new score, gold spans |\n|---|---|---|---|")
    for t, v in gold.items():
        print(f"| {t} | {v['n']} | {v['detected']} | {v['gold']} |")


def fit(args) -> None:
    from marsad.techniques import persuasion

    items = load_items(args)
    pairs = defaultdict(dict)
    for it in items:
        if it["set"] == "pairs":
            pairs[it["id"]][it["lang"]] = persuasion.words(it["text"])
    n_en = sum(p["en"] for p in pairs.values() if len(p) == 2)
    n_ar = sum(p["ar"] for p in pairs.values() if len(p) == 2)
    factor = {"en": 1.0, "ar": round(n_en / n_ar, 3)}  # English words per Arabic word of the same text
    print(f"words_factor {factor} ({len(pairs)} translated pairs)", file=sys.stderr)
    ar_set = "ar_train_oof" if any(it["set"] == "ar_train_oof" for it in items) else "ar_train"
    en_set = "en_ptc_oof" if any(it["set"] == "en_ptc_oof" for it in items) else "en_ptc"
    print(f"Arabic calibration data: {ar_set}; English: {en_set}", file=sys.stderr)
    cal = persuasion.fit([it for it in items if it["set"] in (ar_set, en_set)], _record,
                         words_factor=factor, verbose=True)
    cal["source"] = ("fitted by `python benchmarks/persuasion_score.py collect`, `... arfolds`, `... enfolds` (after "
                     "the English card's CV command), `... fit` (marsad/models/persuasion-calibration.md) on "
                     f"ArAIEval-2023 1A/1B train (Arabic; detections: {ar_set}) and PTC-2020 train lines (English; "
                     f"detections: {en_set}; _oof = out-of-fold), 5-fold CV; "
                     f"{sum(it['set'] == ar_set for it in items)} Arabic and "
                     f"{sum(it['set'] == en_set for it in items)} English texts; words_factor from "
                     f"{len(pairs)} machine-translated PTC spans")
    path = Path(args.out) if args.out else persuasion.CALIBRATION
    path.write_text(json.dumps(cal, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"-> {path}", file=sys.stderr)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("step", choices=("collect", "arfolds", "enfolds", "fit", "report"))
    ap.add_argument("--folds-dir", default="/tmp/persuasion/enfolds", help="enfolds: the English CV folds")
    ap.add_argument("--dir", default="/tmp/persuasion")
    ap.add_argument("--ptc-lines", type=int, default=4000)
    ap.add_argument("--pairs", type=int, default=400)
    ap.add_argument("--markdown", action="store_true", help="report: tables instead of JSON")
    ap.add_argument("--out", help="fit: where to write the calibration (default: the shipped file)")
    ap.add_argument("--profile", choices=("accurate", "fast"), default="accurate",
                    help="collect: whose technique models detect the spans (default: accurate, the pipeline's)")
    args = ap.parse_args(argv)
    global PROFILE
    PROFILE = args.profile
    {"collect": collect, "arfolds": arfolds, "enfolds": enfolds, "fit": fit, "report": report}[args.step](args)


if __name__ == "__main__":
    main()
