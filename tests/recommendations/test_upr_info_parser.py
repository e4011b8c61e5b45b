import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from recommendations.parsing import (
    NOTED,
    SUPPORTED,
    ParseError,
    SkippedRow,
    detect_format,
    iter_upr_info,
)
from recommendations.parsing.common import detect_encoding

SAMPLE = Path(__file__).parent.parent / "data" / "upr-info-export-sessions-01-05.csv"


def parse(source, **options):
    warnings = []
    records = list(iter_upr_info(source, warnings, **options))
    return records, warnings


@pytest.fixture(scope="module")
def sample():
    return parse(SAMPLE)


def sample_text() -> str:
    # The sample is Mac OS Roman with bare CR line endings (see the detection test).
    return SAMPLE.read_bytes().decode("mac_roman")


def copy_of_sample(text: str, encoding: str = "mac_roman") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def without_column(text: str, *names: str) -> str:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    keep = [index for index, name in enumerate(rows[0]) if name not in names]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r").writerows([[row[i] for i in keep] for row in rows])
    return out.getvalue()


def test_it_reads_every_recommendation_of_the_sample(sample):
    records, warnings = sample
    assert len(records) == 6094
    assert len({record.state_under_review for record in records}) == 80
    assert not [warning for warning in warnings if isinstance(warning, SkippedRow)]


def test_it_counts_accepted_as_supported_and_noted_as_noted(sample):
    records, _ = sample
    positions = Counter(record.position for record in records)
    assert positions[SUPPORTED] == 4087
    assert positions[NOTED] == 2007
    assert len(positions) == 2


def test_it_counts_recommendations_by_session(sample):
    records, _ = sample
    sessions = Counter(record.session for record in records)
    assert sessions[1] == 430
    assert sessions[2] == 855
    assert sessions[3] == 1335
    assert sessions[4] == 1804
    assert sessions[5] == 1670
    assert len(sessions) == 5


def test_it_reads_the_first_row_field_by_field(sample):
    record = sample[0][0]
    assert record.row == 2  # the header is row 1
    assert record.state_under_review == "Afghanistan"
    assert record.text == (
        "Enact legislation and take effective measures to protect and promote women's rights, "
        "especially with regard to forced marriages, honour killings and access to education "
        "for all girls."
    )
    assert record.recommending_states == ["Austria"]
    assert record.recommending_body == "UPR"
    assert record.position == SUPPORTED
    assert record.position_source == "UPR Info"
    assert record.action_category == 5
    assert record.themes == ["Rights of the Child", "Women's rights"]
    assert record.session == 5
    assert record.regions_concerned == ["Asia"]
    assert record.organisations_concerned == ["OIC"]
    assert record.recommending_regions == ["WEOG"]
    assert record.recommending_organisations == ["EU"]
    assert record.reference == ""  # UPR Info does not keep the report's numbers


def test_it_reads_the_last_row_with_its_comma_joined_organisations(sample):
    record = sample[0][-1]
    assert record.row == 6095
    assert record.state_under_review == "Zambia"
    assert record.organisations_concerned == ["AU", "Commonwealth"]
    assert record.recommending_states == ["Ireland"]
    assert record.position == NOTED
    assert record.action_category == 2
    assert record.session == 2


def test_it_detects_that_the_sample_is_mac_os_roman():
    # Only five bytes in 1.5 MB are not ASCII (0x8E é, 0x8F è) and the lines end in a bare CR,
    # as Excel for Mac writes its "CSV" files.
    with SAMPLE.open("rb") as stream:
        assert detect_encoding(stream) == "mac_roman"
        assert stream.tell() == 0


def test_accented_letters_of_the_sample_come_out_right(sample):
    records, _ = sample
    habre = [record for record in records if "Habr" in record.text]
    assert len(habre) == 2
    assert all("Mr. Hissène Habré to justice" in record.text for record in habre)
    assert any("Instance Equité - Reconciliation" in record.text for record in records)


def test_an_accented_state_name_comes_out_right():
    # The sample spells "Cote d'Ivoire" without its accent; a copy spelt right, in the same
    # encoding and line endings, must decode to the proper name.
    text = sample_text().replace("Cote d'Ivoire", "Côte d'Ivoire")
    records, _ = parse(copy_of_sample(text))
    states = Counter(state for record in records for state in record.recommending_states)
    assert states["Côte d'Ivoire"] == 13
    assert states["Cote d'Ivoire"] == 0


def test_a_windows_1252_copy_with_crlf_line_endings_is_detected():
    text = (
        sample_text()
        .replace("\r", "\r\n")
        .replace("Cote d'Ivoire", "Côte d'Ivoire")
        .replace("Cape Verde,", "São Tomé and Príncipe,")
    )
    records, _ = parse(copy_of_sample(text, "cp1252"))
    assert "Côte d'Ivoire" in {state for record in records for state in record.recommending_states}
    assert "São Tomé and Príncipe" in {record.state_under_review for record in records}
    assert len(records) == 6094


