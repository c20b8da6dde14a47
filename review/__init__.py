"""review: a terminal-first tool for systematic reviews and meta-analysis."""

__version__ = "0.1.0"
