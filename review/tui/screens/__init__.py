"""The screens of the review app, one module each (registered in review.tui.registry)."""
