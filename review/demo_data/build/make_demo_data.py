#!/usr/bin/env python3
"""Build the bundled data of the worked example (``review demo``), deterministically.

Run by hand from the repository root, in the project's venv (numpy, rapidfuzz,
lifelines and the review package itself are used for the checks):

    python review/demo_data/build/make_demo_data.py

It writes, under review/demo_data/: entrez/ (esearch and efetch answers in
NCBI's formats and an index for a replay server), exports/ (CNKI and Wanfang
NoteExpress exports), journals/ (illustrative journal metrics), screening/
(two reviewers' decisions and the adjudicator's resolutions, study links),
extraction/ (two reviewers' tables and the reconciliation), quality/ (MINORS),
survival/ (digitised Kaplan-Meier curves), plan.json; then it replays the
decisions with a small model of the screening rules and checks that every
PRISMA number comes out as planned, and that the survival analysis of the
reconstructed curves gives the seed's pattern. PLAN.md says what the numbers
are and what is real. Nothing in the review package imports this file.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # leave no __pycache__ in the package data

import seed_refs  # noqa: E402
import survival_sim  # noqa: E402
import text_pools as tp  # noqa: E402

SEED_TSV = DATA / "seed_studies.tsv"
PROTOCOL = DATA / "car-t-2025.toml"
FIRST_PMID = 90000001
WEBENV = "MCID_REVIEWDEMO0000000000000001"
BATCH = 500  # review.sources.pubmed.BATCH_SIZE: the client fetches 500 records a request
DOI_PREFIX = "10.5555/review-demo."  # Crossref's test prefix: illustrative DOIs resolve nowhere

# ----------------------------------------------------------------------------- the plan
# Every box of the PRISMA 2020 flow diagram, and how the demo's records get there.
PLAN = {
    "identified": {"PubMed": 560, "CNKI": 50, "Wanfang": 39},
    "duplicates": {"CNKI and Wanfang copies of the same Chinese paper": 24,
                   "CNKI copies of PubMed records": 4, "Wanfang copies of PubMed records": 3},
    "excluded_automatic": {"journal impact factor < 10": 159, "publication type": 118},
    "publication_types": {"Review": 60, "Systematic Review / Meta-Analysis": 10, "Case Reports": 22,
                          "Letter": 12, "Editorial": 7, "Comment": 5, "Published Erratum": 2},
    "title_abstract_excluded": {"not CAR-T therapy based on vector modification": 136,
                                "not a clinical study": 116, "not a malignant tumour": 22,
                                "case report, review, letter or other unsuitable type": 8},
    "not_retrieved": 3,
    "full_text_excluded": {"no ORR, CRR or dead rate reported": 7, "incomplete or inconsistent outcomes": 5,
                           "duplicate study": 3, "not CAR-T therapy based on vector modification": 3,
                           "case report, review, letter or other unsuitable type": 2,
                           "not a malignant tumour": 1, "not a clinical study": 1},
    "studies": 32,
    "reports": 34,
}


def plan_numbers() -> dict:
    """The PRISMA boxes implied by PLAN (PRISMA2020 package names where it has one)."""
    ident = sum(PLAN["identified"].values())
    dups = sum(PLAN["duplicates"].values())
    auto = sum(PLAN["excluded_automatic"].values())
    screened = ident - dups - auto
    ta_ex = sum(PLAN["title_abstract_excluded"].values())
    sought = screened - ta_ex
    assessed = sought - PLAN["not_retrieved"]
    ft_ex = sum(PLAN["full_text_excluded"].values())
    assert assessed - ft_ex == PLAN["reports"], (assessed, ft_ex)
    assert sum(PLAN["publication_types"].values()) == PLAN["excluded_automatic"]["publication type"]
    return {
        "database_results": PLAN["identified"], "identified": ident, "duplicates": dups,
        "unique": ident - dups, "excluded_automatic": auto,
        "excluded_automatic_by_rule": PLAN["excluded_automatic"], "excluded_other": 0,
        "records_screened": screened, "records_excluded": ta_ex,
        "records_excluded_by_reason": PLAN["title_abstract_excluded"],
        "dbr_sought_reports": sought, "dbr_notretrieved_reports": PLAN["not_retrieved"],
        "dbr_assessed": assessed, "dbr_excluded": PLAN["full_text_excluded"],
        "new_studies": PLAN["studies"], "new_reports": PLAN["reports"],
    }


# ----------------------------------------------------------------------------- records
@dataclass
class Paper:
    """One paper (one duplicate group once deduplicated) and its fate in the review."""

    pid: str
    fate: str                 # include | rule_if | rule_pubtype | ta_exclude | not_retrieved | ft_exclude
    reason: str = ""          # exclusion reason (title/abstract, full text) or publication type
    study: str = ""           # the seed study this report belongs to (included reports)
    topic: str = ""           # what kind of paper (for the text)
    pm: dict | None = None    # PubMed record
    cnki: dict | None = None  # CNKI record
    wf: dict | None = None    # Wanfang record
    flagged: bool = False     # no journal metric: the rule flags it for a person
    key: str = ""

    @property
    def copies(self) -> int:
        return sum(x is not None for x in (self.pm, self.cnki, self.wf))


class TitleBook:
    """Keeps generated titles far apart so deduplication never confuses two papers
    (Chinese titles compared by their Chinese characters, as review's dedup does)."""

    def __init__(self) -> None:
        self.latin: list[str] = []
        self.cjk: list[str] = []

    @staticmethod
    def _key(title: str) -> tuple[str, bool]:
        cjk = "".join(ch for ch in title if "\u4e00" <= ch <= "\u9fff")
        if cjk:
            return cjk, True
        return " ".join("".join(c if c.isalnum() else " " for c in title.lower()).split()), False

    def ok(self, title: str) -> bool:
        from rapidfuzz import fuzz

        key, is_cjk = self._key(title)
        for other in self.cjk if is_cjk else self.latin:
            if fuzz.ratio(key, other) >= 76:
                return False
            a, b = sorted((key, other), key=len)
            if len(a) >= 25 and fuzz.ratio(a, b[: len(a)]) >= 90:
                return False
        return True

    def add(self, title: str) -> None:
        key, is_cjk = self._key(title)
        (self.cjk if is_cjk else self.latin).append(key)


class Builder:
    def __init__(self, seed: int = 20250101):
        self.rng = random.Random(seed)
        self.titles = TitleBook()
        self.papers: list[Paper] = []
        self.n = 0
        self.seed_rows = read_seed()
        self.protocol = tomllib.loads(PROTOCOL.read_text(encoding="utf-8"))

    # -- helpers -------------------------------------------------------------------
    def new(self, fate: str, **kw) -> Paper:
        self.n += 1
        p = Paper(f"P{self.n:04d}", fate, **kw)
        self.papers.append(p)
        return p

    def authors(self, k: int | None = None) -> list[tuple[str, str]]:
        k = k or self.rng.randint(3, 9)
        names = self.rng.sample(tp.SURNAMES, k)
        return [(s, self.rng.choice(tp.INITIALS)) for s in names]

    def year(self, lo: int = 2012, hi: int = 2024) -> int:
        years = list(range(lo, hi + 1))
        weights = [1 + max(0, y - 2016) ** 1.5 for y in years]
        return self.rng.choices(years, weights)[0]

    def fill(self, pattern: str, solid: bool | None = None) -> str:
        r = self.rng
        solid = r.random() < 0.3 if solid is None else solid
        return pattern.format(
            ag=r.choice(tp.ANTIGENS_SOLID if solid else tp.ANTIGENS_HEME),
            dz=r.choice(tp.DISEASES_SOLID if solid else tp.DISEASES_HEME),
            vec=r.choice(tp.VECTORS), asp=r.choice(tp.ASPECTS), co=r.choice(tp.COSTIM),
            model=r.choice(tp.MODELS), alt=r.choice(tp.NON_CART), ctry=r.choice(tp.COUNTRIES),
            rev=r.choice(tp.REVIEW_PHRASES), nm=r.choice(tp.NON_MALIGNANT))

    def title(self, kind: str, solid: bool | None = None) -> str:
        for _ in range(500):
            t = self.fill(self.rng.choice(tp.TITLES[kind]), solid)
            t = t[0].upper() + t[1:]
            if self.titles.ok(t):
                self.titles.add(t)
                return t
        raise RuntimeError(f"no distinct {kind} title left")

    def cn_title(self, kind: str) -> tuple[str, str]:
        """A Chinese title and its English translation, both far from every other title."""
        r = self.rng
        for _ in range(500):
            cn, en = r.choice(tp.CN_TITLES[kind])
            dz, asp, vec = (r.choice(sorted(d)) for d in (tp.CN_DISEASES, tp.CN_ASPECTS, tp.CN_VECTORS))
            slots = dict(ag=r.choice(tp.CN_ANTIGENS), dz=dz, asp=asp, vec=vec)
            t = cn.format(**slots)
            e = en.format(ag=slots["ag"], dz=tp.CN_DISEASES[dz], asp=tp.CN_ASPECTS[asp], vec=tp.CN_VECTORS[vec])
            if self.titles.ok(t) and self.titles.ok(e):
                self.titles.add(t)
                self.titles.add(e)
                return t, e
        raise RuntimeError(f"no distinct Chinese {kind} title left")

    # -- PubMed records --------------------------------------------------------------
    def pubmed(self, title: str, jkey: str, year: int, *, authors, abstract, pubtypes, mesh, keywords,
               doi: str = "", volume: str = "", issue: str = "", pages: str = "", month: str = "",
               status: str = "MEDLINE") -> dict:
        return dict(title=title, jkey=jkey, year=year, authors=authors, abstract=abstract, pubtypes=pubtypes,
                    mesh=mesh, keywords=keywords, doi=doi, volume=volume, issue=issue, pages=pages,
                    month=month, status=status, pmid="")

    def illustrative_pubmed(self, title: str, jkey: str, topic: str, pubtypes: list[str],
                            year: int | None = None) -> dict:
        r = self.rng
        year = year or self.year()
        vol = str(max(1, year - JOURNAL_START.get(jkey, 1990)))
        pages = f"{r.randint(10, 3000)}"
        pages = f"{pages}-{int(pages) + r.randint(3, 14)}"
        status = "PubMed-not-MEDLINE" if year >= 2024 and r.random() < 0.6 else "MEDLINE"
        return self.pubmed(
            title if title.endswith((".", "?")) else title + ".", jkey, year, authors=self.authors(),
            abstract=abstract_for(topic, title, r), pubtypes=pubtypes,
            mesh=[] if status != "MEDLINE" else mesh_for(topic, title, r),
            keywords=keywords_for(topic, title) + [tp.ILLUSTRATIVE_KEYWORD],
            volume=vol, issue=str(r.randint(1, 12)), pages=pages, month=r.choice(MONTHS), status=status)

    # -- Chinese records -------------------------------------------------------------
    def cn_record(self, title: str, topic: str, *, journal=None, thesis: str = "", year: int | None = None,
                  authors: list[str] | None = None, doi: str = "", abstract: str = "",
                  translated: str = "") -> dict:
        r = self.rng
        year = year or self.year(2015, 2024)
        j = journal or r.choice(CN_JOURNALS)
        rec = dict(title=title, translated_title=translated or "", year=year, doi=doi,
                   authors=authors or [r.choice(CN_SURNAMES) + r.choice(CN_GIVEN) for _ in range(r.randint(2, 6))],
                   keywords=cn_keywords(topic, title), abstract=abstract or cn_abstract(topic, title, r),
                   thesis=thesis, journal=None if thesis else j, volume="", issue="", pages="",
                   address=r.choice(CN_AFFILIATIONS))
        if not thesis:
            rec["volume"] = str(max(1, year - j[3]))
            rec["issue"] = str(r.randint(1, 12))
            start = r.randint(100, 1500)
            rec["pages"] = f"{start}-{start + r.randint(4, 9)}"
        return rec

    # -- the whole set -------------------------------------------------------------------
    def build(self) -> None:
        self.seed_papers()
        self.second_reports()
        self.excluded_pubmed()
        self.chinese_papers()
        self.copies_of_pubmed()
        self.assign_ids()

    def seed_papers(self) -> None:
        rows = {r["study"]: r for r in self.seed_rows}
        for ref in seed_refs.SEED:
            row = rows[ref["study"]]
            p = self.new("include", study=ref["study"], topic="seed")
            if ref["kind"] == "pubmed":
                p.pm = self.pubmed(
                    ref["title"], ref["journal"], ref["year"], authors=split_authors(ref["authors"]),
                    abstract=seed_abstract(row), pubtypes=seed_pubtypes(row),
                    mesh=seed_mesh(row), keywords=seed_keywords(row), doi=ref["doi"], volume=ref["volume"],
                    issue=ref["issue"], pages=ref["pages"])
                p.flagged = ref["journal"] not in METRICS
            else:
                p.cnki = self.seed_cn(ref, row, "cnki")
                p.wf = self.seed_cn(ref, row, "wf")
                p.flagged = True
            self.titles.add(ref["title"])
            if ref.get("cn_title"):
                self.titles.add(ref["cn_title"])

    def seed_cn(self, ref: dict, row: dict, db: str) -> dict:
        thesis = ref.get("degree", "") if ref["kind"] == "thesis" else ""
        journal = None
        if ref["kind"] == "cn_journal":
            cn, en, issn = ref["cn_journal"]
            journal = (cn, en, issn, 0)
        rec = self.cn_record(ref["cn_title"], "seed", journal=journal, thesis=thesis, year=ref["year"],
                             authors=ref["cn_authors"], doi=ref["doi"], abstract=seed_cn_abstract(row),
                             translated=ref["title"])
        rec["volume"], rec["pages"] = "", ""
        rec["issue"] = ref.get("issue", "")
        rec["address"] = ""
        if db == "wf" and thesis:
            rec["doi"] = ""  # Wanfang's copy of a CNKI thesis carries no CNKI DOI
        return rec

    def second_reports(self) -> None:
        """A second report of two included studies (illustrative): the LEGEND-2 interim
        report in PubMed, and a Chinese-language interim report of Gu R 2020's trial."""
        p = self.new("include", study="Zhao WH 2022", topic="seed-second")
        title = ("Interim results of the LEGEND-2 phase 1 study of LCAR-B38M CAR-T cells in relapsed or "
                 "refractory multiple myeloma (illustrative record).")
        self.titles.add(title)
        p.pm = self.pubmed(
            title, "JHO", 2018, authors=[("Zhao", "WH"), ("Liu", "J"), ("Wang", "BY"), ("Chen", "YX"),
                                         ("Cao", "XM"), ("He", "AL")],
            abstract=[("BACKGROUND", "LCAR-B38M is a lentiviral vector-modified chimeric antigen receptor (CAR) "
                       "T-cell immunotherapy with two BCMA-binding domains for the malignant plasma-cell tumour "
                       "multiple myeloma."),
                      ("METHODS", "This interim analysis of the single-arm LEGEND-2 study describes the first 57 "
                       "patients treated at one of its centres."),
                      ("RESULTS", "Responses were frequent and cytokine release syndrome was mostly of grade 1-2; "
                       "the four-year follow-up of the whole study reports the final figures."),
                      ("CONCLUSIONS", "An earlier report of a study already included through its four-year "
                       "follow-up. " + tp.ILLUSTRATIVE_NOTE)],
            pubtypes=["Clinical Trial, Phase I", "Journal Article"],
            mesh=seed_mesh({"cancer": "myeloma"}), keywords=["LEGEND-2", "BCMA", tp.ILLUSTRATIVE_KEYWORD],
            doi=DOI_PREFIX + "legend2-interim", volume="11", issue="1", pages="")
        q = self.new("include", study="Gu R 2020", topic="seed-second", flagged=True)
        cn = "新型抗CD19嵌合抗原受体T细胞治疗复发难治急性淋巴细胞白血病的中期疗效分析"
        en = ("Interim efficacy of a new anti-CD19 chimeric antigen receptor T-cell therapy in relapsed or "
              "refractory acute lymphoblastic leukemia")
        self.titles.add(cn)
        self.titles.add(en)
        ab = ("目的 报告新型抗CD19 CAR(慢病毒载体构建)T细胞治疗复发难治急性淋巴细胞白血病这一恶性肿瘤的中期结果。"
              "方法 单臂临床试验中首批12例患者的资料。结果 多数患者获得完全缓解,细胞因子释放综合征可控。"
              "结论 该试验的完整结果已以英文发表(Gu R 2020)。免疫治疗。" + tp.CN_NOTE)
        rec = dict(title=cn, translated_title=en, year=2019, doi="", authors=["顾R", "刘F", "邹D", "王J"],
                   keywords=["嵌合抗原受体", "急性淋巴细胞白血病", "CD19", "示例记录"], abstract=ab, thesis="",
                   journal=CN_JOURNALS[0], volume="40", issue="9", pages="731-736",
                   address="中国医学科学院血液病医院(示例)")
        q.cnki = dict(rec)
        q.wf = dict(rec)

    def excluded_pubmed(self) -> None:
        r = self.rng
        # automatic: journal metric < 10 (plain journal articles, so no other rule applies)
        kinds = ["clinical"] * 70 + ["preclinical"] * 64 + ["non_cart"] * 25
        for kind in kinds:
            jkey = r.choice(LOW_JOURNALS)
            types = ["Journal Article"] + (["Clinical Trial"] if kind == "clinical" and r.random() < 0.3 else [])
            p = self.new("rule_if", topic=kind)
            p.pm = self.illustrative_pubmed(self.title(kind), jkey, kind, types)
        # automatic: publication types (journals with a metric >= 10, so the metric rule never applies)
        for ptype, n in PLAN["publication_types"].items():
            for i in range(n):
                p = self.new("rule_pubtype", reason=ptype, topic=PTYPE_TOPIC[ptype])
                kind = PTYPE_TOPIC[ptype]
                types = {"Review": ["Journal Article", "Review"],
                         "Systematic Review / Meta-Analysis": ["Journal Article", "Systematic Review"]
                         if i % 2 else ["Journal Article", "Meta-Analysis", "Systematic Review"],
                         "Case Reports": ["Case Reports", "Journal Article"], "Letter": ["Letter"],
                         "Editorial": ["Editorial"], "Comment": ["Comment", "Editorial"],
                         "Published Erratum": ["Published Erratum"]}[ptype]
                jkey = r.choice(PTYPE_JOURNALS[ptype])
                p.pm = self.illustrative_pubmed(self.title(kind), jkey, kind, types)
        # title/abstract exclusions (off-topic), in journals with a metric >= 10 or none
        offtopic = [("non_cart", "not CAR-T therapy based on vector modification", 122),
                    ("preclinical", "not a clinical study", 96),
                    ("non_malignant", "not a malignant tumour", 18)]
        for kind, reason, n in offtopic:
            for i in range(n):
                p = self.new("ta_exclude", reason=reason, topic=kind)
                jkey = ABSENT_JOURNALS[i % 2] if i < 3 else r.choice(HIGH_JOURNALS)
                p.flagged = jkey in ABSENT_JOURNALS
                types = ["Journal Article"] + (["Research Support, Non-U.S. Gov't"] if r.random() < 0.4 else [])
                if kind == "non_cart" and r.random() < 0.3:
                    types.insert(0, "Clinical Trial, Phase II")
                p.pm = self.illustrative_pubmed(self.title(kind), jkey, kind, types)
        # full-text exclusions and a report not retrieved
        ft = [("no ORR, CRR or dead rate reported", 5, "ft_no_outcome"),
              ("incomplete or inconsistent outcomes", 3, "ft_incomplete"),
              ("duplicate study", 3, "ft_duplicate"),
              ("not CAR-T therapy based on vector modification", 3, "ft_nonviral"),
              ("not a malignant tumour", 1, "ft_nonmalignant"),
              ("case report, review, letter or other unsuitable type", 2, "ft_abstract_only")]
        for reason, n, kind in ft:
            for i in range(n):
                p = self.new("ft_exclude", reason=reason, topic=kind)
                jkey = "BLOODADV" if (kind == "ft_no_outcome" and i == 0) else r.choice(HIGH_JOURNALS)
                p.flagged = jkey in ABSENT_JOURNALS
                title = self.ft_title(kind)
                p.pm = self.illustrative_pubmed(title, jkey, kind, ["Journal Article"])
        p = self.new("not_retrieved", topic="clinical")
        p.pm = self.illustrative_pubmed(self.title("clinical"), "MOLTHER", "clinical",
                                        ["Clinical Trial, Phase I", "Journal Article"], year=2014)

    def ft_title(self, kind: str) -> str:
        if kind in ("ft_no_outcome", "ft_incomplete", "ft_abstract_only"):
            return self.title("clinical")
        pattern = {
            "ft_duplicate": ["Pooled analysis of {ag} CAR-T patients from two single-centre trials in {dz}",
                             "Updated toxicity data of a {ag} CAR-T cohort with {dz} previously reported",
                             "Secondary analysis of {asp} in a published {ag} CAR T-cell trial for {dz}"],
            "ft_nonviral": ["PiggyBac transposon-engineered {ag} CAR T cells in patients with {dz}",
                            "Sleeping Beauty-modified {ag} CAR T cells for {dz}: a first-in-human study",
                            "Messenger RNA-electroporated {ag} CAR T cells in {dz}: transient activity"],
            "ft_nonmalignant": ["CD19 CAR T cells for refractory {nm} presenting as a lymphoproliferative "
                                "disorder: a clinical series"],
        }[kind]
        for _ in range(500):
            t = self.fill(self.rng.choice(pattern))
            t = t[0].upper() + t[1:]
            if self.titles.ok(t):
                self.titles.add(t)
                return t
        raise RuntimeError(kind)

    def chinese_papers(self) -> None:
        """Chinese-only papers: (kind, fate, reason, CNKI+Wanfang, CNKI only, Wanfang only)."""
        plan = [("review", "ta_exclude", "case report, review, letter or other unsuitable type", 4, 2, 2),
                ("preclinical", "ta_exclude", "not a clinical study", 6, 9, 5),
                ("non_cart", "ta_exclude", "not CAR-T therapy based on vector modification", 4, 7, 3),
                ("non_malignant", "ta_exclude", "not a malignant tumour", 1, 2, 1),
                ("clinical_incomplete", "ft_exclude", None, 3, 1, 1),
                ("clinical_incomplete", "not_retrieved", "", 1, 1, 0)]
        ft_reasons = iter(["no ORR, CRR or dead rate reported", "no ORR, CRR or dead rate reported",
                           "incomplete or inconsistent outcomes", "incomplete or inconsistent outcomes",
                           "not a clinical study"])
        for kind, fate, reason, both, cnki_only, wf_only in plan:
            for where in ["both"] * both + ["cnki"] * cnki_only + ["wf"] * wf_only:
                why = next(ft_reasons) if reason is None else reason
                p = self.new(fate, reason=why, topic="cn_" + kind, flagged=True)
                thesis = "硕士" if fate == "not_retrieved" else ""
                cn, en = self.cn_title(kind)
                rec = self.cn_record(cn, kind, thesis=thesis)
                if where in ("both", "cnki"):
                    p.cnki = dict(rec)
                if where in ("both", "wf"):
                    p.wf = dict(rec, translated_title=en)
        # one CNKI/Wanfang pair found only through the English title: CNKI lists the
        # English title of a Chinese paper, Wanfang the Chinese one with its translation
        odd = next(p for p in self.papers if p.topic == "cn_non_cart" and p.cnki and p.wf)
        odd.cnki["title"] = odd.wf["translated_title"]
        odd.cnki["language"] = "eng"

    def copies_of_pubmed(self) -> None:
        """English records of PubMed papers as CNKI and Wanfang also list them."""
        by_study = {p.study: p for p in self.papers if p.topic == "seed" and p.pm}
        cnki = [by_study["Mei H 2021"], by_study["Jin X 2022"], by_study["Gu R 2020"],
                next(p for p in self.papers if p.fate == "rule_if" and p.topic == "clinical")]
        wf = [by_study["Jiang H 2019"], by_study["Gu R 2020"],
              next(p for p in self.papers if p.fate == "ta_exclude" and p.topic == "non_cart" and p.pm)]
        for p in cnki:
            p.cnki = english_copy(p.pm)
        # CNKI lists Jin X 2022 without its DOI and with the article's e-pages: a copy that
        # deduplication can only call possible (different start pages); a person merges it
        jin = by_study["Jin X 2022"].cnki
        jin["no_doi"], jin["doi"], jin["pages"] = True, "", "1-12"
        for p in wf:
            p.wf = english_copy(p.pm)

    def assign_ids(self) -> None:
        pm = sorted((p for p in self.papers if p.pm), key=lambda p: (p.pm["year"], p.pid))
        for i, p in enumerate(pm):
            p.pm["pmid"] = str(FIRST_PMID + i)
            if not p.pm["doi"]:
                p.pm["doi"] = f"{DOI_PREFIX}{p.pm['pmid']}"
            for copy in (p.cnki, p.wf):
                if copy is not None and copy.get("english") and not copy.get("no_doi"):
                    copy["doi"] = p.pm["doi"]
        for p in self.papers:
            if p.pm:
                p.key = p.pm["pmid"]
            else:
                rec = p.cnki or p.wf
                p.key = rec["doi"] or rec["title"]


# ----------------------------------------------------------------------------- journals
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# key -> (title, ISO abbreviation, MedlineTA, print ISSN, electronic ISSN, linking ISSN, NLM id, country)
JOURNALS = dict(seed_refs.JOURNALS)
JOURNALS.update({
    "NATURE": ("Nature", "Nature", "Nature", "0028-0836", "1476-4687", "0028-0836", "0410462", "England"),
    "CELL": ("Cell", "Cell", "Cell", "0092-8674", "1097-4172", "0092-8674", "0413066", "United States"),
    "STM": ("Science translational medicine", "Sci Transl Med", "Sci Transl Med", "1946-6234", "1946-6242",
            "1946-6234", "101505086", "United States"),
    "JCI": ("The Journal of clinical investigation", "J Clin Invest", "J Clin Invest", "0021-9738", "1558-8238",
            "0021-9738", "7802877", "United States"),
    "CANCERCELL": ("Cancer cell", "Cancer Cell", "Cancer Cell", "1535-6108", "1878-3686", "1535-6108",
                   "101130617", "United States"),
    "NATCOMMUN": ("Nature communications", "Nat Commun", "Nat Commun", "", "2041-1723", "2041-1723",
                  "101528555", "England"),
    "MOLCANCER": ("Molecular cancer", "Mol Cancer", "Mol Cancer", "", "1476-4598", "1476-4598", "101147698",
                  "England"),
    "STTT": ("Signal transduction and targeted therapy", "Signal Transduct Target Ther",
             "Signal Transduct Target Ther", "2095-9907", "2059-3635", "2059-3635", "101676423", "England"),
    "CANCERDISCOV": ("Cancer discovery", "Cancer Discov", "Cancer Discov", "2159-8274", "2159-8290",
                     "2159-8274", "101561693", "United States"),
    "NRCO": ("Nature reviews. Clinical oncology", "Nat Rev Clin Oncol", "Nat Rev Clin Oncol", "1759-4774",
             "1759-4782", "1759-4774", "101500077", "England"),
    "MOLTHER": ("Molecular therapy : the journal of the American Society of Gene Therapy", "Mol Ther",
                "Mol Ther", "1525-0016", "1525-0024", "1525-0016", "100890581", "United States"),
    "JECCR": ("Journal of experimental & clinical cancer research : CR", "J Exp Clin Cancer Res",
              "J Exp Clin Cancer Res", "0392-9078", "1756-9966", "0392-9078", "8308647", "England"),
    "LANCET": ("Lancet (London, England)", "Lancet", "Lancet", "0140-6736", "1474-547X", "0140-6736",
               "2985213R", "England"),
    "JAMAONC": ("JAMA oncology", "JAMA Oncol", "JAMA Oncol", "2374-2437", "2374-2445", "2374-2437",
                "101652861", "United States"),
    "ANNONC": ("Annals of oncology : official journal of the European Society for Medical Oncology",
               "Ann Oncol", "Ann Oncol", "0923-7534", "1569-8041", "0923-7534", "9007735", "England"),
    "NATBIOTECH": ("Nature biotechnology", "Nat Biotechnol", "Nat Biotechnol", "1087-0156", "1546-1696",
                   "1087-0156", "9604648", "United States"),
    "IMMUNITY": ("Immunity", "Immunity", "Immunity", "1074-7613", "1097-4180", "1074-7613", "9432918",
                 "United States"),
    # journals whose illustrative metric is below 10
    "FIMMU": ("Frontiers in immunology", "Front Immunol", "Front Immunol", "", "1664-3224", "1664-3224",
              "101560960", "Switzerland"),
    "CANCERS": ("Cancers", "Cancers (Basel)", "Cancers (Basel)", "", "2072-6694", "2072-6694", "101526829",
                "Switzerland"),
    "IJMS": ("International journal of molecular sciences", "Int J Mol Sci", "Int J Mol Sci", "", "1422-0067",
             "1422-0067", "101092791", "Switzerland"),
    "FONC": ("Frontiers in oncology", "Front Oncol", "Front Oncol", "", "2234-943X", "2234-943X", "101568867",
             "Switzerland"),
    "CANCERMED": ("Cancer medicine", "Cancer Med", "Cancer Med", "", "2045-7634", "2045-7634", "101595310",
                  "United States"),
    "ONCOLLETT": ("Oncology letters", "Oncol Lett", "Oncol Lett", "1792-1074", "1792-1082", "1792-1074",
                  "101531236", "Greece"),
    "CII": ("Cancer immunology, immunotherapy : CII", "Cancer Immunol Immunother", "Cancer Immunol Immunother",
            "0340-7004", "1432-0851", "0340-7004", "8605732", "Germany"),
    "CYTOTHERAPY": ("Cytotherapy", "Cytotherapy", "Cytotherapy", "1465-3249", "1477-2566", "1465-3249",
                    "100895309", "England"),
    "HGT": ("Human gene therapy", "Hum Gene Ther", "Hum Gene Ther", "1043-0342", "1557-7422", "1043-0342",
            "9008950", "United States"),
    "LEUKLYMPH": ("Leukemia & lymphoma", "Leuk Lymphoma", "Leuk Lymphoma", "1042-8194", "1029-2403",
                  "1042-8194", "9007422", "United States"),
    "ANNHEMATOL": ("Annals of hematology", "Ann Hematol", "Ann Hematol", "0939-5555", "1432-0584", "0939-5555",
                   "9107334", "Germany"),
    "BJH": ("British journal of haematology", "Br J Haematol", "Br J Haematol", "0007-1048", "1365-2141",
            "0007-1048", "0372544", "England"),
    "BMT": ("Bone marrow transplantation", "Bone Marrow Transplant", "Bone Marrow Transplant", "0268-3369",
            "1476-5365", "0268-3369", "8702459", "England"),
    "CANCERSCI": ("Cancer science", "Cancer Sci", "Cancer Sci", "1347-9032", "1349-7006", "1347-9032",
                  "101168776", "England"),
    "ONCOIMMUNOL": ("Oncoimmunology", "Oncoimmunology", "Oncoimmunology", "2162-4011", "2162-402X",
                    "2162-4011", "101570526", "United States"),
    "BIOMEDPHARM": ("Biomedicine & pharmacotherapy = Biomedecine & pharmacotherapie", "Biomed Pharmacother",
                    "Biomed Pharmacother", "0753-3322", "1950-6007", "0753-3322", "8213295", "France"),
    "IMMUNOTHERAPY": ("Immunotherapy", "Immunotherapy", "Immunotherapy", "1750-743X", "1750-7448", "1750-743X",
                      "101485158", "England"),
    "EJH": ("European journal of haematology", "Eur J Haematol", "Eur J Haematol", "0902-4441", "1600-0609",
            "0902-4441", "8703985", "England"),
    "IJC": ("International journal of cancer", "Int J Cancer", "Int J Cancer", "0020-7136", "1097-0215",
            "0020-7136", "0042124", "United States"),
    "CANCERLETT": ("Cancer letters", "Cancer Lett", "Cancer Lett", "0304-3835", "1872-7980", "0304-3835",
                   "7600053", "Ireland"),
})
JOURNAL_START = {"NEJM": 1827, "BLOOD": 1945, "JCO": 1982, "NATURE": 1869, "CELL": 1973, "LANCET": 1823,
                 "JCI": 1923, "STM": 2008, "CANCERCELL": 2001, "NATCOMMUN": 2009, "MOLCANCER": 2001,
                 "STTT": 2015, "CANCERDISCOV": 2010, "NRCO": 2008, "MOLTHER": 1999, "JECCR": 1981,
                 "JAMAONC": 2014, "ANNONC": 1989, "NATBIOTECH": 1982, "IMMUNITY": 1993, "JHO": 2007,
                 "CMI": 2003, "JITC": 2012, "AJH": 1975, "CCR": 1994, "LHAEM": 2013, "LEUK": 1986,
                 "BCJ": 2010, "CTM": 2011, "NATMED": 1994, "BLOODADV": 2016, "LONC": 1999, "FIMMU": 2009,
                 "CANCERS": 2008, "IJMS": 1999, "FONC": 2010, "CANCERMED": 2011, "ONCOLLETT": 2009,
                 "CII": 1981, "CYTOTHERAPY": 1998, "HGT": 1989, "LEUKLYMPH": 1989, "ANNHEMATOL": 1990,
                 "BJH": 1954, "BMT": 1985, "CANCERSCI": 2002, "ONCOIMMUNOL": 2011, "BIOMEDPHARM": 1981,
                 "IMMUNOTHERAPY": 2008, "EJH": 1986, "IJC": 1965, "CANCERLETT": 1975}
# Illustrative metric values (an impact-factor stand-in; real JIFs are not shipped).
METRICS = {"NEJM": 91.2, "LANCET": 88.5, "NRCO": 78.3, "NATMED": 64.1, "NATURE": 52.7, "CELL": 47.4,
           "CANCERCELL": 46.0, "ANNONC": 44.2, "JCO": 41.6, "LONC": 40.3, "STTT": 37.9, "NATBIOTECH": 35.4,
           "CANCERDISCOV": 27.6, "JHO": 27.1, "MOLCANCER": 26.8, "IMMUNITY": 25.3, "LHAEM": 21.8, "CMI": 20.9,
           "BLOOD": 20.4, "JAMAONC": 19.6, "STM": 15.3, "NATCOMMUN": 14.8, "JCI": 13.2, "MOLTHER": 12.0,
           "LEUK": 11.9, "BCJ": 11.5, "JECCR": 11.2, "AJH": 10.8, "JITC": 10.6, "CCR": 10.3,
           "FIMMU": 6.4, "BIOMEDPHARM": 6.3, "ONCOIMMUNOL": 6.1, "BJH": 5.7, "IJC": 5.5, "CII": 5.2,
           "IJMS": 4.9, "CANCERS": 4.6, "BMT": 4.4, "CANCERSCI": 4.3, "CYTOTHERAPY": 4.0, "HGT": 3.8,
           "FONC": 3.6, "ANNHEMATOL": 3.1, "CANCERMED": 2.9, "IMMUNOTHERAPY": 2.8, "EJH": 2.6,
           "ONCOLLETT": 2.5, "LEUKLYMPH": 2.3, "CANCERLETT": 9.1}
ABSENT_JOURNALS = ["BLOODADV", "CTM"]  # left out of the metrics file on purpose: flagged, never excluded
LOW_JOURNALS = sorted(k for k, v in METRICS.items() if v < 10)
HIGH_JOURNALS = ["JHO", "BLOOD", "LEUK", "JITC", "CCR", "MOLTHER", "STM", "NATCOMMUN", "JCI", "CANCERCELL",
                 "MOLCANCER", "STTT", "CMI", "JECCR", "CANCERDISCOV", "NATMED", "NATURE", "CELL", "AJH", "BCJ",
                 "NATBIOTECH", "IMMUNITY", "JAMAONC", "ANNONC", "LONC", "JCO"]
PTYPE_TOPIC = {"Review": "review", "Systematic Review / Meta-Analysis": "sr", "Case Reports": "case",
               "Letter": "letter", "Editorial": "editorial", "Comment": "comment", "Published Erratum": "erratum"}
PTYPE_JOURNALS = {
    "Review": ["JHO", "MOLCANCER", "STTT", "NRCO", "BLOOD", "JCO", "CANCERCELL", "JECCR", "CMI", "LEUK",
               "JITC", "MOLTHER", "ANNONC", "CANCERDISCOV", "AJH", "NATBIOTECH"],
    "Systematic Review / Meta-Analysis": ["JHO", "JITC", "BCJ", "JAMAONC", "AJH", "LEUK"],
    "Case Reports": ["JITC", "AJH", "BCJ", "JHO", "LEUK", "BLOOD"],
    "Letter": ["LEUK", "BLOOD", "AJH", "BCJ", "JHO"],
    "Editorial": ["NEJM", "LONC", "JCO", "BLOOD", "NATMED", "LANCET"],
    "Comment": ["NEJM", "LONC", "BLOOD", "JCO"],
    "Published Erratum": ["JHO", "JCO"],
}

# (Chinese title, English title, ISSN, first volume year) of Chinese journals (none has a metric)
CN_JOURNALS = [("中华血液学杂志", "Chinese Journal of Hematology", "0253-2727", 1979),
               ("中国实验血液学杂志", "Journal of Experimental Hematology", "1009-2137", 1992),
               ("中华肿瘤杂志", "Chinese Journal of Oncology", "0253-3766", 1978),
               ("白血病·淋巴瘤", "Journal of Leukemia & Lymphoma", "1009-9921", 1991),
               ("临床血液学杂志", "Journal of Clinical Hematology", "1004-2806", 1987),
               ("中国肿瘤生物治疗杂志", "Chinese Journal of Cancer Biotherapy", "1007-385X", 1993),
               ("中国免疫学杂志", "Chinese Journal of Immunology", "1000-484X", 1984),
               ("肿瘤防治研究", "Cancer Research on Prevention and Treatment", "1000-8578", 1973)]
CN_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢")
CN_GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
            "秀英", "霞", "平", "刚", "桂英", "建华", "晓东", "海燕", "志强", "雪梅", "文博", "思远", "佳怡"]
