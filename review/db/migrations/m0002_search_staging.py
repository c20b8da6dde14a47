"""Staging for PubMed searches (batches fetched before records are stored).

A running search writes here, never to ``records``: the date windows it planned
(with their esearch counts), the PMIDs each window listed, and every fetched
record (parsed, as a ``records`` row in JSON). When all is fetched the staged
records move into ``records`` in one transaction and the staging rows go. A
search that fails or is interrupted keeps its staging rows, so resuming it
fetches only the PMIDs not yet staged.
"""

SQL = """
CREATE TABLE search_windows (
    search_id   INTEGER NOT NULL REFERENCES searches(id),
    mindate     TEXT NOT NULL,
    maxdate     TEXT NOT NULL,
    depth       INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL CHECK (status IN ('planned', 'split', 'listed')),
    count       INTEGER,
    webenv      TEXT,
    query_key   TEXT,
    PRIMARY KEY (search_id, mindate, maxdate)
);

CREATE TABLE search_pmids (
    search_id   INTEGER NOT NULL REFERENCES searches(id),
    pmid        TEXT NOT NULL,
    mindate     TEXT NOT NULL,
    rank        INTEGER NOT NULL,
    PRIMARY KEY (search_id, pmid)
);

CREATE TABLE search_staged (
    search_id   INTEGER NOT NULL REFERENCES searches(id),
    pmid        TEXT NOT NULL,
    row         TEXT NOT NULL,
    PRIMARY KEY (search_id, pmid)
);
"""
