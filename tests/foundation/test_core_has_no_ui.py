"""Only review/tui/ may import Textual: each core module is imported in a
fresh interpreter and must not pull textual into sys.modules."""

import pkgutil
import subprocess
import sys

import review


def core_modules():
    for info in pkgutil.walk_packages(review.__path__, "review."):
        if info.name.startswith("review.tui") or info.name == "review.__main__":
            continue
        yield info.name


def test_core_modules_do_not_import_textual():
    names = sorted(core_modules())
    assert "review.protocol" in names and "review.db" in names
    code = (
        "import importlib, sys\n"
        f"bad = []\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'textual' in sys.modules:\n"
        "        bad.append(name); break\n"
        "print(bad)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]", f"textual imported by {r.stdout.strip()}"
