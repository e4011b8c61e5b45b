import pytest
from django.core.management import call_command

from tests.helpers import (
    days,
    make_cycle,
    make_milestone,
    make_organisation,
    make_recommendation,
    make_user,
    today,
)
from tracker.accounts.models import Membership
from tracker.models import Country, Milestone

pytestmark = pytest.mark.django_db


def make_member(country: str = "KAZ", **fields):
    organisation = make_organisation(country=Country.objects.get(code=country))
    user = make_user(**fields)
    Membership.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def kaz_deadlines():
    cycle = make_cycle("KAZ", "CRC", "5-6")
    return {
        "overdue": make_milestone(
            cycle, Milestone.Kind.REPLIES_DUE, planned_date=today() - days(3)
        ),
        "soon": make_milestone(cycle, Milestone.Kind.DIALOGUE, planned_date=today() + days(20)),
        "later": make_milestone(
            cycle, Milestone.Kind.CONCLUDING_OBSERVATIONS_ADOPTED, planned_date=today() + days(60)
        ),
        "follow_up": make_recommendation(
            cycle, reference="23 (b)", follow_up=True, follow_up_due=today() + days(10)
        ),
    }


def test_it_sends_each_user_their_countries_deadlines(mailoutbox, kaz_deadlines):
    make_member("KAZ", email="aigerim@example.org")

    call_command(
        "send_deadline_digest", "--days", "30", "--base-url", "https://t.example/", verbosity=0
    )

    [message] = mailoutbox
    assert message.to == ["aigerim@example.org"]
    assert "1 overdue" in message.subject
    assert "CRC Kazakhstan 5-6: Replies due" in message.body
    assert "CRC Kazakhstan 5-6: Constructive dialogue" in message.body
    assert "CRC KAZ 23 (b): Follow-up due" in message.body
    # Beyond the 30 days asked for.
    assert "Concluding observations adopted" not in message.body
    assert f"https://t.example/cycles/{kaz_deadlines['soon'].cycle_id}/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "CRC Kazakhstan 5-6: Replies due" in html


def test_the_days_option_widens_the_window(mailoutbox, kaz_deadlines):
    make_member("KAZ", email="aigerim@example.org")

    call_command("send_deadline_digest", "--days", "90", verbosity=0)

    assert "Concluding observations adopted" in mailoutbox[0].body


def test_users_with_no_deadline_or_no_address_get_nothing(mailoutbox, kaz_deadlines):
    make_member("KGZ", email="kgz@example.org")  # no deadline in Kyrgyzstan
    make_member("KAZ", email="")
    make_member("KAZ", email="gone@example.org", is_active=False)
    make_user(email="nobody@example.org")  # in no organisation: follows no country

    call_command("send_deadline_digest", verbosity=0)

    assert mailoutbox == []


def test_it_sends_one_message_per_user(mailoutbox, kaz_deadlines):
    first = make_member("KAZ", email="a@example.org")
    second = make_member("KGZ", email="b@example.org")
    second.membership.countries.set(Country.objects.filter(code__in=["KAZ", "KGZ"]))

    call_command("send_deadline_digest", verbosity=0)

    assert sorted(message.to[0] for message in mailoutbox) == [first.email, second.email]


def test_each_user_reads_the_digest_in_their_own_language(mailoutbox, kaz_deadlines):
    french = make_member("KAZ", email="fr@example.org")
    Membership.objects.filter(user=french).update(language="fr")
    # No language chosen: the site's, English. Handled after the French member (pk order), so
    # French must not linger from one digest to the next.
    make_member("KAZ", email="en@example.org")

    call_command("send_deadline_digest", verbosity=0)

    messages = {message.to[0]: message for message in mailoutbox}
    in_french, in_english = messages["fr@example.org"], messages["en@example.org"]
    assert in_french.subject.startswith("Vos échéances : 1 dépassées")
    assert "Bonjour" in in_french.body
    assert "Échéance des réponses" in in_french.body
    assert "CRC KAZ 23 (b): Échéance du suivi" in in_french.body
    [(html, _mimetype)] = in_french.alternatives
    assert '<html lang="fr">' in html
    assert in_english.subject.startswith("Your deadlines: 1 overdue")
    assert "Hello" in in_english.body
    assert "Replies due" in in_english.body



def test_a_step_overtaken_by_a_later_one_is_not_in_the_digest(mailoutbox, kaz_deadlines):
    # The dialogue took place: the replies that were due before it are no longer overdue.
    dialogue = kaz_deadlines["soon"]
    dialogue.actual_date = today() - days(1)
    dialogue.save()
    make_member("KAZ", email="aigerim@example.org")

    call_command("send_deadline_digest", "--days", "30", verbosity=0)

    [message] = mailoutbox
    assert "0 overdue" in message.subject
    assert "Replies due" not in message.body
    assert "CRC KAZ 23 (b): Follow-up due" in message.body
