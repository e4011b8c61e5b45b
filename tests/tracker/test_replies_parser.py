import datetime
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from tracker.parsing.common import ParagraphRef, ParseError
from tracker.parsing.replies import ParsedReplies, ReplySection, parse_replies

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seeds" / "CRC_C_KAZ_RQ_5-6_fr.txt"


def lettered(number: int, letters: str) -> list[str]:
    """One heading per letter: lettered(5, "ab") names 5 (a), then 5 (b)."""
    return [f"{number} ({letter})" for letter in letters]


# What each of the 79 headings of the seed names, in document order, and the number of the first
# paragraph under it (None: tables only).
SEED_REFERENCES = [
    "1, 2 (a)", *lettered(2, "bcd"), "3", *lettered(4, "abcd"), *lettered(5, "abcdef"),
    *lettered(6, "ab"), *lettered(7, "abcde"), *lettered(8, "abcdef"), *lettered(9, "abcd"),
    *lettered(10, "abcdefghi"), *lettered(11, "abcd"), *lettered(12, "abcdefg"),
    "13 (a) (i), 13 (a) (ii), 13 (a) (iii), 13 (a) (iv), 13 (a) (v)", *lettered(13, "bc"), "14",
    *lettered(15, "abcd"), "16", "17", "18 (a), 18 (b), 18 (c), 18 (d), 18 (e), 18 (f)",
    *lettered(19, "abc"), "19 (d), 19 (e)", *lettered(19, "fghi"), "20 (a), 20 (b), 20 (c)",
    *lettered(20, "defg"), "21", "22", "23",
]
SEED_FIRST_PARAGRAPHS = [
    1, 10, 13, 15, 22, 28, 30, 33, 36, 39, 41, 47, 49, 55, 59, 66, 71, 76, 91, 95, 102, 106, 111,
    118, 122, 123, 128, 133, 136, 138, 141, 143, 145, 148, 151, 152, 153, 156, 160, 168, 174, 176,
    182, 188, 194, 195, 196, 201, 204, 207, 209, 216, 219, 229, 234, 240, 245, 254, 257, 259, 261,
    None, 265, None, None, None, None, None, None, None, None, None, 266, None, 267, None, 268,
    272, 274,
]


@pytest.fixture(scope="module")
def seed() -> ParsedReplies:
    return parse_replies(SEED.read_text(encoding="utf-8"))


def section(parsed: ParsedReplies, label: str) -> ReplySection:
    """The section whose heading names exactly `label` ("19 (b)", "20 (a), 20 (b), 20 (c)")."""
    return next(s for s in parsed.sections if ", ".join(r.label for r in s.references) == label)


def paragraph_text(parsed: ParsedReplies, number: int) -> str:
    return next(p.text for p in parsed.all_paragraphs if p.number == number)


def rows(parsed: ParsedReplies, label: str, table: int = 0) -> list[tuple[str, list[str]]]:
    return [(row.label, row.cells) for row in section(parsed, label).tables[table].rows]


def document(*lines: str) -> str:
    # Like text extracted from the seed's PDF: a blank line between every two lines.
    return "\n\n".join(lines) + "\n"


# The seed ----------------------------------------------------------------------------------------


def test_it_recognises_the_symbols_title_and_language_of_the_seed(seed):
    # The replies' own symbol is only in a running header; the title names the list answered.
    assert seed.symbol == "CRC/C/KAZ/RQ/5-6"
    assert seed.answers_symbol == "CRC/C/KAZ/Q/5-6"
    assert seed.title == "Réponses à la liste de points (CRC/C/KAZ/Q/5-6)"
    assert seed.language == "fr"


def test_it_finds_the_79_sections_of_the_seed_in_document_order(seed):
    assert [s.order for s in seed.sections] == list(range(1, 80))
    first, last = seed.sections[0], seed.sections[-1]
    assert (first.line, first.heading) == (
        3, "Réponses concernant les paragraphes 1 et 2 a) de la liste de points"
    )
    assert last.line == 2676
    assert last.heading == "Réponse concernant le paragraphe 23 de la liste de points"
    lines = [s.line for s in seed.sections]
    assert lines == sorted(lines)


def test_it_links_each_seed_section_to_the_paragraphs_its_heading_names(seed):
    assert [", ".join(ref.label for ref in s.references) for s in seed.sections] == SEED_REFERENCES
    assert section(seed, "1, 2 (a)").references == [ParagraphRef(1), ParagraphRef(2, "a")]


def test_it_reads_paragraphs_1_to_274_of_the_seed_once_each_and_in_order(seed):
    assert [p.number for p in seed.all_paragraphs] == list(range(1, 275))


