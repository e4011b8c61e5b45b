"""The UPR Working Group report and the State's views (its addendum) imported from the UN's PDFs,
checked against OHCHR's thematic list of the same review."""

import io
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from recommendations.importing_files import import_recommendation_file
from recommendations.models import Recommendation
from recommendations.parsing import parse_file
from tracker.parsing.common import ParseError
from tracker.parsing.extraction import document_text

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent.parent / "data"
REPORT = DATA / "A_HRC_28_15_Working_Group_Report_Slovenia.pdf"
VIEWS = DATA / "A_HRC_28_15_Add.1_Views_of_Slovenia.pdf"
LIST = DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx"
# Page furniture as it would show inside a text: the running symbols, a job number.
FURNITURE = re.compile(r"A/HRC/28/15|GE\.1[45]-|\s\d{1,2}\s*$")


@pytest.fixture(scope="module")
def views_text() -> str:
    return document_text(VIEWS.read_bytes(), VIEWS.name)


def states(recommendation: Recommendation) -> list[str]:
    return sorted(recommendation.recommending_states.values_list("code", flat=True))


def import_text(text: str, name: str = "views.txt"):
    return import_recommendation_file(io.BytesIO(text.encode()), file_name=name)


def test_the_report_and_its_addendum_give_exactly_the_thematic_lists_recommendations():
    report = import_recommendation_file(REPORT)
    views = import_recommendation_file(VIEWS)

    assert (report.format, views.format) == ("upr-report", "upr-views")
    assert views.warnings == []
    recommendations = {r.reference: r for r in Recommendation.objects.all()}
    expected = parse_file(LIST, "upr-matrix").records
    assert sorted(recommendations) == sorted(record.reference for record in expected)
    assert len(recommendations) == 163
    assert Counter(r.position for r in recommendations.values()) == {"supported": 142, "noted": 21}
    listed_states = {}
    for record in expected:
        recommendation = recommendations[record.reference]
        assert recommendation.position == record.position, record.reference
        listed_states[record.reference] = record.recommending_states
    # The list and the report print the same States; the importer resolved both alike.
    import_recommendation_file(LIST)
    for reference, recommendation in recommendations.items():
        assert states(recommendation) == states(Recommendation.objects.get(pk=recommendation.pk))
        assert len(states(recommendation)) == len(listed_states[reference]), reference
    for recommendation in Recommendation.objects.all():
        assert not FURNITURE.search(recommendation.text), recommendation.reference
        assert not FURNITURE.search(recommendation.state_view), recommendation.reference


def test_each_position_names_the_addendum_paragraph_that_gives_it():
    import_recommendation_file(REPORT)
    import_recommendation_file(VIEWS)

    sources = Counter(Recommendation.objects.values_list("position_source", flat=True))
    assert sources == {
        "A/HRC/28/15/Add.1 - Para. 3": 70,
        "A/HRC/28/15/Add.1 - Para. 4": 72,
        "A/HRC/28/15/Add.1 - Para. 5": 21,
    }
    first = Recommendation.objects.get(reference="115.1")
    assert first.position_document.symbol == "A/HRC/28/15/Add.1"
    assert first.position_document.date == date(2015, 3, 4)


def test_the_states_explanation_is_kept_on_each_recommendation_it_is_given_for():
    import_recommendation_file(REPORT)
    import_recommendation_file(VIEWS)

    ratified = Recommendation.objects.get(reference="115.18")
    assert ratified.state_view.startswith("We consider that this recommendation is implemented.")
    assert "deposited on 5 February 2015" in ratified.state_view
    assert (ratified.state_view_date, ratified.state_view_source) == (
        date(2015, 3, 4), "A/HRC/28/15/Add.1"
    )
    # "Recs. 6–13 The Government … is currently not planning to ratify the Convention."
    for n in range(6, 14):
        explained = Recommendation.objects.get(reference=f"115.{n}")
        assert explained.state_view.startswith("The Government of the Republic of Slovenia is "
                                                "currently not planning to ratify")
    assert Recommendation.objects.get(reference="115.30").state_view == "See recommendation 24."
    assert Recommendation.objects.get(reference="115.1").state_view == ""
    assert Recommendation.objects.exclude(state_view="").count() == 86 + 7


