"""Every kind of bad input: one line `marsad: <document id>: <what>` on stderr, the batch goes on, and the
exit status says so (0 all fine, 1 some failed, 2 usage error)."""
import json
from pathlib import Path

import pytest

from conftest import records

GOOD = "The army entered the town on Saturday. Residents fled."


def write(tmp_path: Path, name: str, data) -> Path:
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def assert_failed(run, args, doc_id, words, good=1):
    code, out, err = run(*args)
    assert code == 1
    lines = [ln for ln in err if ln.startswith(f"marsad: {doc_id}: ")]
    assert len(lines) == 1, err
    assert all(w in lines[0] for w in words), lines[0]
    assert "Traceback" not in "\n".join(err)
    assert len(records(out)) == good
    return lines[0]


@pytest.mark.parametrize("content", ["", "   \n\t  \n"])
def test_empty_or_whitespace_text(run_cli, tmp_path, content):
    bad = write(tmp_path, "blank.txt", content)
    ok = write(tmp_path, "ok.txt", GOOD)
    assert_failed(run_cli, [bad, ok], "blank", ["empty document"])


def test_binary_file(run_cli, tmp_path):
    bad = write(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    ok = write(tmp_path, "ok.txt", GOOD)
    assert_failed(run_cli, [bad, ok], "photo", ["binary file"])


@pytest.mark.parametrize("encoding,text,lang", [
    ("cp1256", "قال المرصد السوري إن الجيش دخل مدينة دوما بعد اتفاق مع المسلحين.", "ar"),
    ("cp1252", "The café owner in Zürich said “the army” had left. Naïve façade.", "en"),
    ("latin-1", "Le café de la façade à Zürich était fermé. Les soldats sont partis.", None),
])
def test_legacy_encodings_are_decoded_and_reported(run_cli, tmp_path, encoding, text, lang):
    p = write(tmp_path, "legacy.txt", text.encode(encoding))
    code, out, err = run_cli(p)
    assert code == 0
    [rec] = records(out)
    assert rec["text"] == text
    if lang:
        assert rec["language"] == lang
    expected = {"cp1256": "cp1256", "cp1252": "cp1252", "latin-1": ("cp1252", "latin_1")}[encoding]
    assert any(ln.startswith("marsad: legacy: warning: not UTF-8; decoded as ") for ln in err), err
    assert rec["warnings"][0].split()[-1] in (expected if isinstance(expected, tuple) else (expected,))


def test_text_over_the_size_limit(run_cli, tmp_path):
    bad = write(tmp_path, "huge.txt", "word " * 300)
    ok = write(tmp_path, "ok.txt", GOOD)
    line = assert_failed(run_cli, [bad, ok, "--max-bytes", 1000],
                         "huge", ["over the limit", "1,000", "--max-bytes"])
    assert "1,500" in line


def test_jsonl_text_over_the_size_limit(run_cli, tmp_path):
    p = write(tmp_path, "docs.jsonl", json.dumps({"id": "big", "text": "ك" * 600}) + "\n"
              + json.dumps({"id": "small", "text": GOOD}) + "\n")
    assert_failed(run_cli, [p, "--max-bytes", 1000], "big", ["larger than the limit", "--max-bytes"])


def test_malformed_html(run_cli, tmp_path):
    bad = write(tmp_path, "broken.html", "<<<>>><html><body></div></span><p></html>")
    ok = write(tmp_path, "ok.txt", GOOD)
    assert_failed(run_cli, [bad, ok], "broken", ["no article text found in the HTML"])


def test_broken_but_readable_html_still_gives_its_text(run_cli, tmp_path):
    page = ("<html><head><title>Raid</title><body><div><p>Fighters entered the village of Hran at dawn, "
            "a monitor said.<p>Residents fled towards the river as the shelling went on through the day."
            "</span></body>")
    code, out, err = run_cli(write(tmp_path, "unclosed.html", page))
    assert code == 0
    [rec] = records(out)
    assert "Fighters entered the village of Hran" in rec["text"]


@pytest.mark.parametrize("line,doc_id,words", [
    ('{"id": "a", "text": "broken', "docs.jsonl:1", ["not valid JSON"]),
    ('["a list", "of things"]', "docs.jsonl:1", ["not a JSON object", "list"]),
    ('{"id": "notext", "title": "no text here"}', "notext", ['lacks "text"']),
    ('{"id": "num", "text": 42}', "num", ["text must be a string"]),
    ('{"id": "d", "text": "Army entered.", "published": "last Tuesday"}', "d", ["bad published value",
                                                                                  "2018-04-21"]),
    ('{"id": "s", "text": "Bad \\ud800 surrogate"}', "s", ["lone surrogate", "U+D800"]),
])
def test_bad_jsonl_lines(run_cli, tmp_path, line, doc_id, words):
    good = json.dumps({"id": "fine", "text": GOOD})
    p = write(tmp_path, "docs.jsonl", line + "\n\n" + good + "\n")
    assert_failed(run_cli, [p], doc_id, words)


def test_jsonl_line_that_is_not_utf8(run_cli, tmp_path):
    p = write(tmp_path, "docs.jsonl", b'{"id": "x", "text": "caf\xe9"}\n' + json.dumps({"text": GOOD}).encode() + b"\n")
    assert_failed(run_cli, [p], "docs.jsonl:1", ["not UTF-8"])


def test_directory_with_nothing_readable(run_cli, tmp_path):
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / "notes.pdf").write_bytes(b"%PDF-1.4")
    ok = write(tmp_path, "ok.txt", GOOD)
    assert_failed(run_cli, [empty, ok], str(empty), ["no readable documents", ".jsonl"])


