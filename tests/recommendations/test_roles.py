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
