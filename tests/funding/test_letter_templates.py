"""The letter-template editor: the state's approval and rejection texts, reset and preview."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from django.utils.functional import Promise
from pypdf import PdfReader

from councils.models import OrganisationKind, Role
from funding.letters import (
    DEFAULT_BODIES,
    DEFAULT_SUBJECTS,
    PLACEHOLDERS,
    render_letter,
    template_for,
)
from funding.models import FundingRequest, LetterKind, LetterTemplate, Programme
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, StateNetworkFactory
from tests.funding.factories import FundingWorld, funding_world

pytestmark = pytest.mark.django_db

LIST_URL = reverse("funding:letter_template_list")


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """The assertions read the English msgids; the portal's default language is German."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


def edit_url(kind: str = LetterKind.APPROVAL, query: str = "") -> str:
    return reverse("funding:letter_template_edit", kwargs={"kind": kind}) + query


def reset_url(kind: str = LetterKind.APPROVAL, query: str = "") -> str:
    return reverse("funding:letter_template_reset", kwargs={"kind": kind}) + query


def preview_url(kind: str = LetterKind.APPROVAL, query: str = "") -> str:
    return reverse("funding:letter_template_preview", kwargs={"kind": kind}) + query


def html_of(response: Any) -> str:
    return response.content.decode().replace("\N{NO-BREAK SPACE}", " ")


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages)
    return " ".join(text.replace("\N{NO-BREAK SPACE}", " ").split())


BODY = """Sehr geehrte Damen und Herren,

wir fördern „{{ projekt }}“ mit {{ betrag }} aus Mitteln des Landesrats.

Mit freundlichen Grüßen"""


def test_staff_see_both_templates_of_their_state(world: World) -> None:
    response = world.client("state_staff").get(LIST_URL)
    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<h1") == 1
    assert "<caption>Letter templates of Niedersachsen</caption>" in html
    assert "Approval letter" in html and "Rejection letter" in html
    assert edit_url(LetterKind.APPROVAL) in html and edit_url(LetterKind.REJECTION) in html
    assert preview_url(LetterKind.REJECTION) in html
    assert "Default text of the portal" in html and "Never changed" in html
    assert 'name="state"' not in html  # staff of one state have nothing to choose


def test_reading_the_templates_writes_nothing(world: World) -> None:
    LetterTemplate.objects.filter(state=world.state).delete()
    client = world.client("state_staff")

    for url in (LIST_URL, edit_url(), preview_url(), edit_url(LetterKind.REJECTION)):
        assert client.get(url).status_code == 200, url

    assert not LetterTemplate.objects.filter(state=world.state).exists()
    response = client.post(edit_url(), {"subject": "Bescheid", "body": BODY})
    assert response.status_code == 302
    saved = LetterTemplate.objects.get(state=world.state, kind=LetterKind.APPROVAL)
    assert (saved.subject, saved.body) == ("Bescheid", BODY)


@pytest.mark.parametrize(
    "role", ["coordinator", "member", "ngo_representative", "other_council_coordinator"]
)
def test_others_get_403(world: World, role: str) -> None:
    client = world.client(role)
    assert client.get(LIST_URL).status_code == 403
    assert client.get(edit_url()).status_code == 403
    assert client.post(edit_url(), {"subject": "x", "body": "y"}).status_code == 403
    assert client.post(reset_url()).status_code == 403
    assert client.get(preview_url()).status_code == 403
    assert not LetterTemplate.objects.exclude(subject__in=DEFAULT_SUBJECTS.values()).exists()


def test_an_unknown_kind_is_404(world: World) -> None:
    client = world.client("state_staff")
    for url in (edit_url("decision"), reset_url("approvals"), preview_url("x")):
        assert client.get(url).status_code == 404, url


def test_the_edit_page_lists_the_placeholders_translated(world: World) -> None:
    html = html_of(world.client("state_staff").get(edit_url()))
    assert html.count("<h1") == 1
    assert 'for="id_subject"' in html and 'for="id_body"' in html
    for name in PLACEHOLDERS:
        assert f"<code>{{{{ {name} }}}}</code>" in html
    assert "Name of the applicant council" in html
    assert "Zuwendungsbescheid – {{ projekt }}" in html  # the default, ready to change
    assert "Never changed" in html
    # Lazy, so that each page shows them in the language of its request.
    assert all(isinstance(meaning, Promise) for meaning in PLACEHOLDERS.values())