def test_it_puts_each_seed_paragraph_under_its_heading(seed):
    # A section holds the paragraphs from its first one up to the next section's first one.
    firsts = [n for n in SEED_FIRST_PARAGRAPHS if n is not None] + [275]
    ends = dict(zip(firsts, firsts[1:]))
    for s, first in zip(seed.sections, SEED_FIRST_PARAGRAPHS, strict=True):
        expected = [] if first is None else list(range(first, ends[first]))
        assert [p.number for p in s.paragraphs] == expected, s.heading
    assert [p.number for p in section(seed, "22").paragraphs] == [272, 273]


def test_it_reflows_the_wrapped_lines_of_a_paragraph(seed):
    first = seed.all_paragraphs[0]
    assert first.line == 5
    assert first.text == (
        "Le document stratégique clef est le Document d’orientation relatif aux enfants du "
        "Kazakhstan pour 2026-2030, adopté en janvier 2026, qui regroupe l’ensemble des mesures "
        "et des programmes relatifs à la protection des droits de l’enfant."
    )


def test_it_drops_the_running_header_in_the_middle_of_paragraph_220(seed):
    text = paragraph_text(seed, 220)
    assert "concerne l’amélioration de la législation procédurale et la réforme" in text
    everything = "\n".join([s.text for s in seed.sections] + [p.text for p in seed.all_paragraphs])
    assert "GE.26-03673" not in everything
    assert "CRC/C/KAZ/RQ/5-6" not in everything


def test_it_drops_the_footnote_urls_at_the_page_feet_of_the_seed(seed):
    # Line 91 links the list named in the title; line 190 repeats the URL of paragraph 17.
    assert paragraph_text(seed, 12).endswith("définies dans la loi sur les droits de l’enfant.")
    assert paragraph_text(seed, 23).endswith("y compris les établissements fermés.")
    assert "(https://bala.stat.gov.kz/)." in paragraph_text(seed, 17)


def test_a_line_starting_with_a_year_and_a_full_stop_stays_in_its_paragraph(seed):
    # Lines 425, 536 and 779 begin "2020.", "2022." and "2024.": ends of sentences.
    assert paragraph_text(seed, 51).endswith("des droits de l’enfant en 2020.")
    assert "les événements de janvier 2022. Toutefois, deux affaires" in paragraph_text(seed, 67)
    assert "inscrites dans la loi en 2024. La coordination est assurée" in paragraph_text(seed, 96)


def test_bullet_items_stay_inside_their_paragraph_on_a_line_of_their_own(seed):
    assert paragraph_text(seed, 29).endswith(
        "dont leurs droits sont garantis dans le pays :\n"
        "• 58 % en 2015 ; 63 % en 2016 ; 72 % en 2017 ; 75 % en 2018 ; 78 % en 2019 ; "
        "81 % en 2020 ; 86,4 % en 2021 ; 87,1 % en 2022 ; 88,2 % en 2023 ; 90,3 % en 2024."
    )
    assert "4 ans ou moins.\n• Le 17 novembre 2025, la République" in paragraph_text(seed, 272)


def test_sub_item_markers_alone_on_a_line_end_the_paragraph_before_them(seed):
    answer = section(seed, "6 (a)")
    assert [p.number for p in answer.paragraphs] == [66, 67, 68, 69, 70]
    assert paragraph_text(seed, 67).endswith("condamnés à une peine privative de liberté.")
    assert answer.text == "i)\nii)\niii)\niv)"


def test_it_reads_the_table_answering_19_b(seed):
    answer = section(seed, "19 (b)")
    assert answer.paragraphs == []
    [table] = answer.tables
    assert table.caption == "Enfants vivant en institution"
    assert table.columns == ["Année", "Total"]
    assert table.line == 2340
    assert [row.label for row in table.rows] == ["2022", "2023", "2024"]
    assert [row.cells for row in table.rows] == [["1 398"], ["1 537"], ["1 580"]]
    assert [row.values for row in table.rows] == [
        [Decimal("1398")], [Decimal("1537")], [Decimal("1580")]
    ]


