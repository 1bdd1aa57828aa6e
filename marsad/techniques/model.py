"""The technique model of a language: `Model` wraps a bundle written by `marsad train techniques`
(marsad/models/techniques-<lang>.joblib: a CRFsuite tagger, a sentence classifier, and where the bundle has one
a span re-scorer) and combines their spans with the lexicon's rule spans (`Model.detect`); `load(lang)` reads
the bundle once per process (through marsad/cache.py), `model_path(lang)` names it (MARSAD_TECHNIQUES_MODEL_<LANG>
overrides it). Bundles hold plain dicts, numpy arrays and sklearn objects only: no marsad class is pickled.
"""
from __future__ import annotations

import functools
import threading
from pathlib import Path

from marsad.config import environment, settings
from marsad.techniques import rescore
from marsad.techniques.features import Doc, embed_text, peak_region, sentence_text
from marsad.techniques.words import _TECH, ANY, rule_spans
from marsad.techniques import encoder_features as EF

MODELS = Path(__file__).resolve().parent.parent / "models"
LANGS = ("ar", "en")


class Model:
    def __init__(self, bundle: dict):
        import pycrfsuite

        self.bundle = bundle
        self.lang = bundle["lang"]
        self.config = bundle.get("config", {})
        self._local = threading.local()
        self._crf_bytes = bundle.get("crf")
        self.sent = bundle.get("sentence")  # {"vectorizer", "classifiers": {tech: (coef, intercept)}, ...}
        self._pycrfsuite = pycrfsuite

    @property
    def tagger(self):
        t = getattr(self._local, "tagger", None)
        if t is None and self._crf_bytes:
            t = self._pycrfsuite.Tagger()
            t.open_inmemory(self._crf_bytes)
            self._local.tagger = t
        return t

    def prepare(self, doc: Doc) -> None:
        """A bundle with an "encoder" part (the accurate profile): see prepare_doc."""
        cfg = self.bundle.get("encoder")
        if cfg and doc.sent_vectors is None:
            prepare_doc(cfg, doc)

    def crf_spans(self, doc: Doc) -> list[dict]:
        if self.tagger is None:
            return []
        return [s for k in range(len(doc.tokens)) for s in self.crf_sentence(doc, k)]

    def crf_sentence(self, doc: Doc, k: int) -> list[dict]:
        """The CRF's spans in sentence k, in text order. The tagger is left on that sentence, so its marginals
        can be read next without tagging it again."""
        tagger, toks = self.tagger, doc.tokens[k]
        if tagger is None or not toks:
            return []
        self.prepare(doc)
        tags = tagger.tag(doc.crf_items(k))
        out = []
        i = 0
        while i < len(tags):
            t = tags[i]
            if t == "O":
                i += 1
                continue
            tech = t[2:]
            j = i + 1
            while j < len(tags) and tags[j] == "I-" + tech:
                j += 1
            conf = sum(tagger.marginal(tags[x], x) for x in range(i, j)) / (j - i)
            out.append({"technique": tech, "start": toks[i][0], "end": toks[j - 1][1], "confidence": round(conf, 3)})
            i = j
        return out

    def sentence_probs(self, doc: Doc):
        """[(sentence index, {technique: probability})] for the sentence classifier's techniques."""
        if not self.sent or not doc.sentences:
            return []
        import numpy as np

        self.prepare(doc)
        texts = [sentence_text(doc, k) for k in range(len(doc.sentences))]
        X = self.sent["vectorizer"].transform(texts)
        dense = []  # per sentence, the dense columns appended to the TF-IDF ones, in the order of training
        use_w, doc_w = self.sent.get("use_weight"), self.sent.get("doc_mean_weight")
        if use_w or doc_w:  # trained with sentence vectors (and their article mean) appended (sentence_vectors.py)
            from marsad.sentence_vectors import DIMENSIONS, document_means, encoder

            enc = encoder()
            V = (enc([embed_text(t) for t in texts]) if enc is not None
                 else np.zeros((len(texts), DIMENSIONS), dtype=np.float32))
            E = ([V * use_w] if use_w else []) + ([document_means(V, [0] * len(V)) * doc_w] if doc_w else [])
            dense.append(np.hstack(E))
        cfg = self.bundle.get("encoder")
        if cfg and (cfg.get("sentence_weight") or cfg.get("doc_weight")):  # the encoder's sentence vectors
            dense.append(EF.sentence_features(cfg, doc.sent_vectors, [0] * len(texts)))
        W, b, techs = self.sent["W"], self.sent["b"], list(self.sent["techniques"])
        if self.sent.get("any_W") is not None:  # "does the sentence carry any technique" (the re-scorer's)
            W, b, techs = np.vstack([W, self.sent["any_W"]]), np.append(b, self.sent["any_b"]), techs + [ANY]
        z = np.concatenate([_scores(X[r:r + _ROWS], [D[r:r + _ROWS] for D in dense], W, b)
                            for r in range(0, len(texts), _ROWS)])
        p = 1.0 / (1.0 + np.exp(-z))
        return [(k, dict(zip(techs, row.tolist()))) for k, row in enumerate(p)]

    def tight_span(self, doc: Doc, k: int, tech: str, frac: float) -> tuple[int, int]:
        """The part of sentence k where the CRF's marginal of `tech` (B or I) peaks: the best token and its
        neighbours whose marginal is at least `frac` of the peak; the whole sentence without a CRF tag."""
        toks, tagger = doc.tokens[k], self.tagger
        labels = set(tagger.labels()) if tagger is not None else set()
        if not toks or "B-" + tech not in labels:
            return doc.sentences[k]
        self.prepare(doc)
        tagger.set(doc.crf_items(k))
        has_i = "I-" + tech in labels
        m = [max(tagger.marginal("B-" + tech, i), tagger.marginal("I-" + tech, i) if has_i else 0.0)
             for i in range(len(toks))]
        return peak_region(toks, m, frac)

    def detect(self, doc: Doc) -> list[dict]:
        if self.bundle.get("rescore"):  # a second model picks among every part's candidates
            return rescore.apply(self, doc)
        spans = [s for s in self.crf_spans(doc) if s["technique"] in _TECH]
        thr = self.sent.get("thresholds", {}) if self.sent else {}
        mode = self.config.get("sentence_mode", "long")
        long_set = set(self.config.get("sentence_techniques", []))
        tight = self.config.get("tight_frac")  # short techniques: the CRF's best region, not the sentence
        for k, probs in self.sentence_probs(doc):
            a, b = doc.sentences[k]
            for tech, p in probs.items():
                if tech not in _TECH or p < thr.get(tech, 0.5):
                    continue
                if tech not in long_set:
                    if mode != "all":
                        continue
                    # a short technique: only when the CRF found none of it in this sentence
                    if any(s["technique"] == tech and s["start"] < b and a < s["end"] for s in spans):
                        continue
                    if tight is not None:
                        a, b = self.tight_span(doc, k, tech, tight)
                spans.append({"technique": tech, "start": a, "end": b, "confidence": round(p, 3)})
        spans.extend(rule_spans(doc, spans))
        return spans


