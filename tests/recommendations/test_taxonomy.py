"""One taxonomy (issue 18): labels of imported files mapped onto UHRI's terms through the
crosswalk, kept on the record, and listed to data-entry staff when no entry maps them."""

from pathlib import Path

import pytest

from recommendations.importing_files import import_recommendation_file
from recommendations.models import AffectedGroup, Recommendation, SourceLabel, Theme
from recommendations.taxonomy import LabelMap, label_key

DATA = Path(__file__).parent.parent / "data"
CYCLE_2 = DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx"
CYCLE_3 = DATA / "UPR34_Slovenia_ThematicListRecommendations_E.docx"

pytestmark = pytest.mark.django_db


def by_reference() -> dict[str, Recommendation]:
    return {recommendation.reference: recommendation
            for recommendation in Recommendation.objects.all()}


def test_label_keys_ignore_case_accents_ampersands_and_apostrophes():
    assert label_key("Women’s rights") == label_key("womens rights")
    assert label_key("Right to work & to just conditions") == "right to work and to just conditions"


def test_every_theme_of_the_cycle_3_list_maps_onto_the_taxonomy_and_none_is_created():
    themes, groups = Theme.objects.count(), AffectedGroup.objects.count()

    result = import_recommendation_file(CYCLE_3)

    assert "themes" not in result.new_terms
    # The one group of persons neither the fixtures nor the crosswalk know is listed to staff.
    assert result.new_terms["affected groups"] == ["Civil society"]
    assert (Theme.objects.count(), AffectedGroup.objects.count()) == (themes, groups)
    assert not Recommendation.objects.filter(themes=None).exists()


def test_the_cycle_3_spellings_map_onto_the_terms_cycle_2_used():
    import_recommendation_file(CYCLE_3)

    recommendations = by_reference()
    first = recommendations["121.1"]
    assert sorted(first.themes.values_list("code", flat=True)) == ["A12", "D32"]
    assert list(first.affected_groups.values_list("code", flat=True)) == ["disappeared-persons"]
    # The file's own labels stay on the record.
    assert sorted(first.source_labels.values_list("label", flat=True)) == [
        "Acceptance of international norms", "Disappeared persons", "Enforced disappearances",
    ]
    # "Migrants & domestic workers" is the fixture's "Migrants"; "Women" is "Women".
    labelled = Recommendation.objects.filter(source_labels__label="Migrants & domestic workers")
    assert labelled.count() == 53
    assert labelled.filter(affected_groups__code="migrants").count() == 53
    assert Recommendation.objects.filter(affected_groups__code="women").count() == 57
    # "Right to health" is cycle 2's "Right to health - General".
    assert Recommendation.objects.filter(themes__code="E41").count() == 13


def test_a_crosswalk_entry_for_an_ohchr_spelling_of_a_later_cycle_maps_it():
    assert LabelMap(AffectedGroup).terms[label_key("Women & girls")].code == "women"
    assert LabelMap(Theme).terms[
        label_key("Ratification of & accession to international instruments")
    ].code == "A12"


def test_mapping_a_label_once_tags_every_record_that_carries_it():
    import_recommendation_file(CYCLE_3)
    label = SourceLabel.objects.unmapped().get()
    carrying = list(label.recommendations.values_list("pk", flat=True))
    assert carrying

    label.group = AffectedGroup.objects.get(code="human-rights-defenders")
    label.save()

    tagged = Recommendation.objects.filter(affected_groups__code="human-rights-defenders")
    assert sorted(tagged.values_list("pk", flat=True)) == sorted(carrying)
    assert not SourceLabel.objects.unmapped().exists()


def test_reimporting_the_lists_adds_no_label_twice():
    import_recommendation_file(CYCLE_2)
    import_recommendation_file(CYCLE_3)
    labels = SourceLabel.objects.count()

    result = import_recommendation_file(CYCLE_3)

    assert SourceLabel.objects.count() == labels
    assert result.created["recommendations"] == 0
    # Cycle 2's lower-case "women" and cycle 3's "Women" are one label.
    assert SourceLabel.objects.filter(vocabulary="group", key="women").count() == 1


def test_the_admin_lists_the_labels_left_to_map(admin_client):
    import_recommendation_file(CYCLE_3)

    response = admin_client.get("/admin/recommendations/sourcelabel/?group__isempty=1&theme__isempty=1")

    assert response.status_code == 200
    assert "Civil society" in response.content.decode()
