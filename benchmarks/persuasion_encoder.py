"""The persuasion score's encoder component (issue 17): a cross-lingual "persuasiveness" model on the masked
sentence vectors of multilingual-e5-small, its blend with the technique-family rate, and the figures.

    python benchmarks/persuasion_encoder.py vectors [--dir /tmp/persuasion]   # masked sentence vectors (~19 min)
    python benchmarks/persuasion_encoder.py choose  [--dir /tmp/persuasion]   # the CV grid (~11 min) -> choose.json
    python benchmarks/persuasion_encoder.py fit     [--dir /tmp/persuasion]   # centring, C, blend -> models/persuasion-encoder.npz
    python benchmarks/persuasion_encoder.py report  [--dir /tmp/persuasion] [--markdown]

`vectors` reads the texts of benchmarks/persuasion_score.py (`_items`: ArAIEval-2023 1A train and dev, 4,000 PTC
train lines, 400 translated PTC span pairs, the outlet sets) plus every PTC train line of 3+ words (`en_all`, the
English training data), splits each into sentences as the pipeline does, masks party names as the technique
models do (marsad.techniques.Doc, encoder_features.masked_sentence) and keeps, per sentence, the mean over its
pieces of the encoder's layers 6-9 (the group the English technique model reads) and of layer 12, in
<dir>/vectors.npz (+ vectors.json: per text its key and sentence rows and words). `fit` and `report` need
<dir>/spans.jsonl (persuasion_score.py collect, arfolds, enfolds) for the technique-rate component. The
cross-validation itself: persuasion_encoder_cv.py.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import persuasion_score as PS  # noqa: E402
from persuasion_encoder_cv import (AGGS, LENGTH_ROBUST, _aucs, _centring, _cv_blend, _fit_blend,  # noqa: E402
                                   _text_vec, component, components, cv_components, fit_model)

GROUPS = ((6, 7, 8, 9), (12,))


key = PS.key  # a text's key in the vector files


def all_ptc_lines() -> list[dict]:
    """Every PTC-2020 train line of 3+ words, labelled by gold-span overlap, grouped by article (folds as
    persuasion_score._items draws them)."""
    import random

    rnd = random.Random(17)
    arts = PS._ptc_articles()
    ids = sorted(arts)
    # the same draws as _items: ar folds first (one randrange per 1A text), then the article folds
    n_ar = sum(1 for split in ("train", "dev") for _ in PS._jsonl(PS.TECH / "araieval2023" / f"task1A_{split}.jsonl"))
    for _ in range(n_ar):
        rnd.randrange(5)
    fold_of = {a: k % 5 for k, a in enumerate(rnd.sample(ids, len(ids)))}
    return PS.ptc_lines(arts, fold_of, "en_all")


def vectors(args) -> None:
    from marsad import lang as L
    from marsad.lang.sentences import split
    from marsad.techniques import persuasion_encoder as PE

    items = PS._items(argparse.Namespace(ptc_lines=4000, pairs=400)) + all_ptc_lines()
    seen, todo = set(), []
    for it in items:
        k = key(it["lang"], it["text"])
        if k not in seen:
            seen.add(k)
            todo.append((k, it["lang"], it["text"]))
    print(f"{len(todo)} distinct texts", file=sys.stderr)
    rows = {g: [] for g in GROUPS}
    index, n, t0 = {}, 0, time.time()
    for j, (k, lang, text) in enumerate(todo):
        sents = split(text, L.get(lang))
        vecs, wds = PE.sentence_vectors(text, sents, lang, GROUPS)
        for g in GROUPS:
            rows[g].append(vecs[g].astype(np.float16))
        index[k] = [n, n + len(wds), wds]
        n += len(wds)
        if j % 500 == 0:
            print(f"{j}/{len(todo)} {n} sentences {time.time() - t0:.0f}s", file=sys.stderr)
    d = Path(args.dir)
    np.savez(d / "vectors.npz", **{"g" + "_".join(map(str, g)): np.concatenate(rows[g]) for g in GROUPS})
    (d / "vectors.json").write_text(json.dumps(index), encoding="utf-8")
    with open(d / "en_all.jsonl", "w", encoding="utf-8") as f:
        for it in items:
            if it["set"] == "en_all":
                f.write(json.dumps(it, ensure_ascii=False) + "\n")
    print(f"{len(todo)} texts, {n} sentences in {time.time() - t0:.0f}s -> {d / 'vectors.npz'}", file=sys.stderr)


# ------------------------------------------------------------------ data
class Vectors:
    """The cached sentence vectors: per text key its rows (sentences) and their words."""

    def __init__(self, d: Path):
        z = np.load(d / "vectors.npz")
        self.groups = {tuple(int(x) for x in k[1:].split("_")): z[k] for k in z.files}
        self.index = json.loads((d / "vectors.json").read_text(encoding="utf-8"))

    def add(self, d: Path, stem: str = "pairs_vectors") -> "Vectors":
        """The vectors of <d>/<stem>.npz / .json too (persuasion_pairs.py collect: layers 6-9 only); groups the
        added file lacks are dropped. Texts already held keep their rows."""
        z = np.load(d / f"{stem}.npz")
        new = {tuple(int(x) for x in k[1:].split("_")): z[k] for k in z.files}
        self.groups = {g: np.concatenate([X, new[g]]) for g, X in self.groups.items() if g in new}
        off = len(next(iter(self.groups.values()))) - len(next(iter(new.values())))
        for k, (a, b, w) in json.loads((d / f"{stem}.json").read_text(encoding="utf-8")).items():
            self.index.setdefault(k, [a + off, b + off, w])
        return self

    def rows(self, it) -> tuple[int, int, list[int]]:
        return self.index[key(it["lang"], it["text"])]


def load(args):
    items = PS._jsonl(Path(args.dir) / "spans.jsonl")
    en_all = PS._jsonl(Path(args.dir) / "en_all.jsonl")
    return items, en_all, Vectors(Path(args.dir))


def training_units(items, en_all):
    return [it for it in items if it["set"] == "ar_train"] + en_all


def choose(args) -> None:
    """Print the CV grid of the encoder model: group x centre x unit x C x aggregation -> out-of-fold AUC per
    language, and cross-lingual transfer (trained on one language, AUC on the other)."""
    items, en_all, V = load(args)
    units = training_units(items, en_all)
    ar = [u for u in units if u["lang"] == "ar"]
    en = [u for u in units if u["lang"] == "en"]
    res = []
    for g in V.groups:
        for centre in ("language", "global"):
            for unit_kind in ("text", "sentence"):
                for C in (0.1, 0.3, 1.0, 3.0):
                    t0 = time.time()
                    oof, _ = cv_components(V, g, units, C, centre, unit_kind)
                    m_en = fit_model(V, g, en, C, centre, unit_kind)
                    m_ar = fit_model(V, g, ar, C, centre, unit_kind)
                    if centre == "language":  # the other language's mean: from its texts, no label read
                        m_en["means"]["ar"] = np.mean([_text_vec(V, g, u) for u in ar], axis=0)
                        m_ar["means"]["en"] = np.mean([_text_vec(V, g, u) for u in en], axis=0)
                    c_ar, c_en = components(V, m_en, ar), components(V, m_ar, en)
                    for a in AGGS:
                        cv = _aucs(units, oof[a])
                        tr = {"en->ar": round(PS.auc([u["label"] for u in ar], c_ar[a]), 4),
                              "ar->en": round(PS.auc([u["label"] for u in en], c_en[a]), 4)}
                        row = {"group": g, "centre": centre, "unit": unit_kind, "C": C, "agg": a, **cv, **tr,
                               "mean_cv": round((cv["ar"] + cv["en"]) / 2, 4)}
                        res.append(row)
                        print(json.dumps(row), flush=True)
                    print(f"  {time.time() - t0:.0f}s", file=sys.stderr)
    (Path(args.dir) / "choose.json").write_text(json.dumps(res, default=list), encoding="utf-8")


def _chosen(args) -> dict:
    """The CV grid's best setting (choose.json) among the length-robust aggregations: highest mean of the two
    languages' out-of-fold AUC; within
    0.002 of it, the layers 6-9 group is preferred (the accurate profile's technique model reads it: no
    second encoder pass for English, no other layers loaded)."""
    res = [r for r in json.loads((Path(args.dir) / "choose.json").read_text(encoding="utf-8"))
           if r["agg"] in LENGTH_ROBUST]
    top = max(r["mean_cv"] for r in res)
    near = [r for r in res if r["mean_cv"] >= top - 0.002]
    return max(near, key=lambda r: (tuple(r["group"]) == (6, 7, 8, 9), r["mean_cv"]))


def _v1(it) -> float:
    return PS.new_score(it)["score"]


def _blend_units(items, en_all, units, oof):
    """(lang, label, fold, v1 score, encoder component) of each labelled training text: Arabic 1A train with
    its out-of-fold detections (ar_train_oof) and the 4,000 PTC lines with theirs (en_ptc_oof); the encoder
    component out-of-fold (the model that did not see the text's fold: ArAIEval fold, PTC article fold)."""
    enc = {(u["lang"], u["id"]): c for u, c in zip(units, oof)}
    fold = {(u["lang"], u["id"]): u["fold"] for u in units}
    out = []
    for it in items:
        if it["set"] in ("ar_train_oof", "en_ptc_oof"):
            k = (it["lang"], it["id"])
            out.append((it["lang"], it["label"], fold[k], _v1(it), enc[k]))
    return out


def fit(args) -> None:
    """The chosen encoder model fitted on all the training texts, the blend's weights (fitted on out-of-fold
    components), the CV figures -> marsad/models/persuasion-encoder.npz."""
    from marsad.techniques import persuasion_encoder as PE

    items, en_all, V = load(args)
    units = training_units(items, en_all)
    ch = _chosen(args)
    g = tuple(ch["group"])
    print(f"grid's best: {ch}", file=sys.stderr)
    ch.update(_centring(V, g, units, ch["unit"], ch["agg"]))
    pairs, lang_ch, blend_ch = (), {"k": 0, "lam": 0.0}, None
    if (Path(args.dir) / "choose_k.json").exists():  # persuasion_language.py choose, blend: C, k, lam, blend share
        pairs = with_pairs(V, Path(args.dir))[0]
        lang_ch = json.loads((Path(args.dir) / "choose_k.json").read_text(encoding="utf-8"))["chosen"]
        assert lang_ch["centre"] == ch["centre"], (lang_ch, ch)
        ch.update({x: lang_ch[x] for x in ("C", "k", "lam", "ar", "en")})
        blend_ch = json.loads((Path(args.dir) / "choose_blend.json").read_text(encoding="utf-8"))
    print(f"chosen: {ch}", file=sys.stderr)
    k, lam = lang_ch["k"], lang_ch["lam"]
    oof, _ = cv_components(V, g, units, ch["C"], ch["centre"], ch["unit"], pairs=pairs, k=k, lam=lam)
    rows = _blend_units(items, en_all, units, oof[ch["agg"]])
    wts = blend_ch["blend"] if blend_ch else _fit_blend(rows)
    cvb = _cv_blend(rows, wts if blend_ch else None)
    print(f"blend CV AUC: {cvb}", file=sys.stderr)
    m = fit_model(V, g, units, ch["C"], ch["centre"], ch["unit"], pairs, k, lam)
    meta = {"method": "family-occurrences-and-encoder/v2", "languages": ["ar", "en"], "group": list(g),
            "agg": ch["agg"], "C": ch["C"], "centre": ch["centre"], "unit": ch["unit"], "k": k, "lam": lam,
            "intercept": m["intercept"], "blend": [round(x, 4) for x in wts],
            "cv_auc_encoder": {"ar": ch["ar"], "en": ch["en"]}, "level_gap": ch["level_gap"],
            "cv_auc_blend": cvb,
            "cv_spearman_train_pairs": {"encoder": lang_ch.get("spearman_train_pairs_oof"),
                                        "blend": blend_ch["chosen"]["spearman"] if blend_ch else None},
            "source": (f"benchmarks/persuasion_encoder.py vectors, choose, fit on {sum(u['lang'] == 'ar' for u in units)} "
                       f"ArAIEval-2023 1A train texts (Arabic) and {sum(u['lang'] == 'en' for u in units)} PTC-2020 "
                       "train lines (English, labelled by gold-span overlap); 5-fold CV (PTC grouped by article)")}
    out = Path(args.out) if args.out else PE.MODEL
    extra = {"proj": np.asarray(m["proj"], np.float32)} if m.get("proj") is not None else {}
    np.savez_compressed(out, coef=m["coef"].astype(np.float32), meta=np.array(json.dumps(meta)), **extra,
                        **{f"mean_{k}": np.asarray(v, np.float32) for k, v in m["means"].items()})
    print(f"-> {out} ({out.stat().st_size} bytes): {json.dumps(meta)}", file=sys.stderr)


def report(args) -> None:
    """The figures of the shipped v2 score (and its parts) against v1: AUC per language, Spearman over the
    translated pairs, the outlet-type table. What the encoder model saw: the held-out sets (Arabic 1A dev,
    FA-KES, ArMPro) are scored by the shipped model; every PTC text (the lines, both sides of each pair, the 40
    articles) by the fold model that did not see its article; Arabic 1A train by the model without its fold."""
    from marsad.techniques import persuasion_encoder as PE

    items, en_all, V = load(args)
    m = PE.model()
    g = tuple(m["group"])
    units = training_units(items, en_all)
    pairs, more = (), {}
    if (Path(args.dir) / "pairs.jsonl").exists():  # persuasion_pairs.py collect: all Train.tsv pairs, Dev.tsv's
        pairs, tr, dev = with_pairs(V, Path(args.dir))
        more = {"train_pairs": tr, "dev_pairs": dev}
    _, folds = cv_components(V, g, units, m["C"], m["centre"], m["unit"], pairs=pairs, k=m.get("k", 0),
                             lam=m.get("lam", 0.0))
    final = {**m, "means": m["means"], "coef": m["coef"]}

    def enc(it) -> float:
        oof = it["set"] in ("ar_train_oof", "ar_train", "en_ptc", "en_ptc_oof", "pairs") or (
            it["set"] == "outlets" and it["group"].startswith("ptc"))
        if it["set"] in ("en_ptc", "en_ptc_oof"):
            fold = fold_of_line[it["id"]]
        else:
            fold = it["fold"]
        return component(V, folds[fold] if oof else final, it, m["agg"])

    fold_of_line = {u["id"]: u["fold"] for u in en_all}
    fns = {"v1 (technique rate, shipped)": _v1,
           "encoder component": enc,
           "v2 score (blend)": lambda it: PE.blend(_v1(it), enc(it), m["blend"])}
    out = {name: PS.measure(items, fn) for name, fn in fns.items()}
    for name, fn in fns.items():  # the other pair sets, each text by the fold model that did not see its article
        for s, its in more.items():
            out[name][s] = PS.measure([{**it, "set": "pairs"} for it in its], fn)["pairs"]
    if not args.markdown:
        print(json.dumps({"model": {k: v for k, v in m.items() if k not in ("coef", "means")}, **out}, indent=1))
        return
    PS.print_tables(out, [("ROC AUC, Arabic ArAIEval-2023 1A dev (held out, n %d)", "ar_dev", "auc"),
                          ("ROC AUC, Arabic 1A train, out-of-fold (n %d)", "ar_train_oof", "auc"),
                          ("ROC AUC, English PTC train lines, out-of-fold (n %d)", "en_ptc_oof", "auc"),
                          ("Spearman EN span / its Arabic translation, 400 Train.tsv pairs (n %d)", "pairs",
                           "spearman"),
                          ("Spearman, all Train.tsv pairs (n %d; chose k, lam, C, blend)", "train_pairs", "spearman"),
                          ("Spearman, Dev.tsv pairs (held out, n %d)", "dev_pairs", "spearman"),
                          ("mean, English side of the pairs", "pairs", "mean_en"),
                          ("mean, Arabic side of the pairs", "pairs", "mean_ar")], outlets_of=2)
    print(f"\nblend weights {m['blend']} (intercept, v1 score, logit encoder); CV AUC blend {m['cv_auc_blend']}")



def with_pairs(V, d: Path) -> tuple[list, list[dict], list[dict]]:
    """Adds persuasion_pairs.py collect's vectors of <d> to V; returns the Train.tsv pairs (English item, Arabic
    item) and the train and dev pair items of <d>/pairs.jsonl."""
    from persuasion_pairs import load_pairs, pairs_of

    V.add(d)
    train_pairs, dev_pairs = load_pairs(d)
    return [(train_pairs[e], train_pairs[a]) for e, a in pairs_of(train_pairs)], train_pairs, dev_pairs


def data(args):
    """The training items, every PTC line, the vectors (with persuasion_pairs.py collect's) and the Train.tsv pairs
    of <dir> (persuasion_language.py's choices read them too)."""
    items, en_all, V = load(args)
    return items, en_all, V, with_pairs(V, Path(args.dir))[0]

def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("step", choices=("vectors", "choose", "fit", "report"))
    ap.add_argument("--dir", default="/tmp/persuasion")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--out", help="fit: where to write the model (default: the shipped file)")
    args = ap.parse_args(argv)
    {"vectors": vectors, "choose": choose, "fit": fit, "report": report}[args.step](args)


if __name__ == "__main__":
    main()