def test_it_extracts_every_table_of_sections_17_to_20_with_its_caption(seed):
    captions = {
        "17": [
            "a) Décès d’enfants dus à des accidents, à des mauvais traitements ou au suicide — "
            "Décès d’enfants dus à des causes externes et au suicide",
            "b) Enfants vivant avec le VIH/sida",
            "c) Mariages d’enfants, grossesses chez les adolescentes et avortements",
            "f) Enfants demandeurs d’asile, réfugiés, enfants migrants non accompagnés et "
            "séparés de leurs parents, y compris les enfants placés en détention — "
            "Nombre total de personnes ayant été contraintes de migrer (réfugiés et demandeurs "
            "d’asile)",
            "g) Enfants appartenant à des minorités ethniques",
            "h) Enfants qui travaillent, y compris ceux employés dans le secteur informel — "
            "Population active âgée de 15 à 17 ans, par secteur d’activité économique",
            "i) Enfants victimes de la traite des personnes",
            "k) Enfants vivant dans la pauvreté",
        ],
        "18 (a), 18 (b), 18 (c), 18 (d), 18 (e), 18 (f)": [],
        "19 (a)": ["Enfants vivant dans leur famille"],
        "19 (b)": ["Enfants vivant en institution"],
        "19 (c)": ["Enfants fréquentant un établissement préscolaire"],
        "19 (d), 19 (e)": [
            "Enfants fréquentant une école primaire ou un établissement d’enseignement "
            "secondaire ordinaire"
        ],
        "19 (f)": [
            "Enfants recevant un soutien individualisé, y compris dans le cadre d’un "
            "enseignement à domicile"
        ],
        "19 (g)": ["Enfants fréquentant une école spécialisée"],
        "19 (h)": ["Enfants non scolarisés"],
        "19 (i)": ["Enfants abandonnés par leur famille"],
        # The first tables of 20 (a)–(c) and 20 (e) have no caption in the document.
        "20 (a), 20 (b), 20 (c)": [""],
        "20 (d)": [],
        "20 (e)": [
            "",
            "Statistiques par article du Code pénal (garçons)",
            "Selon la situation sociale (garçons)",
            "Condamnés mineurs incarcérés (filles)",
            "Statistiques par article du Code pénal (filles)",
            "Selon la situation sociale (filles)",
        ],
        "20 (f)": [],
        "20 (g)": [
            "Mineurs en détention (informations complémentaires) — Enfants placés une "
            "nouvelle fois en établissement éducatif spécial (au cours des trois dernières années)",
            "Garçons mineurs en détention (2025)",
            "Filles mineures en détention (2025)",
        ],
    }
    for label, expected in captions.items():
        assert [table.caption for table in section(seed, label).tables] == expected, label
    assert len(seed.all_tables) == 26


def test_it_reads_the_statistics_of_section_17_table_by_table(seed):
    assert rows(seed, "17", 0) == [
        ("2022", ["933", "–"]),
        # "1 093 204" is 1 093 and 204: no figure starts with a 0.
        ("2023", ["1 093", "204"]),
        ("2024", ["1 040", "175"]),
        ("2025", ["–", "199"]),
    ]
    assert [row.values for row in section(seed, "17").tables[0].rows][0] == [Decimal("933"), None]
    assert rows(seed, "17", 1) == [("2023", ["408"]), ("2024", ["369"]), ("2025", ["238"])]
    assert rows(seed, "17", 3) == [
        ("2023", ["122", "58", "64"]), ("2024", ["107", "58", "49"]), ("2025", ["100", "47", "53"])
    ]
    # "1 415 647 … 13 417" has one thousands group: with the first figure, the total.
    assert rows(seed, "17", 4)[2] == (
        "2024", ["1 415", "647", "52", "74", "69", "50", "93", "13", "417"]
    )
    assert rows(seed, "17", 6) == [
        ("2023", ["26", "5", "21"]), ("2024", ["16", "11", "5"]), ("2025", ["42", "15", "27"])
    ]
    # "2023 391 238" is the year 2023 and 391 238 children.
    poverty = section(seed, "17").tables[7]
    assert [(row.label, row.values) for row in poverty.rows] == [
        ("2023", [Decimal("391238")]), ("2024", [Decimal("275480")]), ("2025", [Decimal("196889")])
    ]


def test_it_joins_a_header_written_over_several_lines_and_reads_decimal_commas(seed):
    marriages = section(seed, "17").tables[2]
    assert marriages.columns == [
        "Année",
        "Mariages d’enfants (nombre de cas)",
        "Taux de natalité chez les 15-17 ans (pour 1 000 jeunes filles)",
        "Avortements (pour 1 000 jeunes filles)",
    ]
    assert [(row.label, row.values) for row in marriages.rows] == [
        ("2023", [None, Decimal("3.14"), Decimal("0.82")]),
        ("2024", [Decimal("870"), Decimal("2.88"), Decimal("0.71")]),
        ("2025", [None, Decimal("2.47"), Decimal("0.62")]),
    ]