def test_staff_save_a_new_text_and_the_history_keeps_the_old(world: World) -> None:
    client = world.client("state_staff")
    response = client.post(edit_url(), {"subject": "Bescheid – {{ projekt }}", "body": BODY})
    assert response.status_code == 302
    assert response["Location"] == edit_url()
    template = LetterTemplate.objects.get(state=world.state, kind=LetterKind.APPROVAL)
    assert template.subject == "Bescheid – {{ projekt }}"
    assert template.body == BODY
    versions = list(template.history.order_by("history_date"))
    assert [v.history_type for v in versions] == ["+", "~"]
    assert versions[0].body == DEFAULT_BODIES[LetterKind.APPROVAL]
    assert versions[-1].history_user == world.users["state_staff"]
    html = html_of(client.get(edit_url()))
    staff = world.users["state_staff"]
    assert f"by {staff.get_full_name()}" in html
    assert "Reset to the default text" in html
    # The other state's letters are untouched.
    assert (
        not LetterTemplate.objects.filter(state=world.other_state)
        .exclude(body__in=DEFAULT_BODIES.values())
        .exists()
    )


def test_the_saved_text_is_what_the_letters_use(world: World, fw: FundingWorld) -> None:
    world.client("state_admin").post(edit_url(), {"subject": "Bescheid", "body": BODY})
    request = FundingRequest.objects.select_related("programme__state", "applicant").get(
        pk=fw.approved.pk
    )
    subject, body = render_letter(request, LetterKind.APPROVAL)
    assert subject == "Bescheid"
    assert "aus Mitteln des Landesrats" in body and fw.approved.title in body


def test_invalid_template_syntax_is_refused_at_the_field(world: World) -> None:
    client = world.client("state_staff")
    response = client.post(
        edit_url(), {"subject": "Bescheid {% endif %}", "body": "Text {% if auflagen %} offen"}
    )
    assert response.status_code == 200
    html = html_of(response)
    start = html.index('id="error-summary"')
    summary = html[start : html.index("</ul>", start)]
    assert summary.count("The text is not a valid template:") == 2
    assert 'href="#id_subject"' in summary and 'href="#id_body"' in summary
    assert "Unclosed tag on line 1: &#x27;if&#x27;" in summary
    assert "Text {% if auflagen %} offen" in html  # what was typed stays
    template = template_for(world.state.pk, LetterKind.APPROVAL)
    assert template.body == DEFAULT_BODIES[LetterKind.APPROVAL]


def test_an_unknown_placeholder_is_refused(world: World) -> None:
    response = world.client("state_staff").post(
        edit_url(), {"subject": "Bescheid", "body": "Betrag: {{ betrg }}, {{ betrag|default:'–' }}"}
    )
    assert response.status_code == 200
    html = html_of(response)
    assert "Unknown placeholder {{ betrg }}: use one of the placeholders listed." in html
    assert "{{ betrag" not in html.split("Unknown placeholder")[1].split("</li>")[0]


@pytest.mark.parametrize(
    "body",
    [
        '{% include "funding/pdf/letter.html" %}',
        '{% extends "base.html" %}',
        "{% url 'funding:programme_list' %}",
        "{% debug %}",
    ],
)
def test_tags_that_reach_beyond_the_letter_are_refused(world: World, body: str) -> None:
    response = world.client("state_staff").post(edit_url(), {"subject": "Bescheid", "body": body})
    assert response.status_code == 200
    assert "The tags include, extends, url and debug cannot be used in letters." in html_of(
        response
    )


def test_a_text_that_fails_when_rendered_is_refused(world: World) -> None:
    # Valid syntax, but the last argument must be a number: only rendering tells.
    body = "{% widthratio betrag beantragt projekt %}"
    response = world.client("state_staff").post(edit_url(), {"subject": "Bescheid", "body": body})
    assert response.status_code == 200
    assert "The text cannot be made into a letter:" in html_of(response)


def test_loop_variables_are_not_unknown_placeholders(world: World) -> None:
    body = "{% for word in projekt.split %}{{ word }} {{ forloop.counter }}{% endfor %}"
    body += " {% with name=empfaenger %}{{ name }}{% endwith %}"
    response = world.client("state_staff").post(edit_url(), {"subject": "Bescheid", "body": body})
    assert response.status_code == 302


def test_reset_asks_first_and_then_restores_the_default(world: World) -> None:
    client = world.client("state_staff")
    client.post(edit_url(LetterKind.REJECTION), {"subject": "Ablehnung", "body": "Leider nein."})
    response = client.get(reset_url(LetterKind.REJECTION))
    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<h1") == 1
    assert 'method="post"' in html
    template = LetterTemplate.objects.get(state=world.state, kind=LetterKind.REJECTION)
    assert template.subject == "Ablehnung"  # the confirmation page changes nothing

    response = client.post(reset_url(LetterKind.REJECTION))
    assert response.status_code == 302
    assert response["Location"] == edit_url(LetterKind.REJECTION)
    template.refresh_from_db()
    assert template.subject == DEFAULT_SUBJECTS[LetterKind.REJECTION]
    assert template.body == DEFAULT_BODIES[LetterKind.REJECTION]
    assert template.history.filter(body="Leider nein.").exists()


