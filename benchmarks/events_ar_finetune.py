"""Fine-tuning tried for the Arabic ASSAULT / PROTEST confirmer (issue 16; marsad/models/events-ar.md, "Also
tried"): small torch heads over the frozen layer 6-9 states of the Arabic event GSR sentences, scored by the
trainer's 5-fold stratified CV (fold seeds 0-2, threshold by marsad.train.events._best_threshold, F1 of lexicon hit
AND classifier). Needs torch (training only, never a dependency of marsad):

    pip install torch --index-url https://download.pytorch.org/whl/cpu
    python benchmarks/events_ar_finetune.py states --out /tmp/gsr-states.pkl      # ~1 min, once
    python benchmarks/events_ar_finetune.py cv ASSAULT block2 '{"epochs": 4, "lr": 1e-3, "wd": 0.01, "drop": 0.1, "block_div": 10, "maxlen": 96}' --states /tmp/gsr-states.pkl

kinds: `block` (encoder block 10 from the dequantised weights, fine-tuned on layer 9, mean + trigger piece ->
linear), `block2` (blocks 10 and 11), `pool` (a learnt mix of layers 6-9, attention pooling + mean + trigger
piece -> linear). The figures of each are in the card.
"""
from __future__ import annotations

import argparse
import csv
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from marsad.encoder.weights import bundled  # noqa: E402
from marsad.train.events import _best_threshold  # noqa: E402

torch.set_num_threads(1)
W = bundled()
H, NH = 384, 12


def states(out: str) -> None:
    """Frozen layer 6-9 states of the GSR sentences (float16, as the encode stage keeps them)."""
    from marsad import encoder
    from marsad.events import triggers as T
    from marsad.train.events import DEFAULT_DATA, _hit, _positive

    enc = encoder.get(9, 1)
    found = {}
    for plover, name in (("ASSAULT", "assault_dev.csv"), ("PROTEST", "protest_dev.csv")):
        t0 = time.time()
        rows = list(csv.DictReader(open(DEFAULT_DATA / name, encoding="utf-8")))
        texts = [r["text"] for r in rows]
        y = np.array([_positive(r, "yes") for r in rows], dtype=int)
        lex = np.array([_hit(t, plover) for t in texts])
        items = []
        for text, part in zip(texts, enc.encode(texts, keep=(6, 7, 8, 9))):
            hits = [h.start for h in T.triggers("ar").find(text) if T.data(h)["plover"] in (plover, "AUTO")]
            k = None
            if hits:
                k = next((i for i, e in enumerate(part.ends) if e > hits[0]), len(part.ends) - 1)
            items.append({"states": np.stack([part.states[l] for l in (6, 7, 8, 9)]).astype(np.float16),
                          "ends": part.ends, "trigger_piece": k})
        found[plover] = {"texts": texts, "y": y, "lex": lex, "items": items}
        print(plover, len(texts), y.sum(), lex.sum(), (lex & (y == 1)).sum(), time.time() - t0, flush=True)
    with open(out, "wb") as f:
        pickle.dump(found, f)


def block_params(i):
    m = lambda n, rows: torch.tensor(W.matrix(f"l{i}.{n}.w", rows))
    v = lambda n: torch.tensor(W.float32(f"l{i}.{n}"))
    return m, v


class Block(nn.Module):
    """One BERT block initialised from encoder block i (0-based: l9 = the block after layer 9)."""
    def __init__(self, i, drop):
        super().__init__()
        m, v = block_params(i)
        self.qkv = nn.Linear(H, 3 * H); self.qkv.weight.data = torch.cat([m("q", H), m("k", H), m("v", H)])
        self.qkv.bias.data = torch.cat([v("q.b"), v("k.b"), v("v.b")])
        self.ao = nn.Linear(H, H); self.ao.weight.data = m("ao", H); self.ao.bias.data = v("ao.b")
        self.ln1 = nn.LayerNorm(H, eps=W.config.eps); self.ln1.weight.data = v("aln.w"); self.ln1.bias.data = v("aln.b")
        self.fi = nn.Linear(H, 1536); self.fi.weight.data = m("fi", 1536); self.fi.bias.data = v("fi.b")
        self.fo = nn.Linear(1536, H); self.fo.weight.data = m("fo", H); self.fo.bias.data = v("fo.b")
        self.ln2 = nn.LayerNorm(H, eps=W.config.eps); self.ln2.weight.data = v("oln.w"); self.ln2.bias.data = v("oln.b")
        self.drop = nn.Dropout(drop)

    def forward(self, x, mask):  # x [B, L, H], mask [B, L] bool
        B, L, _ = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, NH, H // NH).permute(2, 0, 3, 1, 4)
        att = F.scaled_dot_product_attention(q, k, v, attn_mask=mask[:, None, None, :])
        att = att.transpose(1, 2).reshape(B, L, H)
        x = self.ln1(x + self.drop(self.ao(att)))
        return self.ln2(x + self.drop(self.fo(F.gelu(self.fi(x), approximate="tanh"))))