def test_it_joins_row_labels_written_over_several_lines(seed):
    work = section(seed, "17").tables[5]
    assert work.columns == ["Année", "2015", "2020", "2021", "2022", "2023", "2024"]
    assert [(row.label, row.cells) for row in work.rows] == [
        (
            "Employée dans l’économie, dont :",
            ["27 241", "6 464", "3 471", "4 126", "3 776", "6 705"],
        ),
        (
            "Agriculture, sylviculture et pêcheries",
            ["16 941", "4 530", "2 381", "2 730", "2 908", "3 410"],
        ),
        ("Secteur industriel", ["246", "293", "112", "268", "43", "187"]),
        ("Construction", ["1 815", "198", "88", "221", "249", "257"]),
        (
            "Commerce de gros et de détail, réparation d’automobiles et de motos",
            ["4 536", "682", "489", "250", "119", "1 295"],
        ),
        ("Transport et stockage", ["999", "50", "–", "36", "–", "128"]),
        ("Information et communication", ["–", "11", "–", "–", "–", "–"]),
        ("Transports et communications", ["–", "–", "–", "–", "–", "–"]),
        ("Autres", ["2 704", "700", "401", "621", "457", "1 428"]),
    ]
    detention = section(seed, "20 (a), 20 (b), 20 (c)").tables[0]
    assert detention.columns == ["No Indicateur", "2023", "2024", "2025"]
    assert [(row.label, row.cells) for row in detention.rows] == [
        (
            "1 Enfants placés en garde à vue pour des infractions graves et particulièrement "
            "graves (instruction préliminaire)",
            ["55", "90", "100"],
        ),
        ("2 Enfants placés en détention provisoire", ["55", "90", "100"]),
        ("3 Enfants ayant bénéficié d’une libération conditionnelle", ["4", "0", "1"]),
        ("4 Enfants ayant bénéficié d’une commutation de peine", ["11", "3", "8"]),
    ]


def test_it_keeps_a_numbered_row_without_figures_as_a_group_row(seed):
    convicted = section(seed, "20 (e)").tables[0]
    assert [row.label for row in convicted.rows] == [
        "1 Nombre total de condamnés", "1.1 Pour des infractions particulièrement graves",
        "1.2 Pour des infractions graves", "1.3 Pour des infractions de gravité moyenne",
        "2 Âge", "2.1 15 ans", "2.2 16 ans", "2.3 17 ans", "2.4 18 ans",
    ]
    group = convicted.rows[4]
    assert (group.cells, group.values) == (["", "", ""], [None, None, None])
    # "2.1 15 ans 0 0 1": the 15 belongs to the label, the three cells are 0, 0 and 1.
    assert convicted.rows[5].values == [Decimal(0), Decimal(0), Decimal(1)]


def test_it_reads_approximate_figures_and_keeps_their_words(seed):
    assert rows(seed, "19 (f)") == [
        ("2024", ["plus de 13 000"]), ("2025", ["environ 16 000"]), ("2026", ["13 500"])
    ]
    assert [row.values for row in section(seed, "19 (f)").tables[0].rows] == [
        [Decimal("13000")], [Decimal("16000")], [Decimal("13500")]
    ]
    assert [row.values[0] for row in section(seed, "19 (h)").tables[0].rows] == [
        Decimal("22000"), Decimal("15000"), Decimal("14700")
    ]


def test_it_reads_tables_labelled_by_words_and_by_year_ranges(seed):
    assert rows(seed, "20 (g)", 0) == [("2023-2025", ["15", "3"])]
    assert rows(seed, "20 (g)", 1) == [
        ("Nombre total de garçons", ["71"]), ("Infractions particulièrement graves", ["30"]),
        ("Infractions graves", ["51"]), ("Infractions de gravité moyenne", ["1"]),
    ]
    assert rows(seed, "20 (g)", 2) == [("15 ans", ["2"]), ("16 ans", ["2"]), ("17 ans", ["1"])]


def test_it_keeps_unnumbered_text_as_section_text(seed):
    # Sub-items of 17 with a single figure or none, and the note under the last table of 20 (g).
    assert section(seed, "17").text == (
        "d) Enfants laissés dans le pays par des parents migrants qui travaillent à "
        "l’étranger − 0\n"
        "e) Enfants apatrides − 277\n"
        "j) Enfants en situation de rue"
    )
    assert section(seed, "20 (g)").text == (
        "Sur ces 5 filles, 4 ont été condamnées pour des infractions particulièrement graves "
        "et 1 pour une infraction grave."
    )


def test_only_the_answer_to_18_points_to_an_annex(seed):
    pointers = [s for s in seed.sections if s.is_annex_pointer]
    assert [s.heading for s in pointers] == [
        "Réponse concernant le paragraphe 18 a) à f) de la liste de points"
    ]
    assert paragraph_text(seed, 265) == "Annexe 1."


