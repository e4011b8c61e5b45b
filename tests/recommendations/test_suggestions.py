"""Suggested tags (issue 18), learned from Slovenia's cycle-2 list and offered for its cycle-3
list, as OHCHR published both; accepted only by a person."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bench.suggestions import measure_quality
from recommendations import suggestions
from recommendations.importing_files import import_recommendation_file
from recommendations.models import Recommendation, Role
from tests.helpers import make_user

DATA = Path(__file__).parent.parent / "data"
CYCLE_2 = DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx"
CYCLE_3 = DATA / "UPR34_Slovenia_ThematicListRecommendations_E.docx"
CYCLE_3_REPORT = "A/HRC/43/15"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def index_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    suggestions._loaded.clear()
    yield
    suggestions._loaded.clear()


def untagged_cycle_3() -> list[Recommendation]:
    """Cycle 3's recommendations as a Working Group report would bring them: with no tags."""
    import_recommendation_file(CYCLE_3)
    recommendations = list(Recommendation.objects.filter(document__symbol=CYCLE_3_REPORT))
    for recommendation in recommendations:
        recommendation.themes.clear()
        recommendation.goals.clear()
        recommendation.affected_groups.clear()
    return recommendations


def suggest(*arguments: str) -> str:
    out = StringIO()
    call_command("suggest_tags", *arguments, stdout=out)
    return out.getvalue()


def test_with_nothing_tagged_the_command_says_there_is_nothing_to_learn_from():
    untagged_cycle_3()

    with pytest.raises(CommandError, match="Nothing to learn from yet"):
        suggest("--document", CYCLE_3_REPORT, "--json")


def test_the_command_prints_each_recommendations_suggestions_best_first_as_json():
    import_recommendation_file(CYCLE_2)
    untagged_cycle_3()

    rows = json.loads(suggest("--document", CYCLE_3_REPORT, "--json"))

    assert len(rows) == 215
    first = next(row for row in rows if row["reference"] == "121.1")
    assert set(first) == {"reference", "themes", "goals", "targets", "groups"}
    assert all(len(first[key]) == 5 for key in ("themes", "goals", "groups"))
    scores = [item["score"] for item in first["themes"]]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1
    # "Ratify the International Convention for the Protection of All Persons from Enforced
    # Disappearance": OHCHR tagged it A12 and D32, in the taxonomy's English names.
    names = [item["name"] for item in first["themes"]]
    assert {"Acceptance of international norms", "Enforced disappearances"} <= set(names[:3])
    assert first["goals"][0]["name"] == "Peace, justice and strong institutions"
    assert "Disappeared persons" in [item["name"] for item in first["groups"]]
    # Nothing became a tag.
    assert not Recommendation.objects.filter(document__symbol=CYCLE_3_REPORT,
                                             themes__isnull=False).exists()


def test_apply_accepts_only_the_suggestions_above_the_threshold():
    import_recommendation_file(CYCLE_2)
    untagged_cycle_3()

    output = suggest("--document", CYCLE_3_REPORT, "--apply", "--threshold", "0.7")

    added = int(output.split()[0])
    assert added > 0
    tagged = Recommendation.objects.filter(document__symbol=CYCLE_3_REPORT, themes__isnull=False)
    assert 0 < tagged.distinct().count() <= 215
    assert suggest("--document", CYCLE_3_REPORT, "--apply", "--threshold", "1.01").startswith("0 ")


def test_an_unknown_document_is_named_in_the_error():
    import_recommendation_file(CYCLE_2)

    with pytest.raises(CommandError, match="There is no document 'A/HRC/99/1'"):
        suggest("--document", "A/HRC/99/1")


def test_learned_from_cycle_2_the_suggestions_find_most_of_ohchrs_cycle_3_tags():
    figures = measure_quality([CYCLE_2], CYCLE_3)

    # README, "Suggested tags": what is reached and what limits it (issue 18 asks 70 % themes).
    assert figures["themes"]["found"] >= 0.65
    assert figures["goals"]["found"] >= 0.90
    assert figures["groups"]["found"] >= 0.60
    assert figures["themes"]["tags"] == 526 and figures["themes"]["unmapped"] == 0


def test_data_entry_staff_see_suggestions_on_the_page_and_accept_one(client):
    import_recommendation_file(CYCLE_2)
    recommendation = next(r for r in untagged_cycle_3() if r.reference == "121.1")
    suggestions.save_index(suggestions.build_index())
    client.force_login(make_user(role=Role.DATA_ENTRY))

    page = client.get(recommendation.get_absolute_url()).content.decode()

    assert "Suggestions to confirm" in page and "Enforced disappearances" in page
    theme = recommendation.themes.model.objects.get(code="D32")
    response = client.post(f"/recommendations/{recommendation.pk}/suggestions/accept/",
                           {"vocabulary": "themes", "term": theme.pk})
    assert response.status_code == 302
    assert list(recommendation.themes.values_list("code", flat=True)) == ["D32"]


def test_visitors_see_no_suggestions_and_others_cannot_accept_them(client):
    import_recommendation_file(CYCLE_2)
    recommendation = untagged_cycle_3()[0]
    suggestions.save_index(suggestions.build_index())

    assert "Suggestions to confirm" not in client.get(recommendation.get_absolute_url()).content.decode()
    client.force_login(make_user(role=Role.VIEWER))
    response = client.post(f"/recommendations/{recommendation.pk}/suggestions/accept/",
                           {"vocabulary": "themes", "term": 1})
    assert response.status_code == 403
    assert not recommendation.themes.exists()


def test_a_whole_document_is_accepted_at_once_by_one_person(client):
    import_recommendation_file(CYCLE_2)
    recommendations = untagged_cycle_3()
    suggestions.save_index(suggestions.build_index())
    client.force_login(make_user(role=Role.DATA_ENTRY))

    response = client.post(f"/documents/{recommendations[0].document_id}/suggestions/accept/")

    assert response.status_code == 302
    assert Recommendation.objects.filter(
        document__symbol=CYCLE_3_REPORT, themes__isnull=False
    ).distinct().count() > 100
