"""Journal names reduced to keys, and ISO 4 / NLM abbreviations compared with
full titles word by word.

A title key is case-folded, without diacritics or punctuation, with ``&``
read as ``and`` and a leading ``The`` dropped: ``The Lancet. Oncology`` and
``LANCET ONCOLOGY`` share the key ``lancet oncology``.

An abbreviation such as ``J Hematol Oncol`` matches ``Journal of Hematology &
Oncology`` when, after dropping the little words ISO 4 leaves out (of, the,
and, for ...), each abbreviated word begins its title word (``Hematol`` ->
Hematology: a *prefix* match) or, for contractions such as ``Natl`` ->
National, keeps its letters in order from the same first letter (a
*contraction* match). Both have the same number of words, and at least one
word must really be abbreviated, and a one-word name never matches by this
rule.

References: ISO 4:1997 Information and documentation - Rules for the
abbreviation of title words and titles of publications; NLM Catalog journal
title abbreviations (MEDLINE TA).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from review.dedup.normalise import nfkc, strip_accents

# Words ISO 4 and the NLM leave out of abbreviations (articles, prepositions,
# conjunctions) in the languages journal titles commonly use.
STOP_WORDS = frozenset(
    "a an and the of for in on at to with from by & und der die das fur des de la le les du et "
    "y del el los las e di della dei per".split()
)
_NON_WORD = re.compile(r"[^\w]+", re.U)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

PREFIX, CONTRACTION = 2, 1  # how well an abbreviation matched (higher is better)


@lru_cache(maxsize=1 << 18)
def title_key(name: str | None) -> str:
    """The key names are compared on: lower case, no accents or punctuation,
    '&' as 'and', no leading 'The'. (Cached: projects repeat journal names.)"""
    if not name:
        return ""
    t = strip_accents(nfkc(name)).casefold().replace("&", " and ").replace("'", "").replace("’", "")
    t = _NON_WORD.sub(" ", unicodedata.normalize("NFC", t)).replace("_", " ")
    words = t.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def significant_words(key: str) -> tuple[str, ...]:
    """The words of a title key that an abbreviation keeps."""
    return tuple(w for w in key.split() if w not in STOP_WORDS)


def abbreviation_readings(key: str) -> tuple[tuple[str, ...], ...]:
    """The ways to read an abbreviation's words: without the little words, and,
    when it has one-letter words, also keeping those (``U S A`` is United
    States of America, not 'U S' and an article)."""
    strict = significant_words(key)
    loose = tuple(w for w in key.split() if w not in STOP_WORDS or len(w) == 1)
    return (strict,) if loose == strict else (strict, loose)


def initials(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words)


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def _contraction(abbr: str, word: str) -> bool:
    """'natl' in 'national': same first letter, then the letters in order
    (three letters at least: 'pm' is no contraction of 'pharmacological')."""
    if len(abbr) < 3 or abbr[0] != word[0] or len(abbr) > len(word):
        return False
    pos = 1
    for ch in abbr[1:]:
        pos = word.find(ch, pos) + 1
        if pos == 0:
            return False
    return True


def abbreviation_match(abbr_words: tuple[str, ...], title_words: tuple[str, ...]) -> int:
    """0 when ``abbr_words`` cannot abbreviate ``title_words``; else PREFIX when
    every word is a prefix of its title word, CONTRACTION when some word is a
    contraction. At least one word must be shorter than its title word."""
    if len(abbr_words) != len(title_words) or not abbr_words:
        return 0
    tier = PREFIX
    shortened = False
    for a, w in zip(abbr_words, title_words):
        if w.startswith(a):
            shortened = shortened or len(a) < len(w)
        elif _contraction(a, w):
            tier = CONTRACTION
            shortened = True
        else:
            return 0
    return tier if shortened else 0