def test_the_seed_parses_without_warnings(seed):
    assert seed.warnings == []


def test_it_loses_no_word_of_the_seed_but_the_page_furniture(seed):
    found = Counter(seed.title.split())
    for s in seed.sections:
        found.update(f"{s.heading} {s.text}".split())
        found.update(word for p in s.paragraphs for word in f"{p.number}. {p.text}".split())
        for table in s.tables:
            found.update(table.caption.replace(" — ", " ").split())
            found.update(word for text in table.columns for word in text.split())
            for row in table.rows:
                found.update(word for text in [row.label, *row.cells] for word in text.split())
    source = Counter(SEED.read_text(encoding="utf-8").split())
    assert source - found == Counter(
        [
            "CRC/C/KAZ/RQ/5-6",
            "GE.26-03673",
            "21",
            "https://docs.un.org/fr/CRC/C/KAZ/Q/5-6",
            "https://bala.stat.gov.kz/",
        ]
    )
    assert found - source == Counter()


def test_it_parses_the_seed_in_well_under_a_second():
    text = SEED.read_text(encoding="utf-8")
    started = time.perf_counter()
    parse_replies(text)
    assert time.perf_counter() - started < 0.5


# Texts in other languages and forms ------------------------------------------------------------

ENGLISH = document(
    "Replies of Freedonia to the list of issues (CCPR/C/FRA/Q/6)",
    "Replies to paragraphs 4 and 5 of the list of issues",
    "1. The State party adopted a national action plan on human rights in",
    "2024. It covers the period 2024-",
    "2030 and is monitored by an inde-",
    "pendent body.",
    "CCPR/C/FRA/RQ/6",
    "GE.25-01234 3",
    "2. The plan was prepared with civil society:",
    "• ten public hearings were held;",
    "• 1,398 written comments were received.",
    "Reply to paragraph 18 (a) to (f) of the list of issues",
    "3. See annex I.",
    "Response to paragraph 2 (a) and (b)",
    "  Children in alternative care",
    "Year Total",
    "2022 1,398",
    "2023 more than 13,000",
    "2024 about 16,000",
    "2025 approximately 2.5",
)


def test_it_reads_english_replies():
    parsed = parse_replies(ENGLISH)
    assert (parsed.symbol, parsed.answers_symbol) == ("CCPR/C/FRA/RQ/6", "CCPR/C/FRA/Q/6")
    assert parsed.language == "en"
    assert parsed.title == "Replies of Freedonia to the list of issues (CCPR/C/FRA/Q/6)"
    assert [[ref.label for ref in s.references] for s in parsed.sections] == [
        ["4", "5"], lettered(18, "abcdef"), ["2 (a)", "2 (b)"]
    ]
    assert [p.text for p in parsed.all_paragraphs] == [
        "The State party adopted a national action plan on human rights in 2024. It covers the "
        "period 2024-2030 and is monitored by an independent body.",
        "The plan was prepared with civil society:\n• ten public hearings were held;\n"
        "• 1,398 written comments were received.",
        "See annex I.",
    ]
    assert parsed.sections[1].is_annex_pointer
    [table] = parsed.all_tables
    assert (table.caption, table.columns) == ("Children in alternative care", ["Year", "Total"])
    assert [(row.label, row.cells, row.values) for row in table.rows] == [
        ("2022", ["1,398"], [Decimal("1398")]),
        ("2023", ["more than 13,000"], [Decimal("13000")]),
        ("2024", ["about 16,000"], [Decimal("16000")]),
        ("2025", ["approximately 2.5"], [Decimal("2.5")]),
    ]
    assert parsed.warnings == []


def test_it_reads_the_variants_of_french_and_english_headings():
    parsed = parse_replies(document(
        "Réponse au paragraphe 3 de la liste de points",
        "1. Un.",
        "Réponses aux paragraphes 4 et 5 de la liste de points",
        "2. Deux.",
        "Paragraphe 6 a) de la liste de points",
        "3. Trois.",
        "Réponse concernant le paragraphe 7 de la liste de points établie avant la soumission "
        "du rapport",
        "4. Quatre.",
        "Reply to paragraph 8 (b) of the list of issues (CCPR/C/FRA/QPR/6)",
        "5. Five.",
        "Paragraph 9 of the list of issues",
        "6. Six.",
    ))
    assert [[ref.label for ref in s.references] for s in parsed.sections] == [
        ["3"], ["4", "5"], ["6 (a)"], ["7"], ["8 (b)"], ["9"]
    ]
    numbers = [[p.number for p in s.paragraphs] for s in parsed.sections]
    assert numbers == [[1], [2], [3], [4], [5], [6]]


