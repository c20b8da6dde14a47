"""Only review/tui/ may import Textual, and only review/cli/ and review/tui/
may import click or rich: each core module is imported in a fresh interpreter
and must not pull any of them into sys.modules."""

import pkgutil
import subprocess
import sys

import review

UI = ("textual", "click", "rich")


def core_modules():
    for info in pkgutil.walk_packages(review.__path__, "review."):
        if info.name.startswith(("review.tui", "review.cli")) or info.name == "review.__main__":
            continue
        yield info.name


def test_core_modules_do_not_import_ui_libraries():
    names = sorted(core_modules())
    assert "review.protocol" in names and "review.db" in names and "review.screening.decisions" in names
    code = (
        "import importlib, sys\n"
        f"ui = {UI!r}\n"
        "bad = []\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "    hit = [m for m in ui if m in sys.modules]\n"
        "    if hit:\n"
        "        bad.append((name, hit)); break\n"
        "print(bad)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]", f"UI library imported by {r.stdout.strip()}"


def test_the_check_itself_sees_an_import():
    """The probe would notice a core module that imports click."""
    code = "import sys, review.cli; print('click' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "True"