def test_reimporting_the_addendum_changes_nothing():
    import_recommendation_file(REPORT)
    import_recommendation_file(VIEWS)

    again = import_recommendation_file(VIEWS)

    assert again.updated["recommendations"] == 0
    assert again.unchanged["recommendations"] == 163


def test_the_addendum_before_its_report_is_refused_and_changes_nothing():
    with pytest.raises(ParseError, match="A/HRC/28/15 has not been imported: import the report"):
        import_recommendation_file(VIEWS)
    assert not Recommendation.objects.exists()


def test_a_number_the_report_does_not_have_is_a_warning_naming_its_line(views_text):
    # Invented: the real addendum's text with a number the report does not have.
    text = views_text.replace("155, 158, 161.", "155, 158, 161, 170.")
    import_recommendation_file(REPORT)

    result = import_text(text)

    line = next(n for n, row in enumerate(text.splitlines(), 1) if "161, 170." in row)
    assert [(w.line, w.message) for w in result.warnings] == [
        (line, "recommendation 115.170 is not in the report A/HRC/28/15; left out")
    ]


def test_a_recommendation_given_two_positions_is_given_none_and_warned(views_text):
    # Invented: 6, which the State notes, also listed among the accepted ones.
    text = views_text.replace("recommendations 1–5, 14–", "recommendations 1–6, 14–")
    import_recommendation_file(REPORT)

    result = import_text(text)

    messages = [w.message for w in result.warnings]
    assert len(messages) == 1 and messages[0].startswith(
        "recommendation 115.6 is given two positions (lines"
    )
    assert Recommendation.objects.get(reference="115.6").position == ""


def test_a_recommendation_left_without_a_position_is_a_warning(views_text):
    # Invented: 163 left out of the noted ones.
    text = views_text.replace("156, 157, 163.", "156, 157.")
    import_recommendation_file(REPORT)

    result = import_text(text)

    assert [w.message for w in result.warnings] == [
        "recommendation 115.163 of the report is given no position by the addendum"
    ]
    assert Recommendation.objects.get(reference="115.163").position == ""


def test_the_command_imports_the_addendum_with_its_format_given(capsys):
    call_command("import_recommendations", str(REPORT), verbosity=0)
    call_command("import_recommendations", str(VIEWS), "--format", "upr-views")

    out = capsys.readouterr().out
    assert "Positions: 142 Supported, 21 Noted." in out
    assert Recommendation.objects.filter(position="supported").count() == 142


def test_the_recommendation_page_shows_the_states_own_account_dated(client):
    import_recommendation_file(REPORT)
    import_recommendation_file(VIEWS)
    recommendation = Recommendation.objects.get(reference="115.18")

    page = client.get(f"/recommendations/{recommendation.pk}/").content.decode()

    assert "The State's own account" in page
    assert "As the State wrote in A/HRC/28/15/Add.1, 4 March 2015:" in page
    assert "The ratification instrument was deposited on 5 February 2015." in page
    assert "A/HRC/28/15/Add.1 - Para. 4" in page


def test_the_admin_previews_then_imports_the_report_and_the_addendum_as_pdfs(
    admin_client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    url = reverse("admin:recommendations_recommendation_import")
    for path, detected in ((REPORT, "UPR Working Group report"), (VIEWS, "State&#x27;s views")):
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        response = admin_client.post(url, {"file": upload, "preview": "Preview"})
        page = response.content.decode()
        assert detected in page
        fields = dict(re.findall(
            r'<input type="hidden" name="(\w+)" value="([^"]*)"',
            page.split('class="import-confirm"')[1].split("</form>")[0],
        ))
        assert admin_client.post(url, {**fields, "confirm": "1"}).status_code == 302
    assert "<th scope=\"row\">Position: Noted</th><td>21</td>" in page
    assert Recommendation.objects.filter(position="noted").count() == 21
