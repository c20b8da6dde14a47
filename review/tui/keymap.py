"""The user's keymap file: binding id -> keys, applied with Textual's own
keymap mechanism (``App.set_keymap``: every ``Binding`` whose ``id`` is in the
map gets the map's keys instead of its defaults).

The file is ``$REVIEW_KEYMAP``, else ``keymap.toml`` in the user config
directory (``~/.config/review/keymap.toml`` on Linux, honouring
``$XDG_CONFIG_HOME``). It is TOML; dotted ids may be written bare, quoted or
as tables, and several keys are separated by commas::

    dedup.merge = "x"            # x merges instead of m
    "dedup.keep" = "n,ctrl+k"    # n or ctrl+k keeps apart
    [app]
    help = "f1"

A file that cannot be used is refused as a whole (the app does not start)
with a message naming the file, the line and the binding id, and listing the
ids with their default keys.
"""

from __future__ import annotations

import os
import re
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding
from textual.keys import Keys, _character_to_key, key_to_character

from review.errors import BadInput

MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
RESERVED = {
    "up": "scrolls the view", "down": "scrolls the view", "left": "scrolls the view",
    "right": "scrolls the view", "pageup": "scrolls the view", "pagedown": "scrolls the view",
    "home": "scrolls the view", "end": "scrolls the view", "tab": "moves the focus",
    "shift+tab": "moves the focus", "ctrl+c": "copies text", "ctrl+q": "quits at once",
}
NAMED_KEYS = ({k.value for k in Keys if not k.value.startswith("<") and "+" not in k.value}
              | {_character_to_key(c) for c in string.printable if not c.isspace()})


@dataclass(frozen=True)
class BindingInfo:
    """One remappable binding: its id, default keys, what it does, where it applies."""

    id: str
    keys: str
    description: str
    context: str


def file_key(key: str) -> str:
    """A Textual key as it is written in the keymap file ('question_mark' -> '?')."""
    char = key_to_character(key)
    return char if char and char.isprintable() and not char.isspace() and char != "," else key


def keymap_path() -> Path:
    """Where the keymap file is looked for."""
    env = os.environ.get("REVIEW_KEYMAP")
    if env:
        return Path(env).expanduser()
    import platformdirs  # installed with textual

    return platformdirs.user_config_path("review", appauthor=False) / "keymap.toml"


def class_bindings(cls) -> list[Binding]:
    """The bindings a class declares, its bases' first (as Textual merges them)."""
    out: list[Binding] = []
    for base in reversed(cls.__mro__):
        out.extend(Binding.make_bindings(base.__dict__.get("BINDINGS", [])))
    return out


def contexts() -> dict[str, list[Binding]]:
    """Each place keys are looked up together -> the bindings active there
    (every registered screen with the app's bindings; the help screen alone)."""
    from review.tui.app import ReviewApp
    from review.tui.registry import SCREENS, screen_class
    from review.tui.screens.help import HelpScreen

    app = [b for b in class_bindings(ReviewApp) if b.id]
    out = {name: [b for b in class_bindings(screen_class(name)) if b.id] + app for name in SCREENS}
    out["help"] = [b for b in class_bindings(HelpScreen) if b.id]
    return out


def known_bindings() -> dict[str, BindingInfo]:
    """Every binding id of the app, with its default keys (as typed in the file)."""
    out: dict[str, BindingInfo] = {}
    for context, bindings in contexts().items():
        for b in bindings:
            info = out.get(b.id)
            key = file_key(b.key)
            if info is None:
                out[b.id] = BindingInfo(b.id, key, b.description, context)
            elif key not in info.keys.split(","):
                out[b.id] = BindingInfo(b.id, f"{info.keys},{key}", info.description, info.context)
    return out


def defaults_text() -> str:
    """The binding ids and their default keys, as lines of a keymap file."""
    known = known_bindings()
    width = max(len(i) for i in known) + 2
    lines = [f'  {f"{b.id!s}":<{width}} = "{b.keys}"   # {b.description or "-"}'
             for b in sorted(known.values(), key=lambda b: b.id)]
    return "Binding ids and their default keys:\n" + "\n".join(lines)


