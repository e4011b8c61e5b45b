"""The concluding-observations parser, on invented CRC observations for Kazakhstan (EN and FR)."""

import dataclasses
import datetime
import re
from pathlib import Path

import pytest

from tracker.parsing.common import ParseError
from tracker.parsing.concluding_observations import parse_concluding_observations

DOCUMENTS = Path(__file__).parent / "documents"

# Not 27 (ratification) nor 28 (follow-up and dissemination): they are about the procedure.
RECOMMENDATIONS = [5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 18, 20, 21, 22, 23, 25, 26]


def read(name: str) -> str:
    return (DOCUMENTS / name).read_text(encoding="utf-8")


def by_number(parsed) -> dict:
    return {observation.number: observation for observation in parsed.observations}


def contents(parsed) -> list:
    """Everything but the line numbers, which move when blank lines go."""
    return [dataclasses.replace(observation, line=0) for observation in parsed.observations]


def make_observations(body: str) -> str:
    """Short English concluding observations around `body`."""
    header = (
        "United Nations\nCRC/C/KAZ/CO/5-6\nDistr.: General\n12 June 2026\n"
        "Committee on the Rights of the Child\n"
        "Concluding observations on the combined fifth and sixth periodic reports of Kazakhstan*\n"
    )
    return header + body


@pytest.fixture(scope="module")
def english():
    return parse_concluding_observations(read("co_crc_en.txt"))


@pytest.fixture(scope="module")
def french():
    return parse_concluding_observations(read("co_crc_fr.txt"))


def test_it_reads_the_english_header(english):
    assert english.symbol == "CRC/C/KAZ/CO/5-6"
    assert english.date == datetime.date(2026, 6, 12)
    assert english.committee == "Committee on the Rights of the Child"
    assert english.state == "Kazakhstan"
    assert english.language == "en"


def test_it_reads_the_french_header(french):
    assert french.symbol == "CRC/C/KAZ/CO/5-6"
    assert french.date == datetime.date(2026, 6, 12)
    assert french.committee == "Comité des droits de l’enfant"
    assert french.state == "Kazakhstan"
    assert french.language == "fr"


def test_it_finds_every_numbered_paragraph_in_order(english, french):
    assert [observation.number for observation in english.observations] == list(range(1, 31))
    assert [observation.number for observation in french.observations] == list(range(1, 31))


def test_it_gives_each_paragraph_its_reference_and_line(english):
    observations = by_number(english)
    assert observations[23].reference == "23"
    assert observations[1].line == 19
    assert observations[16].line == 195
    assert observations[30].line == 333


def test_it_reflows_a_paragraph_across_a_page_break(english):
    # Paragraph 3 runs over the page-1 footnote, the job number, the barcode and the next header.
    assert by_number(english)[3].text == (
        "The Committee welcomes the various legislative, institutional and policy measures taken "
        "by the State party to implement the Convention, including the adoption of the Children "
        "of Kazakhstan policy document for 2026–2030 and the introduction of the Child Well-being "
        "Index in 2022."
    )


def test_lines_starting_with_a_year_stay_in_their_paragraph(english):
    observations = by_number(english)
    assert "in all settings adopted in 2020. It urges the State party" in observations[18].text
    assert "maximum period set in the law of 2019. It is also concerned" in observations[24].text


def test_it_drops_a_lone_footnote_number(english):
    assert by_number(english)[17].text == (
        "The Committee is concerned about reports that corporal punishment remains widely "
        "practised in the home."
    )


def test_it_files_paragraphs_under_roman_sections(english):
    observations = by_number(english)
    assert observations[1].section == "I. Introduction"
    assert observations[3].section == (
        "II. Follow-up measures taken and progress achieved by the State party"
    )
    assert observations[4].section == "III. Main areas of concern and recommendations"
    assert observations[27].section == "III. Main areas of concern and recommendations"
    assert observations[28].section == "IV. Implementation and reporting"


def test_it_files_paragraphs_under_the_nearest_heading(english):
    observations = by_number(english)
    assert observations[4].heading == ""  # no heading yet in section III
    assert observations[7].heading == "Coordination"
    assert observations[12].heading == "Non-discrimination"
    assert observations[16].heading == "Abuse and neglect"
    assert observations[23].heading == "G. Education, leisure and cultural activities (arts. 28–31)"
    assert observations[29].heading == "A. Follow-up and dissemination"
    assert observations[30].heading == "B. Next report"


