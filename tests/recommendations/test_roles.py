import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def test_the_roles_exist_as_groups_with_their_permissions():
    permissions = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    assert set(permissions) >= {"Viewer", "NGO staff", "Reviewer", "Data entry"}
    assert "view_recommendation" in permissions["Viewer"]
    assert "change_recommendation" not in permissions["Viewer"]
    assert {"add_followupassessment", "change_followupassessment"} <= permissions["NGO staff"]
    assert "add_followupassessment" not in permissions["Reviewer"]
    assert {"add_document", "change_reportingcycle", "delete_recommendation"} <= permissions["Data entry"]


def test_data_entry_reads_follow_up_entries_but_leaves_writing_them_to_ngos_and_reviewers():
    permissions = set(
        Group.objects.get(name="Data entry").permissions.values_list("codename", flat=True)
    )
    assert "view_followupassessment" in permissions
    assert not {
        "add_followupassessment", "change_followupassessment", "delete_followupassessment"
    } & permissions
