import datetime
from pathlib import Path

import pytest

from recommendations.importing import import_concluding_observations_text
from recommendations.models import Recommendation, Status
from tests.helpers import make_assessment, make_organisation
from tracker.models import Document, Milestone
from tracker.parsing.common import ParseError

pytestmark = pytest.mark.django_db

DOCUMENTS = Path(__file__).parent.parent / "tracker" / "documents"
OBSERVATIONS_EN = (DOCUMENTS / "co_crc_en.txt").read_text(encoding="utf-8")
OBSERVATIONS_FR = (DOCUMENTS / "co_crc_fr.txt").read_text(encoding="utf-8")


def test_recommending_paragraphs_become_recommendations_with_their_flags():
    result = import_concluding_observations_text(OBSERVATIONS_EN)

    document = Document.objects.get(symbol="CRC/C/KAZ/CO/5-6")
    assert result.document == document and document.date == datetime.date(2026, 6, 12)
    recommendations = {r.reference: r for r in document.recommendations.all()}
    assert result.created["recommendations"] == len(recommendations) > 0
    assert {ref for ref, r in recommendations.items() if r.urgent} == {"12", "18", "20", "25"}
    assert {ref for ref, r in recommendations.items() if r.follow_up} == {"12", "20", "25"}
    twelve = recommendations["12"]
    assert twelve.mechanism.code == "CRC" and twelve.country.code == "KAZ"
    # Follow-up information is due 24 months after adoption.
    assert twelve.follow_up_due == datetime.date(2028, 6, 12)
    assert "(a) " in twelve.text  # lettered sub-paragraphs are kept

    cycle = document.cycle
    assert cycle.milestones.get(kind=Milestone.Kind.NEXT_REPORT_DUE).planned_date == datetime.date(2031, 3, 1)
    assert cycle.milestones.get(kind=Milestone.Kind.CONCLUDING_OBSERVATIONS_ADOPTED).actual_date == document.date
    assert cycle.milestones.get(kind=Milestone.Kind.FOLLOW_UP_DUE).planned_date == datetime.date(2028, 6, 12)


def test_the_french_text_gives_the_same_recommendations():
    import_concluding_observations_text(OBSERVATIONS_FR)
    french = set(Recommendation.objects.values_list("reference", "urgent", "follow_up"))
    Recommendation.objects.all().delete()
    Document.objects.all().delete()
    import_concluding_observations_text(OBSERVATIONS_EN)
    assert set(Recommendation.objects.values_list("reference", "urgent", "follow_up")) == french


def test_a_re_import_duplicates_nothing_and_keeps_the_follow_up_history():
    import_concluding_observations_text(OBSERVATIONS_EN)
    twelve = Recommendation.objects.get(reference="12")
    make_assessment(twelve, make_organisation(), Status.IN_PROGRESS)
    count = Recommendation.objects.count()

    result = import_concluding_observations_text(OBSERVATIONS_EN)

    assert Recommendation.objects.count() == count
    assert result.updated["recommendations"] == 0
    assert Recommendation.objects.get(pk=twelve.pk).assessments.count() == 1


def test_a_text_that_is_not_concluding_observations_is_refused_and_nothing_is_saved():
    replies = (Path(__file__).parent.parent.parent / "fixtures" / "seeds" / "CRC_C_KAZ_RQ_5-6_fr.txt").read_text()
    with pytest.raises(ParseError):
        import_concluding_observations_text(replies)
    assert not Document.objects.exists()


def test_procedural_paragraphs_are_not_imported_as_recommendations():
    import_concluding_observations_text(OBSERVATIONS_EN)
    references = set(Document.objects.get().recommendations.values_list("reference", flat=True))
    # 27 ratification, 28 follow-up and dissemination, 29 follow-up request, 30 next report.
    assert references.isdisjoint({"27", "28", "29", "30"})


def test_importing_the_same_observations_again_updates_nothing():
    import_concluding_observations_text(OBSERVATIONS_EN)
    result = import_concluding_observations_text(OBSERVATIONS_EN)
    assert not +result.created and not +result.updated and not +result.deleted


def test_a_follow_up_date_in_the_paragraph_sets_the_due_date():
    # Invented CCPR-style paragraphs: a follow-up request by a date rather than a period.
    text = (
        "CCPR/C/KAZ/CO/3\nDistr.: General\n12 June 2026\nHuman Rights Committee\n"
        "Concluding observations on the third periodic report of Kazakhstan*\n"
        "1. The State party should repeal the law.\n2. The State party should adopt a law.\n"
        "3. In accordance with rule 75, paragraph 1, of the Committee's rules of procedure, the "
        "State party is requested to provide, by 2 November 2027, information on the "
        "implementation of the recommendations made by the Committee in paragraphs 1 and 2.\n"
    )
    import_concluding_observations_text(text)
    document = Document.objects.get(symbol="CCPR/C/KAZ/CO/3")
    assert {r.reference: r.follow_up_due for r in document.recommendations.all()} == {
        "1": datetime.date(2027, 11, 2), "2": datetime.date(2027, 11, 2)
    }
    milestone = document.cycle.milestones.get(kind=Milestone.Kind.FOLLOW_UP_DUE)
    assert milestone.planned_date == datetime.date(2027, 11, 2)
