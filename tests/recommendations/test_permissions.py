"""Every write view against every kind of user: allowed, refused (403), or sent to sign in.

With TRACKER_PUBLIC_READ off, as in production by default. Each row is one case. The admin's
pages count as write views: data entry and superusers keep the documents, cycles,
recommendations, frameworks and offices there; nobody else may open them."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from recommendations.models import EvidenceFile, FollowUpAssessment, Role, SavedSearch, Status
from tests.helpers import (
    make_assessment,
    make_cycle,
    make_milestone,
    make_organisation,
    make_recommendation,
    make_user,
    today,
)
from tracker.models import (
    CooperationFramework,
    Document,
    FieldOffice,
    ListOfIssuesParagraph,
    Milestone,
    ReplySection,
)

pytestmark = pytest.mark.django_db

USERS = ["anonymous", "viewer", "owner", "other_ngo", "reviewer", "data_entry", "superuser"]
OK, DENIED, LOGIN, NOT_FOUND = "ok", "denied", "login", "not found"


@pytest.fixture
def world(settings, tmp_path):
    settings.TRACKER_PUBLIC_READ = False
    settings.MEDIA_ROOT = tmp_path
    owner_org, other_org = make_organisation("Owner"), make_organisation("Other")
    recommendation = make_recommendation()
    users = {
        "anonymous": None,
        "viewer": make_user("viewer", organisation=make_organisation(), role=Role.VIEWER),
        "owner": make_user("owner", organisation=owner_org, role=Role.NGO_STAFF),
        "other_ngo": make_user("other_ngo", organisation=other_org, role=Role.NGO_STAFF),
        "reviewer": make_user("reviewer", organisation=make_organisation(kind="nhri"),
                              role=Role.REVIEWER),
        "data_entry": make_user("data_entry", role=Role.DATA_ENTRY, is_staff=True),
        "superuser": make_user("superuser", organisation=owner_org, is_superuser=True,
                               is_staff=True),
    }
    draft = make_assessment(recommendation, owner_org, Status.IN_PROGRESS,
                            review_state=FollowUpAssessment.ReviewState.DRAFT)
    submitted = make_assessment(recommendation, owner_org, Status.IN_PROGRESS,
                                review_state=FollowUpAssessment.ReviewState.SUBMITTED)
    accepted = make_assessment(recommendation, owner_org, Status.IN_PROGRESS)
    evidence = EvidenceFile.objects.create(
        assessment=draft, file=ContentFile(b"%PDF-1.4", name="a.pdf"), name="a.pdf",
        content_type="application/pdf", size=8,
    )
    search = SavedSearch.objects.create(user=users["owner"], name="Mine", query="mechanism=CRC")
    return {"users": users, "recommendation": recommendation, "draft": draft,
            "submitted": submitted, "accepted": accepted, "evidence": evidence, "search": search}


def entry_data(version: int = 1) -> dict:
    return {"status": Status.IMPLEMENTED, "date": "2025-06-01", "summary": "Changed.",
            "version": version, "submit": ""}


# view -> (method, url, data) built from the world.
ACTIONS = {
    "log": lambda w: ("post", f"/recommendations/{w['recommendation'].pk}/follow-up/", entry_data()),
    "edit draft": lambda w: ("post", f"/follow-up/{w['draft'].pk}/edit/", entry_data()),
    "edit submitted": lambda w: ("post", f"/follow-up/{w['submitted'].pk}/edit/", entry_data()),
    "edit accepted": lambda w: ("post", f"/follow-up/{w['accepted'].pk}/edit/", entry_data()),
    "submit": lambda w: ("post", f"/follow-up/{w['draft'].pk}/submit/", {"version": 1}),
    "review accept": lambda w: ("post", f"/follow-up/{w['submitted'].pk}/review/",
                                {"decision": "accept", "note": "", "version": 1}),
    "review dispute": lambda w: ("post", f"/follow-up/{w['submitted'].pk}/review/",
                                 {"decision": "dispute", "note": "No.", "version": 1}),
    "review queue": lambda w: ("get", "/follow-up/review/", {}),
    "bulk log": lambda w: ("post", "/recommendations/follow-up/", {
        "recommendations": [w["recommendation"].pk], "status": Status.IMPLEMENTED,
        "date": "2025-06-01", "summary": "All done.", "submit": ""}),
    "download draft's file": lambda w: ("get", f"/follow-up/files/{w['evidence'].pk}/", {}),
    "save search": lambda w: ("post", "/recommendations/saved-searches/",
                              {"name": "Mine", "query": "mechanism=CRC"}),
    "delete owner's search": lambda w: (
        "post", f"/recommendations/saved-searches/{w['search'].pk}/delete/", {}
    ),
    # Keeps the member's language for their e-mails; anyone may switch the page's language.
    "switch language": lambda w: ("post", "/i18n/setlang/", {"language": "fr", "next": "/"}),
    "import recommendations": lambda w: (
        "get", "/admin/recommendations/recommendation/import/", {}
    ),
    "import document": lambda w: ("get", "/admin/tracker/document/import/", {}),
}


def a_document(kind: str = Document.Kind.LIST_OF_ISSUES) -> Document:
    return Document.objects.create(cycle=make_cycle(label="Admin"), kind=kind, symbol=f"CRC/{kind}")


# Object kind -> (admin URL prefix, a new object of the kind). Each is made only in its own cases.
ADMIN_OBJECTS = {
    "document": ("tracker/document", lambda w: a_document()),
    "reporting cycle": ("tracker/reportingcycle", lambda w: make_cycle(label="Admin")),
    "recommendation": ("recommendations/recommendation", lambda w: make_recommendation()),
    "framework": ("tracker/cooperationframework", lambda w: CooperationFramework.objects.create(
        organisation=make_organisation(kind="un"), country=w["recommendation"].country,
        title="UNSDCF", adopting_body=w["recommendation"].mechanism,
        status=CooperationFramework.Status.IN_FORCE,
    )),
    "field office": ("tracker/fieldoffice", lambda w: FieldOffice.objects.create(
        organisation=make_organisation(kind="un"), name="Office",
        seat_country=w["recommendation"].country,
    )),
    "milestone": ("tracker/milestone", lambda w: make_milestone(
        w["recommendation"].cycle, Milestone.Kind.DIALOGUE, planned_date=today()
    )),
    "list-of-issues paragraph": ("tracker/listofissuesparagraph", lambda w: (
        ListOfIssuesParagraph.objects.create(document=a_document(), number=1)
    )),
    "reply section": ("tracker/replysection", lambda w: ReplySection.objects.create(
        document=a_document(Document.Kind.REPLIES), order=1, heading="Reply",
    )),
}


def admin_action(page: str, prefix: str, make):
    def action(w: dict) -> tuple[str, str, dict]:
        if page == "add":
            return "get", f"/admin/{prefix}/add/", {}
        w["admin object"] = make(w)
        if page == "change":
            return "get", f"/admin/{prefix}/{w['admin object'].pk}/change/", {}
        return "post", f"/admin/{prefix}/{w['admin object'].pk}/delete/", {"post": "yes"}
    return action


for kind, (prefix, make) in ADMIN_OBJECTS.items():
    for page in ("add", "change", "delete"):
        ACTIONS[f"admin {page} {kind}"] = admin_action(page, prefix, make)

# Follow-up entries belong to their organisations and the reviewers: in the admin, Data entry may
# read them (the change page shows read-only) but not delete them.
ACTIONS["admin delete follow-up entry"] = admin_action(
    "delete", "recommendations/followupassessment",
    lambda w: make_assessment(w["recommendation"], make_organisation("Admin"), Status.IMPLEMENTED),
)

# One row per view; one column per user, in the order of USERS.
MATRIX = {
    #                        anonymous viewer  owner   other_ngo reviewer data_entry superuser
    "log":                   (LOGIN, DENIED, OK, OK, DENIED, DENIED, OK),
    "edit draft":            (LOGIN, DENIED, OK, DENIED, DENIED, DENIED, OK),
    "edit submitted":        (LOGIN, DENIED, OK, DENIED, DENIED, DENIED, OK),
    "edit accepted":         (LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
    "submit":                (LOGIN, DENIED, OK, DENIED, DENIED, DENIED, OK),
    # The superuser is a member of the owner's organisation: nobody reviews their own.
    "review accept":         (LOGIN, DENIED, DENIED, DENIED, OK, DENIED, DENIED),
    "review dispute":        (LOGIN, DENIED, DENIED, DENIED, OK, DENIED, DENIED),
    "review queue":          (LOGIN, DENIED, DENIED, DENIED, OK, DENIED, OK),
    "bulk log":              (LOGIN, DENIED, OK, OK, OK, DENIED, OK),
    "download draft's file": (LOGIN, DENIED, OK, DENIED, DENIED, DENIED, OK),
    "save search":           (LOGIN, OK, OK, OK, OK, OK, OK),
    "delete owner's search": (LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "switch language":       (OK, OK, OK, OK, OK, OK, OK),
    "import recommendations": (LOGIN, DENIED, DENIED, DENIED, DENIED, OK, OK),
    "import document":       (LOGIN, DENIED, DENIED, DENIED, DENIED, OK, OK),
    "admin delete follow-up entry": (LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, OK),
} | {
    f"admin {page} {kind}": (LOGIN, DENIED, DENIED, DENIED, DENIED, OK, OK)
    for kind in ADMIN_OBJECTS
    for page in ("add", "change", "delete")
}
CASES = [
    pytest.param(action, user, expected, id=f"{action}-{user}")
    for action, row in MATRIX.items()
    for user, expected in zip(USERS, row, strict=True)
]


@pytest.mark.parametrize("action,user,expected", CASES)
def test_permission(world, action, user, expected):
    client = Client()
    if world["users"][user] is not None:
        client.force_login(world["users"][user])
    method, url, data = ACTIONS[action](world)
    response = getattr(client, method)(url, data)
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif expected == DENIED:
        if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
            # The admin sends a signed-in user who is not staff to its sign-in page, which
            # refuses them.
            response = client.get(response["Location"])
        assert response.status_code == 403
    elif expected == NOT_FOUND:
        # Someone else's saved search is not there at all for them.
        assert response.status_code == 404
    else:
        # Allowed: the page, a download or a redirect after the write; never a refusal.
        assert response.status_code in (200, 302)
        assert not response.get("Location", "").startswith(("/accounts/login/", "/admin/login/"))
    if "admin object" in world and action.startswith("admin delete"):
        obj = world["admin object"]
        assert type(obj).objects.filter(pk=obj.pk).exists() == (expected != OK)


def test_a_refused_write_changes_nothing(world):
    client = Client()
    client.force_login(world["users"]["other_ngo"])
    client.post(f"/follow-up/{world['submitted'].pk}/edit/", entry_data())
    client.post(f"/follow-up/{world['submitted'].pk}/review/",
                {"decision": "accept", "note": "", "version": 1})
    submitted = FollowUpAssessment.objects.get(pk=world["submitted"].pk)
    assert (submitted.summary, submitted.review_state, submitted.version) == (
        world["submitted"].summary, FollowUpAssessment.ReviewState.SUBMITTED, 1
    )


def test_anonymous_visitors_may_read_when_public_read_is_on(world, settings):
    settings.TRACKER_PUBLIC_READ = True
    client = Client()
    assert client.get(world["recommendation"].get_absolute_url()).status_code == 200
    # Writing still needs an account.
    response = client.post(*ACTIONS["log"](world)[1:])
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # A draft's file stays the organisation's.
    response = client.get(f"/follow-up/files/{world['evidence'].pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/", "/recommendations/", "/cycles/", "/deadlines/", "/measures/"])
def test_anonymous_visitors_are_sent_to_sign_in_when_public_read_is_off(world, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_the_sign_in_page_and_the_language_switch_stay_open(world):
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
