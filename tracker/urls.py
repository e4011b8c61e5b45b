"""The project's URLs. The reporting-cycle app's own pages are `tracker_patterns`, named `tracker:…`."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tracker import views

tracker_patterns = [
    path("cycles/", views.CycleListView.as_view(), name="cycles"),
    path("cycles/<int:pk>/", views.cycle, name="cycle"),
    path("cycles/<int:pk>/history/", views.cycle_history, name="cycle-history"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/history/", views.document_history, name="document-history"),
    path("deadlines/", views.DeadlineListView.as_view(), name="deadlines"),
    path("calendars/user/<str:token>.ics", views.calendar_user, name="calendar-user"),
    path("calendars/country/<str:token>.ics", views.calendar_country, name="calendar-country"),
    path("frameworks/", views.FrameworkListView.as_view(), name="frameworks"),
    path("frameworks/<int:pk>/", views.framework, name="framework"),
    path("offices/", views.OfficeListView.as_view(), name="offices"),
    path("offices/<int:pk>/", views.office, name="office"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Sign in and out, change one's password: Django's views with templates/registration/.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"
    ),
    path(
        "accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("recommendations.urls")),
    path("", include((tracker_patterns, "tracker"))),
]
