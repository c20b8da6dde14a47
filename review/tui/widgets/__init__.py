"""Widgets shared by the screens of the review app."""

from review.tui.widgets.compare import CompareView, comparison
from review.tui.widgets.status import StatusLine

__all__ = ["CompareView", "StatusLine", "comparison"]
