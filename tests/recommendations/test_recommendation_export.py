import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import exports
from recommendations.models import AffectedGroup, Recommendation, SustainableDevelopmentGoal, Theme
from recommendations.parsing.uhri import UHRI_COLUMNS, iter_uhri
from tests.helpers import make_cycle, make_recommendation
from tracker.models import Country

pytestmark = pytest.mark.django_db

CSV_URL = reverse("recommendations:export-csv")
XLSX_URL = reverse("recommendations:export-xlsx")
UHRI_URL = reverse("recommendations:export-uhri")


def download(client, url: str, params: dict | None = None) -> bytes:
    response = client.get(url, params or {})
    assert response.status_code == 200
    # Streamed, never built in memory as a whole.
    assert isinstance(response, StreamingHttpResponse)
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row)) for row in rows]


@pytest.fixture
def recommendations():
    crc = make_cycle("KAZ", "CRC", "5-6")
    violence = make_recommendation(
        crc, reference="27 (a)", text="Prevent violence against children.", urgent=True,
        date=datetime.date(2015, 10, 30),
    )
    violence.themes.add(Theme.objects.get(code="A13"))
    violence.goals.add(SustainableDevelopmentGoal.objects.get(code="16.2"))
    violence.affected_groups.add(AffectedGroup.objects.get(code="girls"))
    make_recommendation(crc, reference="33", text="Allocate a budget to children.")
    upr = make_recommendation(
        make_cycle("KAZ", "UPR", "3"), reference="140.7", text="Ratify the Optional Protocol.",
        position=Recommendation.Position.SUPPORTED, upr_session=34,
    )
    upr.recommending_states.add(Country.objects.get(code="FRA"), Country.objects.get(code="BRA"))
    make_recommendation(make_cycle("KAZ", "CRC", "3-4", is_current=False), reference="past")
    return violence, upr


def test_the_csv_holds_exactly_the_filtered_rows(client, recommendations):
    rows = csv_rows(download(client, CSV_URL, {"mechanism": "CRC"}))
    assert [row["Paragraph"] for row in rows] == ["27 (a)", "33"]
    violence = rows[0]
    assert violence["Country"] == "Kazakhstan"
    assert violence["Text"] == "Prevent violence against children."
    assert violence["Urgent measures"] == "True"
    assert violence["Date issued"] == "2015-10-30"
    assert violence["Themes"] == "Reservations"
    assert violence["Sustainable Development Goals"] == "16.2"
    assert violence["Affected groups"] == "Girls"


def test_the_export_holds_all_matching_rows_not_the_page(client):
    crc = make_cycle("KAZ", "CRC", "5-6")
    Recommendation.objects.bulk_create(
        Recommendation(cycle=crc, country=crc.country, mechanism=crc.mechanism, reference=str(n),
                       order=n, text=f"Recommendation {n}.")
        for n in range(130)
    )
    rows = csv_rows(download(client, CSV_URL, {"per_page": 25, "page": 2}))
    assert [row["Paragraph"] for row in rows] == [str(n) for n in range(130)]


def test_the_export_honours_current_cycles_only_and_its_switch(client, recommendations):
    assert "past" not in {row["Paragraph"] for row in csv_rows(download(client, CSV_URL))}
    assert "past" in {row["Paragraph"] for row in csv_rows(download(client, CSV_URL, {"current": "0"}))}


def test_the_xlsx_holds_exactly_the_filtered_rows(client, recommendations):
    response = client.get(XLSX_URL, {"recommending_state": "FRA"})
    assert isinstance(response, FileResponse)
    rows = xlsx_rows(b"".join(response.streaming_content))
    assert len(rows) == 1
    assert rows[0]["Paragraph"] == "140.7"
    assert rows[0]["Recommending States"] == "Brazil; France"
    assert rows[0]["UPR session"] == 34
    assert rows[0]["Urgent measures"] is False


def test_the_uhri_layout_has_the_uhri_columns_and_values(client, recommendations):
    content = download(client, UHRI_URL, {"mechanism": "UPR"})
    assert next(csv.reader(io.StringIO(content.decode("utf-8-sig")))) == UHRI_COLUMNS
    [row] = csv_rows(content)
    assert row["Text"] == "140.7 Ratify the Optional Protocol."
    # UHRI writes each value of a cell on its own line after "- "; a spreadsheet would take the
    # leading "-" for a formula, so those cells carry the apostrophe too.
    assert row["Countries Concerned"] == "'- Kazakhstan"
    assert row["UPR Reccomending States"] == "'- Brazil\n- France"
    assert row["UPR Position"] == "'- Supported"
    assert row["UPR Session"] == "34"


