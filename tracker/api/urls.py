"""/api/: the endpoints (a router's), the OpenAPI schema and its documentation, and the account
page's tokens. Every API view checks its callers itself (tracker.api.authentication), before the
project's PublicReadMiddleware would send them to the sign-in page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers

from tracker.api import account, follow_up, records, views

router = routers.DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("countries", views.CountryViewSet, "country")
router.register("mechanisms", views.MechanismViewSet, "mechanism")
router.register("cycles", views.CycleViewSet, "cycle")
router.register("documents", views.DocumentViewSet, "document")
router.register("issue-paragraphs", views.IssueParagraphViewSet, "issue-paragraph")
router.register("reply-sections", views.ReplySectionViewSet, "reply-section")
router.register("reply-paragraphs", views.ReplyParagraphViewSet, "reply-paragraph")
router.register("recommendations", records.RecommendationViewSet, "recommendation")
router.register("follow-up", follow_up.FollowUpViewSet, "follow-up")
router.register("measures", records.MeasureViewSet, "measure")
router.register("imports", records.ImportJobViewSet, "import")
router.register("frameworks", views.FrameworkViewSet, "framework")
router.register("offices", views.OfficeViewSet, "office")


def open_to_the_view(patterns: list) -> list:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            login_not_required(pattern.callback)
        elif isinstance(pattern, URLResolver):
            open_to_the_view(pattern.url_patterns)
    return patterns


app_name = "api"
urlpatterns = open_to_the_view([
    path("deadlines/", views.DeadlineList.as_view(), name="deadlines"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(
        url_name="api:schema", template_name="api/swagger_ui.html"
    ), name="docs"),
    *router.urls,
]) + [
    path("tokens/", account.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", account.revoke, name="revoke-token"),
]
