import pytest
from django.core.management import call_command
from django.utils import translation

from recommendations.management.commands.load_demo import REFERENCE_FIXTURES
from tests.helpers import give_totp
from tracker.models import Country


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The reference lists (countries, mechanisms, taxonomies) are loaded once for the session;
    # each test's transaction is rolled back on top of them.
    with django_db_blocker.unblock():
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)


@pytest.fixture
def reference_data(db):
    # Tests with transactional_db (browser tests) flush the database: load the lists again.
    if not Country.objects.exists():
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)


@pytest.fixture(autouse=True)
def english():
    # A request in French leaves French active in this thread; each test starts in English.
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def admin_user(admin_user):
    # pytest-django's superuser (admin_client's) must use MFA: set up as make_user's are.
    give_totp(admin_user)
    return admin_user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default hasher is slow on purpose, against attackers; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def public_read(settings):
    # Most view tests read pages as an anonymous visitor; the tests of sign-in switch it off.
    settings.TRACKER_PUBLIC_READ = True
