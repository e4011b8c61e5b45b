import csv
import io
import uuid
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from recommendations.parsing import (
    NOTED,
    SUPPORTED,
    UHRI_COLUMNS,
    ParseError,
    SkippedRow,
    detect_format,
    iter_uhri,
    iter_upr_report,
    write_uhri_rows,
)
from recommendations.parsing.uhri import paragraph_reference

DATA = Path(__file__).parent.parent / "data"

# Rows as the UHRI export gives them: "- " before every value, one value a line, dates as
# Excel serial numbers.
CEDAW_ROW = {
    "Text": "Rural women 49.The Committee recommends that the State party ensure that rural "
    "women have access to land, credit and social services.",
    "Countries Concerned": "- Iraq",
    "Reccomending Body": "- CEDAW",
    "Document Symbol": "CEDAW/C/IRQ/CO/7",
    "Themes": "- Equality & non-discrimination\n- Discrimination against women\n"
    "- Land & property rights",
    "Affected Persons": "- Persons living in rural areas\n- Women & girls",
    "Sdgs": "- 1.4 - Equal rights to economic resources\n- 16.3 - Promote the rule of law",
    "Document Publication Date": 43780,
    "UPR Reccomending States": "",
    "UPR Position": "",
    "Type": "- Recommendation",
    "OHCHR Annotation Id": "b4288060-6633-478d-9a9a-df1978d336c3",
    "UPR Session": "",
    "Regions Concerned": "- Asia-Pacific",
    "Recommending Regions": "",
    "Date of publication on UHRI": 46125.4996282407,
}
UPR_ROW = {
    "Text": "115.8 Ratify ICRMW (Senegal, Sierra Leone, Venezuela (Bolivarian Republic of), "
    "Peru, Uruguay);",
    "Countries Concerned": "- Slovenia",
    "Reccomending Body": "- UPR",
    "Document Symbol": "A/HRC/28/15",
    "Themes": "- Acceptance of international norms\n- Migrants",
    "Affected Persons": "- Migrants",
    "Sdgs": "- 10.7 - Facilitate orderly, safe, regular and responsible migration",
    "Document Publication Date": 42000,
    "UPR Reccomending States": "- Senegal\n- Sierra Leone\n- Venezuela (Bolivarian Republic of)"
    "\n- Peru\n- Uruguay",
    "UPR Position": "- Noted",
    "Type": "- Recommendation",
    "OHCHR Annotation Id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "UPR Session": "- 20",
    "Regions Concerned": "- Eastern Europe",
    "Recommending Regions": "- Africa\n- Latin America and the Caribbean",
    "Date of publication on UHRI": 43000,
}


def make_workbook(rows, columns=UHRI_COLUMNS) -> io.BytesIO:
    # Write-only mode streams rows to the file, as a large real export is built.
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Export")
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column) for column in columns])
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def make_csv(rows, columns=UHRI_COLUMNS) -> io.BytesIO:
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(columns)
    writer.writerows([[row.get(column, "") for column in columns] for row in rows])
    return io.BytesIO(text.getvalue().encode("utf-8-sig"))  # as Excel saves "CSV UTF-8"


def parse(source, **options):
    warnings = []
    records = list(iter_uhri(source, warnings, **options))
    return records, warnings


def generated_row(number: int) -> dict:
    country = ["Kazakhstan", "Kyrgyzstan", "Côte d’Ivoire"][number % 3]
    return {
        "Text": f"{number % 150 + 1}. The Committee recommends that the State party act on "
        f"matter {number}.",
        "Countries Concerned": f"- {country}",
        "Reccomending Body": "- CRC",
        "Document Symbol": f"CRC/C/XX/CO/{number % 7}",
        "Themes": "- Children: definition; general principles; protection\n- Right to education",
        "Affected Persons": "- Children",
        "Sdgs": "- 4.1 - Free, equitable and quality primary and secondary education",
        "Document Publication Date": 42000 + number % 365,
        "Type": "- Recommendation",
        "OHCHR Annotation Id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"uhri/{number}")),
        "Regions Concerned": "- Asia-Pacific",
    }


def test_it_reads_a_treaty_body_row_field_by_field():
    [record], warnings = parse(make_workbook([CEDAW_ROW]))
    assert warnings == []
    assert record.row == 2
    assert record.state_under_review == "Iraq"
    assert record.text == CEDAW_ROW["Text"]  # kept whole
    assert record.reference == "49"
    assert record.recommending_body == "CEDAW"
    assert record.document_symbol == "CEDAW/C/IRQ/CO/7"
    assert record.themes == [
        "Equality & non-discrimination",
        "Discrimination against women",
        "Land & property rights",
    ]
    assert record.affected_groups == ["Persons living in rural areas", "Women & girls"]
    assert record.sdg_targets == ["1.4", "16.3"]
    assert record.sdg_labels == {
        "1.4": "Equal rights to economic resources",
        "16.3": "Promote the rule of law",
    }
    assert record.document_date == date(2019, 11, 11)  # Excel serial 43780
    assert record.published_on_uhri == date(2026, 4, 13)  # 46125.4996…, a date and a time
    assert record.kind == "Recommendation"
    assert record.external_id == "b4288060-6633-478d-9a9a-df1978d336c3"
    assert record.regions_concerned == ["Asia-Pacific"]
    assert record.recommending_states == []
    assert record.position == ""
    assert record.session is None