def test_path_that_does_not_exist(run_cli, tmp_path):
    ok = write(tmp_path, "ok.txt", GOOD)
    missing = tmp_path / "missing.txt"
    assert_failed(run_cli, [missing, ok], str(missing), ["no such file or directory"])


def test_path_that_cannot_be_read(run_cli, tmp_path, monkeypatch):
    bad = write(tmp_path, "locked.txt", GOOD)
    ok = write(tmp_path, "ok.txt", GOOD)
    from marsad.ingest import readers
    real = readers.open_regular

    def open_regular(path, *args):  # as root, chmod 000 would not stop the read: fail the open instead
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(path, *args)

    monkeypatch.setattr(readers, "open_regular", open_regular)
    assert_failed(run_cli, [bad, ok], "locked", ["cannot read", "permission denied"])


def test_bad_published_option_is_a_usage_error(run_cli, tmp_path):
    code, out, err = run_cli(write(tmp_path, "ok.txt", GOOD), "--published", "yesterday")
    assert code == 2 and out == ""
    assert err == ["marsad: --published: bad published value 'yesterday': expected an ISO date such as 2018-04-21 "
                   "or a datetime such as 2018-04-21T09:30:00Z"]


def test_unknown_option_is_a_usage_error(run_cli, tmp_path):
    with pytest.raises(SystemExit) as e:
        run_cli("--no-such-flag", tmp_path)
    assert e.value.code == 2


def test_unwritable_output_is_a_usage_error(run_cli, tmp_path):
    code, out, err = run_cli(write(tmp_path, "ok.txt", GOOD), "--out", tmp_path / "no" / "dir" / "x.jsonl")
    assert code == 2 and "cannot write" in err[0]


def test_mixed_batch_keeps_order_and_reports_each_failure(run_cli, tmp_path):
    p = write(tmp_path, "docs.jsonl", "\n".join([
        json.dumps({"id": "one", "text": GOOD}),
        "not json",
        json.dumps({"id": "two", "text": "قال الجيش إنه دخل المدينة."}),
        json.dumps({"id": "three", "text": ""}),
        json.dumps({"id": "four", "text": "Mixed نص عربي and English text in one line."}),
    ]))
    code, out, err = run_cli(p)
    assert code == 1
    assert [r["id"] for r in records(out)] == ["one", "two", "four"]
    assert [ln.split(":")[1].strip() for ln in err[:2]] == ["docs.jsonl", "three"]
    assert err[-1] == "marsad: 2 document(s) failed; the others were written"
