"""Writes the malformed files of tests/data/bad/ (run from anywhere:
python tests/data/bad/make_bad.py). Every file is invented here (CC0); each is
a way an export arrives broken or hostile: cut off mid-line or mid-character,
in an encoding the tool cannot be sure of, nested or expanded past the
limits, or quoted wrongly. EXPECTED.tsv names, for each file, the command
that reads it and where its error must point (tests/sources/test_bad_corpus.py)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

NE = "{Reference Type}: Journal Article\n{Title}: 嵌合抗原受体T细胞治疗研究\n{Author}: 王伟;;李静\n{Year}: 2021\n{Database Provider}: CNKI\n\n"
WF = ("{Reference Type}: Journal Article\n{Title}: 超声引导下前锯肌平面阻滞的研究\n{Author}: 张三\n"
      "{Database Provider}: 北京万方数据股份有限公司\n\n")
RIS = "TY  - JOUR\nTI  - A trial of CAR-T cells\nAU  - Smith, J.\nPY  - 2020\nER  - \n\n"
NBIB = "PMID- 31000001\nOWN - NLM\nTI  - A trial of CAR-T cells.\nFAU - Smith, John\nDP  - 2020 Jan\n\n"
RW = "RT Journal Article\nSR 1\nA1 王伟;李静\nT1 嵌合抗原受体T细胞治疗\nJF 中华血液学杂志\nYR 2021\nDS CNKI\n\n"
REFER = "%0 Journal Article\n%A 王伟\n%T 嵌合抗原受体T细胞治疗\n%J 中华血液学杂志\n%D 2021\n%W CNKI\n\n"
ESTUDY = "DataType: 1\nTitle-题名: 嵌合抗原受体T细胞治疗研究\nAuthor-作者: 王伟;李静;\nSource-刊名: 中华血液学杂志\nYear-年: 2021\n\n"
WOS = "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\nTI A trial of CAR-T cells\nPY 2020\nER\n\n"
ENL = "%0 Journal Article\n%A Smith, John\n%T A trial of CAR-T cells\n%J Blood\n%D 2020\n\n"
ENX = ('<?xml version="1.0" encoding="UTF-8"?><xml><records><record><ref-type name="Journal Article">17</ref-type>'
       '<titles><title>A trial of CAR-T cells</title></titles><dates><year>2020</year></dates></record>')
PMX = ('<?xml version="1.0"?>\n<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>31000001</PMID><Article>'
       '<ArticleTitle>A trial</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n')
LAUGHS = ('<!DOCTYPE {root} [\n<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">\n'
          + "".join(f'<!ENTITY {b} "{("&" + a + ";") * 10}">\n' for a, b in zip("abcdefg", "bcdefgh")) + "]>\n")
CSV = "title,authors,year,doi\n"


def files() -> dict[str, bytes]:
    u = str.encode
    out: dict[str, bytes] = {
        # RIS
        "ris_last_record_without_er.ris": u(RIS + "TY  - JOUR\nTI  - Cut off\nAU  - Doe, J.\n"),
        "ris_er_missing_between.ris": u("TY  - JOUR\nTI  - First\nTY  - JOUR\nTI  - Second\nER  - \n"),
        "ris_field_before_ty.ris": u("AU  - Smith, J.\n" + RIS),
        "ris_latin1.ris": "TY  - JOUR\nTI  - Größe und Wachstum\nER  - \n".encode("latin-1"),
        "ris_nul_bytes.ris": u(RIS) + b"TY  - JOUR\nTI  - \x00\x01\x02binary\nER  - \n",
        "ris_cut_inside_character.ris": u(RIS + "TY  - JOUR\nTI  - 細胞")[:-1],
        "ris_field_over_the_limit.ris": u(RIS + "TY  - JOUR\nAB  - " + "x" * 1_000_100 + "\nER  - \n"),
        "ris_shift_jis.ris": "TY  - JOUR\nTI  - 日本語の論文タイトル研究報告\nER  - \n".encode("shift_jis"),
        # MEDLINE
        "medline_cut_in_a_tag.nbib": u(NBIB + "PMID- 31000002\nTI  - Second trial.\nAB"),
        "medline_last_record_only_pmid.nbib": u(NBIB + "PMID- 31000002\n"),
        "medline_tag_without_value_at_end.nbib": u(NBIB + "PMID- 31000002\nTI  - Second trial.\nAB  -"),
        "medline_latin1.nbib": u(NBIB) + "PMID- 31000002\nTI  - Größe.\n".encode("latin-1"),
        "medline_ris_forced.nbib": u(RIS),
        # CNKI NoteExpress
        "cnki_noteexpress_cut_in_a_tag.net": u(NE + "{Reference Type}: Journal Article\n{Title}: 第二篇\n{Abstr"),
        "cnki_noteexpress_last_record_only_type.net": u(NE + "{Reference Type}: Journal Article\n"),
        "cnki_noteexpress_latin1_gross.net": "{Reference Type}: Journal Article\n{Title}: Größe\n{Year}: 2020\n".encode("latin-1"),
        "cnki_noteexpress_euc_kr.net": ("{Reference Type}: Journal Article\n{Title}: 한국어 논문 제목 연구 보고서입니다\n"
                                        "{Author}: 김철수\n{Year}: 2020\n").encode("euc_kr"),
        "cnki_noteexpress_gb18030_cut_in_character.net": (NE + "{Reference Type}: Journal Article\n{Title}: 第二篇研究").encode("gb18030")[:-1],
        # CNKI RefWorks, Refer, E-Study
        "cnki_refworks_cut_in_a_tag.txt": u(RW + "RT Journal Article\nT1 第二篇\nAB"),
        "cnki_refworks_last_record_only_rt.txt": u(RW + "RT Journal Article\n"),
        "cnki_refer_cut_in_a_tag.txt": u(REFER + "%0 Journal Article\n%T 第二篇\n%"),
        "cnki_refer_last_record_only_type.txt": u(REFER + "%0 Journal Article\n"),
        "cnki_estudy_cut_in_a_tag.txt": u(ESTUDY + "DataType: 1\nTitle-题名: 第二篇\nSummary-摘"),
        "cnki_estudy_last_record_only_datatype.txt": u(ESTUDY + "DataType: 1\n"),
        # Wanfang
        "wanfang_cut_in_a_tag.net": u(WF + "{Reference Type}: Journal Article\n{Title}: 第二篇\n{Translated Tit"),
        "wanfang_tag_without_value_at_end.net": u(WF + "{Reference Type}: Journal Article\n{Title}: 第二篇\n{Abstract}:"),
        # Web of Science
        "wos_last_record_without_er.txt": u(WOS + "PT J\nAU Doe, J\nTI Cut off\n"),
        "wos_field_outside_record.txt": u("FN Clarivate Analytics Web of Science\nVR 1.0\nTI stray\nPT J\nTI x\nER\n"),
        # EndNote tagged
        "endnote_cut_in_a_tag.txt": u(ENL + "%0 Journal Article\n%T Second\n%"),
        "endnote_latin1.txt": "%0 Journal Article\n%T Größe und Wachstum\n%D 2020\n".encode("latin-1"),
        # EndNote XML
        "endnote_xml_truncated.xml": u(ENX),
        "endnote_xml_entity_bomb.xml": u('<?xml version="1.0"?>\n' + LAUGHS.format(root="xml")
                                         + "<xml><records><record><titles><title>&h;</title></titles></record></records></xml>"),
        "endnote_xml_nested_too_deep.xml": u("<xml><records><record><titles>\n" + "<style>\n" * 300
                                             + "x" + "</style>" * 300 + "</titles></record></records></xml>"),
        "xml_neither_pubmed_nor_endnote.xml": u('<?xml version="1.0"?>\n<html><body>Not found</body></html>\n'),
        # PubMed XML
        "pubmed_xml_truncated.xml": u(PMX),
        "pubmed_xml_entity_bomb.xml": u('<?xml version="1.0"?>\n' + LAUGHS.format(root="PubmedArticleSet")
                                        + "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
                                          "<ArticleTitle>&h;</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
                                          "</PubmedArticleSet>"),
        "pubmed_xml_nested_too_deep.xml": u("<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
                                            "<ArticleTitle>\n" + "<i>\n" * 5000 + "x" + "</i>" * 5000
                                            + "</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"),
        # BibTeX
        "bibtex_macro_bomb.bib": u("".join(['@string{a="aaaaaaaaaa"}\n'] + [
            f"@string{{{b}={'#'.join([a] * 10)}}}\n" for a, b in zip("abcdefg", "bcdefgh")])
            + "@article{k, title = h # h, year = 2020}\n"),
        "bibtex_every_entry_broken.bib": u("@article{a, title = {open brace,\n year = 2020\n\n@article{b, title = }\n"),
        "bibtex_truncated_single_entry.bib": u("@article{a,\n  title = {A trial of CAR-T cells},\n  year = {20"),
        # CSV
        "csv_unterminated_quote.csv": u(CSV + '"A trial of CAR-T cells,Smith J,2020,10.1/a\nSecond,Doe J,2021,10.1/b\n'),
        "csv_quote_swallows_records.csv": u(CSV + 'First trial,Smith J,2020,10.1/a\n"Second trial,Doe J,2021,10.1/b\n'
                                            'Third trial,Lee K,2022,10.1/c\nFourth trial",Kim H,2023,10.1/d\n'),
        "csv_more_cells_than_header.csv": u(CSV + "A trial,Smith J,2020,10.1/a,extra,more\n"),
        "csv_year_not_a_year.csv": u(CSV + "A trial,Smith J,20x1,10.1/a\n"),
        "csv_latin1.csv": u(CSV) + "Größe und Wachstum,Müller J,2020,10.1/a\n".encode("latin-1"),
        # no format
        "unknown_format.txt": u("This is a letter, not an export.\nKind regards\n"),
    }
    # protocols
    out["protocol_nested_too_deep.toml"] = u('id = "x"\ntitle = "t"\n\nq = ' + "[" * 5000 + "]" * 5000 + "\n")
    out["protocol_bad_toml.toml"] = u('id = "x"\ntitle = "unterminated\n')
    out["protocol_not_utf8.toml"] = u('id = "x"\n') + 'title = "Größe"\n'.encode("latin-1")
    return out


def main() -> None:
    for name, data in files().items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
