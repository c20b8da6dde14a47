"""The first schema: project, people, search log, records with provenance,
duplicate groups, decision events, extraction, quality and the audit log."""

SQL = """
-- One row per setting: protocol id, the protocol text as loaded, created_at.
CREATE TABLE project (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE people (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('reviewer', 'adjudicator', 'lead'))
);

-- The search and import log (PRISMA-S): one row per PubMed search or file import.
CREATE TABLE searches (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('search', 'import')),
    source         TEXT NOT NULL,
    query          TEXT,
    mindate        TEXT,
    maxdate        TEXT,
    file           TEXT,
    file_sha256    TEXT,
    format         TEXT,
    status         TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed', 'interrupted')),
    count_reported INTEGER,
    count_found    INTEGER,
    count_added    INTEGER,
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    tool_version   TEXT NOT NULL,
    actor          TEXT,
    details        TEXT NOT NULL DEFAULT '{}'
);

-- One row per record as one source gave it; never deleted (duplicates are grouped).
CREATE TABLE records (
    id                INTEGER PRIMARY KEY,
    source            TEXT NOT NULL,
    fingerprint       TEXT NOT NULL,
    source_ref        TEXT NOT NULL DEFAULT '',
    pmid              TEXT NOT NULL DEFAULT '',
    doi               TEXT NOT NULL DEFAULT '',
    title             TEXT NOT NULL DEFAULT '',
    abstract          TEXT NOT NULL DEFAULT '',
    authors           TEXT NOT NULL DEFAULT '[]',
    year              INTEGER,
    journal           TEXT NOT NULL DEFAULT '',
    journal_abbrev    TEXT NOT NULL DEFAULT '',
    volume            TEXT NOT NULL DEFAULT '',
    issue             TEXT NOT NULL DEFAULT '',
    pages             TEXT NOT NULL DEFAULT '',
    issn_print        TEXT NOT NULL DEFAULT '',
    issn_electronic   TEXT NOT NULL DEFAULT '',
    issn_linking      TEXT NOT NULL DEFAULT '',
    nlm_id            TEXT NOT NULL DEFAULT '',
    publication_types TEXT NOT NULL DEFAULT '[]',
    mesh              TEXT NOT NULL DEFAULT '[]',
    keywords          TEXT NOT NULL DEFAULT '[]',
    language          TEXT NOT NULL DEFAULT '',
    url               TEXT NOT NULL DEFAULT '',
    raw               TEXT NOT NULL DEFAULT '{}',
    created_at        TEXT NOT NULL,
    UNIQUE (source, fingerprint)
);
CREATE INDEX records_pmid ON records (pmid) WHERE pmid != '';
CREATE INDEX records_doi ON records (doi) WHERE doi != '';

-- Provenance: every search/import that returned the record.
CREATE TABLE record_searches (
    record_id INTEGER NOT NULL REFERENCES records (id),
    search_id INTEGER NOT NULL REFERENCES searches (id),
    PRIMARY KEY (record_id, search_id)
) WITHOUT ROWID;

-- Duplicate groups, maintained by deduplication: group_id is the id of the
-- group's representative record. A record with no row is its own group.
CREATE TABLE record_groups (
    record_id INTEGER PRIMARY KEY REFERENCES records (id),
    group_id  INTEGER NOT NULL REFERENCES records (id)
);
CREATE INDEX record_groups_group ON record_groups (group_id);

-- Decisions as append-only events (screening, rules, adjudication, undo).
-- The current state is a query over them; undo is a new event.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    ts         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    stage      TEXT NOT NULL,
    record_id  INTEGER NOT NULL REFERENCES records (id),
    kind       TEXT NOT NULL,
    reason     TEXT,
    payload    TEXT NOT NULL DEFAULT '{}',
    supersedes INTEGER REFERENCES events (id)
);
CREATE INDEX events_record ON events (record_id, stage);
CREATE INDEX events_actor ON events (actor, stage);

-- Extraction values and MINORS scores: append-only, one row per entry.
CREATE TABLE extraction_values (
    id        INTEGER PRIMARY KEY,
    ts        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    record_id INTEGER NOT NULL REFERENCES records (id),
    field     TEXT NOT NULL,
    value     TEXT,
    note      TEXT
);
CREATE INDEX extraction_record ON extraction_values (record_id, field);

CREATE TABLE quality_scores (
    id        INTEGER PRIMARY KEY,
    ts        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    record_id INTEGER NOT NULL REFERENCES records (id),
    tool      TEXT NOT NULL,
    item      INTEGER NOT NULL,
    score     INTEGER NOT NULL CHECK (score BETWEEN 0 AND 2),
    note      TEXT
);
CREATE INDEX quality_record ON quality_scores (record_id, item);

-- Who did what and when; each row chained to the previous by hash.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    ts        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT,
    details   TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_d BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER extraction_append_only_u BEFORE UPDATE ON extraction_values
BEGIN SELECT RAISE(ABORT, 'extraction values are append-only'); END;
CREATE TRIGGER extraction_append_only_d BEFORE DELETE ON extraction_values
BEGIN SELECT RAISE(ABORT, 'extraction values are append-only'); END;
CREATE TRIGGER quality_append_only_u BEFORE UPDATE ON quality_scores
BEGIN SELECT RAISE(ABORT, 'quality scores are append-only'); END;
CREATE TRIGGER quality_append_only_d BEFORE DELETE ON quality_scores
BEGIN SELECT RAISE(ABORT, 'quality scores are append-only'); END;
CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
