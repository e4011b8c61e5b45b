"""The project's URLs. The reporting-cycle app's own pages are `tracker_patterns`, named `tracker:…`."""

from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from tracker import views

tracker_patterns = [
    path("cycles/", views.CycleListView.as_view(), name="cycles"),
    path("cycles/<int:pk>/", views.cycle, name="cycle"),
    path("cycles/<int:pk>/history/", views.cycle_history, name="cycle-history"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/history/", views.document_history, name="document-history"),
    path("frameworks/", views.FrameworkListView.as_view(), name="frameworks"),
    path("frameworks/<int:pk>/", views.framework, name="framework"),
    path("offices/", views.OfficeListView.as_view(), name="offices"),
    path("offices/<int:pk>/", views.office, name="office"),
]

# The admin signs in through the app's sign-in page, with its MFA step and lock-out.
admin.site.login = secure_admin_login(admin.site.login)
# Refusals are written to the audit log before Django's own 403 page.
handler403 = "tracker.accounts.audit.permission_denied"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # Accounts: django-allauth's views with templates/account/ and templates/mfa/. The rest of
    # the app names three of them "login", "logout" and "password_change".
    path("accounts/login/", account_views.login, name="login"),
    path("accounts/logout/", account_views.logout, name="logout"),
    path("accounts/password/change/", account_views.password_change, name="password_change"),
    path("accounts/", include("allauth.urls")),
    path("api/", include("tracker.api.urls")),
    path("", include("recommendations.urls")),
    path("", include((tracker_patterns, "tracker"))),
]