def _flatten(table: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for k, v in table.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def _line_of(text: str, binding_id: str) -> int | None:
    """The line that sets ``binding_id`` (bare, quoted, or its last part under a table)."""
    last = binding_id.rsplit(".", 1)[-1]
    for pattern in (rf'^\s*["\']?{re.escape(binding_id)}["\']?\s*=', rf'^\s*["\']?{re.escape(last)}["\']?\s*='):
        for n, line in enumerate(text.splitlines(), 1):
            if re.match(pattern, line):
                return n
    return None


def check_key(key: str) -> str | None:
    """Why ``key`` is not a key Textual can bind, or None if it is."""
    if not key:
        return "an empty key"
    *mods, base = key.split("+") if len(key) > 1 else [key]
    bad = [m for m in mods if m not in MODIFIERS]
    if bad:
        return f"'{bad[0]}' is not a modifier (use ctrl, shift, alt, meta, super or hyper)"
    if len(base) == 1 or base in NAMED_KEYS:
        return None
    return f"'{base}' is not a key name (examples: x, X, ?, f1, enter, space, ctrl+x)"


def parse_keymap(text: str, path: Path | str) -> dict[str, str]:
    """Validate a keymap file's text; returns {binding id: "key[,key]"} (keys normalised)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"{path}: not a valid TOML keymap ({exc})\n{defaults_text()}") from None
    known = known_bindings()
    keymap: dict[str, str] = {}
    for binding_id, value in _flatten(data).items():
        line = _line_of(text, binding_id)
        where = f"{path}:{line}" if line else str(path)
        if binding_id not in known:
            raise BadInput(f"{where}: unknown binding id '{binding_id}'\n{defaults_text()}")
        if not isinstance(value, str):
            raise BadInput(f'{where}: {binding_id} must be a string of keys, like "x" or "x,ctrl+x"'
                           f" (not {value!r})\n{defaults_text()}")
        keys = []
        for raw in value.split(","):
            k = raw.strip()
            k = _character_to_key(k) if len(k) == 1 else k
            why = check_key(k)
            if why is None and k in RESERVED:
                why = f"'{raw.strip()}' {RESERVED[k]} and cannot be remapped"
            if why is not None:
                raise BadInput(f"{where}: {binding_id} = {value!r}: {why}\n{defaults_text()}")
            keys.append(k)
        keymap[binding_id] = ",".join(keys)
    _check_clashes(keymap, path, text)
    return keymap


def _check_clashes(keymap: dict[str, str], path, text: str) -> None:
    """Refuse a keymap under which one key would do two things in one place."""
    for context, bindings in contexts().items():
        owner: dict[str, str] = {}
        for b in bindings:
            for k in keymap.get(b.id, b.key).split(","):
                other = owner.setdefault(k, b.id)
                if other != b.id:
                    ids = [i for i in (other, b.id) if i in keymap] or [b.id]
                    line = _line_of(text, ids[0])
                    where = f"{path}:{line}" if line else str(path)
                    raise BadInput(f"{where}: key '{file_key(k)}' would be both {other} and {b.id} "
                                   f"on the {context} screen; give one of them another key\n{defaults_text()}")


def load_keymap(path: Path | str | None = None) -> tuple[dict[str, str], Path | None]:
    """The user's keymap and the file it came from (``({}, None)`` when there is none).

    A missing default file is no keymap; a missing ``$REVIEW_KEYMAP`` file is an error.
    """
    explicit = path is not None or bool(os.environ.get("REVIEW_KEYMAP"))
    p = Path(path) if path is not None else keymap_path()
    if not p.exists():
        if explicit:
            raise BadInput(f"{p}: no such keymap file (set by REVIEW_KEYMAP)" if path is None
                           else f"{p}: no such keymap file")
        return {}, None
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{p}: cannot read the keymap file ({exc})") from None
    return parse_keymap(text, p), p
