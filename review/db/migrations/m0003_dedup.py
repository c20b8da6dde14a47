"""Deduplication runs, candidate pairs with explanations, and decisions."""

SQL = """
-- One row per `review dedup` run over the project.
CREATE TABLE dedup_runs (
    id           INTEGER PRIMARY KEY,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    actor        TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    records      INTEGER NOT NULL DEFAULT 0,
    candidates   INTEGER NOT NULL DEFAULT 0,
    compared     INTEGER NOT NULL DEFAULT 0,
    certain      INTEGER NOT NULL DEFAULT 0,
    possible     INTEGER NOT NULL DEFAULT 0,
    groups       INTEGER NOT NULL DEFAULT 0,
    details      TEXT NOT NULL DEFAULT '{}'
);

-- Pairs judged certain or possible in a run, with the comparison that explains them.
CREATE TABLE dedup_pairs (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES dedup_runs (id),
    record_a   INTEGER NOT NULL REFERENCES records (id),
    record_b   INTEGER NOT NULL REFERENCES records (id),
    tier       TEXT NOT NULL CHECK (tier IN ('certain', 'possible')),
    rule       TEXT NOT NULL,
    score      REAL NOT NULL,
    merged     INTEGER NOT NULL DEFAULT 0,
    refused    TEXT NOT NULL DEFAULT '',
    reasons    TEXT NOT NULL DEFAULT '[]',
    comparison TEXT NOT NULL DEFAULT '{}',
    CHECK (record_a < record_b)
);
CREATE INDEX dedup_pairs_run ON dedup_pairs (run_id, tier);
CREATE INDEX dedup_pairs_a ON dedup_pairs (record_a);
CREATE INDEX dedup_pairs_b ON dedup_pairs (record_b);

-- A person's decisions on pairs: append-only; 'undo' retracts an earlier row.
CREATE TABLE dedup_decisions (
    id         INTEGER PRIMARY KEY,
    ts         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    record_a   INTEGER NOT NULL REFERENCES records (id),
    record_b   INTEGER NOT NULL REFERENCES records (id),
    decision   TEXT NOT NULL CHECK (decision IN ('merge', 'keep', 'undo')),
    pair_id    INTEGER REFERENCES dedup_pairs (id),
    supersedes INTEGER REFERENCES dedup_decisions (id),
    note       TEXT,
    CHECK (record_a < record_b)
);
CREATE INDEX dedup_decisions_pair ON dedup_decisions (record_a, record_b);

CREATE TRIGGER dedup_decisions_append_only_u BEFORE UPDATE ON dedup_decisions
BEGIN SELECT RAISE(ABORT, 'dedup decisions are append-only'); END;
CREATE TRIGGER dedup_decisions_append_only_d BEFORE DELETE ON dedup_decisions
BEGIN SELECT RAISE(ABORT, 'dedup decisions are append-only'); END;
"""
