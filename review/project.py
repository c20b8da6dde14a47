"""A review project: one database created from one protocol.

``init_project`` creates (or safely re-opens) ``screening_db/<protocol id>.db``
and stores the protocol text in it, so the database carries the protocol it
was run under; ``status`` summarises where the review stands, stage by stage.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from review import __version__
from review.clock import current_actor, now
from review.db import audit, open_db, schema_version, transaction
from review.db import dedup as ddb
from review.db import project as pdb
from review.db import records as records_db
from review.errors import BadInput
from review.protocol import Protocol, load_protocol, parse_protocol

DEFAULT_DB_DIR = Path("screening_db")


@dataclass(frozen=True)
class InitResult:
    db_path: Path
    created: bool
    protocol_changed: bool
    protocol: Protocol


def _sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_db_path(protocol: Protocol) -> Path:
    return DEFAULT_DB_DIR / f"{protocol.id}.db"


def init_project(protocol_path: str | Path, db_path: str | Path | None = None) -> InitResult:
    """Create the project database, or bring an existing one up to date.

    Safe to run again: the schema is migrated, the stored protocol is replaced
    only if its text changed (and that change is audited). A database made
    from another protocol id is refused.
    """
    protocol = load_protocol(protocol_path)
    text = Path(protocol_path).read_text(encoding="utf-8")
    path = Path(db_path) if db_path else default_db_path(protocol)
    created = not path.exists()
    conn = open_db(path, create=True)
    try:
        with transaction(conn):
            settings = pdb.settings(conn)
            if settings and settings.get("protocol_id") != protocol.id:
                raise BadInput(
                    f"{path} belongs to protocol '{settings.get('protocol_id')}', not '{protocol.id}'",
                    where=str(protocol_path),
                )
            changed = bool(settings) and settings.get("protocol_toml") != text
            values = {
                "protocol_id": protocol.id,
                "protocol_path": str(Path(protocol_path).resolve()),
                "protocol_toml": text,
            }
            if not settings:
                values["created_at"] = now()
                values["created_with"] = __version__
            pdb.put_settings(conn, values)
            pdb.put_people(conn, protocol.people.reviewers, protocol.people.adjudicators)
            if created or not settings:
                audit.log(conn, current_actor(), "init", protocol.id,
                          {"db": str(path), "protocol_sha256": _sha256(text)})
            elif changed:
                old = settings.get("protocol_toml") or ""
                # the protocol in force until now stays readable in the audit log
                audit.log(conn, current_actor(), "protocol-updated", protocol.id,
                          {"previous_sha256": _sha256(old), "protocol_sha256": _sha256(text),
                           "previous_protocol_toml": old})
    finally:
        conn.close()
    return InitResult(path, created, changed, protocol)


def project_protocol(conn: sqlite3.Connection) -> Protocol:
    """The protocol stored in the project database."""
    text = pdb.setting(conn, "protocol_toml")
    if text is None:
        raise BadInput("this database has no protocol: run 'review init PROTOCOL --db ...'")
    return parse_protocol(text, pdb.setting(conn, "protocol_path") or "<stored protocol>")


def status(conn: sqlite3.Connection) -> dict:
    """Where the review stands, stage by stage (all numbers from the database)."""
    protocol = project_protocol(conn)
    searches = [
        {
            "id": r["id"], "kind": r["kind"], "source": r["source"], "status": r["status"],
            "file": r["file"], "query": r["query"], "found": r["count_found"],
            "added": r["count_added"], "reported": r["count_reported"], "started_at": r["started_at"],
        }
        for r in records_db.searches(conn)
    ]
    by_source = records_db.records_by_source(conn)
    n_records = records_db.count_records(conn)
    n_grouped = ddb.count_grouped(conn)
    n_groups = ddb.count_groups(conn)
    counts = pdb.counts(conn)

    from review.screening.summary import automation_summary, stage_summary

    return {
        "protocol": {"id": protocol.id, "title": protocol.title, "registration": protocol.registration},
        "database": {"schema_version": schema_version(conn), "tool_version": __version__},
        "people": {"reviewers": list(protocol.people.reviewers),
                   "adjudicators": list(protocol.people.adjudicators)},
        "identification": {
            "records": n_records, "by_source": by_source, "searches": searches,
            "completed": sum(1 for x in searches if x["status"] == "complete"),
            "unfinished": sum(1 for x in searches if x["status"] != "complete"),
        },
        "deduplication": {
            "records": n_records,
            "deduplicated": n_grouped > 0 or ddb.count_runs(conn) > 0,
            "possible_pairs_open": _open_pairs(conn),
            "unique": n_groups,
            "duplicates": n_records - n_groups,
        },
        "automation": automation_summary(conn),
        "title_abstract": stage_summary(conn, protocol, "title_abstract"),
        "full_text": stage_summary(conn, protocol, "full_text"),
        "extraction": {"studies": counts["extraction_studies"], "values": counts["extraction_values"]},
        "quality": {"tool": protocol.quality.tool, "studies": counts["quality_studies"]},
        "audit": {"entries": counts["audit_entries"]},
    }


def _open_pairs(conn: sqlite3.Connection) -> int:
    from review.dedup.store import open_pairs

    return len(open_pairs(conn))


def format_status(s: dict) -> str:
    """A short human-readable rendering of ``status()``."""
    p = s["protocol"]
    ident = s["identification"]
    dd = s["deduplication"]
    lines = [
        f"{p['id']}: {p['title']}",
        f"  registration  {p['registration'] or '-'}",
        f"  people        reviewers {', '.join(s['people']['reviewers']) or '-'};"
        f" adjudicators {', '.join(s['people']['adjudicators']) or '-'}",
        "",
        f"1 identification  {ident['records']} records from {ident['completed']} searches/imports",
    ]
    if ident["unfinished"]:
        lines[-1] += (f" ({ident['unfinished']} running, failed or interrupted: nothing stored from"
                      " them yet; the same command resumes a stopped one)")
    for src, n in ident["by_source"].items():
        lines.append(f"                    {src}: {n}")
    if dd["deduplicated"]:
        lines.append(f"2 deduplication   {dd['unique']} unique, {dd['duplicates']} duplicates grouped")
        if dd["possible_pairs_open"]:
            lines.append(f"                    {dd['possible_pairs_open']} possible pair(s) wait for a person"
                         " ('review dedup review')")
    else:
        lines.append("2 deduplication   not run yet ('review dedup')")
    from review.screening.summary import format_automation, format_stage

    lines.append("3 automatic rules " + format_automation(s["automation"]))
    lines.append("4 title/abstract  " + format_stage(s["title_abstract"]))
    lines.append("5 full text       " + format_stage(s["full_text"]))
    lines.append(f"6 extraction      {s['extraction']['studies']} studies, {s['extraction']['values']} values")
    lines.append(f"7 quality         {s['quality']['tool']}: {s['quality']['studies']} studies scored")
    lines.append(f"  audit log       {s['audit']['entries']} entries; schema v{s['database']['schema_version']}")
    return "\n".join(lines)


def project_settings(conn: sqlite3.Connection) -> dict:
    return pdb.settings(conn)


def dumps(d: dict) -> str:
    return json.dumps(d, ensure_ascii=False, indent=2)
