"""The screens the review app can open, by name.

A new screen is one module in ``review/tui/screens/`` (a ``ReviewScreen``
subclass) and one line here. Its bindings (with ids) are then remappable in
the keymap file and listed by the help screen; ``ReviewApp(db, start=NAME)``
opens it, and a dashboard can open it with ``app.open_screen(NAME)``.
Modules are imported only when their screen is opened.
"""

from __future__ import annotations

from importlib import import_module

SCREENS: dict[str, str] = {
    "dedup-pairs": "review.tui.screens.dedup_pairs:PairScreen",
    "extract": "review.tui.screens.extraction:ExtractScreen",
    "reconcile": "review.tui.screens.reconcile:ReconcileScreen",
    "minors": "review.tui.screens.minors:MinorsScreen",
}


def screen_class(name: str):
    """The screen class registered as ``name``."""
    from review.errors import BadInput

    try:
        target = SCREENS[name]
    except KeyError:
        raise BadInput(f"no screen named {name!r} (known: {', '.join(sorted(SCREENS))})") from None
    module, _, cls = target.partition(":")
    return getattr(import_module(module), cls)
