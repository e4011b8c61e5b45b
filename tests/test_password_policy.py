import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.helpers import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", [
    "seven c",  # too short
    "password123",  # on the common-password list
    "12345678901234",  # only digits
])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


SIXTY_FOUR = ("correct horse battery staple " * 3)[:64]


@pytest.mark.parametrize("password", ["ample ok", SIXTY_FOUR, SIXTY_FOUR * 2])
def test_passwords_of_eight_characters_or_more_are_accepted_with_no_maximum(password):
    validate_password(password)


def test_the_password_change_page_applies_the_policy(client):
    user = make_user("aliya")
    client.force_login(user)
    response = client.post("/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": "password123", "password2": "password123",
    })
    assert "This password is too common." in response.content.decode()
    assert len(SIXTY_FOUR) == 64
    client.post("/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": SIXTY_FOUR, "password2": SIXTY_FOUR,
    })
    user.refresh_from_db()
    assert user.check_password(SIXTY_FOUR)
