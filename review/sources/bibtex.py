"""BibTeX (Scopus, Zotero, JabRef exports): ``@article{key, field = {...}, ...}``.

A small parser of its own so that an unbalanced brace or a missing ``=`` is
reported with the entry and line. Handles ``@string`` macros, ``#``
concatenation, ``@comment``/``@preamble``, common LaTeX accents, and keys
with a space in them (Scopus: ``@CONFERENCE{Conference paper2022775,``).

A broken entry (unbalanced braces, a missing ``=`` or value) is refused on
its own, as bibtexparser and pybtex do: the reader moves on to the next line
starting with ``@`` and the good entries are kept; ``parse_bibtex`` returns
them with ``refused`` listing each broken one (entry number, line, why). A
file with no good entry is refused whole.

Limits (a file is refused whole, naming the entry, when one is passed):
MAX_VALUE_CHARS characters in one field value after ``@string`` expansion and
``#`` concatenation (a 575-byte file of nested macros can otherwise expand to
hundreds of megabytes), and MAX_MACROS ``@string`` definitions.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from review.errors import BadInput
from review.models import Record
from review.sources.fieldnorm import clean_doi, issns_of, pmid_of, split_packed, unique, year_of
from review.sources.text import decode

_ACCENTS = {"'": "\u0301", "`": "\u0300", '"': "\u0308", "^": "\u0302", "~": "\u0303",
            "c": "\u0327", "v": "\u030c", "=": "\u0304", ".": "\u0307", "u": "\u0306", "H": "\u030b"}
_ACCENT = re.compile(r"\\([`'\"^~=.]|[cvuH](?=[\s{]))\s*\{?\s*([A-Za-z])\}?")
_SPACE = re.compile(r"\s+")
_FIELD_NAME = re.compile(r"([^=,{}()\"#@\n]+?)\s*=")
_MONTHS = {m: m for m in "jan feb mar apr may jun jul aug sep oct nov dec".split()}
_KEY = re.compile(r"[^,={}()\n]*")  # a citation key runs to the comma (spaces allowed)
_NEXT_ENTRY = re.compile(r"^[ \t]*@", re.M)
MAX_VALUE_CHARS = 1_000_000
MAX_MACROS = 100_000


class Refused(list):
    """Records of a file, with ``refused``: 'entry N (line L): why' for each broken entry."""

    refused: list[str]


class _Limit(BadInput):
    """A size limit passed: the whole file is refused (not just the entry)."""


class _Reader:
    def __init__(self, text: str, where: str):
        self.text, self.where, self.pos = text, where, 0

    def line(self, pos: int | None = None) -> int:
        return self.text.count("\n", 0, self.pos if pos is None else pos) + 1

    def fail(self, msg: str, entry: int, start: int) -> BadInput:
        return BadInput(f"{msg} (at line {self.line()})",
                        where=f"{self.where}, entry {entry} (line {self.line(start)})")

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def word(self) -> str:
        m = re.compile(r"[^\s,={}()\"#]+").match(self.text, self.pos)
        if not m:
            return ""
        self.pos = m.end()
        return m.group(0)

    def braced(self, entry: int, start: int) -> str:
        """Text inside balanced braces starting at self.pos (which is '{')."""
        return self._scan("}", entry, start, "unbalanced braces: the file ends inside this entry (truncated?)")

    def quoted(self, entry: int, start: int) -> str:
        """Text inside double quotes starting at self.pos (braces inside may nest)."""
        return self._scan('"', entry, start, "unterminated quoted value")

    def _scan(self, closer: str, entry: int, start: int, error: str) -> str:
        depth = 1 if closer == "}" else 0
        i = self.pos + 1
        while i < len(self.text):
            c = self.text[i]
            if c == "\\":
                i += 2
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            if c == closer and depth == 0:
                out = self.text[self.pos + 1:i]
                self.pos = i + 1
                return out
            i += 1
        self.pos = len(self.text)
        raise self.fail(error, entry, start)


def parse_bibtex(data: bytes, where: str) -> Refused:
    """Records of a BibTeX file; broken entries are left out and listed in ``.refused``."""
    text = decode(data, where)
    rd = _Reader(text, where)
    macros: dict[str, str] = dict(_MONTHS)
    out = Refused()
    out.refused = []
    n = 0
    while True:
        at = text.find("@", rd.pos)
        if at < 0:
            break
        rd.pos = at + 1
        kind = rd.word().lower()
        rd.skip_space()
        if rd.pos >= len(text) or text[rd.pos] not in "{(":
            continue  # an '@' in free text between entries
        try:
            if kind in ("comment", "preamble"):
                if text[rd.pos] == "{":
                    rd.braced(n + 1, at)
                continue
            n += 1
            fields = _fields(rd, n, at, macros, kind == "string")
        except _Limit as exc:
            if kind == "string":
                raise _Limit(_reason(exc), where=f"{where}, @string (line {rd.line(at)})") from None
            raise
        except BadInput as exc:
            eol = text.find("\n", at)
            nxt = _NEXT_ENTRY.search(text, eol + 1) if eol >= 0 else None
            reason = _reason(exc)
            if nxt and "the file ends" in reason:
                reason = (f"unbalanced braces or quotes: the entry is not closed before the next entry starts"
                          f" (line {rd.line(nxt.end())})")
            out.refused.append(f"entry {n} (line {rd.line(at)}): {reason}")
            rd.pos = nxt.end() - 1 if nxt else len(text)
            continue
        if kind == "string":
            if len(macros) >= MAX_MACROS:
                raise _Limit(f"more than {MAX_MACROS} @string macros (limit)", where=f"{where}, line {rd.line(at)}")
            macros.update(fields)
            n -= 1
            continue
        out.append(_record(kind, fields, n, where))
    if not out:
        if out.refused:
            raise BadInput(f"no readable BibTeX entry: {out.refused[0]}"
                           + (f" (and {len(out.refused) - 1} more broken)" if len(out.refused) > 1 else ""),
                           where=where)
        raise BadInput("no BibTeX entries found", where=where)
    return out


def _reason(exc: BadInput) -> str:
    text = str(exc)
    return text.split(": ", 1)[1] if exc.where and text.startswith(exc.where) else text


def _fields(rd: _Reader, n: int, start: int, macros: dict[str, str], is_string: bool) -> dict[str, str]:
    close = "}" if rd.text[rd.pos] == "{" else ")"
    rd.pos += 1
    fields: dict[str, str] = {}
    if not is_string:
        rd.skip_space()
        m = _KEY.match(rd.text, rd.pos)  # citation key (Scopus: 'Conference paper2022775')
        if m.end() < len(rd.text) and rd.text[m.end()] == "=":
            pass  # no key: the entry starts with a field
        else:
            rd.pos = m.end()
    while True:
        rd.skip_space()
        if rd.pos >= len(rd.text):
            raise rd.fail(f"the file ends inside this entry: no closing '{close}' (truncated?)", n, start)
        c = rd.text[rd.pos]
        if c == close:
            rd.pos += 1
            return fields
        if c == ",":
            rd.pos += 1
            continue
        m = _FIELD_NAME.match(rd.text, rd.pos)  # Scopus writes names with spaces ("funding_text 1")
        if not m:
            raise rd.fail("expected 'field = value'", n, start)
        name = m.group(1).strip().lower()
        rd.pos = m.end()
        fields[name] = _value(rd, n, start, macros)


def _value(rd: _Reader, n: int, start: int, macros: dict[str, str]) -> str:
    parts = []
    size = 0
    while True:
        rd.skip_space()
        if rd.pos >= len(rd.text):
            raise rd.fail("the file ends inside a field value (truncated?)", n, start)
        c = rd.text[rd.pos]
        if c == "{":
            parts.append(rd.braced(n, start))
        elif c == '"':
            parts.append(rd.quoted(n, start))
        else:
            w = rd.word()
            if not w:
                raise rd.fail("expected a field value", n, start)
            parts.append(macros.get(w.lower(), w))
        size += len(parts[-1])
        if size > MAX_VALUE_CHARS:
            raise _Limit(f"a field value longer than {MAX_VALUE_CHARS:,} characters after @string expansion"
                         f" (limit; at line {rd.line()})", where=f"{rd.where}, entry {n} (line {rd.line(start)})")
        rd.skip_space()
        if rd.pos < len(rd.text) and rd.text[rd.pos] == "#":
            rd.pos += 1
            continue
        return "".join(parts)


def delatex(value: str) -> str:
    """Plain text from a BibTeX value: accents composed, braces and escapes dropped."""
    value = _ACCENT.sub(lambda m: unicodedata.normalize("NFC", m.group(2) + _ACCENTS[m.group(1)]), value)
    value = re.sub(r"\\([&%$#_{}])", r"\1", value)
    value = value.replace("{", "").replace("}", "").replace("--", "-")
    return _SPACE.sub(" ", value).strip()


def _record(kind: str, raw_fields: dict[str, str], n: int, where: str) -> Record:
    f = {k: delatex(v) for k, v in raw_fields.items()}
    issns = issns_of(f.get("issn", ""))
    authors = [a for a in re.split(r"\s+and\s+", f.get("author", "")) if a]
    keywords = f.get("keywords") or f.get("author_keywords", "")
    raw = {"type": kind, "database": f.get("source", ""), "note": f.get("note", "")}
    return Record(
        title=f.get("title", "") or f.get("booktitle", ""),
        abstract=f.get("abstract", ""),
        authors=unique(authors),
        year=year_of(f.get("year", ""), f.get("date", "")),
        journal=f.get("journal", "") or f.get("journaltitle", "") or f.get("booktitle", ""),
        journal_abbrev=f.get("abbrev_source_title", "") or f.get("shortjournal", ""),
        volume=f.get("volume", ""),
        issue=f.get("number", "") or f.get("issue", ""),
        pages=f.get("pages", ""),
        doi=clean_doi(f.get("doi", "")),
        pmid=pmid_of(f.get("pmid", "")),
        issn_print=issns[0] if issns else "",
        issn_electronic=issns[1] if len(issns) > 1 else "",
        keywords=split_packed([keywords]) if ";" in keywords else unique(keywords.split(",")),
        language=f.get("language", ""),
        url=f.get("url", ""),
        source_ref=f"{where}#{n}",
        raw=tuple((k, v) for k, v in raw.items() if v),
    )
