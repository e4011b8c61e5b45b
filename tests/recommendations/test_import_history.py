"""The history an import leaves: one record per recommendation it creates or changes, naming the
file and the importing user, and none for what it leaves as it was or when it fails."""

from pathlib import Path

import pytest
from django.urls import reverse

from recommendations.importing_files import import_recommendation_file
from recommendations.models import ImportJob, Recommendation
from tests.helpers import make_cycle, make_recommendation, make_user
from tests.recommendations.test_import_jobs import confirm, run_worker  # noqa: F401 (a fixture)
from tests.recommendations.test_import_recommendations import (
    annotation_id,
    database_state,
    generated_row,
    make_workbook,
)
from tests.recommendations.test_recommendation_import_admin import hidden_fields, preview
from tracker.parsing.common import ParseError

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent.parent / "data"
REPORT = DATA / "A_HRC_28_15_Working_Group_Report_Slovenia.md"
LIST = DATA / "UPR20_Slovenia_ThematicListRecommendations_E.docx"
URL = reverse("admin:recommendations_recommendation_import")

History = Recommendation.history.model


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def uhri_rows(count: int) -> list[dict]:
    # Rows that are all recommendations (every 500th generated row is a concern).
    return [generated_row(n) for n in range(1, count + 1) if n % 500]


def test_an_import_gives_each_new_recommendation_one_history_record_naming_the_file_and_user():
    user = make_user("importer")

    import_recommendation_file(REPORT, user=user)

    records = History.objects.all()
    assert records.count() == Recommendation.objects.count() == 163
    assert {record.id for record in records} == set(
        Recommendation.objects.values_list("pk", flat=True)
    )
    assert {record.history_type for record in records} == {"+"}
    assert {record.history_user for record in records} == {user}
    assert {record.history_change_reason for record in records} == {
        "Imported from A_HRC_28_15_Working_Group_Report_Slovenia.md"
    }
    record = History.objects.get(reference="115.8")
    assert record.text == Recommendation.objects.get(reference="115.8").text


def test_an_import_from_the_command_line_has_no_history_user():
    import_recommendation_file(REPORT)

    assert set(History.objects.values_list("history_user", flat=True)) == {None}


def test_a_recommendation_created_and_linked_to_an_earlier_review_has_one_record_saying_so():
    earlier_cycle = make_cycle("SVN", "UPR", "session 7", is_current=True)
    text = "Ratify ICRMW (Senegal, Sierra Leone, Venezuela (Bolivarian Republic of), Chile)"
    earlier = make_recommendation(earlier_cycle, reference="84.3", upr_session=7, text=text)
    before = earlier.history.count()

    import_recommendation_file(REPORT)

    linked = Recommendation.objects.get(reference="115.8")
    [record] = linked.history.all()
    assert record.history_type == "+"
    assert record.previous_id == earlier.pk
    assert earlier.history.count() == before  # the earlier one did not change
    # Linking keeps the copies the lists sort and filter on.
    assert (linked.country_name, linked.mechanism_code) == ("Slovenia", "UPR")


def test_a_reimport_of_a_changed_file_records_a_change_only_for_the_changed_rows(tmp_path):
    rows = uhri_rows(20)
    import_recommendation_file(make_workbook(tmp_path / "first.xlsx", rows))
    rows[2] = rows[2] | {"Text": rows[2]["Text"] + " Urgently."}

    result = import_recommendation_file(make_workbook(tmp_path / "second.xlsx", rows))

    assert result.updated["recommendations"] == 1
    changed = Recommendation.objects.get(external_id=annotation_id(3))
    [record] = History.objects.filter(history_type="~")
    assert record.id == changed.pk
    assert record.text.endswith(" Urgently.")
    assert record.history_change_reason == "Imported from second.xlsx"
    assert History.objects.filter(history_type="+").count() == 20


def test_a_reimport_of_the_same_file_adds_no_history_record(tmp_path):
    path = make_workbook(tmp_path / "uhri.xlsx", uhri_rows(20))
    import_recommendation_file(path)

    result = import_recommendation_file(path)

    assert result.unchanged["recommendations"] == 20
    assert History.objects.count() == 20


def test_a_refused_import_leaves_no_history_record_even_for_the_rows_written_before(tmp_path):
    rows = uhri_rows(600)
    rows[550] = rows[550] | {"Countries Concerned": ""}  # after the first batch of 500 is written
    before = database_state()

    with pytest.raises(ParseError):
        import_recommendation_file(make_workbook(tmp_path / "uhri.xlsx", rows))

    assert database_state() == before
    assert not History.objects.exists()


def test_a_dry_run_leaves_no_history_record():
    import_recommendation_file(REPORT, dry_run=True)

    assert not History.objects.exists()


def test_a_long_file_name_is_cut_to_fit_the_history_reason():
    import_recommendation_file(REPORT, file_name="a" * 300 + ".md")

    reason = History.objects.values_list("history_change_reason", flat=True).first()
    assert len(reason) == 100
    assert reason.startswith("Imported from aaa") and reason.endswith("…")


def test_an_import_confirmed_in_the_admin_is_recorded_as_the_admins(admin_client, admin_user):
    fields = hidden_fields(preview(admin_client, LIST))
    admin_client.post(URL, {**fields, "confirm": "Confirm and import"})

    assert History.objects.count() == 163
    assert set(History.objects.values_list("history_user", flat=True)) == {admin_user.pk}
    assert History.objects.filter(
        history_change_reason="Imported from UPR20_Slovenia_ThematicListRecommendations_E.docx"
    ).count() == 163


def test_a_background_import_is_recorded_as_the_user_who_queued_it(
    admin_client, admin_user, settings, run_worker  # noqa: F811
):
    settings.TRACKER_BACKGROUND_IMPORT_BYTES = 0  # every file is imported in the background
    confirm(admin_client, LIST)

    run_worker()

    assert ImportJob.objects.get().state == ImportJob.State.DONE
    assert History.objects.count() == 163
    assert set(History.objects.values_list("history_user", flat=True)) == {admin_user.pk}
