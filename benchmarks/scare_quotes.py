"""How often a short quoted phrase is inside a gold technique span: the precision a scare-quote rule of the
persuasion lexicon would have (issue 17, seeds' `bombed Syria to “save lives”`).

    python benchmarks/scare_quotes.py [--show READING]     # ~10 s; PTC 2020 train and ArMPro train, read in place

Each reading is a narrower form of "a quoted phrase of 1-4 words" that a linguist would call a scare quote
(not reported speech, not a title or name, the writer distancing himself from the words). For each, the number
of matches and how many overlap a gold span of Doubt, of Loaded_Language, of either (the techniques of the
seed's gold that PTC has: Questioning_the_Reputation and Appeal_to_Hypocrisy are not PTC-2020 classes), and
of any technique. Arabic (ArMPro) likewise, with Questioning_the_Reputation and Appeal_to_Hypocrisy counted.
A match "hits" when it overlaps a gold span (the official flc scorer gives partial credit to a partial
overlap only, so these are upper bounds of the rule's scored precision). Figures: marsad/models/techniques-en.md.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marsad.techniques.words import lexicon  # noqa: E402
from marsad.train.technique_data import read_armpro, read_ptc  # noqa: E402

TECH = ROOT.parent / "shared" / "data" / "techniques"
PAIRS = {"“": "”", '"': '"', "‘": "’"}
QUOTE = re.compile(r"([“\"‘])([A-Za-z][\w'’-]*(?: [\w'’-]+){0,3})([”\"’])")
# reported speech, a title or a named term: a speech or naming word just before or after the quote, or a colon
SPEECH = re.compile(r"\b(?:said|says|say|saying|told|tells?|telling|call(?:s|ed|ing)?|describ\w+|wrote|writes?|"
                    r"writing|according|claim\w*|ask\w*|stat\w+|declar\w+|announc\w+|add(?:s|ed)|explain\w*|tweet\w*|"
                    r"insist\w*|argu\w+|warn\w*|quot\w+|titled|entitled|dubbed|termed|labell?ed|branded|known as|"
                    r"named|words?|phrase|term|slogan|headline|book|film|song|article|report|show|series)\b", re.I)
DISTANCING = re.compile(r"\b(?:so-called|so called|self-styled|self-proclaimed|alleged|supposed|purported)\s*$", re.I)
DETERMINER = {"their", "its", "his", "her", "our", "your", "this", "these", "those"}
# words of a claimed benevolent motive or quality, whose scare-quoting says the claim is false (written from the
# technique definitions of Doubt / Appeal_to_Hypocrisy, not from the corpus)
VIRTUE = re.compile(r"\b(?:humanitarian\w*|moderates?|democra\w*|freedom\w*|free|liberat\w*|peace\w*|sav(?:e|es|ed|ing)|"
                    r"protect\w*|defen[cs]\w*|help\w*|rescu\w*|aid|rights|justice|legitima\w*|lawful|legal|stabili\w*|"
                    r"security|safe\w*|civili[sz]\w*|values|progress\w*|reforms?|merc(?:y|iful)|compassion\w*|"
                    r"toleran\w*|independent|impartial|objective|neutral|transparen\w*|accountab\w*|fair|honest\w*|"
                    r"truth\w*|lives|innocent|concern\w*|car(?:e|ing)|love|friend\w*|partners?|allies|ally|hero\w*|"
                    r"smart|precis\w*|surgical|targeted|benevolent|generous|charit\w*|unity|solidarity|dialogue|"
                    r"negotiat\w*|ceasefire|truce|evidence|experts?|independence)\b", re.I)


def lexicon_rule(lang: str) -> re.Pattern:
    """The scare-quote rule of a language's persuasion lexicon (its `doubt` regex that opens with a quotation mark:
    "re:[“"‘]..." in English, "re:«..." in Arabic), as the detector compiles it."""
    return next(rx for rx, cat, _tech, _emit in lexicon(lang).regexes
                if cat == "doubt" and rx.pattern.lstrip("[").startswith(("“", "«")))