CN_AFFILIATIONS = ["某大学附属医院血液科(示例)", "某省人民医院肿瘤科(示例)", "某医学院免疫学系(示例)",
                   "某大学生命科学学院(示例)", "某市第一人民医院血液内科(示例)"]


# ----------------------------------------------------------------------------- text
def split_authors(text: str) -> list[tuple[str, str]]:
    out = []
    for a in text.split(", "):
        last, _, ini = a.rpartition(" ")
        out.append((last, ini))
    return out


def read_seed() -> list[dict]:
    with SEED_TSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _num(v: str) -> float | None:
    return None if v == "NA" else float(v)


def _pct(v: str) -> str:
    x = float(v)
    return f"{x:.0f}" if abs(x - round(x)) < 1e-9 else f"{x:.1f}"


def deaths_of(row: dict) -> int | None:
    dr = _num(row["dr"])
    return None if dr is None else round(dr * int(row["n"]) / 100)


DESIGN = {"1": "In this phase 1, single-arm, open-label study", "2": "In this single-arm phase 2 trial",
          "1,2": "In this phase 1/2 single-arm study", "NA": "In this single-arm clinical study"}
CANCER_WORDS = {"myeloma": "multiple myeloma, a malignant plasma-cell tumor",
                "leukemia": "leukemia, a hematologic malignancy", "lymphoma": "lymphoma, a malignant tumor",
                "solid": "solid tumors (cancer)"}