def test_it_recognises_symbols_of_other_committees_and_of_lists_prior_to_reporting():
    cescr = parse_replies(document(
        "E/C.12/KAZ/RQ/3",
        "Réponses à la liste de points (E/C.12/KAZ/Q/3)",
        "Réponse concernant le paragraphe 1 de la liste de points",
        "1. Texte.",
    ))
    assert (cescr.symbol, cescr.answers_symbol) == ("E/C.12/KAZ/RQ/3", "E/C.12/KAZ/Q/3")
    # Under the simplified procedure the replies are the periodic report itself.
    simplified = parse_replies(document(
        "Replies to the list of issues prior to reporting (CCPR/C/FRA/QPR/6)",
        "Reply to paragraph 1 of the list of issues",
        "1. Text.",
        "CCPR/C/FRA/6",
        "GE.24-01234 2",
        "2. More text.",
    ))
    assert (simplified.symbol, simplified.answers_symbol) == ("CCPR/C/FRA/6", "CCPR/C/FRA/QPR/6")


def test_it_takes_the_replies_symbol_from_the_text_when_no_running_header_names_it():
    parsed = parse_replies(document(
        "Réponses à la liste de points (CRC/C/KAZ/Q/5-6), publiées sous la cote CRC/C/KAZ/RQ/5-6",
        "Réponse concernant le paragraphe 1 de la liste de points",
        "1. Texte.",
    ))
    assert (parsed.symbol, parsed.answers_symbol) == ("CRC/C/KAZ/RQ/5-6", "CRC/C/KAZ/Q/5-6")


def test_the_title_is_not_a_section():
    parsed = parse_replies(document(
        "Réponses à la liste de points (CRC/C/KAZ/Q/5-6)",
        "Réponse concernant le paragraphe 2 b) de la liste de points",
        "1. Texte.",
    ))
    assert [s.heading for s in parsed.sections] == [
        "Réponse concernant le paragraphe 2 b) de la liste de points"
    ]


def test_a_number_and_full_stop_is_a_new_paragraph_only_when_it_is_the_next_number():
    parsed = parse_replies(document(
        "Réponse concernant le paragraphe 1 de la liste de points",
        "1. La loi a été adoptée en",
        "2020. Elle est entrée en vigueur en",
        "1. janvier, comme prévu.",
        "2. Deuxième paragraphe.",
    ))
    assert [(p.number, p.text) for p in parsed.all_paragraphs] == [
        (1, "La loi a été adoptée en 2020. Elle est entrée en vigueur en 1. janvier, comme prévu."),
        (2, "Deuxième paragraphe."),
    ]


def test_it_joins_words_hyphenated_across_lines_but_keeps_real_hyphens():
    parsed = parse_replies(document(
        "Réponse concernant le paragraphe 1 de la liste de points",
        "1. Les mesures néces-",
        "saires ont été prises à Nour-",
        "Soultan pour 2026-",
        "2030 dans la région du Kazakhstan-",
        "occidental, où le bien-",
        "être des enfants est suivi par un méca\u00ad",
        "nisme national.",
        "2. Le Kazakhstan-occidental mesure le bien-être des enfants.",
    ))
    # A capital or a digit after the break shows a real hyphen; so does the same compound
    # printed whole elsewhere in the text ("Kazakhstan-occidental", "bien-être").
    assert parsed.all_paragraphs[0].text == (
        "Les mesures nécessaires ont été prises à Nour-Soultan pour 2026-2030 dans la région du "
        "Kazakhstan-occidental, où le bien-être des enfants est suivi par un mécanisme national."
    )


def test_it_drops_page_numbers_footnote_numbers_job_numbers_and_footnote_urls():
    parsed = parse_replies(document(
        "Réponse concernant le paragraphe 1 de la liste de points",
        "1. Le portail",
        "2",
        "est en ligne",
        "21 GE.26-03673",
        "*2603673*",
        "GE.26-03673 (F) 120326 130326",
        "CRC/C/KAZ/RQ/5-6",
        "depuis 2024.",
        "1 https://example.org/note",
        "17",
    ))
    assert parsed.all_paragraphs[0].text == "Le portail est en ligne depuis 2024."
    assert parsed.symbol == "CRC/C/KAZ/RQ/5-6"


def test_it_keeps_a_url_alone_on_a_line_when_the_text_does_not_have_it():
    parsed = parse_replies(document(
        "Réponse concernant le paragraphe 1 de la liste de points",
        "1. Le rapport est publié à l’adresse",
        "https://example.org/rapport",
        "depuis 2024.",
    ))
    assert parsed.all_paragraphs[0].text == (
        "Le rapport est publié à l’adresse https://example.org/rapport depuis 2024."
    )