def test_i_after_h_is_a_lettered_heading_not_a_section(english):
    observation = by_number(english)[26]
    assert observation.section == "III. Main areas of concern and recommendations"
    # The heading was wrapped over two lines.
    assert observation.heading == (
        "I. Implementation of the Optional Protocol on the sale of children, child prostitution "
        "and child pornography"
    )


def test_it_joins_a_heading_wrapped_inside_its_brackets():
    text = read("co_crc_en.txt").replace("Abuse and neglect\n", "")
    assert by_number(parse_concluding_observations(text))[16].heading == (
        "D. Violence against children (arts. 19, 24 (3), 28 (2), 34, 37 (a) and 39)"
    )


def test_it_files_french_paragraphs(french):
    observations = by_number(french)
    assert observations[4].section == "III. Principaux sujets de préoccupation et recommandations"
    assert observations[13].heading == "Intérêt supérieur de l’enfant"
    assert observations[23].heading == (
        "G. Éducation, loisirs et activités culturelles (art. 28 à 31)"
    )
    assert observations[28].section == "IV. Mise en œuvre et soumission de rapports"
    assert observations[28].heading == "A. Suivi et diffusion"


def test_it_picks_the_paragraphs_that_recommend(english, french):
    assert [observation.number for observation in english.recommendations] == RECOMMENDATIONS
    # "recommande à", "engage instamment", "encourage", "prie", "demande" in the same places.
    assert [observation.number for observation in french.recommendations] == RECOMMENDATIONS


def test_concerns_and_procedure_are_not_recommendations(english):
    observations = by_number(english)
    assert observations[11].is_recommendation is False  # "The Committee is concerned …"
    assert observations[4].is_recommendation is False  # draws attention to urgent measures
    assert observations[29].is_recommendation is False  # "the State party is requested to provide"
    assert observations[30].is_recommendation is False  # "invites the State party to submit"


def test_it_keeps_lettered_sub_paragraphs_in_order(english):
    observation = by_number(english)[7]
    assert observation.text == "The Committee recommends that the State party:"
    assert observation.subparagraphs == [
        (
            "a",
            "Ensure that the Committee for the Protection of Children’s Rights has the authority "
            "and the resources necessary to coordinate all activities related to the "
            "implementation of the Convention at the national, regional and local levels;",
        ),
        ("b", "Strengthen cooperation between the central authorities and local executive bodies."),
    ]


def test_i_after_h_is_the_ninth_sub_paragraph(english):
    subparagraphs = by_number(english)[16].subparagraphs
    assert [letter for letter, _ in subparagraphs] == list("abcdefghi")
    assert subparagraphs[8] == (
        "i",
        "Allocate sufficient resources for the implementation of the above measures.",
    )


def test_roman_items_stay_inside_their_lettered_sub_paragraph(english):
    assert by_number(english)[20].subparagraphs == [
        (
            "a",
            "Support and facilitate family-based care for children wherever possible, including "
            "by: (i) Strengthening support for families in need; (ii) Expanding foster care;",
        ),
        ("b", "Establish a time frame for the deinstitutionalization of children."),
    ]


def test_it_keeps_french_sub_paragraphs_without_a_space_after_the_marker(french):
    subparagraphs = by_number(french)[12].subparagraphs
    assert subparagraphs[0] == (
        "a",
        "À adopter une législation complète de lutte contre la discrimination couvrant tous les "
        "motifs interdits ;",
    )
    assert [letter for letter, _ in by_number(french)[16].subparagraphs] == list("abcdefghi")


def test_it_flags_the_paragraphs_needing_urgent_measures(english, french):
    assert english.urgent_paragraphs == [12, 18, 20, 25]
    assert french.urgent_paragraphs == [12, 18, 20, 25]  # "(par. 12)" with a no-break space
    assert [o.number for o in english.observations if o.urgent] == [12, 18, 20, 25]


def test_it_flags_the_paragraphs_named_for_follow_up(english, french):
    assert english.follow_up_paragraphs == [12, 20, 25]
    assert english.follow_up_months == 24
    assert [o.number for o in english.observations if o.follow_up] == [12, 20, 25]
    # "dans un délai de vingt-quatre mois … aux paragraphes 12, 20 et 25 ci-dessus"
    assert french.follow_up_paragraphs == [12, 20, 25]
    assert french.follow_up_months == 24


