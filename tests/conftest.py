import json
from pathlib import Path

import pytest

from marsad.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def run_cli(capsys):
    """Run `marsad analyze ARGS` in-process; returns (exit status, stdout, stderr lines)."""

    def run(*args):
        code = main(["analyze", *(str(a) for a in args)])
        out, err = capsys.readouterr()
        return code, out, [ln for ln in err.splitlines() if ln.strip()]

    return run


def records(stdout: str) -> list[dict]:
    return [json.loads(ln) for ln in stdout.splitlines() if ln.strip()]
