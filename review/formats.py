"""Names of the import formats (shared by the protocol, the CLI and the parsers)."""

FORMAT_NAMES = (
    "auto",
    "pubmed-xml",
    "medline",
    "ris",
    "endnote-xml",
    "endnote",
    "bibtex",
    "wos",
    "csv",
    "cnki",
    "wanfang",
)
