"""Near-duplicates: wire copies and republished articles, grouped at ingest (issue 20).

A document's body is folded and stemmed as the full-text index sees it (text.py, so Arabic and English alike),
cut into word SHINGLE-grams and summarised by a MinHash signature (datasketch). Two documents whose signatures
estimate a Jaccard similarity of at least THRESHOLD are copies of one story; a group is a connected set of such
pairs (a copy joins the group of any document it is close to, and a copy close to two groups merges them).

Candidates are found by banded LSH (the band layout datasketch's MinHashLSH picks for THRESHOLD): each band of
a signature is hashed into one key of `doc_lsh_keys`, an indexed table, so a new document is looked up by SQL
among the stored ones, in the same transaction as the document itself (the writer lock makes concurrent ingests
see each other's documents), and no index is held in memory. A key is stored once per group (by the first of
its documents to have it), and the stored signatures (`doc_minhash`) of the documents holding the keys a new
document shares confirm the pair; so the cost of a copy does not grow with the size of its group. Copies of one
story are close to one another, so they meet whatever the order they arrive in (tests/test_duplicates.py
shuffles them). `doc_groups` holds each document's group: the rowid of the group's first-stored document.

A document with no words has no signature and stays alone. Changing a setting below changes PARAMS, and the
next open regroups the whole corpus (migrations.rebuild_if_stale), as a changed stemmer re-indexes it.
"""
from __future__ import annotations

import functools
import hashlib

import numpy as np

from . import text as fts_text
from .backend import dialect

# Word 5-grams: long enough that two different reports of one event (which share names, places and figures but
# not whole phrases) share almost none, short enough that a copy with a word changed per sentence keeps most.
SHINGLE = 5
# Estimated Jaccard similarity of two documents' shingle sets from which they count as copies of one story.
# FA-KES dev (200 English articles from 15 outlets, many on the same events): every pair of different stories, and
# of independent reports of one event, scores 0.2 or less; an AFP report and an outlet's rewrite of it 0.47; two
# outlets' copies of one Press TV report 0.38. Generated wire copies (tests/wire_copies.py: headline changed, a
# sentence dropped or added, a byline, two words changed) score 0.60-0.96 in English, 0.47-0.95 in Arabic.
# 0.3 sits between (128 permutations estimate a Jaccard of 0.3 within +-0.04); datasketch's MinHashLSH lays it
# out as 37 bands of 3 rows.
THRESHOLD = 0.3
NUM_PERM = 128
# A new document is compared with at most this many documents of each group it shares a key with (those sharing
# the most keys first), so a group of thousands costs no more than a group of ten.
CHECKS_PER_GROUP = 8
SCHEME = "affine32"  # datasketch's MinHash scheme, named so that a library upgrade cannot change it silently
PARAMS = f"{SHINGLE}/{THRESHOLD}/{NUM_PERM}/{SCHEME}/fts{fts_text.VERSION}"  # recorded in meta; see module doc

TABLES = """
CREATE TABLE doc_minhash (doc INTEGER PRIMARY KEY REFERENCES documents(rowid) ON DELETE CASCADE,
                          signature BLOB NOT NULL);
CREATE TABLE doc_lsh_keys (key INTEGER NOT NULL, doc INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE);
CREATE INDEX doc_lsh_keys_key ON doc_lsh_keys(key);
CREATE INDEX doc_lsh_keys_doc ON doc_lsh_keys(doc);
CREATE TABLE doc_groups (doc INTEGER PRIMARY KEY REFERENCES documents(rowid) ON DELETE CASCADE,
                         group_id INTEGER NOT NULL);
CREATE INDEX doc_groups_group ON doc_groups(group_id);
"""
# PostgreSQL: 64-bit keys and rowids, bytea for the signature
_POSTGRES_SPELLINGS = [(" INTEGER", " BIGINT"), (" BLOB", " BYTEA")]


@functools.lru_cache(maxsize=1)
def _layout() -> tuple[int, int, tuple]:
    """(bands, rows per band, the permutations every signature uses), made once per process."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r, MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def shingles(shadow: str) -> list[bytes]:
    """Word SHINGLE-grams of a text's index terms (text.shadow); a text shorter than that is one shingle."""
    terms = shadow.split()
    if len(terms) <= SHINGLE:
        return [" ".join(terms).encode()] if terms else []
    return [" ".join(terms[i:i + SHINGLE]).encode() for i in range(len(terms) - SHINGLE + 1)]


def signature(shadow: str) -> np.ndarray | None:
    """The MinHash signature of a text's index terms, or None when it has no words."""
    from datasketch import MinHash

    grams = shingles(shadow)
    if not grams:
        return None
    _, _, permutations = _layout()
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=permutations)
    m.update_batch(grams)
    return m.hashvalues.astype("<u8")


