"""The seed paper's references for its 32 included studies (bibliographic data as
the seed's reference list prints them), and the real journals they appeared in.

Facts: authors, titles, journals, years, volumes, issues, pages and DOIs come
from the seed's reference list (corrections noted in ``fix``); ISSNs are the
journals' published ISSNs. NLM unique ids were written from memory and could
not be checked offline: treat them as illustrative. PMIDs are illustrative
(assigned by make_demo_data.py in the reserved range 90000001+).
"""

from __future__ import annotations

# journal key -> (full title as PubMed writes it, ISO abbreviation, MedlineTA,
#                 print ISSN, electronic ISSN, ISSN linking, NLM id, country)
JOURNALS: dict[str, tuple[str, str, str, str, str, str, str, str]] = {
    "NEJM": ("The New England journal of medicine", "N Engl J Med", "N Engl J Med",
             "0028-4793", "1533-4406", "0028-4793", "0255562", "United States"),
    "JHO": ("Journal of hematology & oncology", "J Hematol Oncol", "J Hematol Oncol",
            "", "1756-8722", "1756-8722", "101468937", "England"),
    "CMI": ("Cellular & molecular immunology", "Cell Mol Immunol", "Cell Mol Immunol",
            "1672-7681", "2042-0226", "1672-7681", "101242872", "China"),
    "JITC": ("Journal for immunotherapy of cancer", "J Immunother Cancer", "J Immunother Cancer",
             "", "2051-1426", "2051-1426", "101620585", "England"),
    "AJH": ("American journal of hematology", "Am J Hematol", "Am J Hematol",
            "0361-8609", "1096-8652", "0361-8609", "7610369", "United States"),
    "JCO": ("Journal of clinical oncology : official journal of the American Society of Clinical Oncology",
            "J Clin Oncol", "J Clin Oncol", "0732-183X", "1527-7755", "0732-183X", "8309333", "United States"),
    "CCR": ("Clinical cancer research : an official journal of the American Association for Cancer Research",
            "Clin Cancer Res", "Clin Cancer Res", "1078-0432", "1557-3265", "1078-0432", "9502500",
            "United States"),
    "LHAEM": ("The Lancet. Haematology", "Lancet Haematol", "Lancet Haematol",
              "", "2352-3026", "2352-3026", "101643584", "England"),
    "BLOOD": ("Blood", "Blood", "Blood", "0006-4971", "1528-0020", "0006-4971", "7603509", "United States"),
    "LEUK": ("Leukemia", "Leukemia", "Leukemia", "0887-6924", "1476-5551", "0887-6924", "8704895", "England"),
    "BCJ": ("Blood cancer journal", "Blood Cancer J", "Blood Cancer J",
            "", "2044-5385", "2044-5385", "101568469", "United States"),
    "CTM": ("Clinical and translational medicine", "Clin Transl Med", "Clin Transl Med",
            "", "2001-1326", "2001-1326", "101597971", "United States"),
    "NATMED": ("Nature medicine", "Nat Med", "Nat Med", "1078-8956", "1546-170X", "1078-8956", "9502015",
               "United States"),
    "BLOODADV": ("Blood advances", "Blood Adv", "Blood Adv", "2473-9529", "2473-9537", "2473-9529",
                 "101698425", "United States"),
    "LONC": ("The Lancet. Oncology", "Lancet Oncol", "Lancet Oncol", "1470-2045", "1474-5488", "1470-2045",
             "100957246", "England"),
}

