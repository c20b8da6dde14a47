"""One vocabulary of publication types for every source.

The protocol lists excluded types by PubMed's names ("Case Reports", "Review",
"Letter" ...). Records say what they are in many ways: PubMed publication
types, Web of Science DT, Scopus/Embase "Document type", RIS ``TY`` codes,
EndNote and NoteExpress reference type names, Zotero item types, BibTeX entry
types, CNKI/Wanfang document types in Chinese (期刊, 学位论文/硕士/博士,
会议, 报纸 ...). ``TYPES`` maps them all onto PubMed's names (a name of our own
where PubMed has none: "Magazine Article", "Standard", "Yearbook" ...).

A type is either a *form* (what the item is: a journal article, a thesis, a
conference paper, a book ...; one per copy, and copies of one unit may
disagree) or a *genre* (what kind of article: review, case report, letter ...;
PubMed adds several to one record, and a genre any copy states holds for the
unit). ``broader`` follows PubMed's publication type tree, so a protocol entry
excludes its narrower types as PubMed's ``[pt]`` search does ("Clinical Trial"
takes in "Randomized Controlled Trial"; "Review" takes in "Systematic Review";
"Congress" takes in "Meeting Abstract"). ``design`` groups the types that name
a study design, for the protocol's ``study_designs``.

``CUES`` are title words that only *suggest* a type ("A case report of ...",
"...综述"): the rules flag them for a person and never exclude on them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterable

FORM, GENRE = True, False


@dataclass(frozen=True)
class PubType:
    name: str
    form: bool
    aliases: tuple[str, ...] = ()
    ris: tuple[str, ...] = ()          # RIS TY codes (matched in capitals only: RIS NEWS is a newspaper)
    broader: str | None = None
    design: str | None = None


def _t(name: str, form: bool, *aliases: str, ris: tuple[str, ...] = (), broader: str | None = None,
       design: str | None = None) -> PubType:
    return PubType(name, form, aliases, ris, broader, design)


# Forms: what the item is.
_FORMS = (
    _t("Journal Article", FORM, "article", "journal article", "journalarticle", "electronic article",
       "article in press", "in press", "data paper", "journal", "期刊", "期刊文章", "期刊论文", "学术期刊",
       "中文期刊", "外文期刊", "学术辑刊", "辑刊", "特色期刊", ris=("JOUR", "JFULL", "EJOUR", "INPR")),
    _t("Magazine Article", FORM, "magazine article", "magazinearticle", "trade journal", "杂志", "杂志文章",
       ris=("MGZN",)),
    _t("Academic Dissertation", FORM, "thesis", "dissertation", "dissertation/thesis", "thesis/dissertation",
       "doctoral thesis", "doctoral dissertation", "master's thesis", "masters thesis", "master thesis",
       "phd thesis", "phdthesis", "mastersthesis", "学位论文", "硕士", "博士", "碩士", "學位論文", "博士论文",
       "硕士论文", "博士学位论文", "硕士学位论文", "优秀硕士学位论文", "中国博士学位论文全文数据库",
       "中国优秀硕士学位论文全文数据库", ris=("THES",)),
    _t("Congress", FORM, "conference proceedings", "conference proceeding", "conference paper",
       "conferencepaper", "proceedings paper", "proceedings", "inproceedings", "conference",
       "conference review", "会议", "会议论文", "会议录", "会议论文集", "中国会议", "国际会议",
       "中国重要会议论文全文数据库", "国际会议论文全文数据库", ris=("CONF", "CPAPER")),
    _t("Meeting Abstract", FORM, "conference abstract", "abstract", "meeting abstracts", "会议摘要",
       ris=("ABST",), broader="Congress"),
    _t("Book", FORM, "edited book", "electronic book", "whole book", "monograph", "图书", "专著", "书籍",
       ris=("BOOK", "EBOOK", "EDBOOK")),
    _t("Book Chapter", FORM, "chapter", "book section", "booksection", "electronic book section",
       "incollection", "inbook", "图书章节", ris=("CHAP", "ECHAP")),
    _t("Newspaper Article", FORM, "newspaperarticle", "newspaper", "报纸", "报纸文章", "中国重要报纸全文数据库",
       ris=("NEWS",)),
    _t("Patent", FORM, "专利", ris=("PAT",)),
    _t("Standard", FORM, "标准", ris=("STAND",)),
    _t("Technical Report", FORM, "report", "techreport", "科技报告", "报告", ris=("RPRT",)),
    _t("Preprint", FORM, "posted content", "预印本"),
    _t("Dataset", FORM, "data set", "数据集", ris=("DATA", "DBASE")),
    _t("Web Page", FORM, "webpage", "blog", "online multimedia", "电子文献", "网页", ris=("ELEC", "WEB", "BLOG")),
    _t("Legislation", FORM, "statute", "bill", "unenacted bill", "legal rule or regulation", "legal rule",
       "法律法规", "法规", ris=("STAT", "BILL", "UNBILL", "LEGAL")),
    _t("Government Publication", FORM, "government document", "government publications", ris=("GOVDOC",)),
    _t("Video-Audio Media", FORM, "video recording", "audiovisual material", "film or broadcast",
       "sound recording", "podcast", ris=("VIDEO", "SOUND", "MPCT", "POD", "ADVS")),
    _t("Yearbook", FORM, "年鉴"),
    _t("Unpublished Work", FORM, "manuscript", "unpublished", ris=("UNPD", "MANSCPT")),
    _t("Personal Communication", FORM, ris=("PCOMM",)),
)

# Genres: what kind of article (PubMed's publication types, with other databases' words for them).
_GENRES = (
    _t("Review", GENRE, "review article", "short survey", "综述", "文献综述", design="review"),
    _t("Systematic Review", GENRE, "系统评价", "系统综述", broader="Review", design="review"),
    _t("Scoping Review", GENRE, broader="Review", design="review"),
    _t("Meta-Analysis", GENRE, "meta analysis", "meta分析", "荟萃分析", design="review"),
    _t("Case Reports", GENRE, "case report", "病例报告", "个案报道", "个案报告", design="case_report"),
    _t("Letter", GENRE, "letter to the editor", "correspondence", "来信", "读者来信"),
    _t("Editorial", GENRE, "editorial material", "社论", "编者按", "述评"),
    _t("Comment", GENRE, "commentary"),
    _t("News", GENRE, "news item"),
    _t("Published Erratum", GENRE, "erratum", "correction", "correction, addition", "corrigendum", "勘误"),
    _t("Retracted Publication", GENRE, "retracted article"),
    _t("Retraction of Publication", GENRE, "retraction", "retraction notice"),
    _t("Expression of Concern", GENRE),
    _t("Guideline", GENRE, "指南", design="guideline"),
    _t("Practice Guideline", GENRE, broader="Guideline", design="guideline"),
    _t("Consensus Development Conference", GENRE, "consensus statement", "专家共识", "共识", design="guideline"),
    _t("Consensus Development Conference, NIH", GENRE, broader="Consensus Development Conference",
       design="guideline"),
    _t("Clinical Trial", GENRE, "临床试验", design="trial"),
    _t("Clinical Trial, Phase I", GENRE, broader="Clinical Trial", design="trial"),
    _t("Clinical Trial, Phase II", GENRE, broader="Clinical Trial", design="trial"),
    _t("Clinical Trial, Phase III", GENRE, broader="Clinical Trial", design="trial"),
    _t("Clinical Trial, Phase IV", GENRE, broader="Clinical Trial", design="trial"),
    _t("Clinical Trial, Veterinary", GENRE, broader="Clinical Trial", design="trial"),
    _t("Controlled Clinical Trial", GENRE, broader="Clinical Trial", design="trial"),
    _t("Randomized Controlled Trial", GENRE, "randomised controlled trial", "rct", "随机对照试验",
       broader="Controlled Clinical Trial", design="rct"),
    _t("Randomized Controlled Trial, Veterinary", GENRE, broader="Randomized Controlled Trial", design="rct"),
    _t("Pragmatic Clinical Trial", GENRE, broader="Clinical Trial", design="trial"),
    _t("Equivalence Trial", GENRE, broader="Clinical Trial", design="trial"),
    _t("Adaptive Clinical Trial", GENRE, broader="Clinical Trial", design="trial"),
    _t("Clinical Trial Protocol", GENRE, design="protocol"),
    _t("Observational Study", GENRE, design="observational"),
    _t("Observational Study, Veterinary", GENRE, broader="Observational Study", design="observational"),
) + tuple(_t(name, GENRE) for name in (
    # PubMed's other publication types: accepted in a protocol, no design.
    "Address", "Autobiography", "Bibliography", "Biography", "Classical Article", "Clinical Conference",
    "Clinical Study", "Collected Work", "Comparative Study", "Corrected and Republished Article", "Dictionary",
    "Directory", "Duplicate Publication", "Electronic Supplementary Materials", "English Abstract",
    "Evaluation Study", "Festschrift", "Historical Article", "Interactive Tutorial", "Interview",
    "Introductory Journal Article", "Lecture", "Legal Case", "Multicenter Study", "Overall",
    "Patient Education Handout", "Periodical Index", "Personal Narrative", "Portrait",
    "Research Support, American Recovery and Reinvestment Act", "Research Support, N.I.H., Extramural",
    "Research Support, N.I.H., Intramural", "Research Support, Non-U.S. Gov't",
    "Research Support, U.S. Gov't, Non-P.H.S.", "Research Support, U.S. Gov't, P.H.S.",
    "Research Support, U.S. Government", "Scientific Integrity Review", "Technical Report", "Twin Study",
    "Validation Study", "Webcast",
) if name != "Technical Report")

TYPES: tuple[PubType, ...] = _FORMS + _GENRES

# Words records use that say nothing about the type (not reported as unrecognised).
NEUTRAL = frozenset({"generic", "gen", "other", "other article", "misc", "serial", "ser", "unknown",
                     "early access", "成果", "科技成果", "其他"})


def key(text: str) -> str:
    """A type name compared: lower case, spaces collapsed, outer punctuation dropped."""
    return re.sub(r"\s+", " ", text).strip(" \t.;:,，；：").lower()


BY_NAME: dict[str, PubType] = {t.name: t for t in TYPES}
_ALIAS: dict[str, str] = {}
for _ty in TYPES:
    for _a in (_ty.name, *_ty.aliases):
        _ALIAS.setdefault(key(_a), _ty.name)
_RIS: dict[str, str] = {code: t.name for t in TYPES for code in t.ris}


def _ancestors(name: str) -> tuple[str, ...]:
    out = [name]
    while BY_NAME[out[-1]].broader:
        out.append(BY_NAME[out[-1]].broader)
    return tuple(out)


ANCESTORS: dict[str, tuple[str, ...]] = {t.name: _ancestors(t.name) for t in TYPES}
FORMS = frozenset(t.name for t in TYPES if t.form)


def canonical(text: str, *, reference_type: bool = False) -> str | None:
    """The vocabulary's name for a type as a source wrote it, or None.

    ``reference_type``: the value is a reference manager's type field (RIS
    ``TY``, EndNote/NoteExpress reference type), where capitals are RIS codes."""
    t = text.strip()
    if reference_type and t.isupper() and t in _RIS:
        return _RIS[t]
    return _ALIAS.get(key(t))


def protocol_type(name: str) -> str | None:
    """The vocabulary's name for a type a protocol lists (a name, an alias or a RIS code)."""
    return canonical(name, reference_type=True)


