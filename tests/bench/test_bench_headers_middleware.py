from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from bench.middleware import BenchHeadersMiddleware


def test_it_reports_the_queries_the_request_ran_and_its_time(db):
    def view(request: HttpRequest) -> HttpResponse:
        User.objects.count()
        list(User.objects.all())
        return HttpResponse("ok")

    response = BenchHeadersMiddleware(view)(RequestFactory().get("/"))

    # The benchmark reads these two headers to report each page's queries and server time.
    assert response["X-Query-Count"] == "2"
    assert response["Server-Timing"].startswith("app;dur=")
    assert ", cpu;dur=" in response["Server-Timing"]
    assert ", db;dur=" in response["Server-Timing"]


def test_it_counts_nothing_for_a_page_without_queries():
    response = BenchHeadersMiddleware(lambda request: HttpResponse("ok"))(RequestFactory().get("/"))

    assert response["X-Query-Count"] == "0"
