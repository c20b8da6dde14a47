"""Turn the bytes of an export file into text, or refuse with a clear error.

Accepted: UTF-8 (with or without BOM), UTF-16 with a BOM, UTF-16 without a
BOM when its pattern of NUL bytes makes it unambiguous, and GB18030/GBK when
the caller allows it (CNKI and Wanfang exports) and the tool can be sure the
bytes are Chinese text (see sure_gb18030). Anything else -- binary data,
Latin-1, Shift-JIS, EUC-KR or another legacy code page -- is refused with the
line of the first byte that does not decode and the advice to re-export as
UTF-8 or name the encoding with ``review import --encoding``; it is never
turned into silent mojibake ("Größe" read as GB18030 is "Gr鲞e").

``--encoding NAME`` (any codec Python knows: latin-1, cp1252, shift_jis,
gb18030 ...) decodes the file strictly with that codec, set for the parse
with ``encoding_for``. A file cut in the middle of a multi-byte character is
reported as truncated.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import re
from typing import Iterator

from review.errors import BadInput

# the encoding the user named for the file being parsed (review import --encoding)
_ENCODING: contextvars.ContextVar[str | None] = contextvars.ContextVar("encoding", default=None)
GUESS_SAMPLE = 200_000  # bytes handed to charset_normalizer for its second opinion


@contextlib.contextmanager
def encoding_for(encoding: str | None, where: str) -> Iterator[None]:
    """Within the block, decode() uses ``encoding`` (None: as the enclosing block says,
    else detect as usual)."""
    if not encoding:
        yield
        return
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise BadInput(f"unknown encoding {encoding!r} (e.g. utf-8, gb18030, latin-1, cp1252, shift_jis)",
                           where="--encoding") from None
    token = _ENCODING.set(encoding)
    try:
        yield
    finally:
        _ENCODING.reset(token)


def named_encoding() -> str | None:
    """The encoding named with --encoding for the file being parsed, if any."""
    return _ENCODING.get()

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_cjk(text: str) -> bool:
    """True when the text holds Chinese/Japanese ideographs."""
    return bool(_CJK.search(text))


# Share of GB18030 double-byte characters that must lie in the GB2312 area
# (both bytes 0xA1-0xFE) where common hanzi and full-width punctuation live.
# Latin-1 text read as GB18030 pairs an accent with the ASCII letter after it
# (second byte < 0x80), so it falls far below this.
GB2312_SHARE = 0.9


def looks_chinese(data: bytes) -> bool:
    """True when the non-ASCII bytes read as GB18030 are mostly GB2312-area hanzi."""
    pairs = in_area = 0
    i, n = 0, len(data)
    while i < n:
        lead = data[i]
        if lead < 0x80 or lead in (0x80, 0xFF) or i + 1 >= n:
            i += 1
            continue
        trail = data[i + 1]
        if 0x30 <= trail <= 0x39:  # four-byte GB18030 sequence (rare characters)
            i += 4
            continue
        pairs += 1
        in_area += 0xA1 <= lead <= 0xFE and 0xA1 <= trail <= 0xFE
        i += 2
    return pairs > 0 and in_area >= GB2312_SHARE * pairs


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit on one parity of byte, else None."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd > 0.3 and even == 0:
        return "utf-16-le"
    if even > 0.3 and odd == 0:
        return "utf-16-be"
    return None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, where: str, *, allow_gb18030: bool = False) -> str:
    """Decode one file's bytes to text with universal newlines applied.

    Raises BadInput naming ``where`` (and the line) for an empty or binary
    file or one in an encoding we cannot be sure of.
    """
    if not data.strip():
        raise BadInput("empty file (no records)", where=where)
    named = _ENCODING.get()
    if named:
        return _strict(data, named, where)  # a byte-order mark is dropped by _newlines or the codec
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _strict(data[len(bom):], codec, where)
    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec is None:
            line = _line_of(data, data.index(b"\x00"))
            raise BadInput(f"line {line}: binary data (NUL byte), not a text export", where=where)
        return _strict(data, codec, where)
    try:
        return _newlines(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if utf8_error.reason == "unexpected end of data" and utf8_error.end == len(data):
        raise BadInput(f"line {_line_of(data, utf8_error.start)}: the file ends in the middle of a character"
                       " (truncated? export the file again)", where=where)
    other = ""
    if allow_gb18030:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            if exc.end >= len(data) and looks_chinese(data[: exc.start]):
                raise BadInput(f"line {_line_of(data, exc.start)}: the file ends in the middle of a character"
                               " (truncated? export the file again)", where=where) from None
        else:
            if has_cjk(text) and looks_chinese(data):
                other = sure_gb18030(data)
                if not other:
                    return _newlines(text)
    bad = data[utf8_error.start]
    line = _line_of(data, utf8_error.start)
    hint = "UTF-8 or GB18030/GBK" if allow_gb18030 else "UTF-8"
    why = (f"; it could be GB18030 Chinese, but reads at least as well as {other}, so the tool cannot be sure"
           if other else "")
    raise BadInput(
        f"line {line}: byte 0x{bad:02x} is not valid {hint} text (the file is in another encoding, e.g. Latin-1"
        f"{why}); re-export it as UTF-8, or name its encoding: review import --encoding NAME"
        " (e.g. gb18030, latin-1, cp1252, shift_jis)",
        where=where,
    )


def sure_gb18030(data: bytes) -> str:
    """'' when the bytes are surely GB18030 Chinese, else the encoding (and
    language) they read as at least as well.

    looks_chinese (GB2312-area byte pairs) is necessary but not enough: EUC-KR
    Korean and a Latin-1 'öß' also fall in that area. A second opinion comes
    from charset_normalizer (character-frequency coherence per language) on
    the first GUESS_SAMPLE bytes, cut at a line end: its best reading must be
    a GB code page."""
    from charset_normalizer import from_bytes

    sample = data
    if len(data) > GUESS_SAMPLE:
        sample = data[: data.rfind(b"\n", 0, GUESS_SAMPLE) + 1 or GUESS_SAMPLE]
    best = from_bytes(sample).best()
    if best is not None and best.encoding.replace("_", "").lower() in ("gb18030", "gb2312", "gbk", "hz"):
        return ""
    if best is None:
        return "no encoding for certain"
    lang = f", {best.language}" if best.language and best.language != "Unknown" else ""
    return f"{best.encoding}{lang}"


def _strict(data: bytes, codec: str, where: str) -> str:
    try:
        return _newlines(data.decode(codec))
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        if exc.reason in ("unexpected end of data", "incomplete multibyte sequence") and exc.end >= len(data) - 1:
            raise BadInput(f"line {line}: the file ends in the middle of a character (truncated? export the"
                           " file again)", where=where) from None
        raise BadInput(f"line {line}: byte 0x{data[exc.start]:02x} is not valid {codec} text ({exc.reason})",
                       where=where) from None


def _newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.lstrip("\ufeff")