def test_it_counts_lines_as_an_editor_does_whatever_the_line_endings():
    text = "Réponse concernant le paragraphe 1 de la liste de points\r\n\r\n1. Un.\r\n\f3. Trois."
    parsed = parse_replies(text)
    assert [(p.number, p.line) for p in parsed.all_paragraphs] == [(1, 3), (3, 4)]
    assert [w.line for w in parsed.warnings] == [4]


def test_word_count_counts_the_words_of_paragraphs_tables_and_unnumbered_text():
    parsed = parse_replies(document(
        "Réponse concernant le paragraphe 1 de la liste de points",
        "1. Trois mots ici.",
        "Réponse concernant le paragraphe 2 de la liste de points",
        "  Enfants vivant en institution",
        "Année Total",
        "2022 1 398",
        " e) Enfants apatrides − 277",
    ))
    assert section(parsed, "2").text == "e) Enfants apatrides − 277"
    # Paragraph 3, caption 4, header 2, row 3 ("1 398" is two words, as a word processor counts),
    # unnumbered text 4: a dash alone is no word.
    assert parsed.word_count == 3 + 4 + 2 + 3 + 4


def test_a_table_after_a_paragraph_ends_the_paragraph():
    parsed = parse_replies(document(
        "Réponse concernant le paragraphe 1 de la liste de points",
        "1. Les chiffres sont les suivants :",
        "Année Total",
        "2022 1 398",
        "2023 1 537",
        "2. La tendance est à la hausse.",
    ))
    assert [(p.number, p.text) for p in parsed.all_paragraphs] == [
        (1, "Les chiffres sont les suivants :"), (2, "La tendance est à la hausse.")
    ]
    [table] = parsed.all_tables
    assert [(row.label, row.values) for row in table.rows] == [
        ("2022", [Decimal("1398")]), ("2023", [Decimal("1537")])
    ]


# Warnings ---------------------------------------------------------------------------------------


def test_it_warns_about_a_skipped_paragraph_number():
    parsed = parse_replies(document(
        "Réponse concernant le paragraphe 1 de la liste de points",
        "1. Un.",
        "2. Deux.",
        "5. Cinq.",
    ))
    assert [p.number for p in parsed.all_paragraphs] == [1, 2, 5]
    assert [str(w) for w in parsed.warnings] == [
        "line 7: paragraph 5 follows paragraph 2: 3 to 4 missing"
    ]


def test_it_warns_about_a_table_row_with_the_wrong_number_of_cells():
    parsed = parse_replies(document(
        "Réponse concernant le paragraphe 1 de la liste de points",
        "1. Voir le tableau.",
        "Réponse concernant le paragraphe 2 de la liste de points",
        "Année Garçons Filles",
        "2022 10 12",
        "2023 7",
        "2024 8 9",
    ))
    [table] = parsed.all_tables
    assert [row.cells for row in table.rows] == [["10", "12"], ["7"], ["8", "9"]]
    assert [str(w) for w in parsed.warnings] == [
        "line 11: table row «2023» has 1 cell where the header has 2"
    ]


def test_it_warns_about_text_before_the_first_heading():
    parsed = parse_replies(document(
        "Nations Unies",
        "Comité des droits de l’enfant",
        "Réponses à la liste de points (CRC/C/KAZ/Q/5-6)",
        "Réponse concernant le paragraphe 1 de la liste de points",
        "1. Texte.",
    ))
    assert parsed.title == "Réponses à la liste de points (CRC/C/KAZ/Q/5-6)"
    assert [str(w) for w in parsed.warnings] == [
        "line 1: text before the first heading was ignored: "
        "«Nations Unies Comité des droits de l’enfant»"
    ]


def test_it_warns_about_a_heading_whose_references_it_cannot_read():
    parsed = parse_replies(document(
        "Réponse concernant le paragraphe 1 de la liste de points",
        "1. Un.",
        "Réponse concernant le paragraphe premier de la liste de points",
        "2. Deux.",
    ))
    assert [s.references for s in parsed.sections] == [[ParagraphRef(1)], []]
    assert [w.line for w in parsed.warnings] == [5]
    assert "cannot read the paragraph reference 'premier'" in parsed.warnings[0].message


def test_it_warns_about_a_heading_with_nothing_under_it():
    parsed = parse_replies(document(
        "Réponse concernant le paragraphe 1 de la liste de points",
        "Réponse concernant le paragraphe 2 de la liste de points",
        "1. Deux.",
    ))
    assert [str(w) for w in parsed.warnings] == ["line 1: nothing under this heading"]


