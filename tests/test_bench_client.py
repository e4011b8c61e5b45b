import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from bench.client import Client, totp_code, totp_secret
from tests.helpers import make_user


def test_the_benchmark_computes_the_codes_allauth_expects():
    secret = totp_secret("a run's password")
    for at in (0, 1_790_000_000, 1_790_000_029, 1_790_000_030):
        assert totp_code(secret, at) == format_hotp_value(hotp_value(secret, at // 30))


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_client_signs_in_with_its_totp_code(live_server):
    user = make_user("bench", is_staff=True, is_superuser=True, mfa=False)
    user.set_password("a run's password")
    user.save()
    TOTP.activate(user, totp_secret("a run's password"))
    client = Client(int(live_server.url.rsplit(":", 1)[1]), timeout=30)
    client.log_in("bench", "a run's password")
    assert client.request("GET", "/admin/").status == 200
