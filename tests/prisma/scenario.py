"""A small review built stage by stage on a real project database: imports of
real RIS files through `review import` (Embase twice, Scopus, a register),
`review dedup`, rule exclusions as plain `rule` events, title/abstract and
full-text decisions and resolutions (review/screening/decisions.py), a split
and a re-merge of a screened unit, and two studies of two reports each.

``build(tmp_path, at_stage)`` calls ``at_stage(name, conn)`` after each stage,
so a test can check the PRISMA counts as the review goes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from click.testing import CliRunner

from review.cli import main
from review.db import events as ev
from review.db import open_db, transaction, units
from review.project import project_protocol
from review.screening.decisions import decide, resolve
from tests.screening.test_units import ASPIRIN, BCMA, CD19, ris

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "protocols" / "car-t-2025.toml"
TA, FT = "title_abstract", "full_text"

REGISTER = '''
[[sources.databases]]
name = "ClinicalTrials.gov"
kind = "register"
query = "CAR-T AND lymphoma"
searched = "2025-01-02"
'''

# reasons of the seed protocol (two of them hold commas)
NOT_MALIGNANT = "not a malignant tumour"
NOT_VECTOR = "not CAR-T therapy based on vector modification"
NO_ORR = "no ORR, CRR or dead rate reported"
INCOMPLETE = "incomplete or inconsistent outcomes"
NOT_CLINICAL = "not a clinical study"


A, B, C = CD19, BCMA, ASPIRIN
D = dict(title="Lentiviral CD19 CAR-T therapy for diffuse large B-cell lymphoma in China: results of a multicentre trial",
         doi="10.1186/s13045-2020-0101", journal="J Hematol Oncol", volume="13", sp="51", ep="60",
         authors=("Liu, Hong", "Zhao, Min"), year=2020)
E = dict(title="Chimeric antigen receptor T cells across haematological cancers: a narrative review",
         doi="10.1038/nrc.2021.77", journal="Nat Rev Cancer", volume="21", sp="300", ep="318",
         authors=("Smith, John",))
F = dict(title="Letter: cytokine release syndrome after CAR-T infusion", doi="10.1056/nejmc2101",
         journal="N Engl J Med", volume="384", sp="1", ep="2", authors=("Garcia, Ana",))
G = dict(title="Three-year follow-up of lentiviral CD19 CAR-T therapy for diffuse large B-cell lymphoma",
         doi="10.1186/s13045-2023-0404", journal="J Hematol Oncol", volume="16", sp="12", ep="20",
         authors=("Liu, Hong", "Zhao, Min"), year=2023)
H = dict(title="CD22 CAR-T cells for relapsed acute lymphoblastic leukaemia in children",
         doi="10.1182/blood.2019.0900", volume="134", sp="900", ep="912", authors=("Park, Jae",), year=2019)
J = dict(title="Mesothelin-directed CAR-T cells in solid tumours: a phase 1 study",
         doi="10.1200/jco.2022.40.1", journal="J Clin Oncol", volume="40", sp="5", ep="15",
         authors=("Müller, Hans",), year=2022)
REG = dict(title="CD19/CD20 bispecific CAR-T for B-cell lymphoma (NCT04215016)", sp="", ep="",
         journal="ClinicalTrials.gov", volume="", authors=("Sun, Li",), year=2022)


def cli(db: Path, *args, user: str = "QZ"):
    r = CliRunner().invoke(main, ["--db", str(db), *map(str, args)], env={"REVIEW_USER": user})
    assert r.exit_code == 0, r.output
    return r


def protocol_file(tmp_path: Path) -> Path:
    p = tmp_path / "car-t-prisma.toml"
    p.write_text(SEED.read_text(encoding="utf-8") + REGISTER, encoding="utf-8")
    return p


def import_ris(db: Path, tmp_path: Path, name: str, source: str, *records: dict) -> None:
    f = tmp_path / name
    if not f.exists():
        f.write_text(ris(*records), encoding="utf-8")
    cli(db, "import", f, "--source", source)


def rid(conn, title: str, n: int = 0) -> int:
    return [r[0] for r in conn.execute("SELECT id FROM records WHERE title = ? ORDER BY id", (title,))][n]


def rule(conn, record_id: int, rule_id: str, value: str, prisma: str | None = None) -> int:
    payload = {"value": value, "source": "test"}
    if prisma:
        payload["prisma"] = prisma
    with transaction(conn):
        (eid,) = ev.append_events(conn, [{"stage": "automation", "unit_id": units.unit_of(conn, record_id),
                                          "record_id": record_id, "kind": "rule", "decision": "exclude",
                                          "reason": rule_id, "payload": payload}],
                                  actor="review-rules", audit_action="rules.apply")
    return eid


def both(conn, protocol, record_id: int, decision: str, stage: str, reason: str | None = None,
         other_reason: str | None = None) -> None:
    decide(conn, protocol, record_id, decision, reviewer="QZ", stage=stage, reason=reason)
    decide(conn, protocol, record_id, decision, reviewer="XJZ", stage=stage, reason=other_reason or reason)


def build(tmp_path: Path, at_stage: Callable[[str, object], None] = lambda name, conn: None) -> Path:
    """Build the review; returns the project database."""
    db = tmp_path / "p.db"
    cli(db, "init", protocol_file(tmp_path))
    conn = open_db(db)
    protocol = project_protocol(conn)
    try:
        import_ris(db, tmp_path, "embase1.ris", "Embase", A, B, C, D, E, F)
        at_stage("first import", conn)

        import_ris(db, tmp_path, "scopus.ris", "Scopus", dict(A, title=A["title"].upper()),
                   dict(B, title=B["title"] + "."), G, H)
        import_ris(db, tmp_path, "embase2.ris", "Embase", C, J)     # C again: the same Embase record
        import_ris(db, tmp_path, "embase1.ris", "Embase")           # the same file again: nothing new
        import_ris(db, tmp_path, "ctgov.ris", "ClinicalTrials.gov", REG)
        at_stage("all imports", conn)

        a1, a2 = rid(conn, A["title"]), rid(conn, A["title"].upper())
        b1, b2 = rid(conn, B["title"]), rid(conn, B["title"] + ".")
        for rec in (a1, a2, b1):
            both(conn, protocol, rec, "include", TA)
        decide(conn, protocol, b2, "exclude", reviewer="QZ", stage=TA, reason=NOT_CLINICAL)
        at_stage("screened before dedup", conn)

        cli(db, "dedup")
        at_stage("dedup", conn)

        e, f, h, j = (rid(conn, x["title"]) for x in (E, F, H, J))
        rule(conn, e, "publication_type", "Review")                 # payload without prisma: automatic
        rule(conn, f, "publication_type", "Letter", prisma="other")
        rule(conn, h, "year_max", "2019", prisma="automatic")
        undone = rule(conn, j, "language", "German")
        with transaction(conn):
            ev.append_event(conn, "review-rules", "automation", units.unit_of(conn, j), "undo",
                            record_id=j, supersedes=undone)
        at_stage("rules", conn)

        resolve(conn, protocol, h, "include", adjudicator="JM", stage=TA, note="the rule misread the year")
        at_stage("rule overruled", conn)

        c, d, g, reg = (rid(conn, x["title"]) for x in (C, D, G, REG))
        resolve(conn, protocol, b1, "include", adjudicator="JM", stage=TA)
        both(conn, protocol, c, "exclude", TA, NOT_CLINICAL)
        for rec in (d, g, reg):
            both(conn, protocol, rec, "include", TA)
        decide(conn, protocol, j, "include", reviewer="QZ", stage=TA)
        decide(conn, protocol, j, "maybe", reviewer="XJZ", stage=TA)
        at_stage("title/abstract with a conflict", conn)

        resolve(conn, protocol, j, "include", adjudicator="JM", stage=TA)
        at_stage("title/abstract done", conn)

        cli(db, "dedup", "undo", "--record", a2, user="JM")          # a person splits the CD19 copies
        at_stage("split", conn)

        for rec in (a1, a2, d, g):
            both(conn, protocol, rec, "include", FT)
        both(conn, protocol, b1, "exclude", FT, NOT_MALIGNANT)
        both(conn, protocol, h, "not_retrieved", FT)
        both(conn, protocol, reg, "exclude", FT, NO_ORR)
        both(conn, protocol, j, "exclude", FT, INCOMPLETE, other_reason=NOT_VECTOR)
        with transaction(conn):
            study_a = ev.create_study(conn, "Zhang 2021", "QZ")
            study_d = ev.create_study(conn, "Liu 2020", "QZ")
            for rec, study in ((a1, study_a), (a2, study_a), (d, study_d), (g, study_d)):
                ev.link_report(conn, units.unit_of(conn, rec), study, "QZ")
        at_stage("full text", conn)

        cli(db, "dedup", "undo", user="JM")                          # the split taken back
        at_stage("re-merged", conn)
    finally:
        conn.close()
    return db