# Sentences whose sparse rows are built and scored at once: the dense columns (sentence vectors) as sparse
# entries cost 12 bytes a value, 117 MB for 6,000 sentences when built for all at once (issue 13). Each row's
# score is the same whatever the rows beside it.
_ROWS = 512


def _scores(X, dense: list, W, b):
    """The sentence classifier's scores [rows, techniques] for TF-IDF rows `X` with the dense columns appended."""
    import numpy as np
    import scipy.sparse as sp

    for D in dense:
        X = sp.hstack([X, sp.csr_matrix(D)]).tocsr()
    return np.asarray(X @ W.T) + b


def prepare_doc(cfg: dict, doc: Doc) -> None:
    """Give `doc` the CRF's reduced token vectors and the sentence vectors that the bundle's "encoder" part
    (`cfg`) reads, encoding its masked sentences (encoder_features.encode) unless it has them (`doc.encoded`:
    a training cache's)."""
    import numpy as np

    crf_g, sent_g = tuple(cfg["crf_group"]), tuple(cfg["sentence_group"])
    if doc.encoded is None:  # encoded with the encode stage's thread count (settings.toml [encoder])
        doc.encoded = EF.encode(doc, tuple(dict.fromkeys((crf_g, sent_g))), settings()["encoder"]["threads"],
                                cfg.get("placeholder", EF.PLACEHOLDER))
    if cfg.get("crf"):
        doc.crf_vectors = [EF.project(cfg["crf"], s["tokens"][crf_g]) * cfg.get("crf_weight", 1.0)
                           for s in doc.encoded]
    H = len(cfg["sentence_mean"])
    doc.sent_vectors = (np.stack([np.asarray(s["sentence"][sent_g], np.float32) for s in doc.encoded])
                        if doc.encoded else np.zeros((0, H), np.float32))


def model_path(lang: str, profile: str = "fast") -> Path:
    """The bundle of a language and profile: techniques-<lang>.joblib (fast), techniques-<lang>-e5.joblib
    (accurate: on the encoder); MARSAD_TECHNIQUES_MODEL_<LANG> / MARSAD_TECHNIQUES_E5_MODEL_<LANG> override
    them (a cross-validation fold's model, so the official scorer can run the whole pipeline per fold)."""
    if profile == "accurate":
        env = environment(f"MARSAD_TECHNIQUES_E5_MODEL_{lang.upper()}")
        return Path(env) if env else MODELS / f"techniques-{lang}-e5.joblib"
    env = environment(f"MARSAD_TECHNIQUES_MODEL_{lang.upper()}")
    return Path(env) if env else MODELS / f"techniques-{lang}.joblib"


_LOCK = threading.Lock()


@functools.cache
def _model(lang: str, profile: str = "fast") -> Model | None:
    path = model_path(lang, profile)
    if not path.exists():
        return None
    import joblib
    import numpy
    import sklearn

    from marsad import cache

    with _LOCK:  # read once from the joblib file, then from a plain pickle (marsad/cache.py: 10x faster)
        bundle_key = cache.key([path], [sklearn.__version__, numpy.__version__, joblib.__version__])
        name = f"techniques-{lang}" + ("-e5" if profile == "accurate" else "")
        return Model(cache.pickled(name, bundle_key, lambda: joblib.load(path)))


def load(lang: str, profile: str = "fast") -> Model | None:
    """The model of a language (loaded once per process), or None when there is none. The accurate profile
    reads the encoder model where the language has one, else the fast one."""
    if lang not in LANGS:
        return None
    return (_model(lang, "accurate") if profile == "accurate" else None) or _model(lang)