def seed_abstract(row: dict) -> list[tuple[str, str]]:
    n = int(row["n"])
    age = "" if row["age_median"] == "NA" else f"; median age {row['age_median']} years"
    sex = "" if row["female"] == "NA" else f" ({row['female']} women, {row['male']} men{age})"
    results = []
    if row["orr"] != "NA":
        results.append(f"The objective response rate was {_pct(row['orr'])}%")
    if row["crr"] != "NA":
        results.append(("and the" if results else "The") + f" complete response rate {_pct(row['crr'])}%")
    text = " ".join(results) + ("." if results else "")
    d = deaths_of(row)
    if d is not None:
        text += f" {d} of {n} patients died during follow-up."
    if row["g3"] != "NA":
        text += f" Grade 3 or higher cytokine release syndrome occurred in {_pct(row['g3'])}% of patients"
        text += f" and neurologic events in {_pct(row['neu'])}%." if row["neu"] != "NA" else "."
    return [
        ("BACKGROUND", f"Chimeric antigen receptor (CAR) T cells modified with a viral vector are an adoptive "
                       f"immunotherapy for {CANCER_WORDS[row['cancer']]}."),
        ("METHODS", f"{DESIGN[row['phase']]}, {n} patients{sex} with {row['tumor'].lower()} received "
                    f"{row['vector']} CAR T cells made with a lentiviral or retroviral vector."),
        ("RESULTS", text.strip()),
        ("CONCLUSIONS", "The CAR T cells were active with manageable toxicity. " + tp.SEED_ABSTRACT_NOTE),
    ]


