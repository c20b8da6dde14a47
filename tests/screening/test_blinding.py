"""Blinding: as reviewer BEN, while ANA has decided records and BEN has not,
every command and JSON document (and every file a command writes, the pack
included) is searched for ANA's decision, reason and note; none is found.

Two checks. The markers: ANA's reason, notes and report location are
distinctive strings that must appear nowhere. The decision: the same walk in
a world where ANA decided differently gives the same output (timestamps,
hashes and paths aside), so nothing BEN can run tells him what ANA decided.

The walk covers every command registered on `review` (a new command must be
classified below: run as BEN, or skipped with the reason it cannot show a
decision), so a command added later is checked too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from review.cli import main
from review.db import events as ev
from review.db import open_db, transaction
from tests.screening.helpers import FT, MARK_REASON, TA, dump, new_project, run

NOTE_1, NOTE_2, NOTE_3 = "MARKER-NOTE-A1-zq", "MARKER-NOTE-A2-zq", "MARKER-NOTE-A3-zq"
FT_NOTE, REPORT = "MARKER-NOTE-FT-zq", "/pdfs/MARKER-REPORT-zq.pdf"
MARKERS = (MARK_REASON, NOTE_1, NOTE_2, NOTE_3, FT_NOTE, REPORT, "MARKER")

# Commands run as BEN, with every argument list (each also with --json where the command has it).
RUNS = {
    "status": [[]],
    "records": [[]],
    "audit log": [["--limit", "10000"]],
    "audit verify": [[]],
    "dedup pairs": [[]],
    "dedup explain": [["1"], ["2"], ["4"]],
    "queue": [["--stage", s, *f] for s in (TA, FT) for f in
              ([], ["--filter", "mine"], ["--filter", "maybe"], ["--filter", "conflicts"], ["--filter", "undecided"],
               ["--filter", "second_look"], ["--search", "lymphoma"], ["--limit", "1000"])],
    "conflicts": [[], ["--one-reviewer"], ["--stage", TA]],                      # refused: BEN is a reviewer
    "agreement": [[], ["--stage", TA], ["--stage", FT], ["--tool", "minors"]],
    "undo": [["--stage", TA], ["--stage", TA, "1"], ["--stage", FT, "4"]],    # nothing of BEN's to undo
    "resolve": [["1", "include", "--stage", TA]],                                 # refused
    "stage close": [[TA], [FT]],                                                  # refused
    "stage reopen": [[TA]],                                                       # refused
    "decide": [["1", "exclude", "--stage", TA, "--reason", "no such reason"],     # refused: nothing written
               ["4", "exclude", "--stage", FT]],
    "note": [["1", " ", "--stage", TA]],                                          # refused (empty)
    "pack": [["{dir}/ben-pack.db", "--reviewer", "BEN"]],
    "prisma": [[], ["--search-summary"], ["--csv", "{dir}/prisma.csv", "--svg", "{dir}/prisma.svg"]],
    "journals show": [[]],
    "journals unmatched": [[]],
    "journals match": [["1"], ["4"]],
    "doctor": [[]],
    "backup": [["{dir}/ben-backup.db"]],
    "studies list": [[]],
    "studies link": [["4", "--study", "x"]],                                    # refused: not an included report
    "studies rename": [["x", "y"]],                                              # refused: no such study
    "extract form": [[]],                                                         # refused: needs a terminal
    "extract fields": [[]],
    "extract set": [["x", "n", "1"]],                                             # refused: no such study
    "extract show": [[]],
    "extract submit": [["--all"]],
    "extract export": [[], ["--out", "{dir}/extraction.csv"]],
    "reconcile list": [[]],                                                       # refused: BEN is a reviewer
    "reconcile set": [["x", "n", "1"]],                                           # refused
    "minors score": [[]],                                                         # refused: needs a terminal
    "minors items": [[]],
    "minors set": [["x", "1", "2"]],                                              # refused: no such study
    "minors show": [[]],
    "minors submit": [["--all"]],
    "minors reconcile list": [[]],                                                # refused
    "minors reconcile set": [["x", "1", "2"]],                                    # refused
    "minors table": [[], ["--out", "{dir}/minors.csv"]],
    "pool": [["--outcome", "DR"], ["--all"]],                                     # the project's settled values
    "rules": [["--dry-run"]],
}
SKIP = {
    "init": "creates a project",
    "import": "stores records from files",
    "search pubmed": "network; stores records",
    "dedup run": "regroups records; shows groups, not decisions",
    "dedup decide": "a person's duplicate decision; shows pairs, not screening",
    "dedup undo": "takes back a duplicate decision",
    "dedup review": "terminal view of duplicate pairs",
    "merge": "brings a pack in: BEN merging his own pack is covered by the pack run",
    "extract import": "stores a reviewer's values from a file (extraction blinding: tests/extraction/test_blinding_extraction.py)",
    "minors import": "stores a reviewer's scores from a file (tests/extraction/test_blinding_extraction.py)",
    "tables": "writes XLSX, which this walk cannot read; walked in tests/extraction/test_blinding_extraction.py",
    "journals import": "stores journal metrics from files",
    "journals fetch": "network; stores journal metrics",
    "survival reconstruct": "works on digitised curve files, not on the project",
    "survival km": "works on a patient-data file, not on the project",
    "restore": "replaces the project with a backup (checked first)",
    "simulate": "replays screening on a labelled file, not on the project",
    "demo": "builds a separate example project",
}


def leaf_commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from leaf_commands(cmd, path + (name,))
        else:
            yield " ".join(path + (name,)), cmd


def build_world(root: Path, ana_excludes: bool) -> Path:
    """ANA decided records 1-3 at title/abstract, and record 4 at full text
    (both included it at title/abstract); BEN decided only record 5."""
    root.mkdir()
    db = new_project(root, n=6)
    conn = open_db(db)
    with transaction(conn):
        ev.append_event(conn, "rules", "automation", 6, "flag", record_id=6, reason="no impact factor known")
    conn.close()
    if ana_excludes:
        run(db, "decide", 1, "exclude", "--stage", TA, "--reason", MARK_REASON, "--note", NOTE_1)
        run(db, "decide", 2, "maybe", "--stage", TA, "--note", NOTE_2)
    else:
        run(db, "decide", 1, "include", "--stage", TA, "--note", "other words")
        run(db, "decide", 2, "include", "--stage", TA)
    run(db, "note", 3, NOTE_3 if ana_excludes else "plain", "--stage", TA)
    for who in ("ANA", "BEN"):
        run(db, "decide", 4, "include", "--stage", TA, user=who)
    if ana_excludes:
        run(db, "decide", 4, "exclude", "--stage", FT, "--reason", MARK_REASON, "--note", FT_NOTE, "--report", REPORT)
    else:
        run(db, "decide", 4, "include", "--stage", FT, "--report", "https://example.org/elsewhere.pdf")
    run(db, "decide", 5, "include", "--stage", TA, user="BEN")
    return db


def walk_as_ben(db: Path, workdir: Path, monkeypatch) -> list[str]:
    """Every command's stdout and stderr as BEN, then every file written."""
    monkeypatch.chdir(workdir)
    seen = []
    for name, cmd in sorted(leaf_commands(main)):
        if name in SKIP:
            continue
        assert name in RUNS, (f"'review {name}' is new: add it to RUNS (how BEN runs it) or SKIP (why it "
                              "cannot show another reviewer's decision) in tests/screening/test_blinding.py")
        has_json = any(p.name == "as_json" for p in cmd.params)
        has_reviewer = any(p.name == "reviewer" for p in cmd.params)
        for args in RUNS[name]:
            args = [a.replace("{dir}", str(workdir)) for a in args]
            variants = [args, [*args, "--json"]] if has_json else [args]
            for v in variants:
                if name == "pack" and v is not variants[0]:
                    v = [a.replace("ben-pack", "ben-pack-json") for a in v]
                for who in ([[], ["--reviewer", "BEN"]] if has_reviewer and name != "pack" else [[]]):
                    r = CliRunner().invoke(main, ["--db", str(db), *name.split(), *v, *who], env={"REVIEW_USER": "BEN"})
                    assert r.exception is None or isinstance(r.exception, SystemExit), (name, v, r.exception)
                    seen.append(f"$ review {name} {' '.join(v + who)} -> {r.exit_code}\n{r.stdout}\n{r.stderr}")
    for f in sorted(workdir.rglob("*")):
        if f.is_file() and not f.name.endswith(("-wal", "-shm")):
            seen.append(f"== {f.name}\n" + ("\n".join(dump(f)) if f.suffix == ".db" else f.read_text("utf-8")))
    return seen


