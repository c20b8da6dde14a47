"""Screening support: a full-text index of titles and abstracts for the
screening search, the scope of a reviewer's pack, and stage closures.

- ``records_fts``: an FTS5 index (contentless: the text stays in ``records``)
  filled lazily by review/db/screening.py up to the newest record before a
  search, so imports are not slowed. Left out when this SQLite has no FTS5
  (search then scans the text).
- ``pack_scope``: in a pack file (``review pack``) only, the units its
  reviewer screens at each stage, fixed when the pack was written (the
  other reviewer's decisions that decide full-text eligibility stay home).
- ``stage_closures``: a stage closed (or reopened) by an adjudicator;
  append-only, the latest row of a stage counts.
- ``events_latest``: a person's latest event at a stage without a sort (undo);
  ``events_standing``: every unit's latest decisions read from the index
  alone, in order (the screening queue of 100,000 units).
"""

import sqlite3


def _has_fts5() -> bool:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(a)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


FTS = """
CREATE VIRTUAL TABLE records_fts USING fts5(
    title, abstract, content='', tokenize='unicode61 remove_diacritics 2'
);
"""

SQL = (FTS if _has_fts5() else "") + """
CREATE INDEX events_latest ON events (actor, stage, kind, ts, uid);
CREATE INDEX events_standing ON events (stage, kind, unit_id, actor, ts, uid, decision);

CREATE TABLE pack_scope (
    stage   TEXT NOT NULL CHECK (stage IN ('title_abstract', 'full_text')),
    unit_id INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (stage, unit_id)
) WITHOUT ROWID;

CREATE TABLE stage_closures (
    id      INTEGER PRIMARY KEY,
    ts      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    stage   TEXT NOT NULL CHECK (stage IN ('title_abstract', 'full_text')),
    action  TEXT NOT NULL CHECK (action IN ('close', 'reopen')),
    details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
);
CREATE TRIGGER stage_closures_append_only_u BEFORE UPDATE ON stage_closures
BEGIN SELECT RAISE(ABORT, 'stage closures are append-only'); END;
CREATE TRIGGER stage_closures_append_only_d BEFORE DELETE ON stage_closures
BEGIN SELECT RAISE(ABORT, 'stage closures are append-only'); END;
"""
