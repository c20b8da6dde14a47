"""Journal metrics: imported files and fetches, journals with their ISSNs,
metric values (append-only, so history is kept) and the OpenAlex cache."""

SQL = """
-- One row per imported metric file or OpenAlex fetch.
CREATE TABLE journal_imports (
    id           INTEGER PRIMARY KEY,
    file         TEXT NOT NULL,
    sha256       TEXT UNIQUE,
    format       TEXT NOT NULL CHECK (format IN ('jcr', 'scimago', 'csv', 'openalex')),
    kind         TEXT NOT NULL,
    years        TEXT NOT NULL DEFAULT '[]',
    rows         INTEGER NOT NULL DEFAULT 0,
    journals     INTEGER NOT NULL DEFAULT 0,
    metrics      INTEGER NOT NULL DEFAULT 0,
    imported_at  TEXT NOT NULL,
    actor        TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    details      TEXT NOT NULL DEFAULT '{}'
);

-- A journal as the metric sources name it; rows from different files that agree
-- on title key and ISSNs are one journal (identity).
CREATE TABLE journals (
    id         INTEGER PRIMARY KEY,
    identity   TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL DEFAULT '',
    title_key  TEXT NOT NULL DEFAULT '',
    abbrev     TEXT NOT NULL DEFAULT '',
    nlm_id     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX journals_title_key ON journals (title_key);

CREATE TABLE journal_issns (
    journal_id INTEGER NOT NULL REFERENCES journals (id),
    issn       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('print', 'electronic', 'linking', 'other')),
    PRIMARY KEY (journal_id, issn)
) WITHOUT ROWID;
CREATE INDEX journal_issns_issn ON journal_issns (issn);

-- Metric values, append-only: a newer file adds rows, nothing is overwritten.
-- value NULL: the source lists the journal without a value (JCR's N/A).
CREATE TABLE journal_metrics (
    id         INTEGER PRIMARY KEY,
    journal_id INTEGER NOT NULL REFERENCES journals (id),
    import_id  INTEGER NOT NULL REFERENCES journal_imports (id),
    kind       TEXT NOT NULL CHECK (kind IN ('jif', 'user', 'sjr_cites_per_doc_2y', 'openalex_2yr_mean_citedness')),
    year       INTEGER NOT NULL,
    value      REAL,
    qualifier  TEXT NOT NULL DEFAULT '' CHECK (qualifier IN ('', '<')),
    raw        TEXT NOT NULL DEFAULT '',
    line       INTEGER,
    UNIQUE (journal_id, import_id, kind, year)
);
CREATE INDEX journal_metrics_journal ON journal_metrics (journal_id);

-- What OpenAlex answered for each ISSN asked (sources: the matching source
-- objects, trimmed; an empty list when OpenAlex does not know the ISSN).
CREATE TABLE openalex_cache (
    issn       TEXT PRIMARY KEY,
    fetched_at TEXT NOT NULL,
    sources    TEXT NOT NULL DEFAULT '[]'
);

CREATE TRIGGER journal_metrics_append_only_u BEFORE UPDATE ON journal_metrics
BEGIN SELECT RAISE(ABORT, 'journal metrics are append-only'); END;
CREATE TRIGGER journal_metrics_append_only_d BEFORE DELETE ON journal_metrics
BEGIN SELECT RAISE(ABORT, 'journal metrics are append-only'); END;
"""
