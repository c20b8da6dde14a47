"""Is the project intact? Tamper evidence for ``review audit verify`` and the
wider health check of ``review doctor``.

``verify`` recomputes every hash chain (the audit log; screening events,
extraction values, quality scores, study links and duplicate decisions) and
every seal over the records of each search and import: any row edited,
deleted or inserted outside review, or rows cut from the end, is found.
``doctor`` adds SQLite's integrity and foreign-key checks and the counts that
must agree (every record in one screening unit, units matching the duplicate
groups, PRISMA's identities once nothing is pending).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from review.db import audit, chain, doctor, seals

CHAINED = ("events", "extraction_values", "quality_scores", "study_links", "dedup_decisions", "seals")


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    heads: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def problems(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def as_dict(self) -> dict:
        return {"ok": self.ok, "checks": [c.__dict__ for c in self.checks], "heads": self.heads}


def verify(conn: sqlite3.Connection) -> Report:
    """Every hash chain and every seal."""
    rep = Report()
    a = audit.verify(conn)
    rep.checks.append(Check("audit log", a.ok, f"{a.rows} entries" if a.ok
                            else f"row {a.first_bad_id}: {a.problem}"))
    rep.heads["audit_log"] = a.head
    for table in CHAINED:
        c = chain.verify(conn, table)
        rep.checks.append(Check(table, c.ok, f"{c.rows} rows" if c.ok else
                                f"row {c.first_bad_id}: {c.problem}" if c.first_bad_id else c.problem))
        rep.heads[table] = c.head
    problems = seals.verify(conn)
    rep.checks.append(Check("records (sealed per search and import)", not problems, "; ".join(problems)
                            or "every record matches its seal"))
    return rep


def check(conn: sqlite3.Connection) -> Report:
    """``verify`` plus SQLite's own checks and the counts that must agree."""
    rep = Report()
    bad = doctor.integrity(conn)
    rep.checks.append(Check("SQLite integrity", not bad, "; ".join(bad[:5]) or "ok"))
    fk = doctor.foreign_keys(conn)
    rep.checks.append(Check("foreign keys", not fk, "; ".join(fk[:5]) or "ok"))
    v = verify(conn)
    rep.checks.extend(v.checks)
    rep.heads = v.heads
    units = doctor.unit_problems(conn)
    rep.checks.append(Check("screening units", not units, "; ".join(units) or
                            "every record in one unit; units match the duplicate groups"))
    rep.checks.append(_prisma(conn))
    return rep


def _prisma(conn: sqlite3.Connection) -> Check:
    """PRISMA's identities: each holds once its pending units are counted in."""
    from review.prisma.counts import compute
    from review.project import project_protocol

    flow = compute(conn, project_protocol(conn))
    failed = [c for c in flow.checks() if not c.accounted]
    pending = flow.pending_units
    detail = "; ".join(f"{c.identity}: {c.left} != {c.right}" for c in failed) or (
        "hold" + (f" ({pending} unit(s) still pending)" if pending else ""))
    return Check("PRISMA identities", not failed, detail)
