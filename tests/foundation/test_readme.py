"""The README's two commands are the ones CI and users run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _indented_commands(text: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"^    (python3 -m venv .*)$", text, re.M)]


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _indented_commands(readme)
    tests = [c for c in commands if "pytest" in c]
    assert len(tests) == 1, commands
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests[0] in [line.strip() for line in ci]


def test_readme_has_the_demo_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    demo = [c for c in _indented_commands(readme) if c.endswith("review demo")]
    assert len(demo) == 1
    assert "pip install" in demo[0]