def suggestions(name: str) -> list[str]:
    """Close names for a protocol entry that is not in the vocabulary."""
    names = {key(t.name): t.name for t in TYPES}
    return [names[k] for k in difflib.get_close_matches(key(name), list(names), n=3, cutoff=0.6)]


def excluded_by(name: str, excluded: dict[str, str]) -> str | None:
    """The protocol entry (``excluded``: vocabulary name -> protocol's words)
    that excludes type ``name`` or a broader type of it, if any."""
    for a in ANCESTORS.get(name, (name,)):
        if a in excluded:
            return excluded[a]
    return None


@dataclass(frozen=True, slots=True)
class Said:
    """One type a record states: the vocabulary's name, the words used, and the field."""

    type: str
    raw: str
    field: str

    @property
    def form(self) -> bool:
        return self.type in FORMS


def _split(values: Iterable[str]) -> list[str]:
    out = []
    for v in values:
        out.extend(p for p in re.split(r"[;；]", v or "") if p.strip())
    return out


def types_said(publication_types: Iterable[str], reference_type: str = "", thesis_type: str = "",
               cnki_database: str = "", entry_type: str = "") -> tuple[list[Said], list[str]]:
    """The types one record states, and the words not in the vocabulary.

    ``publication_types``: PubMed PT, Web of Science DT, a CSV's document type;
    ``reference_type``: RIS TY, EndNote/NoteExpress/RefWorks/Refer type, BibTeX
    entry type; ``thesis_type``: CNKI's degree (硕士, 博士); ``cnki_database``:
    CNKI E-Study's source database (期刊, 博士, 中国会议 ...); ``entry_type``: a
    CSV's type column."""
    said: list[Said] = []
    unknown: list[str] = []
    fields = [("publication type", v, False) for v in _split(publication_types)]
    fields += [("reference type", v, True) for v in _split([reference_type])]
    fields += [("thesis type", v, False) for v in _split([thesis_type])]
    fields += [("CNKI database", v, False) for v in _split([cnki_database])]
    fields += [("type", v, True) for v in _split([entry_type])]
    for field, value, ref in fields:
        value = value.strip()
        name = canonical(value, reference_type=ref)
        if name is not None:
            if not any(s.type == name for s in said):
                said.append(Said(name, value, field))
        elif not value.isdigit() and key(value) not in NEUTRAL and not key(value).startswith("research support"):
            unknown.append(value)
    return said, unknown


