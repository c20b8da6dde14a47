"""Shared helpers for the rules tests: a project built from real-shaped
exports (PubMed XML, Embase RIS, CNKI NoteExpress and E-Study, Wanfang
NoteExpress, Web of Science) through `review import`, `review dedup` and
`review journals import`; the CLI run as a given person; the events the rules
wrote; a full dump of the database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from review.cli import main
from review.db import events as ev
from review.db import open_db, units
from review.models import Event
from tests.sources.import_helpers import dump  # noqa: F401  (re-exported for the rules tests)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "rules"
IMPORTS = (
    ("pubmed_cart.xml",),
    ("embase.ris", "--source", "Embase"),
    ("cnki.net", "--format", "cnki"),
    ("cnki_estudy.txt", "--format", "cnki"),
    ("wanfang.net", "--format", "wanfang"),
    ("wos.txt",),
)


def run(db: Path, *args, user: str = "QZ", ok: bool = True) -> Result:
    r = CliRunner().invoke(main, ["--db", str(db), *map(str, args)], env={"REVIEW_USER": user})
    if ok:
        assert r.exit_code == 0, (args, r.output, r.exception)
    return r


def run_json(db: Path, *args, user: str = "QZ") -> dict:
    return json.loads(run(db, *args, "--json", user=user).stdout)


def protocol(tmp_path: Path, replace: dict[str, str] | None = None, name: str = "protocol.toml") -> Path:
    """The test protocol (tests/data/rules/protocol.toml), with lines replaced."""
    text = (DATA / "protocol.toml").read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def build(tmp_path: Path, *, imports=IMPORTS, metrics: bool = True, dedup: bool = True,
          replace: dict[str, str] | None = None) -> Path:
    """A project with the test exports imported, deduplicated and the 2023 metrics loaded."""
    db = tmp_path / "p.db"
    run(db, "init", protocol(tmp_path, replace))
    for name, *opts in imports:
        run(db, "import", DATA / name, *opts)
    if dedup:
        run(db, "dedup")
    if metrics:
        run(db, "journals", "import", DATA / "metrics_2023.csv", "--kind", "jif")
    return db


def record_id(db: Path, title_start: str, source: str | None = None) -> int:
    conn = open_db(db)
    try:
        ids = [r["id"] for r in conn.execute("SELECT id, title, source FROM records ORDER BY id")
               if r["title"].startswith(title_start) and (source is None or r["source"] == source)]
    finally:
        conn.close()
    assert ids, title_start
    return ids[0]


def automation(db: Path) -> list[Event]:
    """Every automation event, in the order written."""
    conn = open_db(db)
    try:
        return ev.events(conn, stage="automation")
    finally:
        conn.close()


def in_force(db: Path) -> dict[int, tuple[str, dict]]:
    """Representative record -> (rule, payload) of each unit's rule exclusion in force
    (as PRISMA and the title/abstract view read them)."""
    from review.screening.view import automation_exclusions

    conn = open_db(db)
    try:
        active = units.active_units(conn)
        got = automation_exclusions(conn, units.parents(conn), active)
        events = {e.id: e for e in ev.events(conn, stage="automation", kinds=("rule",))}
        return {active[u]: (st.reason, events[st.event_id].payload) for u, st in got.items()}
    finally:
        conn.close()


def flags_in_force(db: Path) -> dict[int, set[str]]:
    """Representative record -> the reasons of the flags in force on its unit."""
    conn = open_db(db)
    try:
        active = units.active_units(conn)
        done = ev.undone(conn)
        out: dict[int, set[str]] = {}
        for e in ev.events(conn, stage="automation", kinds=("flag",)):
            if e.id not in done and e.unit_id in active:
                out.setdefault(active[e.unit_id], set()).add(e.reason)
        return out
    finally:
        conn.close()


def audit_count(db: Path, action: str = "rules.apply") -> int:
    conn = open_db(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM audit_log WHERE action = ?", (action,)).fetchone()[0]
    finally:
        conn.close()


def copy_db(db: Path, to: Path) -> Path:
    shutil.copy(db, to)
    return to
