"""Every admin changelist, add page and change page opens for a superuser, on the demo data."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from django.contrib.auth.models import User
from django.core.files.base import ContentFile

from recommendations.models import (
    EvidenceFile, ExportJob, ImportJob, Measure, Recommendation, SourceLabel, Status,
)
from tests.helpers import make_assessment, make_organisation
from tracker.accounts.models import Membership
from tracker.models import Country

# The project's own models, and the accounts data-entry staff manage.
MODEL_ADMINS = sorted(
    (item for item in admin.site._registry.items()
     if item[0]._meta.app_label in ("tracker", "recommendations", "auth")),
    key=lambda item: item[0]._meta.label,
)


@pytest.fixture
def demo(db, admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    recommendation = Recommendation.objects.first()
    measure = Measure.objects.create(title="Action plan", country=Country.objects.get(code="KAZ"))
    measure.recommendations.add(recommendation)
    ngo = make_organisation()
    assessment = make_assessment(recommendation, ngo, Status.IN_PROGRESS)
    EvidenceFile.objects.create(assessment=assessment, file=ContentFile(b"%PDF-1.4", name="law.pdf"),
                                name="law.pdf", content_type="application/pdf", size=8)
    user = User.objects.get(username="admin")
    Membership.objects.create(user=user, organisation=ngo)
    ImportJob.objects.create(user=user, file_name="upr.csv", stored_file="imports/x.csv", format="upr-info")
    ExportJob.objects.create(user=user, format="xlsx", query="mechanism=CRC")
    # The demo's UPR Info rows may have brought it already.
    SourceLabel.objects.get_or_create(vocabulary=SourceLabel.Vocabulary.THEME, label="Other")
    return admin_client


@pytest.mark.parametrize("model, model_admin", MODEL_ADMINS, ids=[m._meta.label for m, _ in MODEL_ADMINS])
def test_the_admin_pages_of_every_model_open(demo, model, model_admin, rf, admin_user):
    opts = model._meta
    changelist = demo.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    add = demo.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    request = rf.get("/")
    request.user = admin_user
    # Records made by the app itself (import jobs) are read-only in the admin.
    assert add.status_code == (200 if model_admin.has_add_permission(request) else 403)
    obj = model._default_manager.order_by("-pk").first()
    assert obj is not None, f"the demo data has no {opts.verbose_name} to open"
    change = demo.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert change.status_code == 200


def test_the_changelist_search_and_filters_work(demo):
    response = demo.get(reverse("admin:recommendations_recommendation_changelist"),
                        {"q": "criminal", "kind__exact": "cooperation_priority"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