# ----------------------------------------------------------------- title cues
# Words in a title that suggest a type (never enough to exclude: a flag for a person):
# type -> (words one of which every cue contains, in lower case; the cues).
CUES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Case Reports": (("case", "例", "个案"),
                     (r"\bcase reports?\b", r"\breport of (?:a|an|one|two|three|\d+) (?:\w+ )?cases?\b",
                      r"(?:[0-9０-９]+|[一二两三四五六七八九十]+)例[^，。]{0,30}?(?:报告|报道)", r"病例报告",
                      r"个案报[告道]")),
    "Review": (("review", "综述", "进展"),
               (r"\b(?:narrative|literature|comprehensive|critical|mini[- ]?)\s?review\b",
                r"\breview of (?:the )?literature\b", r"(?:^|[:.]\s*)(?:an? )?review\b", r"\ba review\b",
                r"综述", r"研究进展", r"新进展", r"应用进展")),
    "Systematic Review": (("review", "系统"), (r"\bsystematic (?:literature )?review\b", r"系统评价", r"系统综述")),
    "Scoping Review": (("review",), (r"\bscoping review\b",)),
    "Meta-Analysis": (("meta", "荟萃"), (r"\bmeta-?analys[ie]s\b", r"meta分析", r"荟萃分析")),
    "Letter": (("letter", "re:", "reply", "response"),
               (r"^\s*(?:letter\b|re:|in reply\b|reply\b|authors'? reply\b"
                r"|response to (?:the )?(?:letter|comment|correspondence)\b)",
                r"\bletter to the editor\b")),
    "Editorial": (("editorial", "述评", "编者按"), (r"^\s*editorial\b", r"述评", r"编者按")),
    "Comment": (("comment",), (r"^\s*comment(?:ary)?\b",)),
    "News": (("news",), (r"^\s*news\b",)),
    "Published Erratum": (("erratum", "corrigendum", "correction", "勘误", "更正"),
                          (r"^\s*(?:erratum|corrigendum|correction)\b", r"^\s*(?:勘误|更正)")),
    "Retracted Publication": (("retract",), (r"^\s*retracted\b",)),
    "Retraction of Publication": (("retract",), (r"^\s*(?:retraction|notice of retraction)\b",)),
    "Guideline": (("guideline", "指南"), (r"\bguidelines?\b", r"指南")),
    "Consensus Development Conference": (("consensus", "共识"), (r"\bconsensus statement\b", r"专家共识")),
}