def test_it_reads_a_upr_row_with_several_recommending_states():
    [record], _ = parse(make_workbook([UPR_ROW]))
    assert record.state_under_review == "Slovenia"
    assert record.reference == "115.8"
    assert record.recommending_body == "UPR"
    assert record.recommending_states == [
        "Senegal",
        "Sierra Leone",
        "Venezuela (Bolivarian Republic of)",
        "Peru",
        "Uruguay",
    ]
    assert record.position == NOTED
    assert record.position_source == "UHRI"
    assert record.session == 20
    assert record.recommending_regions == ["Africa", "Latin America and the Caribbean"]
    assert record.document_date == date(2014, 12, 27)


def test_a_csv_in_the_same_columns_gives_the_same_records():
    from_workbook, _ = parse(make_workbook([CEDAW_ROW, UPR_ROW]))
    from_csv, warnings = parse(make_csv([CEDAW_ROW, UPR_ROW]))
    assert warnings == []
    assert from_csv == from_workbook


def test_dates_may_be_date_cells_or_text():
    rows = [
        {**UPR_ROW, "Document Publication Date": datetime(2014, 12, 10)},
        {**UPR_ROW, "Document Publication Date": "2014-12-10"},
        {**UPR_ROW, "Document Publication Date": "10 December 2014"},
        {**UPR_ROW, "Document Publication Date": "sometime in 2014"},
    ]
    records, warnings = parse(make_workbook(rows))
    assert [record.document_date for record in records] == [date(2014, 12, 10)] * 3 + [None]
    assert [str(warning) for warning in warnings] == [
        "line 5: date 'sometime in 2014' not recognised"
    ]


@pytest.mark.parametrize(
    "text, reference",
    [
        ("23. The Committee recommends that the State party:", "23"),
        ("115.1 Take further steps (Croatia);", "115.1"),
        ("23 (b) Take measures to end corporal punishment.", "23 (b)"),
        ("23. (b) Take measures to end corporal punishment.", "23 (b)"),
        ("Rural women 49.The Committee recommends", "49"),
        ("The Committee recommends that the State party ratify 2 Optional Protocols.", ""),
        ("Ratify ILO Convention No. 189.", ""),
    ],
)
def test_the_paragraph_number_that_begins_the_text_is_the_reference(text, reference):
    assert paragraph_reference(text) == reference


def test_missing_required_columns_are_all_named():
    columns = [c for c in UHRI_COLUMNS if c not in ("Text", "Countries Concerned")]
    with pytest.raises(ParseError) as error:
        parse(make_workbook([UPR_ROW], columns))
    assert error.value.message == "missing required columns: 'Text', 'Countries Concerned'"
    assert error.value.line == 1


def test_headings_spelt_right_are_accepted():
    spelt_right = {
        "Reccomending Body": "Recommending Body",
        "UPR Reccomending States": "UPR Recommending States",
    }
    columns = [spelt_right.get(column, column) for column in UHRI_COLUMNS]
    rows = [{spelt_right.get(column, column): value for column, value in UPR_ROW.items()}]
    [record], _ = parse(make_workbook(rows, columns))
    assert record.recommending_body == "UPR"
    assert len(record.recommending_states) == 5


def test_rows_without_a_state_or_text_are_skipped_and_reported_with_their_row_numbers():
    rows = [CEDAW_ROW, {**UPR_ROW, "Countries Concerned": ""}, {**UPR_ROW, "Text": " "}, UPR_ROW]
    records, warnings = parse(make_workbook(rows))
    assert [record.row for record in records] == [2, 5]
    assert [(type(w), w.line, w.message) for w in warnings] == [
        (SkippedRow, 3, "no State (Countries Concerned); row skipped"),
        (SkippedRow, 4, "no text; row skipped"),
    ]


def test_several_countries_concerned_keep_the_first_and_warn():
    row = {**CEDAW_ROW, "Countries Concerned": "- Iraq\n- Syria"}
    [record], warnings = parse(make_workbook([row]))
    assert record.state_under_review == "Iraq"
    assert [str(warning) for warning in warnings] == [
        "line 2: several countries concerned; kept 'Iraq'"
    ]


