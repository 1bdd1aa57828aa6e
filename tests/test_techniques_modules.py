"""marsad/techniques split by role (issue 18 item 3): each module imports alone, no import cycle among them, no
module over 400 lines, and no tests of a language code in the modules that read language traits instead."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "marsad" / "techniques"
MODULES = sorted(p.stem for p in PKG.glob("*.py"))


@pytest.mark.parametrize("name", MODULES)
def test_each_module_imports_alone_in_a_fresh_interpreter(name):
    mod = "marsad.techniques" if name == "__init__" else f"marsad.techniques.{name}"
    r = subprocess.run([sys.executable, "-c", f"import {mod}"], capture_output=True, text=True,
                       cwd=PKG.parent.parent, timeout=120)
    assert r.returncode == 0, r.stderr


def _top_level_imports(name: str) -> set[str]:
    """The marsad.techniques modules that `name` imports at module level (not inside functions)."""
    tree = ast.parse((PKG / f"{name}.py").read_text(encoding="utf-8"))
    out = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "marsad.techniques":
                out |= {a.name for a in node.names if a.name in MODULES}
            elif node.module.startswith("marsad.techniques."):
                out.add(node.module.rsplit(".", 1)[1])
        elif isinstance(node, ast.Import):
            out |= {a.name.rsplit(".", 1)[1] for a in node.names if a.name.startswith("marsad.techniques.")}
    return out - {name}


def test_no_import_cycle_among_the_modules():
    graph = {m: _top_level_imports(m) for m in MODULES if m != "__init__"}
    state: dict[str, int] = {}

    def visit(m, path):
        if state.get(m) == 1:
            raise AssertionError("import cycle: " + " -> ".join(path + [m]))
        if state.get(m) == 2:
            return
        state[m] = 1
        for d in graph.get(m, ()):
            visit(d, path + [m])
        state[m] = 2

    for m in graph:
        visit(m, [])


def test_no_function_imports_the_package_to_dodge_a_cycle():
    for name in MODULES:
        tree = ast.parse((PKG / f"{name}.py").read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(fn):
                    if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("marsad.techniques"):
                        raise AssertionError(f"{name}.py: {fn.name} imports {node.module} inside the function")


@pytest.mark.parametrize("name", MODULES)
def test_no_module_over_400_lines(name):
    n = len((PKG / f"{name}.py").read_text(encoding="utf-8").splitlines())
    assert n <= 400, f"marsad/techniques/{name}.py has {n} lines"


@pytest.mark.parametrize("name", ["__init__", "words", "features", "model", "rescore"])
def test_no_language_code_tests_in_the_converted_modules(name):
    """The word normaliser, clitic stripping and feature templates come from the language's data and traits
    (technique_normalization.tsv, clitics.toml's technique_prefixes, letter_case, definite_article)."""
    src = (PKG / f"{name}.py").read_text(encoding="utf-8")
    for test in ('== "ar"', '== "en"', "!= \"ar\"", "!= \"en\""):
        assert test not in src, f"{name}.py tests a language code: {test}"


def test_the_word_rules_come_from_language_data():
    from marsad.techniques.words import bare, norm, word_rules

    ar, en = word_rules("ar"), word_rules("en")
    assert ar.prefixes and ar.article == "ال" and not ar.cased and not en.prefixes and en.cased
    assert norm("أُعلنَت", "ar") == "اعلنت" and norm("“Regime’s” 2024", "en") == "\"regime's\" 0000"
    assert bare("والجيش", "ar") == "جيش" and bare("bar", "ar") == "bar" and bare("unbelievable", "en") == "unbelievable"
