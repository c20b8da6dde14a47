"""The people's workflow: stable screening units, one vocabulary of events,
studies that gather reports, and extraction values and quality scores with a
settled marker and arms.

- ``units``: what is screened. A unit is a duplicate group with an id that
  survives re-runs of deduplication. ``unit_members`` maps every record to its
  unit. When groups change, ``unit_lineage`` says which earlier units a unit
  came from (``merge``: the whole earlier unit; ``split``: a part of it), so
  the decisions made on the earlier units carry over (review/db/units.py).
- ``events``: every screening decision, resolution, rule exclusion, flag,
  report location, note and undo, append-only, hash-chained.
- ``studies`` / ``study_links``: a study gathers one or more reports (units).
- ``extraction_values`` / ``quality_scores``: reviewers' entries, submissions
  and the adjudicator's reconciled (settled) values, append-only, hash-chained.

The events, extraction and quality tables of migration 0001 were never
written by any version of review; they are replaced. Existing records get one
unit per duplicate group (the unit id is the group's id).
"""

SQL = """
CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    origin     TEXT NOT NULL CHECK (origin IN ('record', 'merge', 'split')),
    retired_at TEXT
);

CREATE TABLE unit_members (
    record_id INTEGER PRIMARY KEY REFERENCES records (id),
    unit_id   INTEGER NOT NULL REFERENCES units (id)
);
CREATE INDEX unit_members_unit ON unit_members (unit_id);

CREATE TABLE unit_lineage (
    unit_id   INTEGER NOT NULL REFERENCES units (id),
    parent_id INTEGER NOT NULL REFERENCES units (id),
    kind      TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
    ts        TEXT NOT NULL,
    PRIMARY KEY (unit_id, parent_id),
    CHECK (unit_id != parent_id)
) WITHOUT ROWID;
CREATE INDEX unit_lineage_parent ON unit_lineage (parent_id);

INSERT INTO units (id, created_at, origin)
    SELECT DISTINCT COALESCE(g.group_id, r.id), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'record'
    FROM records r LEFT JOIN record_groups g ON g.record_id = r.id;
INSERT INTO unit_members (record_id, unit_id)
    SELECT r.id, COALESCE(g.group_id, r.id) FROM records r LEFT JOIN record_groups g ON g.record_id = r.id;

DROP TABLE events;
CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    ts         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    stage      TEXT NOT NULL CHECK (stage IN ('automation', 'title_abstract', 'full_text')),
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    record_id  INTEGER REFERENCES records (id),
    kind       TEXT NOT NULL
               CHECK (kind IN ('decision', 'resolution', 'rule', 'flag', 'report', 'note', 'undo')),
    decision   TEXT CHECK (decision IN ('include', 'exclude', 'maybe', 'not_retrieved')),
    reason     TEXT,
    note       TEXT,
    payload    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    supersedes INTEGER REFERENCES events (id),
    origin     TEXT NOT NULL DEFAULT 'local',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    CHECK (kind != 'undo' OR supersedes IS NOT NULL),
    CHECK ((kind IN ('decision', 'resolution', 'rule')) = (decision IS NOT NULL)),
    CHECK (kind != 'resolution' OR decision IN ('include', 'exclude')),
    CHECK (kind != 'rule' OR (decision = 'exclude' AND reason IS NOT NULL)),
    CHECK (kind != 'flag' OR reason IS NOT NULL),
    CHECK (decision IS NOT 'not_retrieved' OR stage = 'full_text'),
    CHECK (kind NOT IN ('rule', 'flag') OR stage = 'automation'),
    CHECK (stage != 'automation' OR kind IN ('rule', 'flag', 'undo', 'note'))
);
CREATE INDEX events_unit ON events (unit_id, stage);
CREATE INDEX events_actor ON events (actor, stage);
CREATE INDEX events_supersedes ON events (supersedes) WHERE supersedes IS NOT NULL;

CREATE TABLE studies (
    id         INTEGER PRIMARY KEY,
    label      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    actor      TEXT NOT NULL
);

-- Which study a report (a unit) belongs to: append-only, the latest row per unit
-- counts; study_id NULL takes the report out of every study.
CREATE TABLE study_links (
    id        INTEGER PRIMARY KEY,
    ts        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    unit_id   INTEGER NOT NULL REFERENCES units (id),
    study_id  INTEGER REFERENCES studies (id),
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX study_links_unit ON study_links (unit_id);

DROP TABLE extraction_values;
CREATE TABLE extraction_values (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    ts         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    study_id   INTEGER NOT NULL REFERENCES studies (id),
    arm        TEXT NOT NULL DEFAULT '',
    field      TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('entry', 'submit', 'reconciled', 'undo')),
    value      TEXT CHECK (value IS NULL OR json_valid(value)),
    derived    TEXT NOT NULL DEFAULT 'entered',
    settled    INTEGER NOT NULL DEFAULT 0 CHECK (settled IN (0, 1)),
    note       TEXT,
    supersedes INTEGER REFERENCES extraction_values (id),
    origin     TEXT NOT NULL DEFAULT 'local',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    CHECK ((kind = 'reconciled') = (settled = 1)),
    CHECK (kind != 'undo' OR supersedes IS NOT NULL),
    CHECK ((kind = 'submit') = (field = '*'))
);
CREATE INDEX extraction_study ON extraction_values (study_id, field, arm);

DROP TABLE quality_scores;
CREATE TABLE quality_scores (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    ts         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    study_id   INTEGER NOT NULL REFERENCES studies (id),
    tool       TEXT NOT NULL,
    item       INTEGER NOT NULL CHECK (item BETWEEN 0 AND 12),
    kind       TEXT NOT NULL CHECK (kind IN ('entry', 'submit', 'reconciled', 'undo')),
    score      INTEGER CHECK (score IS NULL OR score BETWEEN 0 AND 2),
    settled    INTEGER NOT NULL DEFAULT 0 CHECK (settled IN (0, 1)),
    note       TEXT,
    supersedes INTEGER REFERENCES quality_scores (id),
    origin     TEXT NOT NULL DEFAULT 'local',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    CHECK ((kind = 'reconciled') = (settled = 1)),
    CHECK (kind != 'undo' OR supersedes IS NOT NULL),
    CHECK ((kind = 'submit') = (item = 0)),
    CHECK (kind = 'submit' OR item >= 1)
);
CREATE INDEX quality_study ON quality_scores (study_id, item);

CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_d BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER unit_lineage_append_only_u BEFORE UPDATE ON unit_lineage
BEGIN SELECT RAISE(ABORT, 'unit lineage is append-only'); END;
CREATE TRIGGER unit_lineage_append_only_d BEFORE DELETE ON unit_lineage
BEGIN SELECT RAISE(ABORT, 'unit lineage is append-only'); END;
CREATE TRIGGER study_links_append_only_u BEFORE UPDATE ON study_links
BEGIN SELECT RAISE(ABORT, 'study links are append-only'); END;
CREATE TRIGGER study_links_append_only_d BEFORE DELETE ON study_links
BEGIN SELECT RAISE(ABORT, 'study links are append-only'); END;
CREATE TRIGGER extraction_append_only_u BEFORE UPDATE ON extraction_values
BEGIN SELECT RAISE(ABORT, 'extraction values are append-only'); END;
CREATE TRIGGER extraction_append_only_d BEFORE DELETE ON extraction_values
BEGIN SELECT RAISE(ABORT, 'extraction values are append-only'); END;
CREATE TRIGGER quality_append_only_u BEFORE UPDATE ON quality_scores
BEGIN SELECT RAISE(ABORT, 'quality scores are append-only'); END;
CREATE TRIGGER quality_append_only_d BEFORE DELETE ON quality_scores
BEGIN SELECT RAISE(ABORT, 'quality scores are append-only'); END;
"""