def test_an_unknown_position_is_left_blank_and_reported():
    [record], warnings = parse(make_workbook([{**UPR_ROW, "UPR Position": "- Maybe"}]))
    assert record.position == ""
    assert [str(warning) for warning in warnings] == [
        "line 2: position 'Maybe' not recognised; left blank"
    ]


def test_a_generated_workbook_of_5000_rows_is_read_row_by_row(tmp_path):
    path = tmp_path / "uhri-export.xlsx"
    path.write_bytes(make_workbook(generated_row(n) for n in range(1, 5001)).getvalue())

    warnings = []
    records = iter_uhri(path, warnings)
    first = next(records)  # available before the rest is read
    assert first.row == 2
    assert first.reference == "2"
    assert first.state_under_review == "Kyrgyzstan"

    count, checked = 1, {}
    for record in records:
        count += 1
        if record.row in (2501, 5001):
            checked[record.row] = record
    assert count == 5000
    assert warnings == []

    middle = checked[2501]  # the 2,500th recommendation
    assert middle.reference == "101"  # 2500 % 150 + 1
    assert middle.state_under_review == "Kyrgyzstan"
    assert middle.document_symbol == "CRC/C/XX/CO/1"
    assert middle.external_id == str(uuid.uuid5(uuid.NAMESPACE_URL, "uhri/2500"))
    assert middle.themes == ["Children: definition; general principles; protection",
                             "Right to education"]
    last = checked[5001]
    assert last.reference == "51"
    assert last.text == "51. The Committee recommends that the State party act on matter 5000."
    assert last.state_under_review == "Côte d’Ivoire"
    assert last.sdg_targets == ["4.1"]


def test_records_written_in_the_uhri_layout_read_back_the_same():
    report = list(iter_upr_report(DATA / "A_HRC_28_15_Working_Group_Report_Slovenia.md", []))
    report[0].position = SUPPORTED
    report[0].sdg_targets, report[0].sdg_labels = ["16.3"], {"16.3": "Promote the rule of law"}
    rows = list(write_uhri_rows(report))
    assert rows[0] == UHRI_COLUMNS
    # UHRI prints the number at the head of the text, and "- " before every listed value.
    assert rows[8][0].startswith("115.8 Ratify ICRMW (Senegal")
    assert rows[8][8] == (
        "- Senegal\n- Sierra Leone\n- Venezuela (Bolivarian Republic of)\n- Peru\n- Uruguay"
    )

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    records, warnings = parse(stream)
    assert warnings == []
    assert len(records) == 163
    for written, read in zip(report, records):
        assert read.reference == written.reference
        assert read.text == f"{written.reference} {written.text}"
        assert read.state_under_review == "Slovenia"
        assert read.recommending_body == "UPR"
        assert read.recommending_states == written.recommending_states
        assert read.session == 20
        assert read.document_symbol == "A/HRC/28/15"
        assert read.document_date == date(2014, 12, 10)
    assert records[0].position == SUPPORTED
    assert records[0].sdg_labels == {"16.3": "Promote the rule of law"}


def test_a_treaty_body_reference_is_written_with_its_full_stop():
    [record], _ = parse(make_workbook([{**CEDAW_ROW, "Text": "The Committee recommends."}]))
    record.reference = "23"
    assert list(write_uhri_rows([record]))[1][0] == "23. The Committee recommends."


def test_an_old_xls_workbook_is_refused():
    with pytest.raises(ParseError, match="old Excel .xls workbooks cannot be read"):
        parse(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512))


def test_a_word_file_is_refused():
    with pytest.raises(ParseError, match="not an Excel .xlsx workbook"):
        parse(DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx")


def test_a_truncated_workbook_is_refused():
    data = make_workbook([UPR_ROW] * 50).getvalue()
    with pytest.raises(ParseError, match="not an Excel .xlsx workbook"):
        parse(io.BytesIO(data[: len(data) // 2]))


def test_an_empty_file_is_refused():
    with pytest.raises(ParseError, match="the file is empty"):
        parse(io.BytesIO(b""))


def test_a_workbook_with_only_its_heading_row_is_refused():
    with pytest.raises(ParseError, match="no rows under the heading row"):
        parse(make_workbook([]))


def test_detect_format_recognises_uhri_exports():
    assert detect_format("export.xlsx", make_workbook([UPR_ROW]).getvalue()[:2048]) == "uhri"
    assert detect_format("export.csv", make_csv([UPR_ROW]).getvalue()[:2048]) == "uhri"
    assert detect_format("notes.txt", b"Nothing to see") is None


def test_a_cell_escaped_against_formulas_reads_back_as_its_value():
    from recommendations.parsing.common import cell_text

    # Our own UHRI export writes "'- Children" so spreadsheets do not take it for a formula.
    assert cell_text(["'- Children\n- Women"], {"Affected Persons": 0}, "Affected Persons") == "- Children\n- Women"
    assert cell_text(["'tis"], {"Text": 0}, "Text") == "'tis"