def seed_cn_abstract(row: dict) -> str:
    vector = row["vector"].removesuffix(" CAR-T")
    tumour = {"myeloma": "复发/难治性多发性骨髓瘤", "lymphoma": "复发/难治性弥漫大B细胞淋巴瘤"}[row["cancer"]]
    parts = [f"目的 评价{vector} CAR-T细胞(慢病毒载体转导)免疫治疗{tumour}这一恶性肿瘤的疗效和安全性。",
             f"方法 单臂临床研究,纳入{row['n']}例患者。结果 "]
    if row["orr"] != "NA":
        parts.append(f"客观缓解率{_pct(row['orr'])}%,")
    if row["crr"] != "NA":
        parts.append(f"完全缓解率{_pct(row['crr'])}%,")
    d = deaths_of(row)
    if d is not None:
        parts.append(f"随访期间死亡{d}例,")
    parts.append(f"3级及以上细胞因子释放综合征发生率{_pct(row['g3'])}%。结论 该CAR-T细胞疗效确切,安全性可控。")
    return "".join(parts) + "[示例摘要：据种子荟萃分析表格为 review 演示编写。]"


def seed_pubtypes(row: dict) -> list[str]:
    phase = {"1": ["Clinical Trial, Phase I"], "2": ["Clinical Trial, Phase II"],
             "1,2": ["Clinical Trial, Phase I", "Clinical Trial, Phase II"]}.get(row["phase"], ["Clinical Trial"])
    return phase + ["Journal Article", "Research Support, Non-U.S. Gov't"]


