"""Flows made by hand for the output tests (no project needed): one with the
names that break R's parse of the PRISMA2020 CSV, one with many reasons."""

from __future__ import annotations

from review.prisma.counts import Flow


def awkward() -> Flow:
    """Names with commas, semicolons, quotes and Chinese text; thousands; names
    that become equal once made safe. The identities hold."""
    databases = {"PubMed": 1234, "Embase, Ovid": 560, "CNKI; 知网": 75, "Web of Science": 10}
    registers = {"ClinicalTrials.gov": 5, "WHO 'ICTRP'": 1}
    reasons = {"no ORR, CRR or dead rate reported": 40, "case report, review, letter or other unsuitable type": 12,
               "wrong population; adults only": 7, 'the "gold standard" missing': 3, "trial 2, arm B": 2,
               "a, b": 1, "a / b": 1, "剂量不明": 1}
    identified = sum(databases.values()) + sum(registers.values())       # 1885
    duplicates, automatic, other = 400, 159, 274
    screened = identified - duplicates - automatic - other               # 1052
    excluded = 900
    sought = screened - excluded                                         # 152
    not_retrieved = 3
    assessed = sought - not_retrieved                                    # 149
    reports = assessed - sum(reasons.values())                           # 82
    empty = {"units": 0, "undecided": 0, "conflict": 0, "records": []}
    return Flow(databases, registers, duplicates, automatic, other, screened, excluded, sought, not_retrieved,
                assessed, reasons, new_studies=32, new_reports=reports,
                pending={"title_abstract": dict(empty), "full_text": dict(empty)}, notes=[])
