"""Notifications in the reader's language: stored as message ids with parameters."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from notifications import services
from notifications.messages import Money, Percent, format_money, format_percent, translatable
from notifications.models import Notification
from tests.factories import NotificationFactory, UserFactory

LIST = reverse("notifications:list")


def _client(user, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def readers(db):
    return (
        UserFactory(username="greta", email="greta@example.org", language="de"),
        UserFactory(username="emma", email="emma@example.org", language="en"),
    )


def _payment_notice(readers) -> list[Notification]:
    return services.notify_many(
        recipients=readers,
        kind="funding.payment_paid",
        subject=translatable(
            gettext_noop("Payment made: %(amount)s for %(title)s"),
            amount=Money("1000"),
            title="Sommerfest",
        ),
        body=translatable(
            gettext_noop("Proof of use due on %(due)s: %(title)s"),
            due=datetime.date(2026, 12, 5),
            title="Sommerfest",
        ),
        url="/dashboard/",
    )


def test_the_row_keeps_the_message_id_and_its_parameters(readers):
    notice = _payment_notice(readers)[0]
    notice.refresh_from_db()

    assert notice.subject_msgid == "Payment made: %(amount)s for %(title)s"
    assert notice.params["amount"] == {"t": "money", "v": "1000"}
    assert notice.params["due"] == {"t": "date", "v": "2026-12-05"}
    # The stored text is the default language's, for the admin and as a fallback.
    assert notice.subject == "Auszahlung erfolgt: 1.000,00\N{NO-BREAK SPACE}€ für Sommerfest"


def test_german_and_english_readers_see_the_list_in_their_language(readers):
    greta, emma = readers
    _payment_notice(readers)

    german = _client(greta, "de").get(LIST).content.decode()
    english = _client(emma, "en").get(LIST).content.decode()

    assert "Auszahlung erfolgt: 1.000,00\N{NO-BREAK SPACE}€ für Sommerfest" in german
    assert "05.12.2026" in german
    assert "Payment made: €1,000.00 for Sommerfest" in english
    assert "Proof of use due on 12/05/2026: Sommerfest" in english
    assert "Auszahlung" not in english


def test_the_same_row_follows_the_language_of_whoever_reads(readers):
    greta, _emma = readers
    _payment_notice([greta])

    english = _client(greta, "en").get(LIST).content.decode()

    assert "Payment made: €1,000.00 for Sommerfest" in english


def test_each_recipient_gets_the_email_in_their_language(
    readers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _payment_notice(readers)

    by_address = {message.to[0]: message for message in mail.outbox}
    german, english = by_address["greta@example.org"], by_address["emma@example.org"]
    assert german.subject == "Auszahlung erfolgt: 1.000,00 € für Sommerfest"  # one header line
    assert "Guten Tag" in german.body and "05.12.2026" in german.body
    assert english.subject == "Payment made: €1,000.00 for Sommerfest"
    assert "Hello" in english.body and "12/05/2026" in english.body
    assert "Auszahlung" not in english.body


def test_the_email_is_german_whatever_the_sender_reads(readers, django_capture_on_commit_callbacks):
    greta, _emma = readers
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        _payment_notice([greta])

    assert mail.outbox[0].subject.startswith("Auszahlung erfolgt")


def test_old_rows_without_a_message_id_show_their_stored_text(readers):
    _greta, emma = readers
    NotificationFactory(recipient=emma, subject="Antrag bewilligt", body="Alter Text")

    english = _client(emma, "en").get(LIST).content.decode()

    assert "Antrag bewilligt" in english and "Alter Text" in english


def test_a_row_whose_parameters_no_longer_fit_falls_back_to_the_stored_text(readers):
    _greta, emma = readers
    NotificationFactory(
        recipient=emma,
        subject="Zahlung für Sommerfest",
        subject_msgid="Payment made: %(amount)s for %(title)s",
        params={"title": "Sommerfest"},
    )

    english = _client(emma, "en").get(LIST).content.decode()

    assert "Zahlung für Sommerfest" in english


def test_plain_text_of_a_person_is_shown_as_written(readers):
    _greta, emma = readers
    services.notification_create(
        recipient=emma,
        kind="t",
        subject=translatable(gettext_noop("Funding request withdrawn: %(title)s"), title="X"),
        body="Bitte 100 % prüfen",
    )

    english = _client(emma, "en").get(LIST).content.decode()

    assert "Funding request withdrawn: X" in english
    assert "Bitte 100 % prüfen" in english


def test_conflicting_parameters_of_subject_and_text_are_refused(readers):
    with pytest.raises(ValueError):
        services.notify_many(
            recipients=readers,
            kind="t",
            subject=translatable(gettext_noop("Funding request withdrawn: %(title)s"), title="A"),
            body=translatable(gettext_noop("Proof of use submitted: %(title)s"), title="B"),
        )


@pytest.mark.parametrize(
    ("language", "money", "percent"),
    [
        ("de", "1.000,00\N{NO-BREAK SPACE}€", "4,17\N{NO-BREAK SPACE}%"),
        ("en", "€1,000.00", "4.17%"),
    ],
)
def test_money_and_percent_follow_the_language(language, money, percent):
    with translation.override(language):
        assert format_money(Decimal("1000")) == money
        assert format_percent(Percent("4.17")) == percent
        assert format_money(Decimal("-2.5")).startswith("-")


def test_switching_the_language_keeps_it_for_the_persons_emails(readers):
    greta, _emma = readers
    client = _client(greta, "de")

    response = client.post(reverse("set_language"), {"language": "en", "next": LIST})

    assert response.status_code == 302
    greta.refresh_from_db()
    assert greta.language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_language_not_offered_is_not_stored(readers):
    greta, _emma = readers
    _client(greta, "de").post(reverse("set_language"), {"language": "fr", "next": LIST})

    greta.refresh_from_db()
    assert greta.language == "de"


def test_new_people_read_german(db):
    assert UserFactory().language == settings.LANGUAGE_CODE == "de"
