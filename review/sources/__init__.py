"""Sources: PubMed through E-utilities and parsers for export files.

Each parser turns a file (or a response body) into ``review.models.Record``s.
"""
