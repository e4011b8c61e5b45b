"""Every text column of every spreadsheet export (CSV, XLSX, the UHRI layout) is neutralised: a
value a spreadsheet would run as a formula is written as text."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from recommendations.models import AffectedGroup, Recommendation, Theme
from tests.helpers import make_cycle, make_recommendation
from tracker.models import Country, Document, Mechanism

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# One payload per leading character, so that each column is tried with each of them.
PAYLOADS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture(params=PAYLOADS, ids=["equals", "plus", "minus", "at", "tab", "carriage-return"])
def payload(request) -> str:
    """Recommendations whose every text the exports write starts with the payload."""
    payload = request.param
    kaz = Country.objects.get(code="KAZ")
    kaz.name = payload + " Kazakhstan"
    kaz.save()
    france = Country.objects.get(code="FRA")
    france.name = payload + " France"
    france.save()
    Mechanism.objects.filter(code="UPR").update(code=payload[:20])
    mechanism = Mechanism.objects.get(code=payload[:20])
    cycle = make_cycle("KAZ", mechanism.code, label=payload[:20])
    document = Document.objects.create(
        cycle=cycle, kind=Document.Kind.UPR_REPORT, symbol=payload + " A/HRC/28/15"
    )
    recommendation = make_recommendation(
        cycle, document=document, reference=payload[:30], text=payload + " Ratify.",
        position=Recommendation.Position.SUPPORTED, position_source=payload + " A/HRC/28/15/Add.1",
        external_id=payload[:30] + "-id", upr_session=20,
    )
    recommendation.recommending_states.add(france)
    theme = Theme.objects.first()
    theme.name = payload + " theme"
    theme.save()
    recommendation.themes.add(theme)
    group = AffectedGroup.objects.first()
    group.name = payload + " group"
    group.save()
    recommendation.affected_groups.add(group)
    return payload


def download(client, name: str) -> bytes:
    response = client.get(reverse(f"recommendations:{name}"))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_cells(content: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return [cell for row in rows for cell in row]


@pytest.mark.parametrize("export", ["export-csv", "export-uhri"])
def test_no_csv_cell_starts_a_formula(client, payload, export):
    cells = csv_cells(download(client, export))

    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    # The payload is kept, after the apostrophe that makes a spreadsheet read it as text.
    quoted = [cell for cell in cells if cell.startswith("'" + payload[:20])]
    # The UHRI layout joins several values in a cell: fewer cells start with one.
    assert len(quoted) >= (9 if export == "export-csv" else 3), cells


def test_no_xlsx_cell_is_a_formula(client, payload):
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, "export-xlsx"))).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]

    assert not [cell for cell in cells if cell.data_type == "f"]
    risky = [cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)]
    assert len(risky) >= 9
    # A text cell with Excel's quote prefix: shown and kept as text, never run.
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in risky)
