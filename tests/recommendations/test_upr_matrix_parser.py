import io
from collections import Counter
from pathlib import Path

import docx
import pytest

from recommendations.parsing import (
    NOTED,
    SUPPORTED,
    SUPPORTED_IN_PART,
    ParseError,
    SkippedRow,
    detect_format,
    iter_upr_matrix,
    iter_upr_report,
)

DATA = Path(__file__).parent.parent / "data"
SAMPLE = DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx"
REPORT = DATA / "A_HRC_28_15_Working_Group_Report_Slovenia.md"


def parse(source, **options):
    warnings = []
    records = list(iter_upr_matrix(source, warnings, **options))
    return records, warnings


@pytest.fixture(scope="module")
def sample():
    return parse(SAMPLE)


def by_reference(records):
    return {record.reference: record for record in records}


def saved(document) -> io.BytesIO:
    stream = io.BytesIO()
    document.save(stream)
    stream.seek(0)
    return stream


def make_recent_list(path: Path, rows: list[list[str]]) -> Path:
    """A thematic list in the fourth cycle's layout, with its own SDG column."""
    document = docx.Document()
    table = document.add_table(rows=0, cols=4)
    for values in [
        [
            "Recommendation and recommending State",
            "Position of the State under review",
            "Human rights themes and groups of persons",
            "Relevant SDGs",
        ],
        *rows,
    ]:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = value
    document.save(path)
    return path


def test_it_reads_the_163_recommendations_of_the_sample(sample):
    records, warnings = sample
    assert len(records) == 163
    assert sorted(record.reference for record in records) == sorted(
        f"115.{n}" for n in range(1, 164)
    )
    assert warnings == []


def test_it_counts_142_supported_and_21_noted(sample):
    positions = Counter(record.position for record in sample[0])
    assert positions[SUPPORTED] == 142
    assert positions[NOTED] == 21
    assert len(positions) == 2


def test_it_reads_the_state_and_session_from_the_page_header(sample):
    # "UPR of Slovenia (2nd Cycle – 20th session)"
    assert {record.state_under_review for record in sample[0]} == {"Slovenia"}
    assert {record.session for record in sample[0]} == {20}


def test_it_reads_one_row_field_by_field(sample):
    record = by_reference(sample[0])["115.2"]
    assert record.row == 6  # the table's heading row is row 1, then a theme heading row
    # As printed in the list, which lost two spaces the report has ("to article 8").
    assert record.text == (
        "Expedite the process of ratification of the amendment toarticle8 of the International "
        "Convention on the Elimination of All Forms of Racial Discrimination (Belgium)"
    )
    assert record.recommending_states == ["Belgium"]
    assert record.recommending_body == "UPR"
    assert record.position == SUPPORTED
    assert record.position_source == "A/HRC/28/15/Add.1 - Para. 3"
    assert record.document_symbol == "A/HRC/28/15"
    # The second cycle's theme codes ("A12", "B32", "G1") are dropped.
    assert record.themes == [
        "Acceptance of international norms",
        "Racial discrimination",
        "Members of minorities",
    ]
    assert record.affected_groups == [
        "minorities/ racial, ethnic, linguistic, religious or descent-based groups"
    ]
    assert record.sdg_targets == []


def test_it_reads_a_noted_recommendation_and_its_source(sample):
    record = by_reference(sample[0])["115.17"]
    assert record.position == NOTED
    assert record.position_source == "A/HRC/28/15/Add.1 - Para. 5"
    assert record.recommending_states == ["Hungary"]
    assert record.themes == [
        "Acceptance of international norms",
        "Rights related to name, identity, nationality",
    ]
    assert record.affected_groups == ["general"]


def test_it_reads_several_recommending_states_even_without_a_space_after_the_comma(sample):
    # Printed "(Senegal, Sierra Leone, Venezuela (Bolivarian Republic of),Peru, Uruguay)".
    assert by_reference(sample[0])["115.8"].recommending_states == [
        "Senegal",
        "Sierra Leone",
        "Venezuela (Bolivarian Republic of)",
        "Peru",
        "Uruguay",
    ]
    assert by_reference(sample[0])["115.38"].recommending_states == ["Egypt", "Peru", "Azerbaijan"]


def test_it_reads_several_groups_of_persons(sample):
    assert by_reference(sample[0])["115.161"].affected_groups == [
        "minorities/ racial, ethnic, linguistic, religious or descent-based groups",
        "non-citizens",
        "stateless persons",
    ]
    assert by_reference(sample[0])["115.161"].position_source == (
        "A/HRC/28/15/Add.1, para. 3 - Para. 3"
    )


