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

# one field value (a line and its continuation lines) longer than this is refused:
# no abstract comes near it, and it bounds what a hostile file can make us hold
MAX_FIELD_CHARS = 1_000_000


@dataclass(frozen=True)
class Syntax:
    """How one tagged format writes its lines."""

    name: str
    line: re.Pattern[str]  # named groups 'tag' and 'value'
    start: frozenset[str]
    end: str | None = None  # a tag that must close every record (RIS, WoS: ER)
    known: frozenset[str] | None = None  # if set, other tag-like lines are continuations
    ignore: frozenset[str] = frozenset()  # file-level tags outside records (FN, VR, EF; Ovid's NL)
    repeat: frozenset[str] = frozenset()  # continuation lines are new values (WoS AU)
    # Records separated by blank lines (EndNote tagged, ERIC's MEDLINE text): a blank
    # line closes the record; a start tag opens a new one only if the record has it already.
    blank_separates: bool = False
    # What a tag line cut off by the end of the file looks like ('{Abstr', 'AB', '%'):
    # such a last line, with no newline after it, means the file was truncated.
    fragment: re.Pattern[str] | None = None


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
    """Split decoded text into records; BadInput for a record left open, a stray
    field or a file cut off inside its last record (see check_complete)."""
    records: list[TaggedRecord] = []
    current: TaggedRecord | None = None
    last: TaggedRecord | None = None  # the record continuation lines go to (blank-separated formats)
    match = syntax.line.match
    known = syntax.known
    blanks = syntax.blank_separates
    repeat = syntax.repeat
    limit = MAX_FIELD_CHARS
    held: TaggedRecord | None = None  # the record whose last field has continuation lines in `more`
    more: list[str] = []
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip()
        if not line:
            if blanks:
                current = None
            continue
        m = match(line)
        tag = m.group("tag") if m else None
        if tag is not None and known is not None and tag not in known:
            tag = None
        if tag is None:
            target = current if current is not None else (last if blanks else None)
            if target is not None and target.fields:
                if target.fields[-1][0] in repeat:
                    target.fields.append((target.fields[-1][0], line.strip(), lineno))
                else:
                    if held is not target:
                        _flush(held, more, where)
                        held = target
                    more.append(line.strip())
            continue  # text outside records (Ovid banners, "Link to ...") is not data
        if held is not None:
            _flush(held, more, where)
            held = None
        value = (m.group("value") or "").strip()
        if len(value) > limit:
            raise BadInput(f"line {lineno}: a {tag} value of {len(value):,} characters (limit"
                           f" {MAX_FIELD_CHARS:,})", where=where)
        if blanks:
            if current is None or (tag in syntax.start and any(t == tag for t, _, _ in current.fields)):
                current = last = TaggedRecord(len(records) + 1, lineno)
                records.append(current)
            current.fields.append((tag, value, lineno))
        elif tag in syntax.start:
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
    _flush(held, more, where)
    if current is not None and syntax.end:
        raise BadInput(f"file ends inside this record: no {syntax.end} line (truncated?)",
                       where=current.where(where))
    if not records:
        raise BadInput(f"no {syntax.name} records found", where=where)
    if not syntax.end:
        check_complete(text, records[-1], syntax, where)
    return records


def check_complete(text: str, rec: TaggedRecord, syntax: Syntax, where: str) -> None:
    """Refuse a file whose last record was cut off (formats without an end tag).

    A last record is taken as truncated when it holds nothing but its first
    line, or when the file does not end with a newline and its last line is
    a tag with no value or a piece of a tag line (``syntax.fragment``). A file
    cut inside a value, right before a newline, cannot be told from a
    complete one (many exports end without a newline).
    """
    tail = text.rstrip(" \t")
    last_line = tail.rsplit("\n", 1)[-1] if tail else ""
    lineno = tail.count("\n") + 1
    cut = ""
    if len(rec.fields) == 1 and not syntax.blank_separates:
        cut = f"it has nothing but its first line ({_show(rec.fields[0])})"
    elif last_line.strip() and not tail.endswith("\n"):
        tag, value, at = rec.fields[-1]
        if syntax.fragment is not None and syntax.fragment.match(last_line.strip()) and at != lineno:
            cut = f"its last line {lineno} ({last_line.strip()[:40]!r}) is a piece of a tag line, with no newline"
        elif at == lineno and not value:
            cut = f"its last line {lineno} ({last_line.strip()[:40]!r}) is a tag with no value, with no newline"
    if cut:
        raise BadInput(f"the file ends in the middle of this record: {cut} (truncated? export the file again)",
                       where=rec.where(where))


def _show(field: tuple[str, str, int]) -> str:
    return f"{field[0]} {field[1]}".strip()[:40]


def _flush(rec: TaggedRecord | None, more: list[str], where: str) -> None:
    """Join the continuation lines held in ``more`` onto the record's last field
    (once, so that a value of many lines costs linear time), and empty ``more``."""
    if rec is None or not more:
        more.clear()
        return
    tag, value, first = rec.fields[-1]
    joined = " ".join([value, *more] if value else more)
    more.clear()
    if len(joined) > MAX_FIELD_CHARS:
        raise BadInput(f"line {first}: a {tag} value of {len(joined):,} characters over several lines (limit"
                       f" {MAX_FIELD_CHARS:,})", where=rec.where(where))
    rec.fields[-1] = (tag, joined, first)
