import pytest
from django.db import IntegrityError
from django.urls import reverse

from recommendations.models import SavedSearch
from tests.helpers import make_cycle, make_recommendation, make_user

pytestmark = pytest.mark.django_db

SAVE_URL = reverse("recommendations:save-search")
LIST_URL = reverse("recommendations:list")


@pytest.fixture
def alice(client):
    user = make_user("alice")
    client.force_login(user)
    return user


def test_a_search_saved_from_the_list_opens_the_same_filtered_list(client, alice):
    make_recommendation(make_cycle("KAZ", "CRC", "5-6"), reference="kaz")
    make_recommendation(make_cycle("KGZ", "CRC", "5-6"), reference="kgz")
    # The list's save form carries its current filters.
    form = client.get(LIST_URL, {"country": "KAZ", "mechanism": "CRC", "page": "1"}).context["save_form"]
    assert form.initial["query"] == "country=KAZ&mechanism=CRC"

    name = "CRC Kazakhstan — violence against children"
    response = client.post(SAVE_URL, {"name": name, "query": "country=KAZ&mechanism=CRC&page=3"})
    search = SavedSearch.objects.get(user=alice)
    assert (search.name, search.query) == (name, "country=KAZ&mechanism=CRC")
    assert response.status_code == 302
    assert response["Location"] == f"{LIST_URL}?country=KAZ&mechanism=CRC"

    # Round trip: the saved search lists what the filters list, and is on the dashboard.
    listed = client.get(response["Location"]).context["table"].paginated_rows
    assert [row.record.reference for row in listed] == ["kaz"]
    assert name in client.get(reverse("recommendations:dashboard")).content.decode()


def test_saving_under_an_existing_name_replaces_the_search(client, alice):
    client.post(SAVE_URL, {"name": "Mine", "query": "kind=recommendation"})
    client.post(SAVE_URL, {"name": "Mine", "query": "urgent=true"})
    assert list(SavedSearch.objects.values_list("name", "query")) == [("Mine", "urgent=true")]


def test_a_name_is_unique_per_user_only(alice):
    SavedSearch.objects.create(user=alice, name="Mine", query="")
    SavedSearch.objects.create(user=make_user("bob"), name="Mine", query="")
    with pytest.raises(IntegrityError):
        SavedSearch.objects.create(user=alice, name="Mine", query="urgent=true")


def test_a_search_without_a_name_is_not_saved(client, alice):
    response = client.post(SAVE_URL, {"name": "", "query": "urgent=true"}, follow=True)
    assert not SavedSearch.objects.exists()
    assert "The search was not saved" in response.content.decode()


def test_saving_needs_a_signed_in_user_and_a_post(client):
    response = client.post(SAVE_URL, {"name": "Mine", "query": ""})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not SavedSearch.objects.exists()
    client.force_login(make_user())
    assert client.get(SAVE_URL).status_code == 405


def test_an_anonymous_visitor_is_invited_to_sign_in_on_the_list(client):
    content = client.get(LIST_URL, {"kind": "recommendation"}).content.decode()
    assert f'href="{reverse("login")}?next=' in content
    assert "to save this search" in content


def test_a_user_deletes_their_own_searches_only(client, alice):
    mine = SavedSearch.objects.create(user=alice, name="Mine", query="")
    theirs = SavedSearch.objects.create(user=make_user("bob"), name="Theirs", query="")
    assert client.post(reverse("recommendations:delete-search", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("recommendations:delete-search", args=[mine.pk]))
    assert response["Location"] == reverse("recommendations:dashboard")
    assert list(SavedSearch.objects.all()) == [theirs]