def test_it_gives_the_report_s_numbers_state_and_session_so_the_two_can_be_merged(sample):
    # The importer matches the list and the report on (session, State, number).
    report = list(iter_upr_report(REPORT, []))
    keys = {(r.session, r.state_under_review, r.reference) for r in sample[0]}
    assert keys == {(r.session, r.state_under_review, r.reference) for r in report}
    assert len(keys) == 163
    in_report = by_reference(report)
    for record in sample[0]:
        assert [state.lower() for state in record.recommending_states] == [
            state.lower() for state in in_report[record.reference].recommending_states
        ]
    assert by_reference(sample[0])["115.1"].text == in_report["115.1"].text


def test_state_and_session_can_be_given():
    records, _ = parse(SAMPLE, state="Republic of Slovenia", session=21)
    assert {(record.state_under_review, record.session) for record in records} == {
        ("Republic of Slovenia", 21)
    }


def test_a_row_without_its_recommendation_is_skipped_and_reported_with_its_row_number():
    document = docx.Document(SAMPLE)
    row = document.tables[0].rows[5]
    assert row.cells[0].text.startswith("115.2 ")
    row.cells[0].text = ""
    records, warnings = parse(saved(document))
    assert len(records) == 162
    assert [(type(w), w.line, w.message) for w in warnings] == [
        (SkippedRow, 6, "no recommendation text; row skipped")
    ]


def test_a_row_without_a_number_or_a_known_position_is_reported():
    document = docx.Document(SAMPLE)
    row = document.tables[0].rows[2]
    row.cells[0].text = "Take steps (Croatia);\nSource of position: A/HRC/28/15/Add.1 - Para. 3"
    row.cells[1].text = "Undecided"
    records, warnings = parse(saved(document))
    assert records[0].reference == ""
    assert records[0].position == ""
    assert [str(warning) for warning in warnings] == [
        "line 3: the recommendation has no number (such as 115.1)",
        "line 3: position 'Undecided' not recognised; left blank",
    ]


def test_a_document_without_a_table_is_refused():
    document = docx.Document()
    document.add_paragraph("115.1 Ratify ICRMW (Senegal);")
    with pytest.raises(ParseError, match="the document has no table"):
        parse(saved(document))


def test_a_table_without_recommendation_and_position_columns_is_refused():
    document = docx.Document()
    document.add_table(rows=2, cols=2).rows[0].cells[0].text = "Name"
    with pytest.raises(ParseError, match="no table with \"Recommendation\" and \"Position\""):
        parse(saved(document))


def test_a_truncated_copy_is_refused():
    with pytest.raises(ParseError, match="not a Word .docx document"):
        parse(io.BytesIO(SAMPLE.read_bytes()[:30_000]))


def test_a_list_without_state_is_refused_unless_given(tmp_path):
    path = make_recent_list(tmp_path / "list.docx", [])
    with pytest.raises(ParseError, match="the State under review was not found"):
        parse(path)


def test_it_reads_the_fourth_cycle_layout_with_its_sdg_column(tmp_path):
    path = make_recent_list(
        tmp_path / "UPR48_Slovenia_ThematicListRecommendations_E.docx",
        [
            ["Theme: Ratification of & accession to international instruments"] * 4,
            [
                "140.7 Ratify the Optional Protocol to the International Covenant on Economic, "
                "Social and Cultural Rights (Maldives) (Portugal);\n"
                "Source of Position: A/HRC/59/15/Add.1 - Para.3",
                "Supported in part",
                "- Ratification of & accession to international instruments\n"
                "- Economic, social & cultural rights - general measures of implementation\n"
                "Groups of Persons: \n- Public officials",
                "- 1 - NO POVERTY\n- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS",
            ],
        ],
    )
    records, warnings = parse(path)
    assert warnings == []
    [record] = records
    assert record.row == 3
    assert record.state_under_review == "Slovenia"  # from the file name
    assert record.session == 48
    assert record.reference == "140.7"
    assert record.recommending_states == ["Maldives", "Portugal"]
    assert record.position == SUPPORTED_IN_PART
    assert record.position_source == "A/HRC/59/15/Add.1 - Para.3"
    assert record.document_symbol == "A/HRC/59/15"
    assert record.themes == [
        "Ratification of & accession to international instruments",
        "Economic, social & cultural rights - general measures of implementation",
    ]
    assert record.affected_groups == ["Public officials"]
    assert record.sdg_targets == ["1", "16"]
    assert record.sdg_labels == {"1": "NO POVERTY", "16": "PEACE, JUSTICE AND STRONG INSTITUTIONS"}


def test_detect_format_recognises_the_sample():
    assert detect_format(SAMPLE.name, SAMPLE.read_bytes()[:2048]) == "upr-matrix"
