"""One tokenizer for the tagged-line export formats.

RIS, MEDLINE/.nbib, Web of Science, RefWorks, EndNote/Refer, NoteExpress and
CNKI E-Study all write one field per line as ``TAG<separator>value``, with
continuation lines for long values. A ``Syntax`` says how a tag line looks,
which tag starts a record and which (if any) ends it; ``tokenize`` turns the
text into ``TaggedRecord``s that remember their line numbers, so that every
error names the file, the record and the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from review.errors import BadInput


@dataclass(frozen=True)
class Syntax:
    """How one tagged format writes its lines."""

    name: str
    line: re.Pattern[str]  # named groups 'tag' and 'value'
    start: frozenset[str]
    end: str | None = None  # a tag that must close every record (RIS, WoS: ER)
    known: frozenset[str] | None = None  # if set, other tag-like lines are continuations
    ignore: frozenset[str] = frozenset()  # file-level tags outside records (FN, VR, EF)
    repeat: frozenset[str] = frozenset()  # continuation lines are new values (WoS AU)


@dataclass
class TaggedRecord:
    """The fields of one record in file order, as (tag, value, line)."""

    number: int
    line: int
    fields: list[tuple[str, str, int]] = field(default_factory=list)

    def all(self, *tags: str) -> list[str]:
        """Every non-empty value of any of the tags, in file order."""
        return [v for t, v, _ in self.fields if t in tags and v]

    def first(self, *tags: str) -> str:
        """The first non-empty value among the tags, tried in the order given."""
        for tag in tags:
            for t, v, _ in self.fields:
                if t == tag and v:
                    return v
        return ""

    def where(self, file: str) -> str:
        return f"{file}, record {self.number} (line {self.line})"


def tokenize(text: str, syntax: Syntax, where: str) -> list[TaggedRecord]:
    """Split decoded text into records; BadInput for a record left open or a stray field."""
    records: list[TaggedRecord] = []
    current: TaggedRecord | None = None
    match = syntax.line.match
    known = syntax.known
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip()
        if not line.strip():
            continue
        m = match(line)
        tag = m.group("tag") if m else None
        if tag is not None and known is not None and tag not in known:
            tag = None
        if tag is None:
            if current is not None and current.fields:
                _continue(current, line.strip(), lineno, syntax)
            continue  # text outside records (Ovid banners, "Link to ...") is not data
        value = (m.group("value") or "").strip()
        if tag in syntax.start:
            if current is not None and syntax.end:
                raise BadInput(
                    f"no {syntax.end} line closes this record before the next {tag} at line {lineno}",
                    where=current.where(where),
                )
            current = TaggedRecord(len(records) + 1, lineno)
            records.append(current)
            current.fields.append((tag, value, lineno))
        elif syntax.end and tag == syntax.end:
            current = None
        elif current is None:
            if tag in syntax.ignore:
                continue
            starts = "/".join(sorted(syntax.start))
            raise BadInput(f"line {lineno}: {tag} field outside a record (no {starts} line before it)",
                           where=where)
        else:
            current.fields.append((tag, value, lineno))
    if current is not None and syntax.end:
        raise BadInput(f"file ends inside this record: no {syntax.end} line (truncated?)",
                       where=current.where(where))
    if not records:
        raise BadInput(f"no {syntax.name} records found", where=where)
    return records


def _continue(rec: TaggedRecord, text: str, lineno: int, syntax: Syntax) -> None:
    tag, value, first = rec.fields[-1]
    if tag in syntax.repeat:
        rec.fields.append((tag, text, lineno))
    else:
        rec.fields[-1] = (tag, f"{value} {text}" if value else text, first)
