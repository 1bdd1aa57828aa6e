"""End to end on the bundled examples: the two seed articles, English and Arabic."""
import json
import subprocess
import sys

from conftest import EXAMPLES, ROOT, records
from marsad.record import validate

EN_ID, AR_ID = "000_8b3cfa5ec77cf3e6", "004_ccfa852c7e84612b"


def test_examples_give_two_valid_records_in_order(run_cli):
    code, out, err = run_cli(EXAMPLES, "--quiet")
    assert code == 0, err
    recs = records(out)
    assert [(r["id"], r["language"]) for r in recs] == [(EN_ID, "en"), (AR_ID, "ar")]
    for r in recs:
        assert r["schema"] == "marsad/1"
        assert validate(r) == []
        assert r["text"] == (EXAMPLES / f"{r['id']}.txt").read_text(encoding="utf-8")


def test_english_example_sentences(run_cli):
    _, out, _ = run_cli(EXAMPLES / f"{EN_ID}.txt")
    [r] = records(out)
    sents = [r["text"][s["start"]:s["end"]] for s in r["sentences"]]
    assert sents[0] == "By Aram Mirzaei for the Saker blog"
    assert sents[2].startswith("Douma was liberated last week") and sents[2].endswith("to northern Syria.")
    assert "So what does Washington hope to achieve in eastern Syria?" in sents
    assert "I highly doubt that." in sents
    assert sents[-1].endswith("because Syria will win.")
    assert len(sents) == 32


def test_arabic_example_sentences(run_cli):
    _, out, _ = run_cli(EXAMPLES / f"{AR_ID}.txt")
    [r] = records(out)
    sents = [r["text"][s["start"]:s["end"]] for s in r["sentences"]]
    assert sents[0].startswith("خاصة مع ضياع البوصلة") and sents[0].endswith("مع الروسي.")
    assert all("،" != s[-1] for s in sents)
    # a sentence that ends with «...» and one that ends with «!» are both whole
    assert any(s.startswith("لا نعلم إن كانت تعني بها « اسرائيل»") for s in sents)
    assert len(sents) == 6


def test_json_format_is_one_array(run_cli):
    code, out, _ = run_cli(EXAMPLES, "--format", "json")
    assert code == 0
    assert [r["id"] for r in json.loads(out)] == [EN_ID, AR_ID]


def test_out_file_and_published_default(run_cli, tmp_path):
    target = tmp_path / "records.jsonl"
    code, out, _ = run_cli(EXAMPLES / f"{EN_ID}.txt", "--out", target, "--published", "2018-04-21T08:00:00Z")
    assert code == 0 and out == ""
    [r] = records(target.read_text(encoding="utf-8"))
    assert r["published"] == "2018-04-21"


def test_lang_option_forces_the_language(run_cli):
    _, out, _ = run_cli(EXAMPLES / f"{EN_ID}.txt", "--lang", "ar")
    assert records(out)[0]["language"] == "ar"


def test_stdin_jsonl_and_python_dash_m(tmp_path):
    lines = "\n".join(json.dumps(d, ensure_ascii=False) for d in [
        {"id": "a", "text": "قال الجيش إنه دخل المدينة.", "source": "sana.sy", "published": "2017-11-24"},
        {"text": "The army entered the town."},
    ]) + "\n"
    proc = subprocess.run([sys.executable, "-m", "marsad", "analyze", "-", "--quiet"], input=lines.encode(),
                          capture_output=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    recs = records(proc.stdout.decode("utf-8"))
    assert [(r["id"], r["language"], r["source"]) for r in recs] == [("a", "ar", "sana.sy"), ("stdin:2", "en", None)]
    assert recs[0]["published"] == "2017-11-24"


def test_html_input_extracts_text_title_date_and_url(run_cli, tmp_path):
    page = """<html><head><title>Army enters Douma - Example News</title>
    <meta property="article:published_time" content="2018-04-21T10:00:00Z">
    <link rel="canonical" href="https://example.org/douma"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Army enters Douma</h1>
    <p>The Syrian army entered Douma on Saturday after the last fighters left the town, state media said.</p>
    <p>Residents described days of shelling before the agreement. A monitor said 40 people were killed.</p>
    </article><footer>Copyright 2018</footer></body></html>"""
    (tmp_path / "douma.html").write_text(page, encoding="utf-8")
    code, out, _ = run_cli(tmp_path / "douma.html")
    assert code == 0
    [r] = records(out)
    assert (r["id"], r["title"], r["published"], r["url"]) == ("douma", "Army enters Douma", "2018-04-21",
                                                               "https://example.org/douma")
    assert "The Syrian army entered Douma on Saturday" in r["text"]
    assert "Copyright" not in r["text"] and "Home | World" not in r["text"]


def test_help_teaches(capsys):
    import pytest

    from marsad.cli import main
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    out = capsys.readouterr().out
    for words in ("examples:", "--format", "exit status", "marsad: <document id>"):
        assert words in out


def test_min_confidence_filters_technique_spans(run_cli):
    _, out_all, _ = run_cli(EXAMPLES / f"{AR_ID}.txt")
    _, out_high, _ = run_cli(EXAMPLES / f"{AR_ID}.txt", "--min-confidence", "0.9")
    every, high = records(out_all)[0]["techniques"], records(out_high)[0]["techniques"]
    assert all(t["confidence"] >= 0.9 for t in high)
    assert len(high) <= len(every)
    code, _, err = run_cli(EXAMPLES / f"{AR_ID}.txt", "--min-confidence", "2")
    assert code == 2 and "between 0 and 1" in err[0]
