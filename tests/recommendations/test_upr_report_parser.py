import io
from datetime import date
from pathlib import Path

import pytest

from recommendations.parsing import (
    NOTED,
    SUPPORTED,
    ParseError,
    detect_format,
    iter_upr_report,
)

SAMPLE = Path(__file__).parent.parent / "data" / "A_HRC_28_15_Working_Group_Report_Slovenia.md"


def parse(source, **options):
    warnings = []
    records = list(iter_upr_report(source, warnings, **options))
    return records, warnings


def text_source(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


@pytest.fixture(scope="module")
def sample():
    return parse(SAMPLE)


def by_reference(records):
    return {record.reference: record for record in records}


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def test_it_reads_recommendations_115_1_to_115_163_in_order(sample):
    records, warnings = sample
    assert len(records) == 163
    assert [record.reference for record in records] == [f"115.{n}" for n in range(1, 164)]
    assert warnings == []


def test_it_reads_the_report_symbol_state_session_and_date(sample):
    records, _ = sample
    assert {record.document_symbol for record in records} == {"A/HRC/28/15"}
    assert {record.state_under_review for record in records} == {"Slovenia"}
    # "held its twentieth session": the Working Group's, not the Council's twenty-eighth.
    assert {record.session for record in records} == {20}
    assert {record.document_date for record in records} == {date(2014, 12, 10)}


def test_it_reads_the_first_recommendation_field_by_field(sample):
    record = sample[0][0]
    assert record.row == 629
    assert record.reference == "115.1"
    assert record.text == (
        "Take further steps for the ratification of several international treaties in the field "
        "of human rights that were signed by Slovenia since the first UPR cycle (Croatia)"
    )
    assert record.recommending_states == ["Croatia"]
    assert record.recommending_body == "UPR"
    assert record.kind == "Recommendation"
    # The report leaves the positions for later ("will be examined by Slovenia").
    assert record.position == ""
    assert record.position_source == ""


def test_it_reads_the_last_recommendation_which_ends_the_list_with_a_full_stop(sample):
    record = sample[0][-1]
    assert record.reference == "115.163"
    assert record.text == (
        "Establish conventions that will guarantee the non-violation of migrants’ rights (Nigeria)."
    )
    assert record.recommending_states == ["Nigeria"]


def test_it_reads_several_recommending_states_in_one_bracket(sample):
    record = by_reference(sample[0])["115.8"]
    assert record.recommending_states == [
        "Senegal",
        "Sierra Leone",
        "Venezuela (Bolivarian Republic of)",
        "Peru",
        "Uruguay",
    ]
    assert record.text == (
        "Ratify ICRMW (Senegal, Sierra Leone, Venezuela (Bolivarian Republic of), Peru, Uruguay)"
    )


def test_it_reads_the_states_of_a_recommendation_merged_from_several(sample):
    record = by_reference(sample[0])["115.124"]
    assert record.recommending_states == ["Armenia", "Costa Rica", "Uzbekistan", "Azerbaijan"]
    assert record.text.startswith(
        "Continue the efforts directed towards combating trafficking in human beings (Armenia); "
        "continue its efforts to combat trafficking in persons"
    )


def test_a_bracket_inside_the_text_is_not_a_recommending_state(sample):
    record = by_reference(sample[0])["115.6"]
    assert record.recommending_states == ["Iran (Islamic Republic of)"]  # not "ICRMW"
    record = by_reference(sample[0])["115.106"]
    assert record.recommending_states == ["netherlands", "Bahrain"]  # as printed; not "2009–2014"


def test_an_accented_state_name_comes_out_right(sample):
    assert by_reference(sample[0])["115.54"].recommending_states == ["Côte d’Ivoire"]


def test_a_recommendation_wrapped_over_a_page_break_and_a_footnote_is_whole(sample):
    # 115.12 is followed by the "**" footnote, the page number and the running symbol.
    record = by_reference(sample[0])["115.12"]
    assert record.text == (
        "Ratify the International Convention on the Rights of Migrant Workers and Members of "
        "their Family, based on the facts that the national report indicates in paragraph 98 "
        "that it is currently under examination (Egypt)"
    )
    following = by_reference(sample[0])["115.13"]
    assert following.text == "Continue its efforts to ratify ICRMW (Indonesia)"


def test_wrapped_lines_are_joined_with_one_space_and_hyphens_kept(sample):
    records = by_reference(sample[0])
    assert records["115.51"].text == (
        "Take the necessary measures to effectively fight against discrimination by public and "
        "private actors (Belgium)"
    )
    assert "its Inter-Ministerial Working Group" in records["115.127"].text


def test_state_and_session_can_be_given():
    records, _ = parse(SAMPLE, state="Republic of Slovenia", session=21)
    assert {(record.state_under_review, record.session) for record in records} == {
        ("Republic of Slovenia", 21)
    }


def test_a_report_without_the_conclusions_section_is_refused():
    text = sample_text().replace("II. Conclusions and/or recommendations**", "II. Something else")
    with pytest.raises(ParseError, match="no \"Conclusions and/or recommendations\" section"):
        parse(text_source(text))


def test_a_report_without_its_state_is_refused_unless_given():
    text = sample_text().replace("The review of Slovenia was held", "It was held")
    with pytest.raises(ParseError, match="the State under review was not found"):
        parse(text_source(text))
    records, _ = parse(text_source(text), state="Slovenia")
    assert len(records) == 163


def test_a_truncated_report_keeps_what_it_has_and_reports_the_cut_recommendation():
    text = sample_text()
    text = text[: text.index("implemented without") + len("implemented without")]
    records, warnings = parse(text_source(text))
    assert len(records) == 101
    assert records[-1].reference == "115.101"
    assert records[-1].recommending_states == []
    assert [str(warning) for warning in warnings] == [
        f"line {records[-1].row}: 115.101: no recommending State found"
    ]


def test_a_missing_recommendation_is_reported():
    text = sample_text()
    start = text.index("115.50    Adopt policies")
    text = text[:start] + text[text.index("115.51   Take") :]
    records, warnings = parse(text_source(text))
    assert len(records) == 162
    assert [(warning.message) for warning in warnings] == [
        "115.51 follows 115.49: recommendations are missing or unreadable"
    ]


def test_a_wrapped_line_that_begins_with_a_number_stays_in_the_text():
    text = sample_text().replace(
        "115.2    Expedite the process of ratification of the amendment to article 8 of",
        "115.2    Expedite the process of ratification of the amendment to article\n8.2 of",
    )
    records, _ = parse(text_source(text))
    assert len(records) == 163
    assert "amendment to article 8.2 of the International" in by_reference(records)["115.2"].text


def test_positions_come_from_the_paragraph_that_introduces_the_recommendations():
    # Later reports split the list by position; this is how they word it.
    text = """
        A/HRC/43/15
        Distr.: General 2 January 2020
        1. The Working Group on the Universal Periodic Review held its thirty-fourth session
        from 4 to 15 November 2019. The review of Slovenia was held at the 2nd meeting.
        II. Conclusions and/or recommendations
        121. The following recommendations have been examined by and enjoy the support of
        Slovenia:
            121.1 Ratify the Convention on enforced disappearance (France) (Lithuania);
            121.2 Ratify the International Convention on the Protection of the Rights of All
            Migrant Workers (ICRMW) (Iran (Islamic Republic of));
        122. The following recommendations will be noted by Slovenia:
            122.1 Ratify the Istanbul Convention (Istanbul Convention) (Turkey).
        123. All conclusions and/or recommendations contained in the present report reflect
        the position of the submitting State(s).
    """
    records, warnings = parse(text_source(text))
    assert warnings == []
    assert [(r.reference, r.position, r.position_source) for r in records] == [
        ("121.1", SUPPORTED, "A/HRC/43/15 - Para. 121"),
        ("121.2", SUPPORTED, "A/HRC/43/15 - Para. 121"),
        ("122.1", NOTED, "A/HRC/43/15 - Para. 122"),
    ]
    assert records[0].session == 34
    assert records[0].document_date == date(2020, 1, 2)
    # Recent lists put each recommending State in its own brackets.
    assert records[0].recommending_states == ["France", "Lithuania"]
    assert records[1].recommending_states == ["Iran (Islamic Republic of)"]
    assert records[2].recommending_states == ["Turkey"]


def test_an_empty_file_is_refused():
    with pytest.raises(ParseError, match="the file is empty"):
        parse(io.BytesIO(b"  \n\n"))


def test_a_word_file_that_is_not_a_report_is_refused():
    # The thematic list is read as a Word document, and is no Working Group report.
    docx = SAMPLE.with_name("UPR20_Slovenia_ThematicListRecommendations_E.docx")
    with pytest.raises(ParseError, match="the State under review was not found"):
        parse(docx)


def test_the_report_read_from_its_pdf_gives_the_same_recommendations_as_its_text():
    from_text, _ = parse(SAMPLE)
    from_pdf, warnings = parse(SAMPLE.with_suffix(".pdf"))

    assert warnings == []
    assert [r.reference for r in from_pdf] == [r.reference for r in from_text]
    assert [r.recommending_states for r in from_pdf] == [r.recommending_states for r in from_text]


def test_detect_format_recognises_the_sample():
    assert detect_format(SAMPLE.name, SAMPLE.read_bytes()[:2048]) == "upr-report"
