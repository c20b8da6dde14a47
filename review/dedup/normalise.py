"""Unicode-aware normalisation of bibliographic fields for matching.

Everything is NFKC-normalised and case-folded; HTML/MathML markup and
entities are removed; translation markers such as ``[Chinese]`` are dropped;
CJK characters are kept (and later compared character by character); DOIs are
reduced to their ``10.…`` form; pages to a start and end page.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

_TAG = re.compile(r"<[^>]{0,200}>")
_MATHML = re.compile(r"<(mml:)?math\b.*?</(mml:)?math>", re.S | re.I)
_TRANSLATED = re.compile(
    r"\s*[\[(](?:in\s+)?(?:chinese|japanese|korean|german|french|spanish|russian|italian|"
    r"portuguese|polish|dutch|czech|turkish|hungarian|danish|swedish|norwegian|finnish|"
    r"hebrew|persian|arabic|greek|croatian|serbian|author'?s?\s+transl\w*|"
    r"article\s+in\s+\w+)[^\])]{0,40}[\])]\.?\s*",
    re.I,
)
_NON_WORD = re.compile(r"[^\w]+", re.U)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_DOI = re.compile(r"10\.\d{3,9}/\S+", re.I)
_DIGITS = re.compile(r"\d+")


def nfkc(text: str | None) -> str:
    """NFKC-normalised text with HTML/MathML removed and entities decoded."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", str(text))
    if "<" in t:
        t = _MATHML.sub(" ", t)
        t = _TAG.sub(" ", t)
    if "&" in t:
        t = html.unescape(t)
    return t


def strip_accents(text: str) -> str:
    """Remove combining accents (é -> e) but keep CJK and other scripts."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def has_cjk(text: str) -> bool:
    """True when the text holds Chinese, Japanese or Korean characters."""
    return bool(_CJK.search(text))


def drop_translation_marker(text: str) -> str:
    """Remove ``[Chinese]``, ``(Article in German)``, ``[author's transl]`` markers."""
    return _TRANSLATED.sub(" ", text)


_NOTE = re.compile(
    r"\[(?:erratum|comment|retraction|retracted|corrected|published|see|update|reprint|review|"
    r"\d+\s+refs?|expression of concern|summary for patients)[^\]]{0,300}\]\.?",
    re.I,
)


def drop_notes(text: str) -> str:
    """Remove database notes appended to titles: '[Erratum appears in ...]', '[Review] [42 refs]'."""
    return _NOTE.sub(" ", text) if "[" in text else text


def norm_text(text: str | None) -> str:
    """Lower-case words separated by single spaces; CJK runs split into characters."""
    t = strip_accents(drop_translation_marker(drop_notes(nfkc(text)))).casefold()
    t = _NON_WORD.sub(" ", t).replace("_", " ")
    if has_cjk(t):
        t = _CJK.sub(lambda m: f" {m.group(0)} ", t)
    return " ".join(t.split())


def norm_title(text: str | None) -> str:
    """A title for comparison: ``norm_text`` without a trailing full stop."""
    return norm_text(text)


def cjk_part(text: str | None) -> str:
    """Only the CJK characters of a text (to compare Chinese titles by character)."""
    return "".join(_CJK.findall(nfkc(text)))


def latin_part(text: str | None) -> str:
    """The text with CJK characters removed (an English translated title, say)."""
    return " ".join(_CJK.sub(" ", norm_text(text)).split())


def norm_doi(doi: str | None) -> str:
    """``10.xxxx/yyy`` in lower case, or '' when there is none."""
    if not doi:
        return ""
    text = unicodedata.normalize("NFKC", str(doi)).replace(" ", "")
    if "%" in text:
        text = unquote(text)
    m = _DOI.search(text)
    if not m:
        return ""
    d = html.unescape(m.group(0)).lower().rstrip(".,;)]")
    return d


def norm_id(value: str | None) -> str:
    """Digits of an identifier such as a PMID (leading zeros dropped)."""
    if not value:
        return ""
    m = _DIGITS.search(str(value))
    return str(int(m.group(0))) if m else ""


def norm_pages(pages: str | None) -> tuple[str, str]:
    """(start, end) page with an abbreviated end expanded: '221-8' -> ('221', '228')."""
    if not pages:
        return "", ""
    p = unicodedata.normalize("NFKC", str(pages)).strip().lower()
    p = p.replace("–", "-").replace("—", "-").replace("--", "-")
    parts = [x.strip() for x in re.split(r"\s*-\s*", p, maxsplit=1)]
    start = re.sub(r"^(pp?\.?\s*)", "", parts[0])
    start = re.sub(r"[^0-9a-z]", "", start)
    end = re.sub(r"[^0-9a-z]", "", parts[1]) if len(parts) > 1 else ""
    if start.isdigit():
        start = str(int(start))
    if start.isdigit() and end.isdigit() and len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    if end.isdigit():
        end = str(int(end))
    return start, end


def norm_volume(volume: str | None) -> str:
    """The leading number of a volume (or the cleaned text when it has none)."""
    if not volume:
        return ""
    v = nfkc(volume).strip().lower()
    if not re.match(r"^\s*\d", v) or (")" in v and "(" not in v):
        return ""  # '1)', 'Suppl', '(Jul)': fragments of a garbled field, no evidence
    return str(int(_DIGITS.search(v).group(0)))


_JOURNAL_STOP = {"the", "of", "and", "in", "for", "on", "de", "la", "der", "und", "a", "an", "et"}


def journal_tokens(journal: str | None) -> tuple[str, ...]:
    """Journal words without stop words ('&' and 'and' vanish alike)."""
    return tuple(w for w in norm_text(journal).split() if w not in _JOURNAL_STOP)


def surname_key(author: str) -> str:
    """The family name of one author ('Zuna, R E', 'Adeli K.', 'R. E. Zuna'), normalised."""
    a = nfkc(author).strip()
    if not a:
        return ""
    if has_cjk(a):
        return "".join(_CJK.findall(a))[:1]
    if "," in a:
        fam = a.split(",", 1)[0]
    else:
        words = a.replace(".", ". ").split()
        # 'Adeli K.' / 'Lewis G. F.': family name first, initials after
        if len(words) > 1 and all(len(w.strip(".")) <= 2 for w in words[1:]):
            fam = words[0]
        elif len(words) > 1 and all(len(w.strip(".")) <= 2 for w in words[:-1]):
            fam = words[-1]
        else:
            fam = words[0] if len(words) == 1 else words[-1]
    return _NON_WORD.sub("", strip_accents(fam).casefold())


def first_year(value: object) -> int | None:
    """A four-digit year from text or number, else None."""
    if value is None:
        return None
    if isinstance(value, int):
        return value if 1000 <= value <= 2999 else None
    m = re.search(r"(1[5-9]\d\d|20\d\d)", str(value))
    return int(m.group(1)) if m else None