def normalise(text: str, world: Path) -> str:
    text = text.replace(str(world), "<WORLD>")
    text = re.sub(r"\d{4}-\d\d-\d\d[T ][\d:.]+(\+00:00)?", "<TS>", text)
    text = re.sub(r"\b[0-9a-f]{8}(\.tmp)?\b", "<ID8>", text)
    return re.sub(r"\b[0-9a-f]{32,64}\b", "<HEX>", text)


@pytest.fixture
def worlds(tmp_path, monkeypatch):
    out = {}
    for name, excl in (("x", True), ("y", False)):
        db = build_world(tmp_path / name, excl)
        work = tmp_path / f"{name}-work"
        work.mkdir()
        out[name] = (tmp_path / name, walk_as_ben(db, work, monkeypatch))
    return out


def test_ben_finds_none_of_anas_reasons_notes_or_reports(worlds):
    world, seen = worlds["x"]
    text = "\n".join(seen)
    # ANA's reason is one of the protocol's, which anyone may read: the protocol's
    # text and its list of reasons are the only places it may appear
    public = ("exclusion_reasons", f"1. {MARK_REASON}; 2. wrong population")
    searched = "\n".join(line for line in text.splitlines() if not any(p in line for p in public))
    for marker in MARKERS:
        assert marker not in searched, next(line for line in searched.splitlines() if marker in line)
    # the walk really ran: BEN saw his own queue, the flags, and was refused where he should be
    assert '"decision": "include"' in text and "no impact factor known" in text
    assert "BEN is a reviewer; the protocol's adjudicators are: CAL" in text
    assert "== ben-pack.db" in text and "== ben-pack-json.db" in text


def test_ben_cannot_tell_what_ana_decided(worlds):
    """Everything BEN can run reads the same whether ANA excluded or included."""
    (wx, x), (wy, y) = worlds["x"], worlds["y"]
    assert len(x) == len(y)
    for a, b in zip(x, y):
        assert normalise(a, wx) == normalise(b, wy)


def test_what_ben_may_see_once_both_decided(tmp_path):
    """Blind until both decided: then the conflict shows in BEN's queue (not
    ANA's reason or note: those are for the adjudicator)."""
    db = build_world(tmp_path / "w", True)
    run(db, "decide", 1, "include", "--stage", TA, user="BEN")
    rows = {r["id"]: r for r in json.loads(run(db, "queue", "--stage", TA, "--json", user="BEN").stdout)}
    assert rows[1]["conflict"] is True and rows[1]["decision"] == "include"
    assert NOTE_1 not in json.dumps(rows) and MARK_REASON not in json.dumps(rows)
    conflicts = json.loads(run(db, "conflicts", "--json", user="CAL").stdout)
    assert conflicts[0]["decisions"]["ANA"]["note"] == NOTE_1