def test_it_reads_the_next_report(english, french):
    assert english.next_report_due == datetime.date(2031, 3, 1)
    assert english.next_report_label == "7"
    # "soumettre son septième rapport périodique d'ici au 1er mars 2031"
    assert french.next_report_due == datetime.date(2031, 3, 1)
    assert french.next_report_label == "7"


def test_the_published_observations_give_no_warnings(english, french):
    assert english.warnings == []
    assert french.warnings == []


@pytest.mark.parametrize(
    ("period", "months"),
    [
        ("within 24 months of the adoption of the present concluding observations", 24),
        ("within one year", 12),
        ("within two years", 24),
    ],
)
def test_it_reads_the_follow_up_period_in_english(period, months):
    parsed = parse_concluding_observations(
        make_observations(
            "1. The Committee urges the State party to act.\n"
            "2. The Committee recommends that the State party act.\n"
            f"3. The State party is requested to provide, {period}, information on the\n"
            "implementation of the recommendations made in paragraphs 1 and 2 above.\n"
        )
    )
    assert parsed.follow_up_paragraphs == [1, 2]
    assert parsed.follow_up_months == months


@pytest.mark.parametrize(
    ("period", "months"),
    [
        ("dans un délai de vingt-quatre mois", 24),
        ("dans un délai d’un an", 12),
        ("dans un délai de deux ans", 24),
    ],
)
def test_it_reads_the_follow_up_period_in_french(period, months):
    parsed = parse_concluding_observations(
        "Comité des droits de l’enfant\n"
        "Observations finales concernant le rapport initial du Kazakhstan*\n"
        "1. Le Comité recommande à l’État partie d’agir.\n"
        f"2. L’État partie est prié de fournir, {period}, des renseignements sur la mise en œuvre\n"
        "des recommandations formulées au paragraphe 1 ci-dessus.\n"
    )
    assert parsed.follow_up_paragraphs == [1]
    assert parsed.follow_up_months == months


def test_it_reads_follow_up_paragraphs_named_with_their_subjects():
    # Human Rights Committee style: a date instead of a period, and subjects in brackets.
    parsed = parse_concluding_observations(
        make_observations(
            "1. The State party should repeal the law.\n"
            "2. The State party should end the practice.\n"
            "3. The State party should compensate the victims.\n"
            "4. In accordance with rule 75, paragraph 1, of the Committee’s rules of procedure,\n"
            "the State party is requested to provide, by 28 March 2028, information on the\n"
            "implementation of the recommendations made by the Committee in paragraphs 1 (state\n"
            "of emergency), 2 (torture) and 3 (victims) above.\n"
        )
    )
    assert parsed.follow_up_paragraphs == [1, 2, 3]
    assert parsed.follow_up_months is None
    # "The State party should …" is how this committee recommends.
    assert [observation.number for observation in parsed.recommendations] == [1, 2, 3]


def test_it_reads_urgent_measures_naming_several_paragraphs():
    parsed = parse_concluding_observations(
        make_observations(
            "1. The Committee draws the State party’s attention to the recommendations concerning\n"
            "the following areas, in respect of which urgent measures must be taken: child\n"
            "justice (paras. 2 and 3).\n"
            "2. The Committee is concerned about pretrial detention.\n"
            "3. The Committee urges the State party to end pretrial detention of children.\n"
        )
    )
    assert parsed.urgent_paragraphs == [2, 3]
    assert [observation.urgent for observation in parsed.observations] == [False, True, True]


@pytest.mark.parametrize(
    ("sentence", "label", "due"),
    [
        (
            "The Committee invites the State party to submit its combined seventh and eighth\n"
            "periodic reports by 1 March 2031.",
            "7-8",
            datetime.date(2031, 3, 1),
        ),
        (
            "The Committee will establish and communicate the due date of the eighth periodic\n"
            "report.",
            "8",
            None,
        ),
        (
            "The Committee invites the State party to submit its combined twenty-second and\n"
            "twenty-third periodic reports by 4 January 2030.",
            "22-23",
            datetime.date(2030, 1, 4),
        ),
    ],
)
def test_it_reads_other_next_report_phrasings(sentence, label, due):
    parsed = parse_concluding_observations(make_observations(f"1. {sentence}\n"))
    assert parsed.next_report_label == label
    assert parsed.next_report_due == due


