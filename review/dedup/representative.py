"""The merged representative of a duplicate group: the best field of each copy
and the provenance of all (records are never changed or deleted)."""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from review.dedup.normalise import norm_doi, norm_id
from review.models import Record


def _longest(values: Sequence[str]) -> str:
    return max(values, key=len, default="")


def _first(values: Sequence[str]) -> str:
    return next((v for v in values if v), "")


def merged_record(records: Sequence[Record], sources: Sequence[str] = ()) -> tuple[Record, list[str]]:
    """(merged Record, sources): longest abstract and title, first DOI/PMID and
    bibliographic field present, the longest author list, all keywords/MeSH;
    ``sources`` (one label per record) collected without repeats."""
    if not records:
        raise ValueError("a group has at least one record")
    base = max(records, key=lambda r: (bool(r.doi), bool(r.pmid), len(r.abstract), len(r.authors)))
    merged = replace(
        base,
        title=_longest([r.title for r in records if r.title and not r.title.isupper()]) or base.title,
        abstract=_longest([r.abstract for r in records]),
        authors=max((r.authors for r in records), key=len),
        year=next((r.year for r in records if r.year), None),
        doi=_first([norm_doi(r.doi) for r in records]),
        pmid=_first([norm_id(r.pmid) for r in records]),
        journal=_longest([r.journal for r in records]),
        journal_abbrev=_first([r.journal_abbrev for r in records]),
        volume=_first([r.volume for r in records]),
        issue=_first([r.issue for r in records]),
        pages=_longest([r.pages for r in records]),
        keywords=tuple(dict.fromkeys(k for r in records for k in r.keywords)),
        mesh=tuple(dict.fromkeys(k for r in records for k in r.mesh)),
        publication_types=tuple(dict.fromkeys(k for r in records for k in r.publication_types)),
    )
    return merged, list(dict.fromkeys(s for s in sources if s))


def project_representative(conn, group_id: int) -> dict:
    """The merged representative of a project group, with every member id and source."""
    from review.db.dedup import group_members
    from review.db.records import iter_records, list_records

    members = group_members(conn, group_id) or [group_id]
    marks = ",".join("?" * len(members))
    recs = [r for _, r in iter_records(conn, f"id IN ({marks})", tuple(members))]
    srcs = [s for d in list_records(conn) if d["id"] in members for s in d["sources"]]
    merged, sources = merged_record(recs, srcs)
    return {"group_id": group_id, "members": sorted(members), "sources": sources, "record": merged}
