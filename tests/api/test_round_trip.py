"""A round trip through the API: recommendations (with their themes, goals and recommending
States) and measures read through it, the tables emptied, the records written back through it:
the same records, field by field."""

from __future__ import annotations

from django.forms.models import model_to_dict

from recommendations.models import AffectedGroup, Measure, Recommendation, Role, Theme
from tests.api.helpers import token_client
from tests.helpers import days, make_recommendation, make_user, today
from tracker.api.records import MeasureInput, RecommendationInput
from tracker.models import Country


def records(model, fields: list[str], order: str) -> list[dict]:
    many = {field.name for field in model._meta.many_to_many}
    rows = []
    for record in model.objects.order_by(order):
        row = model_to_dict(record, fields)
        rows.append({name: sorted(v.pk for v in value) if name in many else value
                     for name, value in row.items()})
    return rows


def test_records_read_and_written_back_through_the_api_are_the_same(db):
    first = make_recommendation(urgent=True, date=today() - days(3), position="noted",
                                follow_up=True, follow_up_due=today() + days(300))
    first.themes.set(Theme.objects.all()[:2])
    first.affected_groups.set(AffectedGroup.objects.all()[:1])
    first.recommending_states.set(Country.objects.filter(code__in=["FRA", "DEU"]))
    second = make_recommendation(cycle=first.cycle, reference="12 (b)", kind="commitment")
    measure = Measure.objects.create(title="A law", country=first.country, status="delayed",
                                     target_date=today())
    measure.recommendations.set([first, second])
    client = token_client(make_user(role=Role.DATA_ENTRY))
    recommendation_fields = RecommendationInput.Meta.fields
    measure_fields = MeasureInput.Meta.fields
    before = (records(Recommendation, recommendation_fields, "reference"),
              records(Measure, measure_fields, "title"))

    exported = [client.get(row["url"]).json() for row in client.get(
        "/api/recommendations/?current=0&sort=reference").json()["results"]]
    exported_measures = client.get("/api/measures/").json()["results"]
    Measure.objects.all().delete()
    Recommendation.objects.all().delete()

    ids = {}
    for row in exported:
        body = {name: row[name] for name in recommendation_fields}
        response = client.post("/api/recommendations/", body, content_type="application/json")
        assert response.status_code == 201, response.content
        ids[row["id"]] = response.json()["id"]
    for row in exported_measures:
        body = {name: row[name] for name in measure_fields}
        body["recommendations"] = [ids[pk] for pk in body["recommendations"]]
        assert client.post("/api/measures/", body,
                           content_type="application/json").status_code == 201

    after = (records(Recommendation, recommendation_fields, "reference"),
             records(Measure, measure_fields, "title"))
    assert len(after[0]) == 2 and len(after[1]) == 1
    renumbered = [{**row, "recommendations": sorted(ids[pk] for pk in row["recommendations"])}
                  for row in before[1]]
    assert after == (before[0], renumbered)
