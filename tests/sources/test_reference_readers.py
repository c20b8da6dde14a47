"""Record counts equal to what well-kept readers give on the same files
(issue 16). The numbers were taken once with rispy 0.10.0 (``rispy.loads``)
and bibtexparser 2.1.0 (``parse_file``: entries, failed blocks), installed
only to make this table; neither is a dependency. Titles were compared too
and agree for every RIS record."""

from __future__ import annotations

import pytest
from import_helpers import FORMATS

from review.sources.readers import parse_bytes

RISPY = {  # file: records rispy 0.10.0 reads
    "ris/asreview_baseline_empty_values.ris": 4, "ris/asreview_baseline_reference_types.ris": 61,
    "ris/asreview_embase.ris": 6, "ris/asreview_ovid_zotero.ris": 6, "ris/asreview_proquest.ris": 6,
    "ris/asreview_pubmed_endnote.txt": 6, "ris/asreview_pubmed_zotero.ris": 6, "ris/colrev_proquest_abi.ris": 2,
    "ris/colrev_psycinfo.ris": 1, "ris/colrev_trid.ris": 3, "ris/own_cochrane_central.ris": 2,
    "ris/own_ovid_medline.ris": 2, "ris/own_ovid_psycinfo_nl.ris": 2, "ris/rispy_example_bom.ris": 1,
    "ris/rispy_example_empty_tag.ris": 1, "ris/rispy_example_full.ris": 2, "ris/rispy_example_multiline.ris": 3,
    "ris/rispy_example_utf_chars.ris": 1,
}
BIBTEXPARSER = {  # file: (entries, failed blocks) bibtexparser 2.1.0 reads
    "bibtex/colrev_scopus.bib": (11, 0), "bibtex/own_broken_entry.bib": (3, 1), "bibtex/own_scopus.bib": (2, 0),
}


@pytest.mark.parametrize("rel,n", sorted(RISPY.items()))
def test_ris_record_counts_equal_rispy(rel, n):
    fmt, recs = parse_bytes((FORMATS / rel).read_bytes(), rel)
    assert fmt == "ris" and len(recs) == n


@pytest.mark.parametrize("rel,counts", sorted(BIBTEXPARSER.items()))
def test_bibtex_entry_counts_equal_bibtexparser(rel, counts):
    fmt, recs = parse_bytes((FORMATS / rel).read_bytes(), rel)
    assert fmt == "bibtex" and (len(recs), len(recs.refused)) == counts
