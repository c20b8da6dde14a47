"""Every declared dependency is used by the package (an unused one is a
defect: remove it, or say in docs/dependencies.md why it stays), and every
one is explained in docs/dependencies.md."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# distribution name -> the module it is imported as, where they differ
IMPORT_NAMES = {"scikit-learn": "sklearn", "pytest-textual-snapshot": "pytest_textual_snapshot",
                "pytest-xdist": "xdist", "python-dateutil": "dateutil"}


def declared() -> list[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [re.split(r"[<>=!~\[ ;]", d, maxsplit=1)[0] for d in data["project"]["dependencies"]]


def test_every_runtime_dependency_is_imported_by_the_package():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "review").rglob("*.py"))
    unused = []
    for dist in declared():
        mod = IMPORT_NAMES.get(dist, dist.replace("-", "_")).lower()
        if not re.search(rf"^\s*(import|from)\s+{re.escape(mod)}\b", source, re.M):
            unused.append(dist)
    assert not unused, f"declared but never imported in review/: {unused}"


def test_every_dependency_is_explained_in_the_docs():
    doc = (ROOT / "docs" / "dependencies.md").read_text(encoding="utf-8").lower()
    missing = [d for d in declared() if f"`{d.lower()}`" not in doc]
    assert not missing, f"not explained in docs/dependencies.md: {missing}"
