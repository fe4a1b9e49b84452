"""Issue 12 point 8: the accessibility statement's parts, its feedback form, and the state admins'
list of the feedback (stored, notified to the state's admins only, answered with an audit entry)."""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.accessibility import local_path, rate_key
from accounts.models import AccessibilityFeedback
from audit.models import Action, AuditEntry
from councils.models import Role, User
from notifications.models import Notification
from tests.conftest import World, build_world
from tests.factories import MembershipFactory, OrganisationFactory, StateNetworkFactory, UserFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

STATEMENT = reverse("accessibility")
LIST = reverse("accounts:accessibility_feedback_list")
KIND = "accounts.accessibility_feedback"

_addresses = itertools.count(1)


@pytest.fixture(scope="module")
def shared_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """One world for the module; each test runs in a savepoint inside it (rolled back)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def w(shared_world: World) -> World:
    return copy.copy(shared_world)


def address() -> str:
    """An address of its own for each request series: the per-address limit starts at zero."""
    value = f"198.51.100.{next(_addresses) % 250 + 1}"
    cache.delete(rate_key(value))
    return value


def english(client: Client | None = None) -> Client:
    client = client or Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def german(client: Client | None = None) -> Client:
    client = client or Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    return client


def form_data(w: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "state": w.state.pk,
        "page": "/verzeichnis/",
        "message": "Der Kontrast der Schaltflächen ist zu schwach.",
        "name": "Erika Beispiel",
        "email": "erika@example.org",
        "wants_reply": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def send(client: Client, data: dict[str, Any], *, ip: str | None = None, **extra: Any) -> Any:
    return client.post(STATEMENT, data, REMOTE_ADDR=ip or address(), **extra)


def selected_state(html: str) -> str | None:
    select = re.search(r'<select name="state".*?</select>', html, re.S)
    assert select, "the form has no state field"
    chosen = re.search(r'<option value="(\d*)"[^>]*selected', select.group(0))
    return chosen.group(1) if chosen else None


# The statement ---------------------------------------------------------------------------------


def test_the_statement_names_the_standards_the_state_and_the_dates(w: World, settings: Any) -> None:
    settings.ACCESSIBILITY_STATEMENT = {
        **settings.ACCESSIBILITY_STATEMENT,
        "conformance": "partial",
        "prepared_on": "2026-11-01",
        "reviewed_on": "2026-12-01",
    }
    html = english().get(STATEMENT).content.decode()
    for text in ("BITV 2.0", "EN 301 549", "WCAG", "2.1", "level AA", "partially accessible"):
        assert text in html
    assert "Nov. 1, 2026" in html and "Dec. 1, 2026" in html
    assert "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz" in html
    assert reverse("easy_language") in html

    html = german().get(STATEMENT).content.decode()
    assert "<strong>teilweise barrierefrei</strong>" in html
    assert "1. November 2026" in html and "1. Dezember 2026" in html


@pytest.mark.parametrize(
    ("conformance", "english_label", "german_label"),
    [
        ("full", "fully accessible", "barrierefrei"),
        ("none", "not accessible", "nicht barrierefrei"),
    ],
)
def test_the_state_of_conformance_follows_the_settings(
    w: World, settings: Any, conformance: str, english_label: str, german_label: str
) -> None:
    settings.ACCESSIBILITY_STATEMENT = {
        **settings.ACCESSIBILITY_STATEMENT,
        "conformance": conformance,
    }
    assert f"<strong>{english_label}</strong>" in english().get(STATEMENT).content.decode()
    assert f"<strong>{german_label}</strong>" in german().get(STATEMENT).content.decode()


def test_the_known_non_conforming_parts_come_from_the_settings(w: World, settings: Any) -> None:
    settings.ACCESSIBILITY_STATEMENT = {
        **settings.ACCESSIBILITY_STATEMENT,
        "non_conforming": ["letters_pdf", "Videos haben noch keine Untertitel."],
    }
    html = english().get(STATEMENT).content.decode()
    assert "Content that is not accessible" in html
    assert "Funding notices (Bescheide) generated as PDF files" in html
    assert "Videos haben noch keine Untertitel." in html  # the operator's own words
    assert "Documents uploaded by councils" not in html
    german_html = german().get(STATEMENT).content.decode()
    assert "Förderbescheide" in german_html or "Bescheide" in german_html

    settings.ACCESSIBILITY_STATEMENT = {**settings.ACCESSIBILITY_STATEMENT, "non_conforming": []}
    assert "Content that is not accessible" not in english().get(STATEMENT).content.decode()


def test_the_statement_answers_other_methods_with_405(w: World) -> None:
    assert Client().put(STATEMENT).status_code == 405
    assert Client().delete(STATEMENT).status_code == 405


# The form: prefilled page and state ----------------------------------------------------------


def test_the_page_comes_from_the_parameter_or_the_referer(w: World) -> None:
    html = Client().get(STATEMENT, {"seite": "/foerderung/antraege/?status=draft"}).content
    assert b'value="/foerderung/antraege/?status=draft"' in html

    html = Client().get(STATEMENT, HTTP_REFERER="http://testserver/verzeichnis/").content
    assert b'name="page" value="/verzeichnis/"' in html


@pytest.mark.parametrize(
    "outside",
    [
        "https://evil.example/verzeichnis/",
        "//evil.example/x",
        "javascript:alert(1)",
        "/\\evil.example",
        "verzeichnis/",
        "/barrierefreiheit/",  # the statement itself says nothing about the page
    ],
)
def test_a_page_outside_the_portal_is_never_prefilled(w: World, outside: str) -> None:
    html = Client().get(STATEMENT, {"seite": outside}).content.decode()
    assert re.search(r'<input type="text" name="page"(?![^>]*value=)', html), outside
    html = Client().get(STATEMENT, HTTP_REFERER=outside).content.decode()
    assert re.search(r'<input type="text" name="page"(?![^>]*value=)', html), outside


def test_the_local_path_check() -> None:
    assert local_path("/a/b/?c=d", host="portal.example") == "/a/b/?c=d"
    assert local_path("https://portal.example/a/", host="portal.example") == "/a/"
    assert local_path("https://other.example/a/", host="portal.example") is None
    assert local_path("/a/\x00", host="portal.example") is None
    assert local_path("ftp://portal.example/a/", host="portal.example") is None


def test_anonymous_visitors_choose_the_state_themselves(w: World) -> None:
    assert selected_state(Client().get(STATEMENT).content.decode()) in (None, "")


@pytest.mark.parametrize(
    ("role", "state"),
    [("coordinator", "state"), ("state_admin", "state"), ("other_state_coordinator", "other")],
)
def test_signed_in_people_write_to_their_own_state_by_default(
    w: World, role: str, state: str
) -> None:
    expected = w.state if state == "state" else w.other_state
    html = w.client(role).get(STATEMENT).content.decode()
    assert selected_state(html) == str(expected.pk)


# The form: validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"state": None}, "state", "This field is required."),
        ({"state": 999999}, "state", "Select a valid choice."),
        ({"message": "   "}, "message", "This field is required."),
        ({"message": "x" * 5001}, "message", "at most 5000 characters"),
        ({"email": "", "wants_reply": "on"}, "email", "so that we can answer you"),
        ({"email": "keine-adresse"}, "email", "Enter a valid email address."),
        ({"page": "https://evil.example/"}, "page", "Enter the address of a page of this portal"),
    ],
)
def test_invalid_feedback_is_shown_again_with_the_errors(
    w: World, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = send(english(), form_data(w, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html and message in html
    assert f'href="#id_{field}"' in html
    assert not AccessibilityFeedback.objects.exists()


def test_an_inactive_state_cannot_be_chosen(w: World) -> None:
    closed = StateNetworkFactory(is_active=False)
    html = Client().get(STATEMENT).content.decode()
    assert closed.name not in html
    response = send(english(), form_data(w, state=closed.pk))
    assert response.status_code == 200 and not AccessibilityFeedback.objects.exists()


# Sending: stored, confirmed, notified ----------------------------------------------------------


def test_feedback_is_stored_confirmed_and_reaches_the_states_admins_only(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    admin, other_admin = w.users["state_admin"], w.users["other_state_admin"]
    User.objects.filter(pk=admin.pk).update(language="en")
    second_admin = UserFactory(username="zweite-admin", language="de")
    MembershipFactory(user=second_admin, organisation=w.office, role=Role.STATE_ADMIN)

    with django_capture_on_commit_callbacks(execute=True):
        response = send(german(), form_data(w, page="http://testserver/verzeichnis/?q=Hameln"))
    assert response.status_code == 302 and response["Location"] == STATEMENT

    feedback = AccessibilityFeedback.objects.get()
    assert feedback.state == w.state and feedback.sender is None
    assert feedback.page == "/verzeichnis/?q=Hameln"
    assert (feedback.name, feedback.email, feedback.wants_reply) == (
        "Erika Beispiel",
        "erika@example.org",
        True,
    )
    assert feedback.language == "de" and feedback.answered_at is None

    # In-app to each admin of the chosen state, nobody else (not the other state's admin, not
    # the platform admin, not the state's staff).
    notified = set(Notification.objects.filter(kind=KIND).values_list("recipient", flat=True))
    assert notified == {admin.pk, second_admin.pk}
    assert other_admin.pk not in notified
    # ... and by e-mail, in each reader's language.
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {admin.email, second_admin.email}
    english_mail, german_mail = by_address[admin.email], by_address[second_admin.email]
    assert english_mail.subject == f"Accessibility feedback for {w.state.name}"
    assert "who asks for an answer" in english_mail.body
    assert "Der Kontrast der Schaltflächen ist zu schwach." in english_mail.body
    assert german_mail.subject == f"Rückmeldung zur Barrierefreiheit für {w.state.name}"
    assert "bittet um eine Antwort" in german_mail.body
    assert LIST in german_mail.body


@pytest.mark.parametrize(
    ("language", "confirmation"),
    [
        ("en", "Thank you. Your message has been sent"),
        ("de", "Vielen Dank. Ihre Nachricht wurde an die Administration"),
    ],
)
def test_the_confirmation_is_in_the_visitors_language(
    w: World, language: str, confirmation: str
) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = send(client, form_data(w), follow=True)
    assert response.status_code == 200
    assert confirmation in response.content.decode()


def test_a_signed_in_sender_is_kept_and_may_stay_anonymous_otherwise(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    coordinator = w.users["coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            w.client("coordinator"),
            form_data(w, name="", email="", wants_reply=None, state=w.state.pk),
        )
    assert response.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.sender == coordinator and not feedback.wants_reply
    body = Notification.objects.filter(kind=KIND).first()
    assert body is not None
    with_english = english(w.client("state_admin")).get(reverse("notifications:list"))
    assert "From: not given" in with_english.content.decode()


def test_the_other_states_admins_get_what_is_sent_to_their_state(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        send(Client(), form_data(w, state=w.other_state.pk))
    recipients = list(Notification.objects.filter(kind=KIND).values_list("recipient", flat=True))
    assert recipients == [w.users["other_state_admin"].pk]


def test_a_state_without_admins_reaches_the_platform_admins(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    lonely = StateNetworkFactory(name="Saarland", slug="saarland", code="SL")
    OrganisationFactory(state=lonely, kind="state_office")
    with django_capture_on_commit_callbacks(execute=True):
        send(Client(), form_data(w, state=lonely.pk))
    recipients = list(Notification.objects.filter(kind=KIND).values_list("recipient", flat=True))
    assert recipients == [w.users["platform_admin"].pk]


def test_the_honeypot_is_hidden_and_a_robot_is_thanked_but_nothing_is_kept(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    html = Client().get(STATEMENT).content.decode()
    hidden = re.search(r'<div class="d-none" aria-hidden="true">(.*?)</div>', html, re.S)
    assert hidden and 'name="website"' in hidden.group(1) and 'tabindex="-1"' in hidden.group(1)

    with django_capture_on_commit_callbacks(execute=True):
        response = send(english(), form_data(w, website="https://spam.example"), follow=True)
    assert "Thank you. Your message has been sent" in response.content.decode()
    assert not AccessibilityFeedback.objects.exists()
    assert not Notification.objects.filter(kind=KIND).exists() and not mail.outbox


def test_one_address_may_send_only_a_few_messages_an_hour(w: World, settings: Any) -> None:
    settings.ACCESSIBILITY_FEEDBACK_PER_HOUR = 2
    ip = address()
    assert send(Client(), form_data(w), ip=ip).status_code == 302
    assert send(Client(), form_data(w, website="x"), ip=ip).status_code == 302  # robots count
    response = send(english(), form_data(w), ip=ip)
    assert response.status_code == 429
    assert "several messages within the last hour" in response.content.decode()
    assert "Der Kontrast der Schaltflächen" in response.content.decode()  # the text is kept
    assert AccessibilityFeedback.objects.count() == 1
    # Another address is not held up.
    assert send(Client(), form_data(w)).status_code == 302
    assert AccessibilityFeedback.objects.count() == 2


def test_invalid_attempts_do_not_use_up_the_limit(w: World, settings: Any) -> None:
    settings.ACCESSIBILITY_FEEDBACK_PER_HOUR = 1
    ip = address()
    for _ in range(3):
        assert send(Client(), form_data(w, message=""), ip=ip).status_code == 200
    assert send(Client(), form_data(w), ip=ip).status_code == 302


# The state admins' list ------------------------------------------------------------------------


def _feedback(state: Any, n: int = 1, **fields: Any) -> list[AccessibilityFeedback]:
    return [
        AccessibilityFeedback.objects.create(
            state=state, page=f"/seite-{i}/", message=f"Meldung {i}", **fields
        )
        for i in range(n)
    ]


def test_state_admins_see_their_states_feedback_newest_first(w: World) -> None:
    older, newer = _feedback(w.state, 2)
    AccessibilityFeedback.objects.filter(pk=older.pk).update(
        created_at=newer.created_at.replace(year=2025)
    )
    _feedback(w.other_state, 1, name="Fremde Meldung")

    html = english(w.client("state_admin")).get(LIST).content.decode()
    assert html.index(f"/seite-{1}/") < html.index(f"/seite-{0}/")  # newest first
    assert "Fremde Meldung" not in html
    assert "State network</dt>" not in html  # one state: no column for it

    html = english(w.client("other_state_admin")).get(LIST).content.decode()
    assert "Fremde Meldung" in html and "/seite-1/" not in html

    html = english(w.client("platform_admin")).get(LIST).content.decode()
    assert "Fremde Meldung" in html and "/seite-1/" in html
    assert "State network</dt>" in html


def test_the_list_filters_open_and_answered_and_pages(w: World) -> None:
    rows = _feedback(w.state, 27)
    AccessibilityFeedback.objects.filter(pk=rows[0].pk).update(
        answered_at=rows[0].created_at, answered_by=w.users["state_admin"]
    )
    client = english(w.client("state_admin"))
    assert "27 results" in client.get(LIST).content.decode()
    assert "26 results" in client.get(LIST, {"status": "open"}).content.decode()
    answered = client.get(LIST, {"status": "answered"}).content.decode()
    assert "1 result" in answered and "Mark as answered" not in answered
    second = client.get(LIST, {"page": 2}).content.decode()
    assert "Page 2 of 2" in second
    assert client.get(LIST, {"status": "nonsense"}).status_code == 200


def test_the_list_speaks_german_and_english(w: World) -> None:
    _feedback(w.state, 1, wants_reply=True, email="erika@example.org")
    html = german(w.client("state_admin")).get(LIST).content.decode()
    assert "Rückmeldungen zur Barrierefreiheit" in html and "Als beantwortet markieren" in html
    html = english(w.client("state_admin")).get(LIST).content.decode()
    assert "Accessibility feedback" in html and "Mark as answered" in html
    assert "mailto:erika@example.org" in html


def test_the_user_menu_leads_state_admins_to_the_list(w: World) -> None:
    assert LIST in w.client("state_admin").get(reverse("dashboard")).content.decode()
    assert LIST not in w.client("coordinator").get(reverse("dashboard")).content.decode()


def test_the_list_does_not_grow_in_queries(w: World) -> None:
    client = w.client("platform_admin")
    _feedback(w.state, 1, sender=w.users["coordinator"])

    def grow() -> None:
        for state in (w.state, w.other_state):
            for row in _feedback(state, 3, sender=UserFactory(), name="N"):
                AccessibilityFeedback.objects.filter(pk=row.pk).update(
                    answered_at=row.created_at, answered_by=UserFactory()
                )

    assert_constant_queries(lambda: client.get(LIST), grow, max_queries=12)


def test_the_statement_page_needs_few_queries(w: World, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(2):
        assert Client().get(STATEMENT).status_code == 200
    client = w.client("coordinator")
    client.get(STATEMENT)
    with django_assert_max_num_queries(8):
        assert client.get(STATEMENT).status_code == 200


# Marking answered ------------------------------------------------------------------------------


def test_marking_answered_records_who_and_writes_the_audit_log(w: World) -> None:
    (feedback,) = _feedback(w.state)
    url = reverse("accounts:accessibility_feedback_answered", kwargs={"pk": feedback.pk})
    client = english(w.client("state_admin"))

    response = client.post(url, {"status": "open"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?status=open"
    feedback.refresh_from_db()
    assert feedback.answered_by == w.users["state_admin"] and feedback.answered_at is not None
    entry = AuditEntry.objects.get(action=Action.ACCESSIBILITY_FEEDBACK_ANSWERED)
    assert entry.state == w.state and entry.target_id == str(feedback.pk)
    assert entry.actor == w.users["state_admin"]
    assert "The message is marked as answered." in client.get(LIST).content.decode()

    # Once is enough: a second click changes nothing and writes no second entry.
    first = feedback.answered_at
    assert w.client("platform_admin").post(url).status_code == 302
    feedback.refresh_from_db()
    assert feedback.answered_at == first and feedback.answered_by == w.users["state_admin"]
    assert AuditEntry.objects.filter(action=Action.ACCESSIBILITY_FEEDBACK_ANSWERED).count() == 1


def test_another_states_feedback_cannot_be_marked(w: World) -> None:
    (feedback,) = _feedback(w.other_state)
    url = reverse("accounts:accessibility_feedback_answered", kwargs={"pk": feedback.pk})
    assert w.client("state_admin").post(url).status_code == 404
    assert w.client("state_staff").post(url).status_code == 403
    assert w.client("other_state_admin").get(url).status_code == 405
    feedback.refresh_from_db()
    assert feedback.answered_at is None


# Privacy -------------------------------------------------------------------------------------


def test_the_senders_feedback_is_in_their_export_and_loses_them_on_erasure(w: World) -> None:
    from accounts.privacy import erase_person, personal_data

    member = w.users["member"]
    (feedback,) = _feedback(w.state, sender=member, name="Max", email="max@example.org")
    exported = personal_data(member)["accessibility_feedback"]
    assert [row["id"] for row in exported] == [feedback.pk]

    erase_person(person=member, by=w.users["state_admin"])
    feedback.refresh_from_db()
    assert (feedback.sender, feedback.name, feedback.email) == (None, "", "")
    assert feedback.message == "Meldung 0"
