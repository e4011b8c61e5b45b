import pytest
from django.urls import reverse

from recommendations.models import Measure
from tests.helpers import days, make_organisation, make_recommendation, today
from tracker.models import Country

pytestmark = pytest.mark.django_db

URL = reverse("recommendations:measures")


def make_measure(title: str, country: str = "KAZ", **fields) -> Measure:
    return Measure.objects.create(title=title, country=Country.objects.get(code=country), **fields)


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {row.record.title for row in response.context["table"].paginated_rows}


@pytest.fixture
def measures():
    ombudsman = make_organisation("Commissioner for Children's Rights", kind="nhri")
    return {
        "late": make_measure("Late plan", responsible=ombudsman, target_date=today() - days(5),
                             status=Measure.Status.IN_PROGRESS),
        "done": make_measure("Finished law", target_date=today() - days(5),
                             status=Measure.Status.COMPLETED),
        "kgz": make_measure("Kyrgyz strategy", country="KGZ", target_date=today() + days(90)),
    }


def test_it_lists_measures_and_marks_late_ones_in_words(client, measures):
    response = client.get(URL)
    assert listed(response) == {"Late plan", "Finished law", "Kyrgyz strategy"}
    content = response.content.decode()
    assert content.count('<span class="overdue">late</span>') == 1
    assert "Commissioner for Children&#x27;s Rights" in content


def test_it_filters_measures(client, measures):
    assert listed(client.get(URL, {"country": "KGZ"})) == {"Kyrgyz strategy"}
    assert listed(client.get(URL, {"late": "true"})) == {"Late plan"}
    assert listed(client.get(URL, {"late": "false"})) == {"Finished law", "Kyrgyz strategy"}
    assert listed(client.get(URL, {"status": "completed"})) == {"Finished law"}
    assert listed(client.get(URL, {"responsible": measures["late"].responsible_id})) == {"Late plan"}
    assert listed(client.get(URL, {"q": "strategy"})) == {"Kyrgyz strategy"}


def test_malformed_measure_filters_give_the_form_errors(client, measures):
    response = client.get(URL, {"country": "nowhere", "responsible": "x", "status": "??"})
    assert response.status_code == 200
    assert set(response.context["filter"].form.errors) == {"country", "responsible", "status"}


def test_the_measure_page_lists_the_recommendations_it_serves(client, measures):
    measure = measures["late"]
    served = make_recommendation(reference="27 (a)", text="Adopt a strategy against violence.")
    measure.recommendations.add(served)
    response = client.get(reverse("recommendations:measure", args=[measure.pk]))
    content = response.content.decode()
    assert "Late plan" in content and '<span class="overdue">late</span>' in content
    assert f'<a href="{served.get_absolute_url()}">CRC KAZ 27 (a)</a>' in content
    assert "Adopt a strategy against violence." in content


def test_an_unknown_measure_is_not_found(client):
    assert client.get(reverse("recommendations:measure", args=[999999])).status_code == 404


@pytest.mark.parametrize("size", [2, 30])
def test_the_number_of_queries_does_not_grow_with_the_rows(client, size, django_assert_max_num_queries):
    ombudsman = make_organisation()
    recommendation = make_recommendation()
    for number in range(size):
        measure = make_measure(f"Measure {number}", responsible=ombudsman, target_date=today())
        measure.recommendations.add(recommendation)
    measure.recommendations.add(*[make_recommendation() for _ in range(size)])
    with django_assert_max_num_queries(6):
        assert len(listed(client.get(URL, {"per_page": 50}))) == size
    with django_assert_max_num_queries(6):
        assert client.get(reverse("recommendations:measure", args=[measure.pk])).status_code == 200
