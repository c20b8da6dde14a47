"""The extraction form, built from the protocol's [[fields]] and [[outcomes]]:
what each field holds, how a typed entry is read and checked, and how a
stored value is shown again.

Values are stored as JSON (review/db/events.py ``append_values``): an int,
a number, a percent (0-100), text, one of a choice field's values, a median
with its range (``{"median", "low", "high"}``, each possibly null) or true /
false; ``None`` is NA, "not reported". An outcome's count can be entered as
events/n or as a percent of n; the stored row says how it was derived:

- ``entered``            typed as the field's own type;
- ``events_of_n:E/N``    a percent field typed as ``E/N`` (stored 100 E / N);
- ``percent_of_n:P``     an events field typed as ``P%`` of the study's n
                         (stored round(P x n / 100), as the protocol's
                         percent outcomes are turned into events).

Every problem is a ``FieldProblem`` naming the field; callers add the study
(and the file line) to the message.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Mapping

from review.protocol import Field, Protocol

NA_WORDS = {"na", "n/a", "nr", "not reported", "none reported"}
NA_TEXT = "NA"
RANGE_SEP = r"(?:–|—|-|to|,)"
_NUM = r"\d+(?:\.\d+)?"
_MEDIAN_RANGE = re.compile(
    rf"^\s*(?P<m>NA|{_NUM})?\s*(?:[(\[]\s*(?:(?P<lo>{_NUM})\s*{RANGE_SEP}\s*(?P<hi>{_NUM})|NA)\s*[)\]])?\s*$",
    re.IGNORECASE)
_RANGE_ONLY = re.compile(rf"^\s*(?P<lo>{_NUM})\s*{RANGE_SEP}\s*(?P<hi>{_NUM})\s*$")
_EVENTS_OF_N = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
TRUE_WORDS, FALSE_WORDS = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
TYPE_HELP = {
    "int": "a whole number",
    "float": "a number",
    "percent": "a percent, 0-100 (or events/n, e.g. 4/27)",
    "text": "text",
    "choice": "one of the listed values",
    "median_range": "a median with its range, e.g. 60 (38-76); NA (18-69) when only the range is reported",
    "bool": "yes or no",
}
#: Two numbers agree when they differ by less than this (percents printed with two decimals).
NUMBER_TOLERANCE = 0.005


class FieldProblem(ValueError):
    """A value that cannot be stored: ``field`` names the field."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"field {field!r}: {message}")


@dataclass(frozen=True)
class Parsed:
    value: Any          # JSON-able; None is NA
    derived: str = "entered"


@dataclass(frozen=True)
class FormField:
    """One field of the form, with what the outcomes make of it."""

    name: str
    label: str
    type: str
    unit: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False
    events_of: tuple[str, ...] = ()    # outcomes whose events this field counts
    percent_of: tuple[str, ...] = ()   # outcomes whose percent this field is
    n_of: tuple[str, ...] = ()         # outcomes whose denominator this field is
    n_field: str | None = None         # the denominator of this field's outcomes

    @property
    def help(self) -> str:
        """What to type, as the form shows it under the label."""
        parts = [TYPE_HELP[self.type]]
        if self.choices:
            parts = [" / ".join(self.choices)]
        if self.events_of:
            parts = [f"a whole number of events (<= {self.n_field}), or a percent of {self.n_field}, e.g. 14.8%"]
        if self.unit:
            parts.append(f"in {self.unit}")
        if self.events_of or self.percent_of or self.n_of:
            roles = [f"events of {', '.join(self.events_of)}"] if self.events_of else []
            roles += [f"percent of {', '.join(self.percent_of)}"] if self.percent_of else []
            roles += [f"n of {', '.join(self.n_of)}"] if self.n_of else []
            parts.append("; ".join(roles))
        parts.append("required" if self.required else "NA if not reported")
        return "; ".join(parts)

    def parse(self, text: Any, n: int | None = None) -> Parsed:
        """Read one typed entry (``n``: the study's n, for a percent typed into an
        events field). Raises FieldProblem saying what was expected."""
        return _parse(self, text, n)

    def show(self, value: Any) -> str:
        """A stored value as the form and the exports show it."""
        return show_value(self.type, value)

    def same(self, a: Any, b: Any) -> bool:
        """Whether two reviewers' values agree (numbers to two decimals, text
        regardless of case and spacing)."""
        return same_value(self.type, a, b)