class Head(nn.Module):
    """kind 'pool': scalar mix of layers 6-9 -> attention pooling + mean + trigger piece -> linear.
    kind 'block': layer 9 -> block 10 (from the encoder) -> mean + trigger piece -> linear."""
    def __init__(self, kind, drop):
        super().__init__()
        self.kind = kind
        self.drop = nn.Dropout(drop)
        if kind == "block":
            self.block = Block(9, 0.1)
        elif kind == "block2":
            self.block = nn.ModuleList([Block(9, 0.1), Block(10, 0.1)])
        else:
            self.mix = nn.Parameter(torch.zeros(4))
            self.att = nn.Linear(H, 1)
        n = 2 * H if kind.startswith("block") else 3 * H
        self.norm = nn.LayerNorm(n)
        self.out = nn.Linear(n, 1)

    def forward(self, x, mask, trig):  # x [B, 4, L, H]
        if self.kind == "block":
            h = self.block(x[:, 3], mask)
        elif self.kind == "block2":
            h = self.block[1](self.block[0](x[:, 3], mask), mask)
        else:
            h = (torch.softmax(self.mix, 0)[None, :, None, None] * x).sum(1)
        m = mask.float()[..., None]
        mean = (h * m).sum(1) / m.sum(1)
        t = h[torch.arange(len(h)), trig] * (trig >= 0).float()[:, None]
        parts = [mean, t]
        if not self.kind.startswith("block"):
            a = self.att(self.drop(h)).squeeze(-1).masked_fill(~mask, -1e9)
            parts.append((torch.softmax(a, 1)[..., None] * h).sum(1))
        return self.out(self.drop(self.norm(torch.cat(parts, 1)))).squeeze(-1)


def batch(items, idx, maxlen=256):
    L = min(max(len(items[i]["ends"]) for i in idx), maxlen)
    x = torch.zeros(len(idx), 4, L, H); mask = torch.zeros(len(idx), L, dtype=torch.bool)
    trig = torch.full((len(idx),), -1, dtype=torch.long)
    for r, i in enumerate(idx):
        s = items[i]["states"]; n = min(s.shape[1], L)
        k = items[i]["trigger_piece"]
        off = 0
        if k is not None and k >= L:  # keep the trigger inside the window
            off = min(k - L // 2, s.shape[1] - L)
        x[r, :, :n] = torch.from_numpy(s[:, off:off + n].astype(np.float32)); mask[r, :n] = True
        if k is not None:
            trig[r] = k - off
    return x, mask, trig


def fit_predict(kind, items, y, tr, te, seed, epochs, lr, wd, drop, bs=16, block_div=20, maxlen=256):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Head(kind, drop)
    head_params = [p for n, p in model.named_parameters() if not n.startswith("block.")]
    groups = [{"params": head_params, "lr": lr}]
    if kind.startswith("block"):
        groups.append({"params": list(model.block.parameters()), "lr": lr / block_div})
    opt = torch.optim.AdamW(groups, weight_decay=wd)
    pos_w = torch.tensor((len(tr) - y[tr].sum()) / max(y[tr].sum(), 1), dtype=torch.float32)
    # length-sorted buckets for speed, shuffled order of buckets
    for ep in range(epochs):
        model.train()
        order = rng.permutation(tr)
        order = sorted(order, key=lambda i: len(items[i]["ends"]) + rng.random() * 20)
        bl = [order[j:j + bs] for j in range(0, len(order), bs)]
        rng.shuffle(bl)
        for b in bl:
            x, mask, trig = batch(items, b, maxlen)
            loss = F.binary_cross_entropy_with_logits(model(x, mask, trig), torch.tensor(y[b], dtype=torch.float32),
                                                      pos_weight=pos_w)
            opt.zero_grad(); loss.backward(); opt.step()
    model.eval()
    out = np.zeros(len(te))
    with torch.no_grad():
        o = sorted(range(len(te)), key=lambda j: len(items[te[j]]["ends"]))
        for j in range(0, len(o), 32):
            js = o[j:j + 32]
            x, mask, trig = batch(items, [te[q] for q in js], maxlen)
            out[js] = torch.sigmoid(model(x, mask, trig)).numpy()
    return out


def cv(D, plover, kind, seeds=(0, 1, 2), hit_only=True, **hp):
    from sklearn.model_selection import StratifiedKFold

    d = D[plover]; items, y, lex = d["items"], d["y"], d["lex"]
    f1s = []
    for seed in seeds:
        prob = np.zeros(len(y))
        for f, (tr, te) in enumerate(StratifiedKFold(5, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)):
            if hit_only:
                tr, te = tr[lex[tr]], te[lex[te]]
            prob[te] = fit_predict(kind, items, y, tr, te, seed * 10 + f, **hp)
        f1s.append(_best_threshold(lex, prob, y)[0])
    return f1s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    st = sub.add_parser("states")
    st.add_argument("--out", required=True)
    c = sub.add_parser("cv")
    c.add_argument("plover", choices=("ASSAULT", "PROTEST"))
    c.add_argument("kind", choices=("block", "block2", "pool"))
    c.add_argument("hp", nargs="?", default="{}", help="JSON: epochs, lr, wd, drop, bs, block_div, maxlen, seeds")
    c.add_argument("--states", required=True)
    args = ap.parse_args()
    if args.cmd == "states":
        states(args.out)
        return 0
    hp = json.loads(args.hp)
    seeds = tuple(hp.pop("seeds", (0, 1, 2)))
    with open(args.states, "rb") as f:
        D = pickle.load(f)
    t0 = time.time()
    f1s = cv(D, args.plover, args.kind, seeds=seeds, **hp)
    print(json.dumps({"plover": args.plover, "kind": args.kind, "hp": hp, "f1_by_seed": [round(f, 4) for f in f1s],
                      "mean": round(float(np.mean(f1s)), 4), "s": round(time.time() - t0)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