def test_it_reads_a_french_combined_next_report():
    parsed = parse_concluding_observations(
        "Observations finales concernant le rapport initial du Kazakhstan*\n"
        "1. Le Comité invite l’État partie à soumettre son rapport valant septième et huitième\n"
        "rapports périodiques le 1er mars 2031 au plus tard.\n"
    )
    assert parsed.next_report_label == "7-8"
    assert parsed.next_report_due == datetime.date(2031, 3, 1)


def test_it_reads_the_same_with_spaces_after_the_markers():
    text = read("co_crc_en.txt")
    marker = r"^(\d{1,2}\.|[IVX]+\.|[A-J]\.|\((?:[a-z]|[ivx]+)\))(?=\S)"
    spaced = re.sub(marker, r"\1 ", text, flags=re.MULTILINE)
    assert "\n(a) Ensure that the Committee" in spaced
    assert "\nIII. Main areas" in spaced
    expected = contents(parse_concluding_observations(text))
    assert contents(parse_concluding_observations(spaced)) == expected


def test_it_reads_the_same_without_blank_lines_or_with_windows_line_ends():
    text = read("co_crc_fr.txt")
    expected = contents(parse_concluding_observations(text))
    assert contents(parse_concluding_observations(re.sub(r"\n\s*\n", "\n", text))) == expected
    assert contents(parse_concluding_observations(text.replace("\n", "\r\n"))) == expected


def test_it_warns_about_urgent_measures_naming_a_missing_paragraph():
    parsed = parse_concluding_observations(
        make_observations(
            "1. The Committee draws the State party’s attention to the recommendations concerning\n"
            "the following areas, in respect of which urgent measures must be taken: child\n"
            "justice (para. 9).\n"
            "2. The Committee urges the State party to end pretrial detention of children.\n"
        )
    )
    assert parsed.urgent_paragraphs == [9]
    assert [(warning.line, warning.message) for warning in parsed.warnings] == [
        (7, "the urgent measures paragraph names paragraph 9, which the document does not have"),
    ]


def test_it_warns_about_a_skipped_paragraph_number():
    parsed = parse_concluding_observations(
        make_observations(
            "1. The Committee welcomes the report.\n"
            "3. The Committee urges the State party to act.\n"
        )
    )
    assert [observation.number for observation in parsed.observations] == [1, 3]
    assert [(warning.line, warning.message) for warning in parsed.warnings] == [
        (8, "paragraph numbering jumps to 3: no paragraph 2")
    ]


def test_it_warns_about_text_before_the_first_paragraph():
    parsed = parse_concluding_observations(
        make_observations(
            "I. Introduction\nThe Committee met in Geneva.\n1. The Committee welcomes the report.\n"
        )
    )
    assert [(warning.line, warning.message) for warning in parsed.warnings] == [
        (8, "text before the first numbered paragraph was left out: “The Committee met in Geneva.”")
    ]


@pytest.mark.parametrize("text", ["", "\n \n"])
def test_it_refuses_an_empty_text(text):
    with pytest.raises(ParseError, match="the text is empty"):
        parse_concluding_observations(text)


def test_it_refuses_headings_without_paragraphs():
    with pytest.raises(ParseError, match="no numbered paragraphs found"):
        parse_concluding_observations(
            make_observations("I. Introduction\nII. Main areas of concern\n")
        )


def test_it_refuses_a_list_of_issues():
    with pytest.raises(ParseError) as error:
        parse_concluding_observations(read("loi_crc_fr.txt"))
    assert error.value.message == "looks like a list of issues, not concluding observations"


def test_it_refuses_replies_to_a_list_of_issues():
    replies = (
        "Replies of Kazakhstan to the list of issues\n"
        "Reply to paragraph 2 (a) of the list of issues\n"
        "1. The key strategic document is the policy document for children.\n"
    )
    with pytest.raises(ParseError) as error:
        parse_concluding_observations(replies)
    assert error.value.message == (
        "looks like replies to a list of issues, not concluding observations"
    )


# Real concluding observations (tests/tracker/documents/README.md names each one's source).