MESH_DISEASE = {"myeloma": "Multiple Myeloma", "leukemia": "Leukemia", "lymphoma": "Lymphoma",
                "solid": "Neoplasms"}


def seed_mesh(row: dict) -> list[tuple[str, bool]]:
    return [("Adult", False), ("Female", False), ("Humans", False), ("Immunotherapy, Adoptive", True),
            ("Lentivirus", False), ("Male", False), ("Middle Aged", False), (MESH_DISEASE[row["cancer"]], True),
            ("Receptors, Chimeric Antigen", True), ("T-Lymphocytes", False)]


def seed_keywords(row: dict) -> list[str]:
    return ["CAR-T", "immunotherapy", MESH_DISEASE[row["cancer"]].lower(), "illustrative abstract (review demo)"]


def abstract_for(topic: str, title: str, r: random.Random) -> list[tuple[str, str]]:
    """A short illustrative abstract that names the search's concepts (CAR-T, vector, tumour, immunotherapy)."""
    t = title.rstrip(".").lower()
    n = r.randint(8, 140)
    if topic in ("clinical", "ft_no_outcome", "ft_incomplete", "ft_abstract_only", "ft_duplicate",
                 "ft_nonviral", "ft_nonmalignant"):
        res = {
            "ft_no_outcome": "The report describes cell kinetics and cytokine profiles; response and survival "
                             "were not reported.",
            "ft_incomplete": "Response rates in the text and the tables do not agree, and the number of deaths "
                             "is not given.",
            "ft_abstract_only": "Only a meeting abstract and a trial registration are available for this "
                                "study.",
            "ft_duplicate": "All patients were reported before in the trials' primary publications.",
            "ft_nonviral": "The CAR was introduced without a viral vector.",
            "ft_nonmalignant": "Patients had a non-malignant lymphoproliferative disorder.",
        }.get(topic, f"Objective responses were seen in {r.randint(20, 95)}% of patients; "
                     f"{r.randint(0, 40)}% had grade 3 or higher cytokine release syndrome.")
        return [("BACKGROUND", "Chimeric antigen receptor (CAR) T-cell immunotherapy, produced with a "
                               "lentiviral or retroviral vector, is changing the treatment of malignant tumors."),
                ("METHODS", f"We studied {n} patients ({t})."),
                ("RESULTS", res),
                ("CONCLUSIONS", "Further studies are needed. " + tp.ILLUSTRATIVE_NOTE)]
    body = {
        "preclinical": f"We engineered T cells with a lentiviral vector encoding a chimeric antigen receptor "
                       f"(CAR-T) and tested them against tumor cells in vitro and in mice ({t}). No patients "
                       f"were treated. The findings support further development of this immunotherapy.",
        "non_cart": f"This study of {n} patients with cancer evaluated a treatment other than CAR-T cells "
                    f"({t}). Viral vector-based chimeric antigen receptor immunotherapy is discussed as an "
                    f"alternative for malignant tumors.",
        "non_malignant": f"CAR-T cells made with a lentiviral vector, developed as a tumor immunotherapy, were "
                         f"used here outside cancer ({t}); {n} patients or animals were studied.",
        "review": f"This review summarises chimeric antigen receptor (CAR-T) immunotherapy for malignant tumors, "
                  f"including lentiviral and retroviral vector design ({t}).",
        "sr": f"We searched databases for studies of CAR-T immunotherapy made with viral vectors in cancer and "
              f"pooled {n} studies ({t}).",
        "case": f"We describe one patient with a malignant tumor treated with lentiviral vector-modified CAR-T "
                f"immunotherapy ({t}).",
        "letter": f"A short report on CAR-T immunotherapy (vector-modified T cells) in cancer ({t}).",
        "editorial": f"An editorial on chimeric antigen receptor T-cell immunotherapy for tumors and the vectors "
                     f"used to make it ({t}).",
        "comment": f"A comment on a trial of vector-engineered CAR-T immunotherapy for cancer ({t}).",
        "erratum": f"Correction of a published article on CAR-T immunotherapy (lentiviral vector) for tumors "
                   f"({t}).",
    }[topic]
    return [("", body + " " + tp.ILLUSTRATIVE_NOTE)]


def mesh_for(topic: str, title: str, r: random.Random) -> list[tuple[str, bool]]:
    base = [("Immunotherapy, Adoptive", True), ("Receptors, Chimeric Antigen", False)]
    if topic in ("preclinical",):
        base += [("Animals", False), ("Mice", False), ("Cell Line, Tumor", False), ("Genetic Vectors", False)]
    else:
        base += [("Humans", False)]
        if topic in ("clinical", "non_cart"):
            base += r.sample([("Adult", False), ("Aged", False), ("Female", False), ("Male", False),
                              ("Middle Aged", False), ("Prospective Studies", False),
                              ("Follow-Up Studies", False)], 3)
    base.append(("Neoplasms", False) if "cancer" in title.lower() or "carcinoma" in title.lower()
                else ("Hematologic Neoplasms", False))
    return sorted(set(base))


def keywords_for(topic: str, title: str) -> list[str]:
    return ["CAR-T", "immunotherapy"] + (["preclinical"] if topic == "preclinical" else [])


def english_copy(pm: dict) -> dict:
    """The record of a PubMed paper as CNKI's or Wanfang's foreign-journal database lists it."""
    j = JOURNALS[pm["jkey"]]
    issn = j[3] or j[4]
    return dict(title=pm["title"].rstrip("."), translated_title="", year=pm["year"], doi=pm["doi"],
                authors=[f"{last} {ini}" for last, ini in pm["authors"]], keywords=["CAR-T", "immunotherapy"],
                abstract=" ".join(t for _, t in pm["abstract"]), thesis="",
                journal=(j[0][0].upper() + j[0][1:], "", issn, 0), volume=pm["volume"],
                issue=pm["issue"], pages=pm["pages"], address="", english=True, language="eng")


def cn_keywords(topic: str, title: str) -> list[str]:
    kw = ["嵌合抗原受体", "免疫治疗"]
    for word in ("多发性骨髓瘤", "白血病", "淋巴瘤", "细胞因子释放综合征", "慢病毒载体"):
        if word in title:
            kw.append(word)
    return kw + ["示例记录"]


def cn_abstract(topic: str, title: str, r: random.Random) -> str:
    n = r.randint(10, 80)
    body = {
        "review": "本文综述嵌合抗原受体T细胞(CAR-T)免疫治疗恶性肿瘤的进展,包括慢病毒载体与逆转录病毒载体的设计。",
        "preclinical": "目的 构建慢病毒载体介导的CAR-T细胞并观察其对肿瘤细胞的杀伤作用。方法 体外实验及小鼠移植瘤模型。"
                       "结果 CAR-T细胞可特异性杀伤靶细胞。结论 为免疫治疗提供实验依据。未纳入患者。",
        "non_cart": f"目的 观察非CAR-T方案治疗肿瘤患者{n}例的疗效。结果 部分患者获益。文中将CAR-T(病毒载体修饰)免疫治疗作为对照讨论。",
        "non_malignant": f"目的 观察慢病毒载体修饰的CAR-T细胞免疫治疗在非肿瘤性疾病中的应用。方法 纳入{n}例患者。结果 症状缓解。",
        "clinical_incomplete": f"目的 分析接受慢病毒载体CAR-T细胞免疫治疗的恶性肿瘤患者{n}例的临床资料。结果 主要描述不良反应,"
                               f"疗效数据不完整。",
    }[topic]
    return body + tp.CN_NOTE


# ----------------------------------------------------------------------------- writers
MESH_UI = {"Humans": "D006801", "Female": "D005260", "Male": "D008297", "Adult": "D000328", "Aged": "D000368",
           "Middle Aged": "D008875", "Animals": "D000818", "Prospective Studies": "D011446",
           "Follow-Up Studies": "D005500"}
PTYPE_UI = {"Journal Article": "D016428", "Review": "D016454", "Observational Study": "D064888",
            "Research Support, Non-U.S. Gov't": "D013485"}


def _ui(table: dict, name: str) -> str:
    return f' UI="{table[name]}"' if name in table else ""