def lsh_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (the band's number is hashed in, so one indexed column serves all)."""
    bands, rows, _ = _layout()
    return [int.from_bytes(hashlib.blake2b(sig[b * rows:(b + 1) * rows].tobytes(), digest_size=8,
                                           person=b.to_bytes(2, "little")).digest(), "little", signed=True)
            for b in range(bands)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of equal minimums (what datasketch's MinHash.jaccard computes)."""
    return float(np.count_nonzero(a == b)) / len(a)


def add(conn, doc: int, shadow: str) -> int:
    """Group the newly stored document `doc` (its body's index terms: `shadow`) with the stored documents it
    copies, inside the caller's transaction; returns its group id."""
    sig = signature(shadow)
    if sig is None:
        conn.execute("INSERT INTO doc_groups(doc, group_id) VALUES (?, ?)", (doc, doc))
        return doc
    keys = list(dict.fromkeys(lsh_keys(sig)))
    held = conn.execute(  # (key, document holding it, its group) for the keys this document shares
        "SELECT k.key, k.doc, g.group_id FROM doc_lsh_keys k JOIN doc_groups g ON g.doc = k.doc "
        f"WHERE k.key IN ({','.join('?' * len(keys))})", keys).fetchall()
    close = _close_groups(conn, sig, held)
    group = min(close) if close else doc
    merged = sorted(close - {group})
    if merged:  # this document bridges groups: they become one, named by the earliest
        conn.execute(f"UPDATE doc_groups SET group_id = ? WHERE group_id IN ({','.join('?' * len(merged))})",
                     [group, *merged])
    conn.execute("INSERT INTO doc_minhash(doc, signature) VALUES (?, ?)", (doc, sig.tobytes()))
    conn.execute("INSERT INTO doc_groups(doc, group_id) VALUES (?, ?)", (doc, group))
    # A key one of its group's documents holds already is not stored again: a story run by thousands of outlets
    # then costs a new copy no more rows to read than one run by ten (every copy holding every key made each new
    # one read them all: 5 ms a document at 500 copies, 29 at 2,000).
    known = {key for key, _, g in held if g in close}
    conn.executemany("INSERT INTO doc_lsh_keys(key, doc) VALUES (?, ?)", ((k, doc) for k in keys if k not in known))
    return group


def _close_groups(conn, sig: np.ndarray, held: list[tuple]) -> set[int]:
    """The groups holding a document whose signature confirms the pair: per group, its documents sharing the most
    keys first, at most CHECKS_PER_GROUP of them (one confirmed is enough)."""
    shared: dict[int, dict[int, int]] = {}  # group -> document -> keys shared
    for _, other, group in held:
        shared.setdefault(group, {}).setdefault(other, 0)
        shared[group][other] += 1
    ranked = {g: sorted(ds, key=lambda d: (-ds[d], d))[:CHECKS_PER_GROUP] for g, ds in shared.items()}
    wanted = sorted({d for ds in ranked.values() for d in ds})
    signatures = {}
    for k in range(0, len(wanted), 500):
        chunk = wanted[k:k + 500]
        signatures.update((d, np.frombuffer(bytes(s), dtype="<u8")) for d, s in conn.execute(
            f"SELECT doc, signature FROM doc_minhash WHERE doc IN ({','.join('?' * len(chunk))})", chunk))
    return {g for g, ds in ranked.items() if any(similarity(sig, signatures[d]) >= THRESHOLD for d in ds)}


def create_tables(conn) -> None:
    """Migration 4: the tables above, and the groups of the documents already stored."""
    sql = TABLES
    if dialect(conn) == "postgres":
        for sqlite_spelling, postgres_spelling in _POSTGRES_SPELLINGS:
            sql = sql.replace(sqlite_spelling, postgres_spelling)
    for statement in sql.split(";"):
        if statement.strip():
            conn.execute(statement)
    group_all(conn)


def group_all(conn) -> None:
    """(Re)group every stored document, in rowid order (inside the caller's transaction)."""
    for table in ("doc_groups", "doc_lsh_keys", "doc_minhash"):
        conn.execute(f"DELETE FROM {table}")
    last = 0
    while rows := conn.execute("SELECT rowid, text FROM documents WHERE rowid > ? ORDER BY rowid LIMIT 500",
                               (last,)).fetchall():  # a chunk at a time: a corpus's texts need not fit in memory
        for doc, body in rows:
            add(conn, doc, fts_text.shadow(body))
        last = rows[-1][0]
    conn.execute("INSERT INTO meta VALUES ('duplicates', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (PARAMS,))


# -- reading the groups -------------------------------------------------------------------------------------

def outlets_of_groups(conn) -> dict[int, set[str]]:
    """group id -> the outlets (documents.source; a document without one: its id) that ran it, for the groups of
    more than one document."""
    out: dict[int, set[str]] = {}
    for group, outlet in conn.execute(
            "SELECT g.group_id, coalesce(d.source, d.id) FROM doc_groups g JOIN documents d ON d.rowid = g.doc "
            "WHERE g.group_id IN (SELECT group_id FROM doc_groups GROUP BY group_id HAVING count(*) > 1)"):
        out.setdefault(group, set()).add(outlet)
    return out


def stories(conn, doc_sets: list[set[int]]) -> list[tuple[int, list[list[str]]]]:
    """For each set of documents (rowids): how many stories it holds, the copies of one story counted once (so
    twenty outlets running one wire report count as one telling), and for each story several of its outlets
    ran, those outlets."""
    rowids = sorted(set().union(*doc_sets)) if doc_sets else []
    group_of, outlet_of = {}, {}
    for k in range(0, len(rowids), 500):
        chunk = rowids[k:k + 500]
        for doc, group, outlet in conn.execute(
                "SELECT g.doc, g.group_id, coalesce(d.source, d.id) FROM doc_groups g JOIN documents d "
                f"ON d.rowid = g.doc WHERE g.doc IN ({','.join('?' * len(chunk))})", chunk):
            group_of[doc], outlet_of[doc] = group, outlet
    out = []
    for docs in doc_sets:
        outlets: dict[int, set[str]] = {}
        for doc in docs:
            outlets.setdefault(group_of.get(doc, -doc), set()).add(outlet_of.get(doc, str(doc)))
        out.append((len(outlets), sorted(sorted(o) for o in outlets.values() if len(o) > 1)))
    return out


def copies_of(conn, doc_id: str) -> list[dict]:
    """The other documents of the group of the latest stored document with this id (the one Corpus.get
    returns), first published first: [{id, outlet, published, title}]."""
    latest = "(SELECT max(rowid) FROM documents WHERE id = ?)"
    return [{"id": i, "outlet": outlet, "published": published, "title": title}
            for i, outlet, published, title in conn.execute(
                "SELECT d.id, coalesce(d.source, d.id), d.published, d.title FROM doc_groups g "
                f"JOIN documents d ON d.rowid = g.doc WHERE g.group_id = (SELECT group_id FROM doc_groups WHERE doc = "
                f"{latest}) AND d.rowid <> {latest} ORDER BY d.published IS NULL, d.published, d.rowid",
                (doc_id, doc_id))]


def groups(corpus, *, min_size: int = 2, limit: int | None = None) -> list[dict]:
    """The groups of at least `min_size` documents, most documents first: {group, size, outlets (first to
    publish first), first_published, title (of the first published), documents: [{id, outlet, published,
    title, language}]}."""
    members: dict[int, list[dict]] = {}
    for group, doc_id, outlet, published, title, lang in corpus.conn.execute(
            "SELECT g.group_id, d.id, coalesce(d.source, d.id), d.published, d.title, d.language "
            "FROM doc_groups g JOIN documents d ON d.rowid = g.doc WHERE g.group_id IN "
            "(SELECT group_id FROM doc_groups GROUP BY group_id HAVING count(*) >= ?) ORDER BY g.group_id, d.rowid",
            (max(1, min_size),)):
        members.setdefault(group, []).append({"id": doc_id, "outlet": outlet, "published": published,
                                              "title": title, "language": lang})
    out = []
    for group, docs in members.items():
        docs.sort(key=lambda d: (d["published"] is None, d["published"] or ""))  # stable: then stored order
        out.append({"group": group, "size": len(docs), "outlets": list(dict.fromkeys(d["outlet"] for d in docs)),
                    "first_published": docs[0]["published"], "title": docs[0]["title"], "documents": docs})
    out.sort(key=lambda g: (-g["size"], g["first_published"] is None, g["first_published"] or "", g["group"]))
    return out[:limit] if limit else out


def render(gs: list[dict]) -> str:
    lines = []
    for g in gs:
        lines.append(f"group {g['group']}: {g['size']} documents, {len(g['outlets'])} outlets, first published "
                     f"{g['first_published'] or 'undated'}" + (f"  \"{g['title']}\"" if g["title"] else ""))
        lines.append(f"  outlets: {', '.join(g['outlets'])}")
        lines.append("  documents: " + ", ".join(d["id"] for d in g["documents"]))
        lines.append("")
    return "\n".join(lines)


# -- `marsad duplicates` ------------------------------------------------------------------------------------