def test_a_utf8_copy_with_a_byte_order_mark_is_detected():
    text = sample_text().replace("Cote d'Ivoire", "Côte d'Ivoire")
    records, _ = parse(copy_of_sample("\ufeff" + text, "utf-8"))
    assert records[0].state_under_review == "Afghanistan"  # "To" is found despite the mark
    assert "Côte d'Ivoire" in {state for record in records for state in record.recommending_states}


def test_an_explicit_encoding_overrides_detection():
    records, _ = parse(SAMPLE, encoding="cp1250")
    # Central European Windows reads 0x8F 0x8E as Ź and Ž: proof the override was used.
    assert any("HissŹne HabrŽ" in record.text for record in records)


def test_an_encoding_the_file_is_not_in_is_refused():
    with pytest.raises(ParseError, match="not valid utf-8 text"):
        parse(SAMPLE, encoding="utf-8")


def test_an_unknown_encoding_name_is_refused():
    with pytest.raises(ParseError, match="unknown text encoding 'klingon'"):
        parse(SAMPLE, encoding="klingon")


def test_an_unknown_recommending_state_is_left_out_and_reported(sample):
    records, warnings = sample
    # Row 2497 gives "&#40;Unknown&#41;", HTML for "(Unknown)", as its recommending State.
    record = next(record for record in records if record.row == 2497)
    assert record.state_under_review == "Indonesia"
    assert record.recommending_states == []
    assert record.recommending_regions == []
    assert [str(warning) for warning in warnings if warning.line == 2497] == [
        "line 2497: the recommending State is not known"
    ]
    assert len(warnings) == 9


def test_a_missing_response_column_is_named():
    with pytest.raises(ParseError) as error:
        parse(copy_of_sample(without_column(sample_text(), "Response")))
    assert error.value.message == "missing required columns: 'Response'"
    assert error.value.line == 1


def test_every_missing_required_column_is_named():
    with pytest.raises(ParseError) as error:
        parse(copy_of_sample(without_column(sample_text(), "To", "Session")))
    assert error.value.message == "missing required columns: 'To', 'Session'"


def test_a_row_with_empty_text_is_skipped_and_reported_with_its_row_number():
    lines = sample_text().split("\r")
    assert lines[4].startswith("Afghanistan,Asia,OIC,Submit its delayed reports")
    lines[4] = "Afghanistan,Asia,OIC,,Czech Republic,EEG,EU,Accepted,5,Treaty bodies,5"
    lines[9] = ",Asia,OIC,Some text,Norway,WEOG,,Accepted,5,Justice,5"
    records, warnings = parse(copy_of_sample("\r".join(lines)))
    assert len(records) == 6092
    skipped = [warning for warning in warnings if isinstance(warning, SkippedRow)]
    assert [(warning.line, warning.message) for warning in skipped] == [
        (5, "no text; row skipped"),
        (10, "no State under review (To); row skipped"),
    ]


def test_a_truncated_copy_reports_its_cut_last_row():
    data = SAMPLE.read_bytes()[:100_000]  # ends in the middle of a row
    records, warnings = parse(io.BytesIO(data))
    skipped = [warning for warning in warnings if isinstance(warning, SkippedRow)]
    assert len(skipped) == 1
    assert skipped[0].line == len(records) + 2
    assert "cut short" in skipped[0].message


def test_a_bad_action_category_or_session_is_reported():
    lines = sample_text().split("\r")
    lines[1] = lines[1][: lines[1].rindex(",Accepted")] + ",Accepted,7,Justice,five"
    records, warnings = parse(copy_of_sample("\r".join(lines)))
    assert records[0].action_category is None
    assert records[0].session is None
    assert [str(warning) for warning in warnings if warning.line == 2] == [
        "line 2: session 'five' is not a number",
        "line 2: action category '7' is not 1 to 5",
    ]


def test_an_unrecognised_response_is_left_blank_and_reported():
    lines = sample_text().split("\r")
    lines[1] = lines[1].replace(",Accepted,", ",Maybe later,")
    records, warnings = parse(copy_of_sample("\r".join(lines)))
    assert records[0].position == ""
    assert str(warnings[0]) == "line 2: position 'Maybe later' not recognised; left blank"


def test_an_empty_file_is_refused():
    with pytest.raises(ParseError, match="the file is empty"):
        parse(io.BytesIO(b""))


def test_a_file_with_only_its_heading_row_is_refused():
    with pytest.raises(ParseError, match="no rows under the heading row"):
        parse(io.BytesIO(sample_text().split("\r")[0].encode()))


def test_a_word_file_is_refused():
    docx = SAMPLE.with_name("UPR20_Slovenia_ThematicListRecommendations_E.docx")
    with pytest.raises(ParseError, match="a UPR Info export is a CSV file"):
        parse(docx)


def test_it_reads_an_upload_and_leaves_it_open():
    upload = io.BytesIO(SAMPLE.read_bytes())
    records, _ = parse(upload)
    assert len(records) == 6094
    assert not upload.closed


def test_it_yields_records_before_reading_the_whole_file():
    warnings = []
    records = iter_upr_info(SAMPLE, warnings)
    assert next(records).row == 2
    records.close()


def test_detect_format_recognises_the_sample():
    assert detect_format(SAMPLE.name, SAMPLE.read_bytes()[:2048]) == "upr-info"