def pubmed_article(pm: dict) -> str:
    j = JOURNALS[pm["jkey"]]
    title, iso, ta, pissn, eissn, link, nlm, country = j
    e = escape
    issn = f'<ISSN IssnType="Print">{pissn}</ISSN>' if pissn else f'<ISSN IssnType="Electronic">{eissn}</ISSN>'
    date = f"<Year>{pm['year']}</Year>" + (f"<Month>{pm['month']}</Month>" if pm["month"] else "")
    pages = pm["pages"]
    if not pages:
        pag = ""
    elif "-" in pages:
        start, end = pages.split("-", 1)
        pag = f"<StartPage>{start}</StartPage><EndPage>{end}</EndPage><MedlinePgn>{pages}</MedlinePgn>"
    else:
        pag = f"<StartPage>{pages}</StartPage><MedlinePgn>{pages}</MedlinePgn>"
    abstract = "".join(
        (f'<AbstractText Label="{lab}" NlmCategory="{lab}">{e(txt)}</AbstractText>' if lab
         else f"<AbstractText>{e(txt)}</AbstractText>") for lab, txt in pm["abstract"])
    authors = "".join(f'<Author ValidYN="Y"><LastName>{e(last)}</LastName><ForeName>{e(ini)}</ForeName>'
                      f"<Initials>{e(ini)}</Initials></Author>" for last, ini in pm["authors"])
    types = "".join(f"<PublicationType{_ui(PTYPE_UI, t)}>{e(t)}</PublicationType>" for t in pm["pubtypes"])
    mesh = "".join(f'<MeshHeading><DescriptorName{_ui(MESH_UI, m)} MajorTopicYN="{"Y" if major else "N"}">'
                   f"{e(m)}</DescriptorName></MeshHeading>" for m, major in pm["mesh"])
    kw = "".join(f'<Keyword MajorTopicYN="N">{e(k)}</Keyword>' for k in pm["keywords"])
    status = pm["status"]
    return (
        f'<PubmedArticle><MedlineCitation Status="{status}" Owner="NLM" IndexingMethod="Automated">'
        f'<PMID Version="1">{pm["pmid"]}</PMID><DateRevised><Year>2024</Year><Month>12</Month><Day>31</Day>'
        f'</DateRevised><Article PubModel="Print-Electronic"><Journal>{issn}<JournalIssue CitedMedium="Internet">'
        f'<Volume>{pm["volume"]}</Volume><Issue>{pm["issue"]}</Issue><PubDate>{date}</PubDate></JournalIssue>'
        f"<Title>{e(title)}</Title><ISOAbbreviation>{e(iso)}</ISOAbbreviation></Journal>"
        f"<ArticleTitle>{e(pm['title'])}</ArticleTitle>" + (f"<Pagination>{pag}</Pagination>" if pag else "") +
        f'<ELocationID EIdType="doi" ValidYN="Y">{e(pm["doi"])}</ELocationID>'
        f"<Abstract>{abstract}</Abstract><AuthorList CompleteYN=\"Y\">{authors}</AuthorList>"
        f"<Language>eng</Language><PublicationTypeList>{types}</PublicationTypeList></Article>"
        f"<MedlineJournalInfo><Country>{country}</Country><MedlineTA>{e(ta)}</MedlineTA>"
        f"<NlmUniqueID>{nlm}</NlmUniqueID><ISSNLinking>{link}</ISSNLinking></MedlineJournalInfo>"
        + ("<CitationSubset>IM</CitationSubset>" if status == "MEDLINE" else "")
        + (f"<MeshHeadingList>{mesh}</MeshHeadingList>" if mesh else "")
        + f'<KeywordList Owner="NOTNLM">{kw}</KeywordList></MedlineCitation>'
        f"<PubmedData><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>"
        f'<ArticleId IdType="pubmed">{pm["pmid"]}</ArticleId><ArticleId IdType="doi">{e(pm["doi"])}</ArticleId>'
        f"</ArticleIdList></PubmedData></PubmedArticle>"
    )


EFETCH_HEAD = ('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
               '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
               "<PubmedArticleSet>\n")


def write_entrez(papers: list[Paper], protocol: dict, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    pm = sorted((p.pm for p in papers if p.pm), key=lambda x: -int(x["pmid"]))  # PubMed's default: newest first
    ids = [x["pmid"] for x in pm]
    src = protocol["sources"]["pubmed"]
    term, mindate, maxdate = src["query"], src["mindate"], src["maxdate"]
    body = (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
        '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
        f"<eSearchResult><Count>{len(ids)}</Count><RetMax>{len(ids)}</RetMax><RetStart>0</RetStart>"
        f"<QueryKey>1</QueryKey><WebEnv>{WEBENV}</WebEnv><IdList>\n"
        + "".join(f"<Id>{i}</Id>\n" for i in ids)
        + f"</IdList><TranslationSet/><QueryTranslation>{escape(term)} AND {mindate}:{maxdate}[Date - Publication]"
          f"</QueryTranslation></eSearchResult>\n")
    (out / "esearch.xml").write_text(body, encoding="utf-8")
    index = {
        "about": ("Answers of NCBI E-utilities for the protocol's PubMed search, for a replay server. A request "
                  "matches an entry when every parameter in 'match' has that value (others, such as tool, email, "
                  "api_key and esearch's retmax, are ignored). efetch with id=... (the client's resume path) is "
                  "answered with the <PubmedArticle> of each listed PMID taken from the efetch files, in the "
                  "order asked. Everything here is illustrative (see PLAN.md)."),
        "count": len(ids),
        "esearch": [{"match": {"db": "pubmed", "term": term, "usehistory": "y", "datetype": "pdat",
                               "mindate": mindate, "maxdate": maxdate}, "file": "esearch.xml"}],
        "efetch": [],
    }
    for k, start in enumerate(range(0, len(pm), BATCH), 1):
        part = pm[start:start + BATCH]
        name = f"efetch_{k:03d}.xml"
        (out / name).write_text(EFETCH_HEAD + "\n".join(pubmed_article(x) for x in part)
                                + "\n</PubmedArticleSet>\n", encoding="utf-8")
        index["efetch"].append({"match": {"db": "pubmed", "WebEnv": WEBENV, "query_key": "1",
                                          "retstart": str(start), "retmax": str(len(part)), "retmode": "xml"},
                                "file": name, "count": len(part)})
    (out / "index.json").write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return index


def noteexpress(rec: dict, db: str) -> str:
    """One NoteExpress record as CNKI (packed ';;' values) or Wanfang (one tag per value) writes it."""
    lines = [f"{{Reference Type}}: {'Thesis' if rec['thesis'] else 'Journal Article'}", f"{{Title}}: {rec['title']}"]
    if db == "wf" and rec.get("translated_title"):
        lines.append(f"{{Translated Title}}: {rec['translated_title']}")
    if db == "cnki":
        lines.append("{Author}: " + ";;".join(rec["authors"]))
        if rec.get("address"):
            lines.append(f"{{Author Address}}: {rec['address']}")
    else:
        lines += [f"{{Author}}: {a}" for a in rec["authors"]]
    if rec["thesis"]:
        lines.append(f"{{Type of Work}}: {rec['thesis']}")
    elif rec["journal"]:
        cn, en, issn, _ = rec["journal"]
        lines.append(f"{{Journal}}: {cn}")
        if db == "wf" and en:
            lines.append(f"{{Translated Journal}}: {en}")
        lines.append(f"{{ISBN/ISSN}}: {issn}")
    lines.append(f"{{Year}}: {rec['year']}")
    for tag, k in (("Volume", "volume"), ("Issue", "issue"), ("Pages", "pages")):
        if rec.get(k):
            lines.append(f"{{{tag}}}: {rec[k]}")
    if db == "cnki":
        lines.append("{Keywords}: " + ";".join(rec["keywords"]))
    else:
        lines += [f"{{Keywords}}: {k}" for k in rec["keywords"]]
    lines.append(f"{{Abstract}}: {rec['abstract']}")
    if rec.get("doi"):
        lines.append(f"{{DOI}}: {rec['doi']}")
    slug = abs(hash_text(rec["title"])) % 10**8
    if db == "cnki":
        dbname = "CMFD2023" if rec["thesis"] else f"CJFDLAST{rec['year']}"
        lines.append(f"{{URL}}: https://kns.cnki.net/kcms/detail/detail.aspx?FileName=DEMO{slug:08d}&DbName={dbname}")
        lines.append("{Database Provider}: CNKI")
    else:
        kind = "degree" if rec["thesis"] else "perio"
        lines.append(f"{{URL}}: http://www.wanfangdata.com.cn/details/detail.do?_type={kind}&id=demo{slug:08d}")
        lines.append("{Database Provider}: 北京万方数据股份有限公司")
    lines.append(f"{{Language}}: {rec.get('language', 'chi')}")
    return "\n".join(lines)


def hash_text(text: str) -> int:
    import hashlib

    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:12], 16)


