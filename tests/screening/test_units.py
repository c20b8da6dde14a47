"""What is screened: a unit with a stable identity across imports and dedup
runs; a merge keeps every decision of its parts (a disagreement becomes a
conflict); a split hands the whole's decisions to each part, flagged for a
second look. Real imports and real dedup runs on a project database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from review.cli import main
from review.db import open_db, units
from review.project import project_protocol
from review.screening.decisions import decide
from review.screening.view import stage_view

PROTOCOL = Path(__file__).resolve().parents[2] / "protocols" / "car-t-2025.toml"
TA = "title_abstract"


def ris(*records: dict) -> str:
    out = []
    for r in records:
        out.append("TY  - JOUR")
        out.append(f"TI  - {r['title']}")
        for a in r.get("authors", ("Zhang, Wei", "Li, Xiao")):
            out.append(f"AU  - {a}")
        out.append(f"PY  - {r.get('year', 2021)}")
        out.append(f"JO  - {r.get('journal', 'Blood')}")
        out.append(f"VL  - {r.get('volume', '138')}")
        out.append(f"SP  - {r.get('sp', '100')}")
        out.append(f"EP  - {r.get('ep', '110')}")
        if r.get("doi"):
            out.append(f"DO  - {r['doi']}")
        out.append(f"AB  - {r.get('abstract', 'We report outcomes of a clinical study.')}")
        out.append("ER  - ")
        out.append("")
    return "\n".join(out)


CD19 = dict(title="CD19 CAR-T cells in relapsed large B-cell lymphoma: a phase 2 trial",
            doi="10.1182/blood.2021.0001", sp="100", ep="110")
BCMA = dict(title="Anti-BCMA CAR-T cell therapy in refractory multiple myeloma: a single-arm study",
            doi="10.1182/blood.2021.0002", sp="200", ep="212", authors=("Wang, Lin", "Chen, Yu"))
ASPIRIN = dict(title="Aspirin after ischaemic stroke in older adults: a cohort", doi="10.1161/str.2019.1",
               journal="Stroke", volume="50", sp="1", ep="9", authors=("Brown, Kate",), year=2019)


def cli(db: Path, *args: str, user: str = "QZ"):
    r = CliRunner().invoke(main, ["--db", str(db), *map(str, args)], env={"REVIEW_USER": user})
    assert r.exit_code == 0, r.output
    return r


@pytest.fixture
def project(tmp_path):
    db = tmp_path / "p.db"
    cli(db, "init", PROTOCOL)
    return db


def import_file(db: Path, tmp_path: Path, name: str, source: str, *records: dict) -> None:
    f = tmp_path / name
    f.write_text(ris(*records), encoding="utf-8")
    cli(db, "import", f, "--source", source)


def record_ids(conn, title: str) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM records WHERE title = ? ORDER BY id", (title,))]


def standing(conn, record_id: int, who: str):
    view = stage_view(conn, project_protocol(conn), TA)
    return view.reviewers[units.unit_of(conn, record_id)].get(who)


def outcome(conn, record_id: int) -> str:
    view = stage_view(conn, project_protocol(conn), TA)
    return view.outcomes[units.unit_of(conn, record_id)].state


def check_partition(conn) -> None:
    """Every record is in exactly one active unit; retired units hold no record;
    records grouped by dedup share their unit and only they do."""
    rows = conn.execute("SELECT record_id, unit_id FROM unit_members").fetchall()
    assert len(rows) == conn.execute("SELECT COUNT(*) FROM records").fetchone()[0]
    retired = {r[0] for r in conn.execute("SELECT id FROM units WHERE retired_at IS NOT NULL")}
    assert not retired & {u for _, u in rows}
    by_unit, by_group = {}, {}
    for rid, gid in units.current_groups(conn).items():
        by_group[rid] = sorted(gid)
    for rid, u in rows:
        by_unit.setdefault(u, []).append(rid)
    assert sorted(map(sorted, by_unit.values())) == sorted(by_group.values())


def test_a_unit_keeps_its_id_and_decisions_when_a_copy_arrives_later(project, tmp_path):
    import_file(project, tmp_path, "embase.ris", "Embase", CD19, BCMA, ASPIRIN)
    conn = open_db(project)
    protocol = project_protocol(conn)
    (cd19,) = record_ids(conn, CD19["title"])
    before = units.unit_of(conn, cd19)
    decide(conn, protocol, cd19, "include", reviewer="QZ", stage=TA)
    decide(conn, protocol, cd19, "include", reviewer="XJZ", stage=TA)
    # a Scopus export brings a copy of the CD19 trial; dedup groups it with the screened record
    import_file(project, tmp_path, "scopus.ris", "Scopus", dict(CD19, title=CD19["title"].upper()))
    cli(project, "dedup")
    copy = max(r[0] for r in conn.execute("SELECT id FROM records WHERE doi = ?", (CD19["doi"],)))
    assert units.unit_of(conn, copy) == units.unit_of(conn, cd19) == before
    assert standing(conn, copy, "QZ").decision == "include" and not standing(conn, copy, "QZ").inherited
    assert outcome(conn, copy) == "include"
    assert units.lineage(conn) == []
    check_partition(conn)


def test_merged_copies_keep_every_decision_and_a_disagreement_is_a_conflict(project, tmp_path):
    import_file(project, tmp_path, "embase.ris", "Embase", CD19, BCMA, ASPIRIN)
    import_file(project, tmp_path, "scopus.ris", "Scopus", dict(CD19, title=CD19["title"].upper()),
                dict(BCMA, title=BCMA["title"] + "."))
    conn = open_db(project)
    protocol = project_protocol(conn)
    cd19_a, cd19_b = sorted(r[0] for r in conn.execute("SELECT id FROM records WHERE doi = ?", (CD19["doi"],)))
    bcma_a, bcma_b = sorted(r[0] for r in conn.execute("SELECT id FROM records WHERE doi = ?", (BCMA["doi"],)))
    # screened before deduplication: each copy is its own unit
    assert len({units.unit_of(conn, r) for r in (cd19_a, cd19_b, bcma_a, bcma_b)}) == 4
    for rec in (cd19_a, cd19_b):
        decide(conn, protocol, rec, "include", reviewer="QZ", stage=TA)
        decide(conn, protocol, rec, "include", reviewer="XJZ", stage=TA)
    decide(conn, protocol, bcma_a, "include", reviewer="QZ", stage=TA)
    decide(conn, protocol, bcma_b, "exclude", reviewer="QZ", stage=TA, reason="not a clinical study")
    decide(conn, protocol, bcma_a, "include", reviewer="XJZ", stage=TA)
    old = {units.unit_of(conn, r) for r in (cd19_a, cd19_b, bcma_a, bcma_b)}
    bcma_parts = {units.unit_of(conn, bcma_a), units.unit_of(conn, bcma_b)}
    cli(project, "dedup")
    check_partition(conn)
    merged_cd19, merged_bcma = units.unit_of(conn, cd19_a), units.unit_of(conn, bcma_a)
    assert merged_cd19 == units.unit_of(conn, cd19_b) and merged_bcma == units.unit_of(conn, bcma_b)
    assert not {merged_cd19, merged_bcma} & old
    assert {(p, k) for u, p, k in units.lineage(conn) if u == merged_bcma} == {(u, "merge") for u in bcma_parts}
    # the parts agreed: the merged unit is included, inherited, no conflict
    assert outcome(conn, cd19_a) == "include" and standing(conn, cd19_b, "XJZ").inherited
    # QZ's decisions on the two BCMA copies disagree: never a silent winner
    qz = standing(conn, bcma_b, "QZ")
    assert qz.decision is None and qz.disagreement == ("exclude", "include")
    assert standing(conn, bcma_b, "XJZ").decision == "include"
    assert outcome(conn, bcma_a) == "conflict"
    # QZ decides again on the merged unit: that settles it
    decide(conn, protocol, bcma_b, "include", reviewer="QZ", stage=TA)
    assert outcome(conn, bcma_a) == "include" and not standing(conn, bcma_a, "QZ").inherited


def _parents(conn, unit_id: int) -> set[int]:
    return {p for u, p, _ in units.lineage(conn) if u == unit_id}


def test_a_split_hands_the_decisions_to_each_part_flagged_for_a_second_look(project, tmp_path):
    import_file(project, tmp_path, "embase.ris", "Embase", CD19, ASPIRIN)
    import_file(project, tmp_path, "scopus.ris", "Scopus", dict(CD19, title=CD19["title"].upper()))
    cli(project, "dedup")
    conn = open_db(project)
    protocol = project_protocol(conn)
    first, copy = sorted(r[0] for r in conn.execute("SELECT id FROM records WHERE doi = ?", (CD19["doi"],)))
    whole = units.unit_of(conn, first)
    assert units.unit_of(conn, copy) == whole
    decide(conn, protocol, copy, "include", reviewer="QZ", stage=TA, note="phase 2, CD19")
    decide(conn, protocol, first, "exclude", reviewer="XJZ", stage=TA, reason="not a clinical study")
    assert outcome(conn, first) == "conflict"
    # a person takes the copy out of the group (an automatic merge undone)
    cli(project, "dedup", "undo", "--record", str(copy), user="JM")
    check_partition(conn)
    a, b = units.unit_of(conn, first), units.unit_of(conn, copy)
    assert a != b and whole not in (a, b)
    assert _parents(conn, a) == _parents(conn, b) == {whole}
    assert {k for u, _, k in units.lineage(conn) if u in (a, b)} == {"split"}
    for part in (first, copy):
        qz, xjz = standing(conn, part, "QZ"), standing(conn, part, "XJZ")
        assert (qz.decision, qz.note, qz.second_look) == ("include", "phase 2, CD19", True)
        assert (xjz.decision, xjz.reason, xjz.second_look) == ("exclude", "not a clinical study", True)
        assert outcome(conn, part) == "conflict"
    # a second look at one part clears the flag there only
    decide(conn, protocol, copy, "exclude", reviewer="QZ", stage=TA, reason="not a clinical study")
    assert not standing(conn, copy, "QZ").second_look and standing(conn, first, "QZ").second_look
    assert outcome(conn, copy) == "exclude" and outcome(conn, first) == "conflict"
    # undoing the split merges the parts again: their decisions now differ for QZ
    cli(project, "dedup", "undo", user="JM")
    check_partition(conn)
    again = units.unit_of(conn, first)
    assert again == units.unit_of(conn, copy) and again not in (a, b, whole)
    assert standing(conn, first, "QZ").disagreement == ("exclude", "include")
    assert standing(conn, first, "XJZ").decision == "exclude"


def test_units_without_history_are_reshaped_without_links(project, tmp_path):
    import_file(project, tmp_path, "embase.ris", "Embase", CD19, BCMA)
    import_file(project, tmp_path, "scopus.ris", "Scopus", dict(CD19, title=CD19["title"].upper()))
    conn = open_db(project)
    before = {r: units.unit_of(conn, r) for r, in conn.execute("SELECT id FROM records")}
    cli(project, "dedup")
    check_partition(conn)
    first, copy = sorted(r[0] for r in conn.execute("SELECT id FROM records WHERE doi = ?", (CD19["doi"],)))
    assert units.unit_of(conn, copy) == units.unit_of(conn, first) == before[first]
    assert units.lineage(conn) == []
    retired = [r[0] for r in conn.execute("SELECT id FROM units WHERE retired_at IS NOT NULL")]
    assert retired == [before[copy]]


def test_lineage_rows_are_append_only(project, tmp_path):
    import_file(project, tmp_path, "embase.ris", "Embase", CD19)
    import_file(project, tmp_path, "scopus.ris", "Scopus", dict(CD19, title=CD19["title"].upper()))
    conn = open_db(project)
    protocol = project_protocol(conn)
    for rec, in conn.execute("SELECT id FROM records").fetchall():
        decide(conn, protocol, rec, "include", reviewer="QZ", stage=TA)
    cli(project, "dedup")
    assert units.lineage(conn)
    for sql in ("UPDATE unit_lineage SET kind = 'split'", "DELETE FROM unit_lineage"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)


def test_an_older_database_gets_one_unit_per_duplicate_group(tmp_path):
    """Upgrading a schema-4 project (records grouped by dedup) gives each group one unit."""
    from review.db.migrate import discover, migrate

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, discover()[:4])
    conn.execute("INSERT INTO project (key, value) VALUES ('protocol_id', 'x')")
    for i in range(1, 5):
        conn.execute("INSERT INTO records (id, source, fingerprint, title, created_at) VALUES (?, 's', ?, 't', 'now')",
                     (i, f"f{i}"))
    conn.executemany("INSERT INTO record_groups (record_id, group_id) VALUES (?, ?)", [(2, 2), (4, 2)])
    conn.close()
    conn = open_db(db)
    assert units.membership(conn) == {1: 1, 2: 2, 3: 3, 4: 2}
    check_partition(conn)