def test_an_excerpt_starting_at_paragraph_67_reads_from_there():
    parsed = parse_concluding_observations(read("co_crc_rwa_3-4_p19_en.txt"))
    assert parsed.symbol == "CRC/C/RWA/CO/3-4"  # from the page's running header
    assert [observation.number for observation in parsed.observations] == [67, 68, 69]
    assert by_number(parsed)[67].heading == "L. Follow-up and dissemination"
    assert by_number(parsed)[69].heading == "M. Next report"
    assert (parsed.next_report_due, parsed.next_report_label) == (datetime.date(2018, 2, 22), "5-6")


def test_dissemination_and_next_report_paragraphs_are_procedure_not_recommendations():
    parsed = parse_concluding_observations(read("co_crc_rwa_3-4_p19_en.txt"))
    # 68: "The Committee further recommends that the third and fourth periodic reports … be made
    # widely available"; 69 "urges the State party to submit its report in accordance with …".
    assert [(o.number, o.procedural) for o in parsed.observations] == [
        (67, "dissemination"), (68, "dissemination"), (69, "next report")
    ]
    assert parsed.recommendations == []


def test_numbered_group_headings_are_headings_not_paragraphs():
    parsed = parse_concluding_observations(read("co_crc_per_3_p17_en.txt"))
    assert [(o.number, o.heading, o.procedural) for o in parsed.observations] == [
        (75, "Follow-up", "follow-up"),
        (76, "Dissemination", "dissemination"),
        (77, "9. Next report", "next report"),
    ]
    assert parsed.next_report_due == datetime.date(2012, 10, 3)


def test_ratification_of_other_instruments_and_the_core_document_are_procedure():
    parsed = parse_concluding_observations(read("co_crc_geo_3_p21_en.txt"))
    assert [(o.number, o.procedural) for o in parsed.observations] == [
        (79, "ratification"), (80, "follow-up"), (81, "dissemination"), (82, "next report"),
        (83, "next report"),
    ]
    assert (parsed.next_report_due, parsed.next_report_label) == (datetime.date(2011, 7, 1), "4")


def test_recommendations_before_the_procedural_paragraphs_are_kept():
    parsed = parse_concluding_observations(read("co_crc_15_add_237_p20_en.txt"))
    assert [o.number for o in parsed.recommendations] == [80, 81]
    assert by_number(parsed)[82].procedural == "dissemination"
    assert by_number(parsed)[82].heading == "10. Dissemination of documentation"


@pytest.mark.parametrize(
    ("name", "symbol", "date", "state", "language"),
    [
        ("co_cat_prt_7_start_en.txt", "CAT/C/PRT/CO/7", datetime.date(2019, 12, 18), "Portugal", "en"),
        ("co_cat_gab_1_start_en.txt", "CAT/C/GAB/CO/1", datetime.date(2013, 1, 17), "Gabon", "en"),
        # The State on a line of its own under the title, in Spanish.
        ("co_ccpr_uzb_3_start_es.txt", "CCPR/C/UZB/CO/3", datetime.date(2010, 4, 7), "Uzbekistán",
         "es"),
    ],
)
def test_it_reads_the_header_of_other_committees(name, symbol, date, state, language):
    parsed = parse_concluding_observations(read(name))
    assert (parsed.symbol, parsed.date, parsed.state, parsed.language) == (
        symbol, date, state, language
    )
    assert parsed.warnings == []


def test_it_files_another_committees_paragraphs_under_its_headings():
    parsed = parse_concluding_observations(read("co_cat_prt_7_start_en.txt"))
    assert [(o.number, o.heading) for o in parsed.observations] == [
        (1, ""), (2, "A. Introduction"), (3, "A. Introduction"), (4, "B. Positive aspects")
    ]
    assert parsed.recommendations == []  # welcomes and appreciation only


# Invented sentences: no real document here gives each verb in each language, so one sentence
# per verb in the committees' standard wording stands for it.
@pytest.mark.parametrize(
    "sentence",
    [
        "Recalling its previous recommendations, the Committee urges the State party to act.",
        "The Committee welcomes the new law and recommends that all children be registered.",
        "The Committee calls upon the State party to repeal the law.",
        "The Committee reiterates its recommendation that the State party adopt a law.",
        "Le Comité prie instamment l’État partie d’abroger la loi.",
        "Le Comité engage l’État partie à adopter une loi.",
        "El Comité insta al Estado parte a que derogue la ley.",
        "El Comité alienta al Estado parte a que adopte una ley.",
        "Комитет настоятельно призывает государство-участник отменить закон.",
        "Комитет рекомендует государству-участнику принять закон.",
    ],
)
def test_every_recommending_verb_counts_wherever_it_stands(sentence):
    parsed = parse_concluding_observations(make_observations(f"1. The Committee met.\n2. {sentence}\n"))
    assert [observation.number for observation in parsed.recommendations] == [2]


