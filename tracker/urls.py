"""The project's URLs. The reporting-cycle app's own pages are `tracker_patterns`, named `tracker:…`."""

from django.contrib import admin
from django.urls import include, path

from tracker import views

tracker_patterns = [
    path("cycles/", views.CycleListView.as_view(), name="cycles"),
    path("cycles/<int:pk>/", views.cycle, name="cycle"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("deadlines/", views.DeadlineListView.as_view(), name="deadlines"),
    path("frameworks/", views.FrameworkListView.as_view(), name="frameworks"),
    path("frameworks/<int:pk>/", views.framework, name="framework"),
    path("offices/", views.OfficeListView.as_view(), name="offices"),
    path("offices/<int:pk>/", views.office, name="office"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("recommendations.urls")),
    path("", include((tracker_patterns, "tracker"))),
]
