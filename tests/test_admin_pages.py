"""Every admin changelist, add page and change page opens for a superuser, on the demo data."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from recommendations.models import Measure, Recommendation, Status
from tests.helpers import make_assessment, make_organisation
from tracker.models import Country

MODEL_ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def demo(db, admin_client):
    call_command("load_demo", verbosity=0)
    recommendation = Recommendation.objects.first()
    measure = Measure.objects.create(title="Action plan", country=Country.objects.get(code="KAZ"))
    measure.recommendations.add(recommendation)
    make_assessment(recommendation, make_organisation(), Status.IN_PROGRESS)
    return admin_client


@pytest.mark.parametrize("model", [model for model, _ in MODEL_ADMINS], ids=lambda m: m._meta.label)
def test_the_admin_pages_of_every_model_open(demo, model):
    opts = model._meta
    changelist = demo.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    add = demo.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == 200
    obj = model._default_manager.order_by("-pk").first()
    assert obj is not None, f"the demo data has no {opts.verbose_name} to open"
    change = demo.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert change.status_code == 200


def test_the_changelist_search_and_filters_work(demo):
    response = demo.get(reverse("admin:recommendations_recommendation_changelist"),
                        {"q": "criminal", "kind__exact": "cooperation_priority"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