def test_the_preview_is_a_pdf_of_the_saved_text(world: World, fw: FundingWorld) -> None:
    client = world.client("state_staff")
    client.post(edit_url(), {"subject": "Bescheid über {{ betrag }}", "body": BODY})
    response = client.get(preview_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "aus Mitteln des Landesrats" in text
    # The newest decided request of the state is the sample.
    assert fw.approved.title in text
    assert world.council.name in text


def test_without_a_decided_request_the_preview_uses_an_unsaved_example(
    world: World, fw: FundingWorld
) -> None:
    client = world.client("state_staff")
    client.post(
        edit_url(LetterKind.REJECTION),
        {"subject": "Ablehnung", "body": "Wir lehnen „{{ projekt }}“ leider ab."},
    )
    requests, programmes = FundingRequest.objects.count(), Programme.objects.count()
    response = client.get(preview_url(LetterKind.REJECTION))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Wir lehnen „Example project“ leider ab." in text
    assert (FundingRequest.objects.count(), Programme.objects.count()) == (requests, programmes)


def test_a_state_without_programmes_gets_an_example_too(world: World) -> None:
    """No programme and no council yet: programme and applicant are made up in memory."""
    state = StateNetworkFactory(name="Bremen", slug="bremen", code="HB")
    staff = world.users["state_staff"]
    office = OrganisationFactory(
        state=state, kind=OrganisationKind.STATE_OFFICE, name="Landespräventionsrat Bremen"
    )
    MembershipFactory(user=staff, organisation=office, role=Role.STATE_STAFF)
    response = world.client("state_staff").get(preview_url(query=f"?state={state.pk}"))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Example programme" in text and "Example council" in text
    assert not Programme.objects.filter(state=state).exists()
    assert not FundingRequest.objects.filter(programme__state=state).exists()


def test_platform_admins_choose_the_state(world: World) -> None:
    client = world.client("platform_admin")
    html = html_of(client.get(LIST_URL))
    assert 'name="state"' in html
    query = f"?state={world.other_state.pk}"
    html = html_of(client.get(LIST_URL + query))
    assert "Letter templates of Mecklenburg-Vorpommern" in html
    assert edit_url(LetterKind.APPROVAL, query) in html
    response = client.post(edit_url(query=query), {"subject": "MV", "body": "Text MV"})
    assert response.status_code == 302
    assert response["Location"] == edit_url(query=query)
    assert LetterTemplate.objects.get(state=world.other_state, kind="approval").body == "Text MV"
    assert not LetterTemplate.objects.filter(state=world.state, body="Text MV").exists()


def test_staff_cannot_reach_another_states_templates(world: World) -> None:
    client = world.client("state_staff")
    query = f"?state={world.other_state.pk}"
    assert client.get(LIST_URL + query).status_code == 404
    assert client.post(edit_url(query=query), {"subject": "x", "body": "y"}).status_code == 404
    assert client.post(reset_url(query=query)).status_code == 404
    assert client.get(preview_url(query=query)).status_code == 404
    assert client.get(LIST_URL + "?state=abc").status_code == 404


def test_a_forged_state_in_the_form_is_ignored(world: World) -> None:
    response = world.client("state_staff").post(
        edit_url(), {"subject": "NI", "body": "Text NI", "state": str(world.other_state.pk)}
    )
    assert response.status_code == 302
    assert LetterTemplate.objects.get(body="Text NI").state == world.state


def test_staff_of_two_states_switch_between_them(world: World) -> None:
    staff = world.users["state_staff"]
    MembershipFactory(user=staff, organisation=world.other_state_office, role=Role.STATE_ADMIN)
    client = world.client("state_staff")
    html = html_of(client.get(LIST_URL))
    assert 'name="state"' in html
    # Without a choice: the state of the active membership (the first by state name here).
    assert "Letter templates of Mecklenburg-Vorpommern" in html
    home = staff.memberships.get(organisation=world.office)
    client.post(reverse("councils:switch_organisation"), {"membership": home.pk})
    assert "Letter templates of Niedersachsen" in html_of(client.get(LIST_URL))
    html = html_of(client.get(LIST_URL + f"?state={world.other_state.pk}"))
    assert "Letter templates of Mecklenburg-Vorpommern" in html


def test_the_programme_page_links_to_the_templates(world: World, fw: FundingWorld) -> None:
    html = html_of(world.client("state_staff").get(fw.programme.get_absolute_url()))
    link = f"{LIST_URL}?state={world.state.pk}"
    assert link in html
    assert world.client("state_staff").get(link).status_code == 200


def test_wrong_methods_get_405(world: World) -> None:
    client = world.client("state_staff")
    assert client.post(LIST_URL).status_code == 405
    assert client.post(preview_url()).status_code == 405
    assert client.put(edit_url()).status_code == 405
    assert client.delete(reset_url()).status_code == 405


def test_anonymous_visitors_are_sent_to_the_login(world: World) -> None:
    for url in (LIST_URL, edit_url(), reset_url(), preview_url()):
        response = world.client("anonymous").get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
