"""Language names and codes, normalised to the codes PubMed uses (ISO 639-2/B:
``eng``, ``chi``, ``ger`` ...).

Records say a language in many ways: PubMed ``eng``/``chi``, RIS ``LA
English``, CNKI ``中文;``, Scopus ``English; Chinese``, BibTeX ``en``. A
protocol may list languages the same ways (``["English", "Chinese"]``,
``["eng", "chi"]``, ``["en", "zh"]``).
"""

from __future__ import annotations

import difflib
import re

# code (ISO 639-2/B, as PubMed) -> other ways of writing it (639-1, 639-2/T, names in
# English, in the language itself and in Chinese)
LANGUAGES: dict[str, tuple[str, ...]] = {
    "eng": ("en", "english", "英文", "英语", "外文"),
    "chi": ("zh", "zho", "chinese", "中文", "汉语", "漢語", "华语", "chinese (simplified)", "chinese (traditional)",
            "simplified chinese", "traditional chinese", "mandarin", "zh-cn", "zh-hans", "zh-tw", "zh-hant"),
    "ger": ("de", "deu", "german", "deutsch", "德文", "德语"),
    "fre": ("fr", "fra", "french", "français", "francais", "法文", "法语"),
    "jpn": ("ja", "japanese", "日本語", "日文", "日语"),
    "kor": ("ko", "korean", "한국어", "韩文", "韩语"),
    "spa": ("es", "spanish", "español", "espanol", "西班牙语"),
    "por": ("pt", "portuguese", "português", "portugues", "葡萄牙语"),
    "ita": ("it", "italian", "italiano", "意大利语"),
    "rus": ("ru", "russian", "русский", "俄文", "俄语"),
    "dut": ("nl", "nld", "dutch", "nederlands", "荷兰语"),
    "pol": ("pl", "polish", "polski", "波兰语"),
    "cze": ("cs", "ces", "czech", "čeština", "捷克语"),
    "slo": ("sk", "slk", "slovak", "slovenčina"),
    "hun": ("hu", "hungarian", "magyar", "匈牙利语"),
    "rum": ("ro", "ron", "romanian", "română"),
    "bul": ("bg", "bulgarian"),
    "hrv": ("hr", "croatian", "hrvatski"),
    "srp": ("sr", "serbian"),
    "slv": ("sl", "slovenian", "slovene"),
    "ukr": ("uk", "ukrainian"),
    "gre": ("el", "ell", "greek", "modern greek", "ελληνικά", "希腊语"),
    "tur": ("tr", "turkish", "türkçe", "turkce", "土耳其语"),
    "ara": ("ar", "arabic", "阿拉伯语"),
    "heb": ("he", "hebrew"),
    "per": ("fa", "fas", "persian", "farsi"),
    "hin": ("hi", "hindi"),
    "tha": ("th", "thai", "泰语"),
    "vie": ("vi", "vietnamese", "越南语"),
    "ind": ("id", "indonesian", "bahasa indonesia"),
    "may": ("ms", "msa", "malay"),
    "swe": ("sv", "swedish", "svenska", "瑞典语"),
    "dan": ("da", "danish", "dansk"),
    "nor": ("no", "nob", "nno", "norwegian", "norsk"),
    "fin": ("fi", "finnish", "suomi"),
    "ice": ("is", "isl", "icelandic"),
    "est": ("et", "estonian"),
    "lav": ("lv", "latvian"),
    "lit": ("lt", "lithuanian"),
    "cat": ("ca", "catalan", "català"),
    "baq": ("eu", "eus", "basque"),
    "glg": ("gl", "galician"),
    "lat": ("la", "latin"),
    "afr": ("af", "afrikaans"),
    "epo": ("eo", "esperanto"),
}

# Codes that say nothing about the language (undetermined, multiple, none).
NEUTRAL = frozenset({"und", "mul", "zxx", "mis", "other", "unknown", "n/a", "na", "none"})

_CODE: dict[str, str] = {}
for _code, _names in LANGUAGES.items():
    for _n in (_code, *_names):
        _CODE.setdefault(_n.casefold(), _code)

NAMES = {"eng": "English", "chi": "Chinese", "ger": "German", "fre": "French", "jpn": "Japanese",
         "kor": "Korean", "spa": "Spanish", "por": "Portuguese", "ita": "Italian", "rus": "Russian"}


def code(name: str) -> str | None:
    """The code of one language name or code, or None if not known."""
    return _CODE.get(re.sub(r"\s+", " ", name).strip(" \t.;:,，；：").casefold())


def parse(text: str) -> tuple[list[str], list[str]]:
    """(codes, words not understood) of a record's language field, which may
    name several (``eng; fre``, ``English, Chinese``, ``中文;``)."""
    codes: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[;,/|、，；]+|\s+and\s+|\s+&\s+", text or ""):
        part = part.strip(" \t.:：")
        if not part:
            continue
        c = code(part)
        if c is None and " " in part and "(" not in part:
            bits = [code(b) for b in part.split()]
            if all(bits):
                codes.extend(b for b in bits if b not in codes)
                continue
        if c is not None:
            if c not in codes:
                codes.append(c)
        elif part.casefold() not in NEUTRAL:
            unknown.append(part)
    return codes, unknown


def suggestions(name: str) -> list[str]:
    return difflib.get_close_matches(name.casefold(), list(_CODE), n=3, cutoff=0.7)


def label(c: str) -> str:
    return NAMES.get(c, c)