def test_the_uhri_layout_without_formula_prefixes_reads_back_with_the_uhri_reader(client):
    crc = make_cycle("KAZ", "CRC", "5-6")
    make_recommendation(crc, reference="23 (b)", text="Take measures.", external_id="abc-1")
    content = download(client, UHRI_URL)
    unquoted = content.decode("utf-8-sig").replace(",'- ", ",- ").encode()
    [record] = list(iter_uhri(io.BytesIO(unquoted), []))
    assert (record.state_under_review, record.reference, record.recommending_body) == (
        "Kazakhstan", "23 (b)", "CRC"
    )
    assert record.external_id == "abc-1"


def test_formulas_are_neutralised_in_csv_and_xlsx(client):
    crc = make_cycle("KAZ", "CRC", "5-6")
    for reference, text in [("1", '=HYPERLINK("http://evil.example","x")'), ("2", "+1+1"),
                            ("3", "-2+3+cmd|' /C calc'!A0"), ("4", "@SUM(A1)")]:
        make_recommendation(crc, reference=reference, text=text)
    texts = [row["Text"] for row in csv_rows(download(client, CSV_URL))]
    # The leading apostrophe makes a spreadsheet show the cell as text, never run it.
    assert texts == ['\'=HYPERLINK("http://evil.example","x")', "'+1+1", "'-2+3+cmd|' /C calc'!A0",
                     "'@SUM(A1)"]
    uhri_cells = [value for row in csv_rows(download(client, UHRI_URL)) for value in row.values()]
    assert not [value for value in uhri_cells if value.startswith(("=", "+", "-", "@"))]

    response = client.get(XLSX_URL)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    cells = [row[6] for row in sheet.iter_rows(min_row=2)]
    # In a workbook, the same protection is a text cell with Excel's quote prefix: what Excel
    # stores when someone types the apostrophe. It is never a formula.
    assert [cell.data_type for cell in cells] == ["s"] * 4
    assert all(cell.quotePrefix for cell in cells)
    assert cells[0].value == '=HYPERLINK("http://evil.example","x")'


def test_invalid_filters_lead_back_to_the_list_with_its_errors(client, recommendations):
    response = client.get(CSV_URL, {"date_from": "not a date"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('recommendations:list')}?date_from=not+a+date"


@pytest.mark.parametrize("size", [3, 30])
def test_exports_read_the_rows_in_chunks_not_one_query_per_row(client, size, django_assert_max_num_queries):
    crc = make_cycle("KAZ", "CRC", "5-6")
    theme = Theme.objects.get(code="A13")
    for _ in range(size):
        make_recommendation(crc).themes.add(theme)
    # The bounded count that decides whether to export in the background, the rows, then one
    # query per many-to-many field for the chunk.
    with django_assert_max_num_queries(6):
        assert len(csv_rows(download(client, UHRI_URL))) == size


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL, UHRI_URL])
def test_each_chunk_of_rows_costs_one_query_per_many_to_many_field(client, url, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    crc = make_cycle("KAZ", "CRC", "5-6")
    theme = Theme.objects.get(code="A13")
    for _ in range(5):
        make_recommendation(crc).themes.add(theme)
    with CaptureQueriesContext(connection) as queries:
        content = b"".join(client.get(url).streaming_content)
    # The bounded count that decides whether to export in the background, the rows in one
    # query, then themes, goals, groups and States for each of the 3 chunks.
    assert len(queries) == 1 + 1 + 4 * 3
    rows = xlsx_rows(content) if url == XLSX_URL else csv_rows(content)
    assert len(rows) == 5


def test_each_row_keeps_its_own_many_to_many_values_across_chunks(client, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    crc = make_cycle("KAZ", "CRC", "5-6")
    themes = list(Theme.objects.all()[:6])  # in their own order, which the cells keep
    expected = {}
    for n in range(5):
        recommendation = make_recommendation(crc, reference=str(n))
        tagged = themes[n : n + 2] if n % 2 else []
        recommendation.themes.add(*reversed(tagged))  # added out of order
        expected[str(n)] = "; ".join(theme.name for theme in tagged)

    rows = csv_rows(download(client, CSV_URL))

    assert {row["Paragraph"]: row["Themes"] for row in rows} == expected