# The 32 included studies, in the order of seed_studies.tsv. ``study`` is the
# seed's label; ``authors`` as the reference list gives them ("Last Initials").
# ``kind``: "pubmed" (a journal article indexed in PubMed), "thesis" (a CNKI
# thesis), "cn_journal" (a Chinese journal article in CNKI/Wanfang).
SEED: list[dict] = [
    dict(study="Mailankody S 2022", ref=30, kind="pubmed", journal="NEJM", year=2022, volume="387", issue="13",
         pages="1196-1206", doi="10.1056/NEJMoa2209900",
         title="GPRC5D-Targeted CAR T Cells for Myeloma.",
         authors="Mailankody S, Devlin SM, Landa J, Nath K, Diamonte C, Carstens EJ, Russo D, Auclair R, "
                 "Fitzgerald L, Cadzin B, Wang X, Sikder D, Senechal B, Bermudez VP, Purdon TJ, Hosszu K, "
                 "McAvoy DP, Farzana T, Mead E, Wilcox JA, Santomasso BD, Shah GL, Shah UA, Korde N, Lesokhin A, "
                 "Tan CR, Hultcrantz M, Hassoun H, Roshal M, Sen F, Dogan A, Landgren O, Giral SA, Park JH, "
                 "Usmani SZ, Riviere I, Brentjens RJ, Smith EL"),
    dict(study="Raje N 2019", ref=42, kind="pubmed", journal="NEJM", year=2019, volume="380", issue="18",
         pages="1726-1737", doi="10.1056/NEJMoa1817226",
         title="Anti-BCMA CAR T-Cell Therapy bb2121 in Relapsed or Refractory Multiple Myeloma.",
         authors="Raje N, Berdeja J, Lin Y, Siegel D, Jagannath S, Madduri D, Liedtke M, Rosenblatt J, Maus MV, "
                 "Turka A, Lam LP, Morgan RS, Friedman K, Massaro M, Wang J, Russell G, Yang Z, Campbell T, "
                 "Hege K, Petrocca F, Quigley MT, Munshi N, James NK",
         fix="first author printed 'Rajee N' in the reference list; 'Raje N' as in the seed's Table 1"),
    dict(study="Mei H 2021", ref=32, kind="pubmed", journal="JHO", year=2021, volume="14", issue="1",
         pages="161", doi="10.1186/s13045-021-01170-7",
         title="A bispecific CAR-T cell therapy targeting BCMA and CD38 in relapsed or refractory multiple myeloma.",
         authors="Mei H, Li C, Jiang H, Zhao X, Huang Z, Jin D, Guo T, Kou H, Liu L, Tang L, Yin P, Wang Z, Ai L, "
                 "Ke S, Xia Y, Deng J, Chen L, Cai L, Sun C, Xia L, Hua G, Hu Y"),
    dict(study="Wang Z 2021", ref=56, kind="pubmed", journal="CMI", year=2021, volume="18", issue="9",
         pages="2188-2198", doi="10.1038/s41423-021-00749-x",
         title="Phase I study of CAR-T cells with PD-1 and TCR disruption in mesothelin-positive solid tumors.",
         authors="Wang Z, Li N, Feng K, Chen M, Zhang Y, Liu Y, Yang Q, Nie J, Tang N, Zhang X, Cheng C, Shen L, "
                 "He J, Ye X, Cao W, Wang H, Han W"),
    dict(study="Blumenschein GR 2022", ref=3, kind="pubmed", journal="JITC", year=2022, volume="10", issue="1",
         pages="e003581", doi="10.1136/jitc-2021-003581",
         title="Phase I clinical trial evaluating the safety and efficacy of ADP-A2M10 SPEAR T cells in patients "
               "with MAGEA10+ advanced non-small cell lung cancer.",
         authors="Blumenschein GR, Devarakonda S, Johnson M, Moreno V, Gainor J, Edelman MJ, Heymach JV, "
                 "Govindan R, Bachier C, Doger DSB, Matthew JF, Olszanski AJ, Vincent KL, Hyland N, Navenot JM, "
                 "Fayngerts S, Wolchinsky Z, Broad R, Batrakou D, Pentony MM, Sanderson JP, Gerry A, Marks D, "
                 "Bai J, Holdich T, Norry E, Fracasso PM"),
    dict(study="Shi X 2022", ref=43, kind="pubmed", journal="AJH", year=2022, volume="97", issue="5",
         pages="537-547", doi="10.1002/ajh.26486",
         title="Anti CD19 and anti-BCMA CAR T cell therapy followed by lenalidomide maintenance after autologous "
               "stem-cell transplantation for high-risk newly diagnosed multiple myeloma.",
         authors="Shi X, Yan L, Shang J, Kang L, Yan Z, Jin S, Zhu M, Chang H, Gong F, Zhou J, Chen G, Pan J, "
                 "Liu D, Zhu X, Tang F, Liu M, Liu W, Yao F, Yu L, Wu D, Fu C",
         fix="DOI printed '10.1002/ajh.v97.510.1002/ajh.26486' (issue DOI and article DOI run together); "
             "journal printed 'Abstr Am J Hematol'"),
    dict(study="Qu X 2022", ref=41, kind="pubmed", journal="JITC", year=2022, volume="10", issue="9",
         pages="e005145", doi="10.1136/jitc-2022-005145",
         title="Phase 1 study of C-CAR088 a novel humanized anti-BCMA CAR T-cell therapy in relapsed/refractory "
               "multiple myeloma.",
         authors="Qu X, An G, Sui W, Wang T, Zhang X, Yang J, Zhang Y, Zhang L, Zhu D, Huang J, Zhu S, Yao X, "
                 "Li J, Zheng C, Zhu K, Wei Y, Lv X, Lan L, Yao Y, Zhou D, Lu P, Qiu L, Li J",
         fix="journal printed 'J Immunotherap Cancer'"),
    dict(study="Wang Y 2022", ref=54, kind="pubmed", journal="JCO", year=2022, volume="40", issue="20",
         pages="2246-2256", doi="10.1200/JCO.21.01676",
         title="Long-Term Follow-Up of Combination of B-Cell Maturation Antigen and CD19 Chimeric Antigen "
               "Receptor T Cells in Multiple Myeloma.",
         authors="Wang Y, Cao J, Gu W, Shi M, Lan J, Yan Z, Jin L, Xia J, Ma S, Liu Y, Li H, Pan B, Chen W, "
                 "Fei X, Wang C, Xie X, Yu L, Wang G, Li H, Jing G, Cheng H, Zhu F, Sun H, Sang W, Li D, Li Z, "
                 "Zheng J, Xu K"),
    dict(study="Zhao WH 2022", ref=66, kind="pubmed", journal="JHO", year=2022, volume="15", issue="1",
         pages="86", doi="10.1186/s13045-022-01301-8",
         title="Four-year follow-up of LCAR-B38M in relapsed or refractory multiple myeloma: a phase 1, "
               "single-arm, open-label, multicenter study in China (LEGEND-2).",
         authors="Zhao WH, Wang BY, Chen LJ, Fu WJ, Xu J, Liu J, Jin SW, Chen YX, Cao XM, Yang Y, Zhang YL, "
                 "Wang FX, Zhang PY, Lei B, Gu LF, Wang JL, Zhang H, Bai J, Xu Y, Zhu H, Du J, Jiang H, Fan XH, "
                 "Li JY, Hou J, Chen Z, Zhang WG, Mi JQ, Chen SJ, He AL"),
    dict(study="Wang CM 2017", ref=52, kind="pubmed", journal="CCR", year=2017, volume="23", issue="5",
         pages="1156-1166", doi="10.1158/1078-0432.CCR-16-1365",
         title="Autologous T Cells Expressing CD30 Chimeric Antigen Receptors for Relapsed or Refractory Hodgkin "
               "Lymphoma: An Open-Label Phase I Trial.",
         authors="Wang CM", fix="the reference list gives the first author only ('et al.'); "
                                "journal printed 'Abstr Clin Cancer Res'"),
    dict(study="Yan ZX 2019", ref=63, kind="pubmed", journal="CCR", year=2019, volume="25", issue="23",
         pages="6995-7003", doi="10.1158/1078-0432.CCR-19-0101",
         title="Clinical Efficacy and Tumor Microenvironment Influence in a Dose-Escalation Study of Anti-CD19 "
               "Chimeric Antigen Receptor T Cells in Refractory B-Cell Non-Hodgkin's Lymphoma.",
         authors="Yan ZX", fix="the reference list gives the first author only ('et al.'); "
                               "journal printed 'Abstr Clin Cancer Res'"),
    dict(study="Xia J 2023", ref=58, kind="cn_journal", year=2023, issue="7",
         doi="10.13201/j.issn.1004-2806.2023.07.005",
         title="GPRC5D CAR-T cell therapy for relapsed/refractory multiple myeloma: a single-arm phase II "
               "clinical trial",
         authors="Xia J, Xu K",
         cn_title="靶向GPRC5D的CAR-T细胞治疗复发/难治性多发性骨髓瘤的单臂Ⅱ期临床试验",
         cn_authors=["夏J", "徐K"],
         cn_journal=("临床血液学杂志", "Journal of Clinical Hematology", "1004-2806"),
         fix="the reference list names CNKI as publisher; the DOI is of 临床血液学杂志 (ISSN 1004-2806), "
             "issue 7 of 2023. Chinese title and names are illustrative renderings (the seed gives pinyin "
             "and an English title only); volume and pages left out (not in the seed)"),
    dict(study="Yan Z 2019", ref=62, kind="pubmed", journal="LHAEM", year=2019, volume="6", issue="10",
         pages="e521-e529", doi="10.1016/S2352-3026(19)30115-2",
         title="A combination of humanised anti-CD19 and anti-BCMA CAR T cells in patients with relapsed or "
               "refractory multiple myeloma: a single-arm, phase 2 trial.",
         authors="Yan Z, Cao J, Cheng H, Qiao J, Zhang H, Wang Y",
         fix="the reference list gives six authors then 'et al.'"),
    dict(study="Bao Y 2023", ref=1, kind="thesis", year=2023, doi="10.27438/d.cnki.gyadu.2022.000460",
         title="Study on the efficacy and safety of BCMA-targeted CAR-T in the treatment of relapsed/refractory "
               "multiple myeloma",
         authors="Bao Y", cn_title="靶向BCMA的CAR-T细胞治疗复发/难治性多发性骨髓瘤的疗效及安全性研究",
         cn_authors=["鲍Y"], degree="硕士",
         fix="a CNKI thesis; Chinese title and name are illustrative renderings of the seed's English title "
             "and pinyin"),
    dict(study="Wang Q 2020", ref=53, kind="thesis", year=2020, doi="10.27157/d.cnki.ghzku.2019.001822",
         title="A single-center, open, single-arm clinical study on the safety and efficacy of infusion of "
               "Anti-BCMA CAR-T in the treatment of relapsed/refractory/high-risk BCMA+ cell tumors",
         authors="Wang Q",
         cn_title="输注抗BCMA CAR-T治疗复发/难治/高危BCMA阳性细胞肿瘤安全性及有效性的单中心、开放、单臂临床研究",
         cn_authors=["王Q"], degree="博士",
         fix="a CNKI thesis; Chinese title and name are illustrative renderings"),
    dict(study="Xue Y 2023", ref=59, kind="thesis", year=2023, doi="10.27003/d.cnki.gojyu.2021.001028",
         title="Clinical study on the safety and efficacy of CD19 CAR-T cell targeted immunotherapy for "
               "relapsed/refractory diffuse large B-cell lymphoma - a single-center, single-arm, open-label "
               "clinical study",
         authors="Xue Y",
         cn_title="CD19 CAR-T细胞靶向免疫治疗复发/难治性弥漫大B细胞淋巴瘤的安全性及有效性临床研究——单中心、单臂、开放性临床研究",
         cn_authors=["薛Y"], degree="硕士",
         fix="a CNKI thesis; Chinese title and name are illustrative renderings"),
    dict(study="Qi Y 2022", ref=40, kind="pubmed", journal="BLOOD", year=2022, volume="139", issue="23",
         pages="3376-3386", doi="10.1182/blood.2021013733",
         title="Efficacy and safety of CD19-specific CAR T cell-based therapy in B-cell acute lymphoblastic "
               "leukemia patients with CNSL.",
         authors="Qi Y, Zhao M, Hu Y, Wang Y, Li P, Cao J, Shi M, Tan J, Zhang M, Xiao X, Xia J, Ma S, Qiao J, "
                 "Yan Z, Li H, Pan B, Sang W, Li D, Li Z, Zhou J, Huang H, Liang A, Zheng J, Xu K"),
    dict(study="Jin X 2022", ref=17, kind="pubmed", journal="JHO", year=2022, volume="15", issue="1",
         pages="88", doi="10.1186/s13045-022-01308-1",
         title="First-in-human phase I study of CLL-1 CAR-T cells in adults with relapsed/refractory acute "
               "myeloid leukemia.",
         authors="Jin X, Zhang M, Sun R, Lyu H, Xiao X, Zhang X, Li F, Xie D, Xiong X, Wang J, Lu W, Zhang H, "
                 "Zhao M"),
    dict(study="Yang J 2022", ref=60, kind="pubmed", journal="BCJ", year=2022, volume="12", issue="7",
         pages="104", doi="10.1038/s41408-022-00694-6",
         title="Next-day manufacture of a novel anti-CD19 CAR-T therapy for B-cell acute lymphoblastic "
               "leukemia: first-in-human clinical study.",
         authors="Yang J, He J, Zhang X, Li J, Wang Z, Zhang Y, Qiu L, Wu Q, Sun Z, Ye X, Yin W, Cao W, Shen L, "
                 "Sersch M, Lu P"),
    dict(study="Liu S 2021", ref=28, kind="pubmed", journal="AJH", year=2021, volume="96", issue="6",
         pages="671-679", doi="10.1002/ajh.26160",
         title="Combination of CD19 and CD22 CAR-T cell therapy in relapsed B-cell acute lymphoblastic leukemia "
               "after allogeneic transplantation.",
         authors="Liu S, Deng B, Yin Z, Lin Y, An L, Liu D, Pan J, Yu X, Chen B, Wu T, Chang AH, Tong C"),
    dict(study="Lu P 2022", ref=29, kind="pubmed", journal="BLOOD", year=2022, volume="140", issue="4",
         pages="321-334", doi="10.1182/blood.2021014498",
         title="Naturally selected CD7 CAR-T therapy without genetic manipulations for T-ALL/LBL: first-in-human "
               "phase 1 clinical trial.",
         authors="Lu P, Liu Y, Yang J, Zhang X, Yang X, Wang H, Wang L, Wang Q, Jin D, Li J, Huang X"),
    dict(study="Gu R 2020", ref=13, kind="pubmed", journal="JHO", year=2020, volume="13", issue="1",
         pages="122", doi="10.1186/s13045-020-00953-8",
         title="Efficacy and safety of CD19 CAR T constructed with a new anti-CD19 chimeric antigen receptor in "
               "relapsed or refractory acute lymphoblastic leukemia.",
         authors="Gu R, Liu F, Zou D, Xu Y, Lu Y, Liu B, Liu W, Chen X, Liu K, Guo Y, Gong X, Lv R, Chen X, "
                 "Zhou C, Zhong M, Wang H, Wei H, Mi Y, Qiu L, Lv L, Wang M, Wang Y, Zhu X, Wang J"),
    dict(study="Pan J 2021", ref=38, kind="pubmed", journal="JCO", year=2021, volume="39", issue="30",
         pages="3340-3351", doi="10.1200/JCO.21.00389",
         title="Donor-Derived CD7 Chimeric Antigen Receptor T Cells for T-Cell Acute Lymphoblastic Leukemia: "
               "First-in-Human, Phase I Trial.",
         authors="Pan J, Tan Y, Wang G, Deng B, Ling Z, Song W, Seery S, Zhang Y, Peng S, Xu J, Duan J, Wang Z, "
                 "Yu X, Zheng Q, Xu X, Yuan Y, Yan F, Tian Z, Tang K, Zhang J, Chang AH, Feng X",
         fix="title printed with 'Phase I Trial' after the authors' list punctuation"),
    dict(study="Zhang H 2021", ref=64, kind="pubmed", journal="CCR", year=2021, volume="27", issue="13",
         pages="3549-3555", doi="10.1158/1078-0432.CCR-20-4543",
         title="Anti-CLL1 Chimeric Antigen Receptor T-Cell Therapy in Children with Relapsed/Refractory Acute "
               "Myeloid Leukemia.",
         authors="Zhang H, Wang P, Li Z, He Y, Gan W, Jiang H"),
    dict(study="Frey NV 2020", ref=11, kind="pubmed", journal="JCO", year=2020, volume="38", issue="5",
         pages="415-422", doi="10.1200/JCO.19.01892",
         title="Optimizing Chimeric Antigen Receptor T-Cell Therapy for Adults With Acute Lymphoblastic Leukemia.",
         authors="Frey NV, Shaw PA, Hexner EO, Pequignot E, Gill S, Luger SM, Mangan JK, Loren AW, Perl AE, "
                 "Maude SL, Grupp SA, Shah NN, Gilmore J, Lacey SF, Melenhorst JJ, Levine BL, June CH, Porter DL"),
    dict(study="Tambaro FP 2021", ref=46, kind="pubmed", journal="LEUK", year=2021, volume="35", issue="11",
         pages="3282-3286", doi="10.1038/s41375-021-01232-2",
         title="Autologous CD33-CAR-T cells for treatment of relapsed/refractory acute myelogenous leukemia.",
         authors="Tambaro FP, Singh H, Jones E, Rytting M, Mahadeo KM, Thompson P, Daver N, DiNardo C, Kadia T, "
                 "Garcia-Manero G, Chan T, Shah RR, Wierda WG"),
    dict(study="Jiang H 2019", ref=16, kind="pubmed", journal="AJH", year=2019, volume="94", issue="10",
         pages="1113-1122", doi="10.1002/ajh.25582",
         title="Anti-CD19 chimeric antigen receptor-modified T-cell therapy bridging to allogeneic hematopoietic "
               "stem cell transplantation for relapsed/refractory B-cell acute lymphoblastic leukemia: An "
               "open-label pragmatic clinical trial.",
         authors="Jiang H, Li C, Yin P, Guo T, Liu L, Xia L, Wu Y, Zhou F, Ai L, Shi W, Lu X, Wang H, Tang L, "
                 "Wei Q, Deng J, Jin R, Xiong W, Dong J, Mei H, Hu Y"),
    dict(study="Li C 2021", ref=25, kind="pubmed", journal="CTM", year=2021, volume="11", issue="3",
         pages="e346", doi="10.1002/ctm2.346",
         title="A phase I study of anti-BCMA CAR T cell therapy in relapsed/refractory multiple myeloma and "
               "plasma cell leukemia.",
         authors="Li C, Cao W, Que Y, Wang Q, Xiao Y, Gu C, Wang D, Wang J, Jiang L, Xu H, Xu J, Zhou X, Hong Z, "
                 "Wang N, Huang L, Zhang S, Chen L, Mao X, Xiao M, Zhang W, Meng L, Cao Y, Zhang T, Li J, Zhou J"),
    dict(study="Lin Y 2023", ref=26, kind="pubmed", journal="NATMED", year=2023, volume="29", issue="9",
         pages="2286-2294", doi="10.1038/s41591-023-02496-0",
         title="Idecabtagene vicleucel for relapsed and refractory multiple myeloma: post hoc 18-month follow-up "
               "of a phase 1 trial.",
         authors="Lin Y, Raje NS, Berdeja JG, Siegel DS, Jagannath S, Madduri D, Liedtke M, Rosenblatt J, "
                 "Maus MV, Massaro M, Petrocca F, Yeri A, Finney O, Caia A, Yang Z, Martin N, Campbell TB, "
                 "Rytlewski J, Fuller J, Hege K, Munshi NC, Kochenderfer JN",
         fix="second author printed 'Rajee NS'"),
    dict(study="Brudno JN 2024", ref=4, kind="pubmed", journal="BLOODADV", year=2024, volume="8", issue="3",
         pages="802-814", doi="10.1182/bloodadvances.2023011470",
         title="Transient responses and significant toxicities of anti-CD30 CAR T cells for CD30+ lymphomas: "
               "results of a phase 1 trial.",
         authors="Brudno JN, Natrakul DA, Karris J, Patel N, Maass-Moreno R, Ahlman MA, Mikkilineni L, Mann J, "
                 "Stronck DF, Highfill SL, Fromm GC, Patel R, Pittaluga S, Kochenderfer JN"),
    dict(study="Pan J 2023", ref=39, kind="pubmed", journal="LONC", year=2023, volume="24", issue="11",
         pages="1229-1241", doi="10.1016/S1470-2045(23)00436-9",
         title="Sequential CD19 and CD22 chimeric antigen receptor T-cell therapy for childhood refractory or "
               "relapsed B-cell acute lymphocytic leukaemia: a single-arm, phase 2 study.",
         authors="Pan J, Tang K, Luo Y, Seery S, Tan Y, Deng B, Liu F, Xu X, Ling Z, Song W, Xu J, Duan J, "
                 "Wang Z, Li C, Wang K, Zhang Y, Yu X, Zheng Q, Zhao L, Zhang J, Chang AH, Feng X"),
    dict(study="Liang EC 2023", ref=24, kind="pubmed", journal="BLOODADV", year=2023, volume="7", issue="22",
         pages="6990-7005", doi="10.1182/bloodadvances.2023011399",
         title="Factors associated with long-term outcomes of CD19 CAR T-cell therapy for relapsed/refractory "
               "CLL.",
         authors="Liang EC, Albittar A, Huang JJ, Hirayama AV, Kimble EL, Portuguese AJ, Chapuis A, Shadman M, "
                 "Till BG, Cassaday RD, Milano F, Kiem HP, Riddell SR, Turtle CJ, Maloney DG, Gauthier J"),
]