def test_a_noun_is_not_a_recommending_verb():
    # Invented: a concern whose noun "requests" follows "the Committee".
    parsed = parse_concluding_observations(
        make_observations("1. The Committee notes that requests for asylum are rising.\n")
    )
    assert parsed.recommendations == []


# Invented: the real Spanish and Russian observations at hand stop before their last paragraphs,
# so these follow-up and next-report paragraphs are written in the committees' standard wording.
@pytest.mark.parametrize(
    ("title", "follow_up", "next_report"),
    [
        (
            "Observaciones finales sobre los informes periódicos quinto y sexto combinados de "
            "Kazajstán",
            "Se pide al Estado parte que, en un plazo de 24 meses, proporcione información sobre "
            "la aplicación de las recomendaciones formuladas en los párrafos 1 y 2.",
            "El Comité invita al Estado parte a que presente su séptimo informe periódico a más "
            "tardar el 1 de marzo de 2031.",
        ),
        (
            "Заключительные замечания по объединенным пятому и шестому периодическим докладам "
            "Казахстана",
            "Государству-участнику предлагается в течение 24 месяцев представить информацию о "
            "выполнении рекомендаций, изложенных в пунктах 1 и 2.",
            "Комитет предлагает государству-участнику представить свой седьмой периодический "
            "доклад к 1 марта 2031 года.",
        ),
    ],
)
def test_spanish_and_russian_procedural_paragraphs(title, follow_up, next_report):
    text = (
        f"CRC/C/KAZ/CO/5-6\nDistr.: General\n12 June 2026\n{title}\n"
        "1. El Comité recomienda al Estado parte que adopte una ley. Комитет рекомендует "
        "государству-участнику принять закон.\n"
        "2. El Comité insta al Estado parte a que derogue la ley.\n"
        f"3. {follow_up}\n4. {next_report}\n"
    )
    parsed = parse_concluding_observations(text)
    assert [observation.number for observation in parsed.recommendations] == [1, 2]
    assert (parsed.follow_up_paragraphs, parsed.follow_up_months) == ([1, 2], 24)
    assert parsed.next_report_due == datetime.date(2031, 3, 1)
    assert [o.procedural for o in parsed.observations] == ["", "", "follow-up", "next report"]


def test_a_follow_up_paragraph_with_a_date_gives_that_date():
    # Invented in the Human Rights Committee's standard wording (rule 75, a date, not a period).
    parsed = parse_concluding_observations(
        make_observations(
            "1. The State party should repeal the law.\n2. The State party should adopt a law.\n"
            "3. In accordance with rule 75, paragraph 1, of the Committee's rules of procedure, the "
            "State party is requested to provide, by 2 November 2027, information on the "
            "implementation of the recommendations made by the Committee in paragraphs 1 "
            "(repeal) and 2 (adoption) above.\n"
        )
    )
    assert parsed.follow_up_paragraphs == [1, 2]
    assert parsed.follow_up_by == datetime.date(2027, 11, 2)
    assert [o.number for o in parsed.recommendations] == [1, 2]
    assert parsed.observations[2].procedural == "follow-up"


def test_it_reads_french_observations_of_the_human_rights_committee():
    parsed = parse_concluding_observations(read("co_ccpr_mng_6_start_fr.txt"))
    assert (parsed.symbol, parsed.date, parsed.state, parsed.language) == (
        "CCPR/C/MNG/CO/6", datetime.date(2017, 8, 22), "Mongolie", "fr"
    )
    assert [letter for letter, _ in by_number(parsed)[3].subparagraphs] == ["a", "b", "c"]
    assert parsed.warnings == []


def test_a_text_that_lost_its_paragraph_numbers_is_refused_saying_what_to_do():
    # The web page of CRPD/C/AZE/CO/1 prints its paragraphs without their numbers.
    with pytest.raises(ParseError, match="no numbered paragraphs found .*import the PDF or Word"):
        parse_concluding_observations(read("co_crpd_aze_1_start_fr.txt"))
