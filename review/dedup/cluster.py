"""Conservative clustering: union-find with a cannot-link check on each union.

No group may hold two different DOIs or two different PMIDs, and two records
that a person kept apart never end up in one group. Unions are tried in the
order given (human merges first, then certain pairs by descending score); a
union that would break a constraint is refused and reported.
"""

from __future__ import annotations

from typing import Iterable, Sequence


class Groups:
    """Union-find over record indices with DOI/PMID and kept-apart constraints."""

    def __init__(self, dois: Sequence[str], pmids: Sequence[str], apart: Iterable[tuple[int, int]] = ()):
        n = len(dois)
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {}
        self.dois: dict[int, set[str]] = {i: {dois[i]} for i in range(n) if dois[i]}
        self.pmids: dict[int, set[str]] = {i: {pmids[i]} for i in range(n) if pmids[i]}
        self.apart: dict[int, set[int]] = {}
        for a, b in apart:
            self.apart.setdefault(a, set()).add(b)
            self.apart.setdefault(b, set()).add(a)

    def find(self, i: int) -> int:
        p = self.parent
        root = i
        while p[root] != root:
            root = p[root]
        while p[i] != root:
            p[i], i = root, p[i]
        return root

    def _members(self, r: int) -> list[int]:
        return self.members.get(r, [r])

    def conflict(self, i: int, j: int) -> str:
        """Why the groups of i and j may not be joined ('' when they may)."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return ""
        di, dj = self.dois.get(ri, set()), self.dois.get(rj, set())
        if di and dj and di != dj:
            return "the groups would hold two different DOIs"
        pi, pj = self.pmids.get(ri, set()), self.pmids.get(rj, set())
        if pi and pj and pi != pj:
            return "the groups would hold two different PMIDs"
        small, other = (ri, rj) if len(self._members(ri)) <= len(self._members(rj)) else (rj, ri)
        for m in self._members(small):
            for partner in self.apart.get(m, ()):
                if self.find(partner) == other:
                    return "a person kept two of these records apart"
        return ""

    def union(self, i: int, j: int) -> str:
        """Join the groups of i and j; return '' on success, else the reason it was refused."""
        why = self.conflict(i, j)
        if why:
            return why
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return ""
        if len(self._members(ri)) < len(self._members(rj)):
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.members[ri] = self._members(ri) + self._members(rj)
        self.members.pop(rj, None)
        for table in (self.dois, self.pmids):
            if rj in table:
                table.setdefault(ri, set()).update(table.pop(rj))
        return ""

    def labels(self) -> list[int]:
        """For each index, the smallest index of its group (a stable group label)."""
        n = len(self.parent)
        smallest: dict[int, int] = {}
        roots = [self.find(i) for i in range(n)]
        for i, r in enumerate(roots):
            if r not in smallest:
                smallest[r] = i
        return [smallest[r] for r in roots]


def build_groups(
    dois: Sequence[str],
    pmids: Sequence[str],
    certain: Iterable[tuple[int, int]],
    decisions: dict[tuple[int, int], str],
) -> tuple[Groups, dict[tuple[int, int], str]]:
    """Apply a person's merges, then the certain pairs in the order given.

    Returns the groups and, for each pair tried, '' if joined or the reason
    the union was refused. Kept-apart pairs are never joined.
    """
    keep = [p for p, d in decisions.items() if d == "keep"]
    groups = Groups(dois, pmids, keep)
    outcome: dict[tuple[int, int], str] = {}
    for (i, j), d in sorted(decisions.items()):
        if d == "merge":
            outcome[(i, j)] = groups.union(i, j)
    for i, j in certain:
        if decisions.get((i, j)) == "keep":
            outcome[(i, j)] = "a person kept these records apart"
        elif (i, j) not in outcome:
            outcome[(i, j)] = groups.union(i, j)
    return groups, outcome