@dataclass(frozen=True)
class Form:
    fields: tuple[FormField, ...]

    @classmethod
    def from_protocol(cls, protocol: Protocol) -> "Form":
        out = []
        for f in protocol.fields:
            out.append(_form_field(f, protocol))
        return cls(tuple(out))

    def __iter__(self):
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def get(self, name: str) -> FormField:
        for f in self.fields:
            if f.name == name:
                return f
        for f in self.fields:
            if f.name.lower() == name.lower():
                return f
        near = difflib.get_close_matches(name, self.names, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else f" (fields: {', '.join(self.names) or 'none'})"
        raise FieldProblem(name, f"the protocol has no such field{hint}")

    def has(self, name: str) -> bool:
        return any(f.name.lower() == name.lower() for f in self.fields)

    def check(self, values: Mapping[str, Any]) -> list[FieldProblem]:
        """Problems across fields of one study (or arm): events above n, a
        median outside its range. ``values``: field -> stored value."""
        problems = []
        for f in self.fields:
            v = values.get(f.name)
            if v is None:
                continue
            if f.events_of and f.n_field:
                n = values.get(f.n_field)
                if isinstance(n, int) and v > n:
                    problems.append(FieldProblem(f.name, f"{v} events is more than {f.n_field} = {n}"))
        return problems

    def missing_required(self, values: Mapping[str, Any]) -> list[str]:
        return [f.name for f in self.fields if f.required and values.get(f.name) is None]


def _form_field(f: Field, protocol: Protocol) -> FormField:
    events_of = tuple(o.name for o in protocol.outcomes if o.events == f.name)
    percent_of = tuple(o.name for o in protocol.outcomes if o.percent == f.name)
    n_of = tuple(o.name for o in protocol.outcomes if o.n == f.name)
    n_fields = {o.n for o in protocol.outcomes if f.name in (o.events, o.percent)}
    return FormField(f.name, f.label, f.type, f.unit, f.choices, f.required, events_of, percent_of, n_of,
                     sorted(n_fields)[0] if n_fields else None)


# ------------------------------------------------------------------ parsing
def is_na(text: str) -> bool:
    return text.strip().lower() in NA_WORDS


def _number(f: FormField, text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise FieldProblem(f.name, f"expected {TYPE_HELP[f.type]}, got {text!r}") from None
    if not math.isfinite(x):
        raise FieldProblem(f.name, f"expected a finite number, got {text!r}")
    return x


def _whole(f: FormField, text: str) -> int:
    x = _number(f, text)
    if not x.is_integer():
        raise FieldProblem(f.name, f"expected a whole number, got {text!r}")
    if x < 0:
        raise FieldProblem(f.name, f"expected a number of 0 or more, got {text!r}")
    return int(x)


def _percent(f: FormField, text: str) -> Parsed:
    m = _EVENTS_OF_N.match(text)
    if m:
        e, n = int(m.group(1)), int(m.group(2))
        if n < 1:
            raise FieldProblem(f.name, f"events/n needs n of 1 or more, got {text!r}")
        if e > n:
            raise FieldProblem(f.name, f"events ({e}) are more than n ({n}) in {text!r}")
        return Parsed(100 * e / n, f"events_of_n:{e}/{n}")
    x = _number(f, text.rstrip("%").strip())
    if not 0 <= x <= 100:
        raise FieldProblem(f.name, f"a percent must be between 0 and 100, got {text!r}")
    return Parsed(x)


def _events(f: FormField, text: str, n: int | None) -> Parsed:
    if text.endswith("%"):
        p = _number(f, text[:-1].strip())
        if not 0 <= p <= 100:
            raise FieldProblem(f.name, f"a percent must be between 0 and 100, got {text!r}")
        if n is None:
            raise FieldProblem(f.name, f"a percent ({text}) needs {f.n_field} first: enter {f.n_field}, "
                                       "or the number of events")
        return Parsed(round(p * n / 100), f"percent_of_n:{show_number(p)}")  # as R's round()
    e = _whole(f, text)
    if n is not None and e > n:
        raise FieldProblem(f.name, f"{e} events is more than {f.n_field} = {n}")
    return Parsed(e)


def _median_range(f: FormField, text: str) -> Parsed:
    r = _RANGE_ONLY.match(text)
    m = None if r else _MEDIAN_RANGE.match(text)
    if r:  # a range alone: "38-76"
        med, lo, hi = None, float(r.group("lo")), float(r.group("hi"))
    elif m and (m.group("m") or "(" in text or "[" in text):
        med = None if not m.group("m") or m.group("m").upper() == "NA" else float(m.group("m"))
        lo = float(m.group("lo")) if m.group("lo") else None
        hi = float(m.group("hi")) if m.group("hi") else None
    else:
        raise FieldProblem(f.name, f"expected {TYPE_HELP[f.type]}, got {text!r}")
    if lo is not None and lo > hi:
        raise FieldProblem(f.name, f"the range's low end ({show_number(lo)}) is above its high end "
                                   f"({show_number(hi)}) in {text!r}")
    if med is not None and lo is not None and not lo <= med <= hi:
        raise FieldProblem(f.name, f"the median ({show_number(med)}) is outside its range "
                                   f"({show_number(lo)}-{show_number(hi)}) in {text!r}")
    if med is None and lo is None:
        return Parsed(None)
    return Parsed({"median": _tidy(med), "low": _tidy(lo), "high": _tidy(hi)})


def _tidy(x: float | None) -> float | int | None:
    return int(x) if x is not None and x.is_integer() else x


def _parse(f: FormField, raw: Any, n: int | None) -> Parsed:
    if raw is None:
        return Parsed(None)
    if isinstance(raw, bool) and f.type == "bool":
        return Parsed(raw)
    text = str(raw).strip()
    if not text or is_na(text):
        return Parsed(None)
    t = f.type
    if f.events_of:
        return _events(f, text, n)
    if t == "int":
        return Parsed(_whole(f, text))
    if t == "float":
        return Parsed(_tidy(_number(f, text)))
    if t == "percent":
        p = _percent(f, text)
        return Parsed(_tidy(p.value), p.derived)
    if t == "choice":
        for c in f.choices:
            if c.casefold() == text.casefold():
                return Parsed(c)
        near = difflib.get_close_matches(text, f.choices, n=1, cutoff=0.6)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise FieldProblem(f.name, f"expected one of {', '.join(f.choices)}; got {text!r}{hint}")
    if t == "median_range":
        return _median_range(f, text)
    if t == "bool":
        low = text.lower()
        if low in TRUE_WORDS:
            return Parsed(True)
        if low in FALSE_WORDS:
            return Parsed(False)
        raise FieldProblem(f.name, f"expected yes or no, got {text!r}")
    return Parsed(" ".join(text.split()))


# ------------------------------------------------------------------ showing
def show_number(x: float | int) -> str:
    if isinstance(x, bool):
        return str(x)
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".")


def show_value(ftype: str, value: Any) -> str:
    """A stored value as text: NA, 71.5, 60 (38–76), yes ..."""
    if value is None:
        return NA_TEXT
    if ftype == "median_range" and isinstance(value, dict):
        med = NA_TEXT if value.get("median") is None else show_number(value["median"])
        if value.get("low") is None:
            return med
        return f"{med} ({show_number(value['low'])}–{show_number(value['high'])})"
    if ftype == "bool" or isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return show_number(value)
    return str(value)


def as_typed(ftype: str, value: Any, derived: str = "entered") -> str:
    """A stored value as it would be typed again (a count typed as events/n or
    as a percent of n is given back as typed), for exports and choices."""
    if derived.startswith("events_of_n:"):
        return derived.split(":", 1)[1]
    if derived.startswith("percent_of_n:"):
        return derived.split(":", 1)[1] + "%"
    return show_value(ftype, value)


def same_value(ftype: str, a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, dict) and isinstance(b, dict):
        return all(_same_number(a.get(k), b.get(k)) for k in ("median", "low", "high"))
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return _same_number(a, b)
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
    return a == b


def _same_number(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < NUMBER_TOLERANCE + 1e-12


def to_json(value: Any) -> str | None:
    """The stored text of a value (None for NA)."""
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def from_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)