def test_it_warns_when_it_cannot_name_the_columns_of_a_table():
    parsed = parse_replies(document(
        "Réponse concernant le paragraphe 1 de la liste de points",
        "1. Voir le tableau.",
        "Année garçons et filles",
        "2022 10 12",
        "2023 7 9",
    ))
    # Two figures a row, but the header has no capital or year to split at.
    [table] = parsed.all_tables
    assert table.columns == ["Année garçons et filles", "", ""]
    assert [row.cells for row in table.rows] == [["10", "12"], ["7", "9"]]
    assert [str(w) for w in parsed.warnings] == [
        "line 5: cannot split the table header into 3 columns"
    ]


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "  \n\n \t\n"])
def test_it_refuses_an_empty_text(text):
    with pytest.raises(ParseError, match="the text is empty"):
        parse_replies(text)


def test_it_refuses_a_text_without_any_reply_heading():
    concluding_observations = document(
        "Observations finales concernant le rapport du Kazakhstan",
        "1. Le Comité recommande à l’État partie de renforcer la protection des enfants.",
    )
    with pytest.raises(ParseError, match="not a reply to a list of issues: no heading such as"):
        parse_replies(concluding_observations)


def test_it_refuses_headings_without_any_numbered_paragraph():
    with pytest.raises(ParseError, match="no numbered paragraph") as error:
        parse_replies(document(
            "Réponses à la liste de points (CRC/C/KAZ/Q/5-6)",
            "Réponse concernant le paragraphe 1 de la liste de points",
            "Le texte n’est pas numéroté.",
        ))
    assert error.value.line == 3


# Real replies in other layouts (tests/tracker/documents/README.md names their source).
DOCUMENTS = Path(__file__).parent / "documents"


def test_replies_with_a_table_of_contents_start_at_the_first_reply():
    parsed = parse_replies((DOCUMENTS / "replies_cescr_kaz_1_start_en.txt").read_text("utf-8"))
    assert (parsed.symbol, parsed.answers_symbol) == ("E/C.12/KAZ/Q/1/Add.1", "E/C.12/KAZ/Q/1")
    assert [(s.heading, s.references) for s in parsed.sections] == [
        ("Reply to question 2", [ParagraphRef(2)])
    ]
    assert [p.number for p in parsed.all_paragraphs] == [1]


def test_it_records_the_date_of_the_replies_and_the_date_received():
    parsed = parse_replies((DOCUMENTS / "replies_cescr_kaz_1_start_en.txt").read_text("utf-8"))
    assert parsed.date == datetime.date(2010, 1, 5)  # after "Distr.: General"
    assert parsed.received == datetime.date(2009, 10, 19)  # "[19 October 2009]"


def test_lettered_and_roman_section_labels_before_the_real_headings():
    # The real French replies (the seed), each heading given a roman section label as other
    # States' replies have them ("I. Réponse concernant le paragraphe 2 b) …").
    lines = SEED.read_text(encoding="utf-8").splitlines()
    numbered, count = [], 0
    for line in lines:
        if line.strip().startswith("Réponse"):
            count += 1
            line = f"{ROMAN_LABELS[count % len(ROMAN_LABELS)]}. {line.strip()}"
        numbered.append(line)
    parsed = parse_replies("\n".join(numbered))
    assert [section_refs(s) for s in parsed.sections] == SEED_REFERENCES


ROMAN_LABELS = ["I", "II", "III", "IV", "V", "A", "B", "C"]


def section_refs(section: ReplySection) -> str:
    return ", ".join(ref.label for ref in section.references)


@pytest.mark.parametrize(
    ("heading", "language", "references"),
    [
        # The headings of issue 14, quoted from real English and French replies.
        ("A. Replies to the issues raised in paragraph 1 of the list of issues", "en", "1"),
        ("I. Réponse concernant le paragraphe 2 b)", "fr", "2 (b)"),
        # Invented, in the wording of the Spanish and Russian lists' own headings.
        ("B. Respuesta al párrafo 2 a) de la lista de cuestiones", "es", "2 (a)"),
        ("Respuestas a las cuestiones planteadas en el párrafo 3 de la lista de cuestiones", "es",
         "3"),
        ("II. Ответ на пункт 4 b) перечня вопросов", "ru", "4 (b)"),
        ("Ответы на вопросы, поднятые в пункте 5 а) и b) перечня вопросов", "ru", "5 (a), 5 (b)"),
    ],
)
def test_it_reads_headings_in_every_language(heading, language, references):
    parsed = parse_replies(f"{heading}\n1. The State replies.\n")
    assert parsed.language == language
    assert [section_refs(section) for section in parsed.sections] == [references]
