"""The project's URLs. The reporting-cycle app's own pages are `tracker_patterns`, named `tracker:…`."""

from django.contrib import admin
from django.urls import include, path

from tracker import views

tracker_patterns: list = []

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("recommendations.urls")),
    path("", include((tracker_patterns, "tracker"))),
]