AR_QUOTE = re.compile(r"«\s*[\u0600-\u06FF]+(?: [\u0600-\u06FF]+){0,3}\s*»")
AR_SPEECH = re.compile(r"(?:قال|يقول|تقول|قالت|أكد|اكد|أضاف|اضاف|صرح|أعلن|اعلن|وصف|يصف|تصف|وصفت|بعنوان|عنوان|شعار|"
                       r"كتب|كتبت|ذكر|ذكرت|أوضح|اوضح|أشار|اشار|حسب|وفق|بحسب|مصطلح|كلمة|عبارة|لقب|يسمى|تسمى|المسمى|:)")


EN_READINGS = ["lexicon rule (1-3 words)", "1-4 words, not speech, lower case", "  to \u201c...\u201d (purpose)",
               "  so-called/alleged/... \u201c...\u201d", "  their/its/this \u201c...\u201d", "  a claimed-virtue word inside",
               "  any of the four above"]
AR_READINGS = ["«...» lexicon rule (1-2 words)", "«...» 1-4 words, not speech"]


def english_quotes(text: str):
    """(start, end, reading flags) of each short quote of the text."""
    for m in QUOTE.finditer(text):
        o, body, c = m.groups()
        if PAIRS[o] != c or (o == "‘" and m.start() and text[m.start() - 1].isalnum()):
            continue
        s, e = m.span()
        line_start = text.rfind("\n", 0, s) + 1
        before, after = text[max(line_start, s - 60):s], text[e:e + 40].split("\n")[0]
        prev = (re.findall(r"[\w'’-]+", before)[-1:] or [""])[0].lower()
        speech = bool(SPEECH.search(before[-40:]) or SPEECH.search(after[:25]) or before.rstrip().endswith((":", ",")))
        short = not speech and not body[0].isupper()  # not speech, not a title or a name
        distancing, virtue = bool(DISTANCING.search(before)), short and bool(VIRTUE.search(body))
        yield s, e, dict(zip(EN_READINGS, (
            bool(lexicon_rule("en").fullmatch(text[s:e])), short, short and prev == "to", distancing,
            short and prev in DETERMINER, virtue, distancing or virtue or (short and (prev == "to" or prev in DETERMINER)))))


def arabic_quotes(text: str):
    for rx, name in zip((lexicon_rule("ar"), AR_QUOTE), AR_READINGS):
        for m in rx.finditer(text):
            if name.endswith("not speech") and AR_SPEECH.search(text[max(0, m.start() - 30):m.start()]):
                continue
            yield m.start(), m.end(), {name: True}


def table(examples, quotes, columns, order, show=None):
    counts: dict[str, dict[str, int]] = {}
    for ex in examples:
        for s, e, flags in quotes(ex.text):
            techs = {t for a, b, t in ex.spans if a < e and b > s}
            for name, on in flags.items():
                if not on:
                    continue
                row = counts.setdefault(name, dict.fromkeys(["n", *columns, "any"], 0))
                row["n"] += 1
                row["any"] += bool(techs)
                for col, wanted in columns.items():
                    row[col] += bool(techs & wanted)
                if show and name.strip() == show.strip():
                    print(f"  {sorted(techs)} {ex.text[max(0, s - 40):e + 20]!r}")
    head = ["reading", "n", *columns, "any"]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for name, row in sorted(counts.items(), key=lambda kv: order.index(kv[0])):
        cells = [f"{row[c]} ({row[c] / row['n']:.2f})" for c in [*columns, "any"]]
        print(f"| {name.strip()} | {row['n']} | " + " | ".join(cells) + " |")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", help="print the matches of this reading with their gold techniques")
    a = ap.parse_args(argv)
    print("PTC 2020 train (English), a match overlapping a gold span of:")
    table(read_ptc(TECH / "ptc2020"), english_quotes,
          {"Doubt": {"Doubt"}, "Loaded_Language": {"Loaded_Language"}, "Doubt or LL": {"Doubt", "Loaded_Language"}},
          EN_READINGS, a.show)
    print("\nArMPro train (Arabic), a match overlapping a gold span of:")
    four = {"Doubt", "Loaded_Language", "Questioning_the_Reputation", "Appeal_to_Hypocrisy"}
    table(read_armpro(TECH / "armpro" / "ArMPro_span_V2_train.jsonl"), arabic_quotes,
          {"Doubt": {"Doubt"}, "Loaded_Language": {"Loaded_Language"}, "the seed's four": four}, AR_READINGS, a.show)


if __name__ == "__main__":
    main()