class CueFinder:
    """Finds, in titles, the cues of the types a protocol excludes."""

    def __init__(self, excluded: dict[str, str]):
        self.cues: list[tuple[str, str, tuple[str, ...], list[re.Pattern]]] = []
        for name, (anchors, pats) in CUES.items():
            entry = excluded_by(name, excluded)
            if entry is not None:
                self.cues.append((name, entry, anchors, [re.compile(p, re.IGNORECASE) for p in pats]))
        anchors = sorted({a for _, _, anchors, _ in self.cues for a in anchors})
        self.anchors = re.compile("|".join(map(re.escape, anchors))) if anchors else None

    def find(self, title: str) -> list[tuple[str, str, str]]:
        """(type, protocol entry, words found) for each cue in ``title``."""
        if not title or self.anchors is None:
            return []
        low = title.lower()
        if self.anchors.search(low) is None:
            return []
        out = []
        for name, entry, anchors, pats in self.cues:
            if any(a in low for a in anchors):
                m = next((m for p in pats if (m := p.search(title))), None)
                if m:
                    out.append((name, entry, m.group(0).strip()))
        return out


# ---------------------------------------------------------------- study designs
# Words of a protocol's study_designs -> the design groups they take in.
DESIGN_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    (r"random|随机", frozenset({"rct"})),
    (r"trial|试验", frozenset({"trial", "rct"})),
    (r"cohort|retrospective|prospective|observational|case[- ]control|cross[- ]sectional|registry|real[- ]world"
     r"|队列|回顾|前瞻|观察性|病例对照|横断面", frozenset({"observational"})),
    (r"case report|case series|病例报告|个案", frozenset({"case_report"})),
    (r"review|meta[- ]?analys|综述|系统评价|meta分析", frozenset({"review"})),
    (r"guideline|consensus|指南|共识", frozenset({"guideline"})),
    (r"protocol", frozenset({"protocol"})),
)


def design_groups(phrase: str) -> frozenset[str]:
    """The design groups a protocol's study design takes in (empty: not understood)."""
    out: set[str] = set()
    for pattern, groups in DESIGN_WORDS:
        if re.search(pattern, phrase, re.IGNORECASE):
            out |= groups
            if "rct" in groups and len(groups) == 1:
                break  # "randomized controlled trial" is the RCT group alone
    return frozenset(out)


def design_of(name: str) -> str | None:
    t = BY_NAME.get(name)
    return t.design if t else None