def write_exports(papers: list[Paper], out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    cnki = [p.cnki for p in papers if p.cnki]
    wf = [p.wf for p in papers if p.wf]
    text = "\n\n".join(noteexpress(r, "cnki") for r in cnki) + "\n"
    (out / "cnki_demo.net").write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    text = "\n\n".join(noteexpress(r, "wf") for r in wf) + "\n"
    (out / "wanfang_demo.net").write_bytes(text.encode("utf-8"))
    return {"CNKI": len(cnki), "Wanfang": len(wf)}


def write_csv(path: Path, header: list[str], rows: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def write_metrics(papers: list[Paper], out: Path) -> list:
    used = sorted({p.pm["jkey"] for p in papers if p.pm})
    rows = []
    for k in used:
        if k in ABSENT_JOURNALS:
            continue
        title, iso, ta, pissn, eissn, link, nlm, country = JOURNALS[k]
        rows.append([title[0].upper() + title[1:], pissn or link, eissn, f"{METRICS[k]:.1f}", 2023])
    rows.sort()
    write_csv(out / "journal_metrics.csv", ["journal", "issn", "eissn", "metric", "year"], rows)
    return rows


# ----------------------------------------------------------------------------- dedup
def record_key(rec) -> str:
    """A record's own key (PMID, DOI, else title): what the dedup decisions file names."""
    return rec.pmid or rec.doi or rec.title


def dedup_decisions(papers: list[Paper], out: Path) -> dict:
    """Run review's deduplication on the bundled files (as the demo will, on the same
    records) and write the decisions a person makes on its doubtful pairs: merge the
    copies of one paper, keep different papers apart. Checks that the result is the plan."""
    from review.dedup.engine import find_duplicates
    from review.sources.readers import parse_bytes

    files = sorted((out / "entrez").glob("efetch_*.xml")) + [out / "exports" / "cnki_demo.net",
                                                              out / "exports" / "wanfang_demo.net"]
    records, owner, source = [], [], []
    by_pmid = {p.pm["pmid"]: p for p in papers if p.pm}
    by_title = {("CNKI", p.cnki["title"]): p for p in papers if p.cnki}
    by_title.update({("Wanfang", p.wf["title"]): p for p in papers if p.wf})
    for f in files:
        src = "PubMed" if f.suffix == ".xml" else ("CNKI" if "cnki" in f.name else "Wanfang")
        for rec in parse_bytes(f.read_bytes(), str(f), "auto")[1]:
            records.append(rec)
            source.append(src)
            owner.append(by_pmid[rec.pmid] if rec.pmid else by_title[(src, rec.title)])
    res = find_duplicates(records)
    rows, parent = [], list(range(len(records)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, lab in enumerate(res.labels):
        parent[root(i)] = root(lab)
    for pair in res.possible():
        a, b = pair.i, pair.j
        same = owner[a] is owner[b]
        if same:
            parent[root(a)] = root(b)
        note = ("the same paper: CNKI lists it without its DOI and with e-pages" if same else
                "different papers: " + "; ".join(pair.verdict.reasons))
        rows.append([record_key(records[a]), source[a], record_key(records[b]), source[b],
                     "merge" if same else "keep", note])
    groups: dict[int, set[str]] = {}
    for i in range(len(records)):
        groups.setdefault(root(i), set()).add(owner[i].pid)
    assert all(len(g) == 1 for g in groups.values()), "dedup merged different papers"
    assert len(groups) == len(papers), ("dedup missed planned copies", len(groups), len(papers))
    rows.sort()
    write_csv(out / "screening" / "dedup_decisions.csv",
              ["key_a", "source_a", "key_b", "source_b", "decision", "note"], rows)
    return {"certain_pairs": sum(1 for p in res.pairs if p.merged), "possible_pairs": len(rows),
            "merge": sum(r[4] == "merge" for r in rows), "keep": sum(r[4] == "keep" for r in rows)}


# ----------------------------------------------------------------------------- decisions
REVIEWERS = ("QZ", "XJZ")
ADJ = "JM"


@dataclass
class Decisions:
    rows: dict[str, list] = field(default_factory=lambda: {"QZ": [], "XJZ": []})
    resolutions: list = field(default_factory=list)


def make_decisions(papers: list[Paper], rng: random.Random) -> Decisions:
    """Both reviewers' decisions at both stages, with a few conflicts the adjudicator settles."""
    d = Decisions()
    ta = [p for p in papers if p.fate in ("include", "ta_exclude", "ft_exclude", "not_retrieved")]
    ta_in = [p for p in ta if p.fate != "ta_exclude"]
    ta_out = [p for p in ta if p.fate == "ta_exclude"]
    # conflicts at title/abstract: (paper, QZ, XJZ) with the adjudicator's call = the paper's fate
    c_in = rng.sample(ta_in, 8)
    c_out = rng.sample(ta_out, 16)
    conflict: dict[str, tuple[str, str]] = {}
    for i, p in enumerate(c_in):
        other = "maybe" if i < 3 else "exclude"
        conflict[p.pid] = ("include", other) if i % 2 else (other, "include")
    for i, p in enumerate(c_out):
        other = "maybe" if i < 3 else "include"
        pair = ("maybe", "maybe") if i == 3 else (("exclude", other) if i % 2 else (other, "exclude"))
        conflict[p.pid] = pair
    other_reason = rng.sample([p for p in ta_out if p.pid not in conflict], 4)
    alt_reason = {p.pid for p in other_reason}
    for p in ta:
        truth = "exclude" if p.fate == "ta_exclude" else "include"
        pair = conflict.get(p.pid, (truth, truth))
        for who, dec in zip(REVIEWERS, pair):
            reason = ""
            if dec == "exclude":
                reason = p.reason if p.fate == "ta_exclude" else "not a clinical study"
                if p.pid in alt_reason and who == "XJZ":
                    reason = next(r for r in REASONS_TA if r != p.reason)
            note = "unsure from the abstract alone" if dec == "maybe" else ""
            d.rows[who].append([p.key, "title_abstract", who, dec, reason, note])
        if p.pid in conflict:
            note = ("included for full-text reading" if truth == "include"
                    else "excluded: " + p.reason)
            d.resolutions.append([p.key, "title_abstract", ADJ, truth, p.reason if truth == "exclude" else "",
                                  note])
    # full text
    ft = ta_in
    ft_choices = [p for p in ft if p.fate in ("include", "ft_exclude")]
    c_ft = rng.sample(ft_choices, 5)
    ft_conflict = {}
    for i, p in enumerate(c_ft):
        if p.fate == "include":
            ft_conflict[p.pid] = ("include", "maybe") if i % 2 else ("exclude", "include")
        else:
            ft_conflict[p.pid] = ("include", "exclude") if i % 2 else ("exclude", "include")
    for p in ft:
        truth = {"include": "include", "ft_exclude": "exclude", "not_retrieved": "not_retrieved"}[p.fate]
        pair = ft_conflict.get(p.pid, (truth, truth))
        for who, dec in zip(REVIEWERS, pair):
            reason = ""
            if dec == "exclude":
                reason = p.reason if p.fate == "ft_exclude" else "incomplete or inconsistent outcomes"
            note = {"not_retrieved": "full text requested from the authors and the library; no copy obtained",
                    "maybe": "outcomes unclear: to discuss"}.get(dec, "")
            d.rows[who].append([p.key, "full_text", who, dec, reason, note])
        if p.pid in ft_conflict:
            d.resolutions.append([p.key, "full_text", ADJ, truth, p.reason if truth == "exclude" else "",
                                  "included: outcomes reported" if truth == "include" else "excluded: " + p.reason])
    return d


REASONS_TA = ["not CAR-T therapy based on vector modification", "not a clinical study", "not a malignant tumour",
              "case report, review, letter or other unsuitable type"]


def outcome(a: str, b: str, resolution: str | None) -> str:
    """review.screening.state.outcome for two reviewers (a maybe never includes)."""
    if resolution:
        return resolution
    if a == b and a in ("include", "exclude", "not_retrieved"):
        return a
    return "conflict"


def replay(papers: list[Paper], dec: Decisions) -> dict:
    """Count every PRISMA box from the files alone (keys -> papers -> decisions)."""
    by_key = {p.key: p for p in papers}
    assert len(by_key) == len(papers), "decision keys are not unique"
    got: dict[tuple[str, str], dict[str, str]] = {}
    for who in REVIEWERS:
        for key, stage, _, decision, reason, _ in dec.rows[who]:
            assert key in by_key, key
            got.setdefault((key, stage), {})[who] = (decision, reason)
    res = {(k, s): (d, r) for k, s, _, d, r, _ in dec.resolutions}
    ident = Counter()
    for p in papers:
        if p.pm:
            ident["PubMed"] += 1
        if p.cnki:
            ident["CNKI"] += 1
        if p.wf:
            ident["Wanfang"] += 1
    dups = sum(p.copies - 1 for p in papers)
    rule_if = [p for p in papers if p.pm and METRICS.get(p.pm["jkey"], 99) < 10]
    rule_pt = [p for p in papers if p.pm and p not in rule_if and set(p.pm["pubtypes"]) & EXCLUDED_TYPES]
    auto = {p.key for p in rule_if + rule_pt}
    screened = [p for p in papers if p.key not in auto]
    ta_out: Counter = Counter()
    sought = []
    for p in screened:
        (a, ra), (b, rb) = got[(p.key, "title_abstract")]["QZ"], got[(p.key, "title_abstract")]["XJZ"]
        r = res.get((p.key, "title_abstract"))
        o = outcome(a, b, r[0] if r else None)
        assert o != "conflict", p.key
        if o == "exclude":
            ta_out[r[1] if r else ra] += 1
        else:
            sought.append(p)
    nr, ft_out, included = 0, Counter(), []
    for p in sought:
        (a, ra), (b, rb) = got[(p.key, "full_text")]["QZ"], got[(p.key, "full_text")]["XJZ"]
        r = res.get((p.key, "full_text"))
        o = outcome(a, b, r[0] if r else None)
        assert o != "conflict", p.key
        if o == "not_retrieved":
            nr += 1
        elif o == "exclude":
            why = r[1] if r else ra
            assert r or ra == rb, p.key
            ft_out[why] += 1
        else:
            included.append(p)
    return {
        "database_results": dict(ident), "identified": sum(ident.values()), "duplicates": dups,
        "unique": len(papers), "excluded_automatic": len(auto),
        "excluded_automatic_by_rule": {"journal impact factor < 10": len(rule_if), "publication type": len(rule_pt)},
        "excluded_other": 0, "records_screened": len(screened), "records_excluded": sum(ta_out.values()),
        "records_excluded_by_reason": dict(ta_out), "dbr_sought_reports": len(sought),
        "dbr_notretrieved_reports": nr, "dbr_assessed": len(sought) - nr, "dbr_excluded": dict(ft_out),
        "new_studies": len({p.study for p in included}), "new_reports": len(included),
    }


EXCLUDED_TYPES = {"Case Reports", "Review", "Systematic Review", "Meta-Analysis", "Letter", "Editorial",
                  "Comment", "News", "Published Erratum", "Retracted Publication"}


# ----------------------------------------------------------------------------- extraction
FIELDS = ["n", "vector", "age", "phase", "female", "male", "tumor", "cancer", "country", "orr", "crr", "dr",
          "cy", "ne", "an", "th", "g3", "neu"]


def age_of(row: dict) -> str:
    if row["age_median"] == "NA" and row["age_range"] == "NA":
        return "NA"
    return f"{row['age_median']} ({row['age_range']})"


# XJZ's slips (study, field, XJZ's value, what the adjudicator notes)
XJZ_SLIPS = [
    ("Qu X 2022", "n", "13", "typo: 31 patients (Table 1)"),
    ("Wang Y 2022", "crr", "37.00", "digits swapped: 73.00 (Table 2)"),
    ("Mei H 2021", "neu", "0.00", "neurologic events not reported: NA"),
    ("Zhao WH 2022", "ne", "41.90", "neutropenia not reported separately: NA (41.90 is cytopenia)"),
    ("Wang Q 2020", "female", "7", "female/male swapped: 11 women, 7 men"),
    ("Wang Q 2020", "male", "11", "female/male swapped: 11 women, 7 men"),
    ("Lu P 2022", "cancer", "leukemia", "the review groups T-ALL/LBL with lymphoma, as the seed did"),
    ("Zhang H 2021", "age", "8.4 (7.3–96)", "range misread: 7.3–9.6 years"),
    ("Jiang H 2019", "g3", "3.80", "decimal point misplaced: 38.0"),
    ("Frey NV 2020", "dr", "57.41", "digits swapped: 57.14"),
]


def extraction_tables(seed: list[dict], dois: dict[str, str]) -> tuple[list, list, list]:
    header = ["study", "doi"] + FIELDS
    qz, xjz, rec = [], [], []
    slips = {(s, f): (v, note) for s, f, v, note in XJZ_SLIPS}
    for row in seed:
        values = {f: (age_of(row) if f == "age" else row[f]) for f in FIELDS}
        qz.append([row["study"], dois[row["study"]]] + [values[f] for f in FIELDS])
        other = dict(values)
        for (s, f), (v, note) in slips.items():
            if s == row["study"]:
                other[f] = v
                rec.append([s, f, values[f], note])
        xjz.append([row["study"], dois[row["study"]]] + [other[f] for f in FIELDS])
    return header, qz, xjz, rec


def minors_tables(seed: list[dict], rng: random.Random) -> tuple[list, list, list]:
    """MINORS (non-comparative: items 1-8), illustrative: aims stated, prospective trials,
    few sample-size calculations, open-label assessment."""
    qz, xjz, consensus = [], [], []
    lost = set(rng.sample([r["study"] for r in seed], 6))  # the seed: 6 studies with unclear inclusion or losses
    for row in seed:
        phase = row["phase"]
        retro = phase == "NA"
        items = [
            2,                                        # 1 clearly stated aim
            1 if row["study"] in lost else 2,         # 2 consecutive patients
            1 if retro else 2,                        # 3 prospective collection of data
            2,                                        # 4 endpoints appropriate to the aim
            1 if rng.random() < 0.8 else 2,           # 5 unbiased assessment of the endpoint (open label)
            2 if rng.random() < 0.75 else 1,          # 6 follow-up period appropriate
            0 if row["study"] in lost else 2,         # 7 loss to follow-up < 5%
            2 if phase == "2" else 0,                 # 8 prospective calculation of the study size
        ]
        qz.append([row["study"]] + items)
        theirs = list(items)
        xjz.append([row["study"]] + theirs)
    # XJZ scores a few items one step apart; the adjudicator settles each (QZ right in most)
    picks = rng.sample(range(len(seed)), 9)
    for k, i in enumerate(picks):
        item = [5, 6, 2, 3, 6, 5, 7, 1, 6][k]
        q = qz[i][item]
        x = q - 1 if q > 0 else 1
        xjz[i][item] = x
        final = q if k < 7 else x
        why = "QZ's reading kept" if final == q else "XJZ's reading kept"
        consensus.append([qz[i][0], item, final, f"{why} after discussion (item {item})"])
    return qz, xjz, consensus


# ----------------------------------------------------------------------------- survival
ARMS = [
    survival_sim.Arm("Wang Z 2021", "CAR-T", "solid", "China", 15, 12, (8, 18), 3, False),
    survival_sim.Arm("Blumenschein GR 2022", "CAR-T", "solid", "USA", 11, 5, (6, 20), 4, True),
    survival_sim.Arm("Yan ZX 2019", "CAR-T", "lymphoma", "China", 10, 2, (12, 30), 6, False),
    survival_sim.Arm("Zhao WH 2022", "CAR-T", "myeloma", "China", 74, 34, (24, 48), 12, True),
    survival_sim.Arm("Raje N 2019", "CAR-T", "myeloma", "USA", 33, 1, (12, 30), 6, False),
    survival_sim.Arm("Frey NV 2020", "CAR-T", "leukemia", "USA", 35, 20, (48, 84), 12, True),
]


def slug(study: str) -> str:
    return study.lower().replace(" ", "_")


def write_survival(out: Path, files: dict) -> list:
    """The digitised points (WebPlotDigitizer's CSV: no header), numbers at risk and the index."""
    out.mkdir(parents=True, exist_ok=True)
    index = []
    for a in ARMS:
        pts, risk = files[a.study]
        name = slug(a.study)
        scale = 100.0 if a.percent else 1.0
        (out / f"{name}_points.csv").write_text("".join(f"{t:.4f},{s * scale:.4f}\n" for t, s in pts),
                                                 encoding="utf-8")
        write_csv(out / f"{name}_at_risk.csv", ["time", "n"], [[f"{t:g}", n] for t, n in risk])
        index.append([a.study, a.arm, a.cancer, a.country, f"{name}_points.csv", f"{name}_at_risk.csv",
                      a.deaths, "months"])
    write_csv(out / "index.csv", ["study", "arm", "cancer", "country", "points_file", "at_risk_file",
                                  "total_events", "time_unit"], index)
    return index


def survival_files(out: Path) -> tuple[list, dict]:
    """Find the first simulation seed whose reconstructed curves give the seed paper's
    pattern (cancer P < 0.01, solid lowest and lymphoma highest; country P within
    0.035-0.065 with USA above China), then write its digitised curves."""
    import tempfile

    import numpy as np

    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(1, 3000):
            rng = np.random.default_rng(seed)
            sims = {a.study: survival_sim.simulate(a, rng) for a in ARMS}
            files = {}
            for a in ARMS:
                t, e = sims[a.study]
                steps = survival_sim.km_steps(t, e)
                files[a.study] = (survival_sim.digitise(steps, float(t.max()), rng), survival_sim.at_risk(t, a.tick))
            write_survival(Path(tmp), files)
            check = survival_check(sims, Path(tmp))
            if check["ok"]:
                break
        else:
            raise RuntimeError("no simulation seed gives the seed paper's survival pattern")
    index = write_survival(out, files)
    check["simulation_seed"] = seed
    return index, check


def reconstructed(folder: Path) -> "pd.DataFrame":
    """Patients rebuilt from the digitised files of ``folder`` (index.csv), as the demo will."""
    import pandas as pd

    from review.survival import read_at_risk, read_curves, reconstruct

    parts = []
    with (folder / "index.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            curve = read_curves(folder / row["points_file"])[0]
            table = read_at_risk(folder / row["at_risk_file"], [curve.label])[curve.label]
            r = reconstruct(curve, table, total_events=int(row["total_events"]))
            ipd = r.ipd.copy()
            ipd["study"], ipd["cancer"], ipd["country"] = row["study"], row["cancer"], row["country"]
            parts.append(ipd)
    return pd.concat(parts, ignore_index=True)


def survival_check(sims: dict, folder: Path) -> dict:
    """Log-rank tests by cancer and by country on the simulated patients (lifelines) and on
    the patients rebuilt from the digitised files (review.survival, Guyot 2012)."""
    import pandas as pd
    from lifelines.statistics import multivariate_logrank_test

    from review.survival import km_analysis

    meta = {a.study: a for a in ARMS}
    sim = pd.concat([pd.DataFrame({"time": t, "event": e, "cancer": meta[s].cancer, "country": meta[s].country})
                     for s, (t, e) in sims.items()])
    rec = reconstructed(folder)
    out = {}
    for name, df in (("simulated", sim), ("reconstructed", rec)):
        for by in ("cancer", "country"):
            lr = multivariate_logrank_test(df["time"], df[by], df["event"])
            out[f"{name}_{by}_p"] = round(float(lr.p_value), 6)
    for by in ("cancer", "country"):
        km = km_analysis(rec, by=by)
        out[f"reconstructed_{by}_logrank"] = {"chisq": round(km.logrank.chisq, 4), "df": km.logrank.df,
                                              "p": round(km.logrank.p, 6)}
        out[f"reconstructed_survival_24m_by_{by}"] = {g.name: round(float(g.at(24.0)[0]), 3) for g in km.groups}
    by_cancer = out["reconstructed_survival_24m_by_cancer"]
    by_country = out["reconstructed_survival_24m_by_country"]
    out["ok"] = (out["reconstructed_cancer_p"] < 0.01 and out["simulated_cancer_p"] < 0.01
                 and 0.035 <= out["reconstructed_country_p"] <= 0.065
                 and 0.02 <= out["simulated_country_p"] <= 0.09
                 and min(by_cancer, key=by_cancer.get) == "solid" and max(by_cancer, key=by_cancer.get) == "lymphoma"
                 and by_country["USA"] > by_country["China"])
    return out


# ----------------------------------------------------------------------------- main
def main(out: Path = DATA) -> None:
    import time

    started = time.monotonic()

    def tick(what: str) -> None:
        print(f"{time.monotonic() - started:6.1f} s  {what}", file=sys.stderr)

    b = Builder()
    b.build()
    papers = b.papers
    tick(f"{len(papers)} papers")
    planned = plan_numbers()
    index = write_entrez(papers, b.protocol, out / "entrez")
    exports = write_exports(papers, out / "exports")
    metrics = write_metrics(papers, out / "journals")
    dedup = dedup_decisions(papers, out)
    tick("dedup")
    for p in papers:  # the metric rule: a journal without a metric is flagged for a person
        if p.pm and p.pm["jkey"] in ABSENT_JOURNALS:
            assert p.flagged, p.pid
    dec = make_decisions(papers, random.Random(7))
    hdr = ["key", "stage", "reviewer", "decision", "reason", "note"]
    for who in REVIEWERS:
        write_csv(out / "screening" / f"decisions_{who}.csv", hdr, dec.rows[who])
    write_csv(out / "screening" / "resolutions_JM.csv",
              ["key", "stage", "adjudicator", "decision", "reason", "note"], dec.resolutions)
    links = [[p.study, p.key, "primary" if p.topic == "seed" else "additional",
              "" if p.topic == "seed" else "a second report of the same study"]
             for p in papers if p.fate == "include"]
    links.sort(key=lambda r: (r[0], r[2] != "primary"))
    write_csv(out / "screening" / "study_reports.csv", ["study", "key", "report", "note"], links)
    got = replay(papers, dec)
    assert got == planned, json.dumps({"planned": planned, "got": got}, indent=1, ensure_ascii=False)
    # extraction and quality
    dois = {p.study: (p.pm or p.cnki)["doi"] for p in papers if p.topic == "seed"}
    header, qz, xjz, rec = extraction_tables(b.seed_rows, dois)
    write_csv(out / "extraction" / "extraction_QZ.csv", header, qz)
    write_csv(out / "extraction" / "extraction_XJZ.csv", header, xjz)
    write_csv(out / "extraction" / "reconciliation_JM.csv", ["study", "field", "value", "note"], rec)
    mq, mx, mc = minors_tables(b.seed_rows, random.Random(11))
    items = [f"item{i}" for i in range(1, 9)]
    write_csv(out / "quality" / "minors_QZ.csv", ["study"] + items, mq)
    write_csv(out / "quality" / "minors_XJZ.csv", ["study"] + items, mx)
    write_csv(out / "quality" / "minors_JM.csv", ["study", "item", "score", "note"], mc)
    tick("screening, extraction, quality")
    surv_index, surv = survival_files(out / "survival")
    tick("survival")
    pairs: dict = {}
    for who in REVIEWERS:
        for key, stage, _, decision, *_ in dec.rows[who]:
            pairs.setdefault((stage, key), []).append(decision)
    agreement = {stage: round(sum(v[0] == v[1] for (s_, _), v in pairs.items() if s_ == stage)
                              / sum(1 for s_, _ in pairs if s_ == stage), 4)
                 for stage in ("title_abstract", "full_text")}
    doc = {
        "prisma": planned,
        "plan": PLAN,
        "entrez": {"count": index["count"], "efetch_files": [e["file"] for e in index["efetch"]]},
        "exports": exports,
        "dedup": dedup,
        "journals_in_metrics_file": len(metrics),
        "journals_absent_on_purpose": [JOURNALS[k][1] for k in ABSENT_JOURNALS],
        "flagged_no_metric": sum(p.flagged for p in papers),
        "conflicts": {"title_abstract": sum(1 for r in dec.resolutions if r[1] == "title_abstract"),
                      "full_text": sum(1 for r in dec.resolutions if r[1] == "full_text")},
        "agreement": agreement,
        "extraction_differences": len(rec), "minors_differences": len(mc),
        "survival": surv,
        "studies_with_two_reports": sorted({r[0] for r in links if r[2] == "additional"}),
    }
    (out / "plan.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(doc, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DATA, help="folder to write (default: review/demo_data)")
    main(ap.parse_args().out)
