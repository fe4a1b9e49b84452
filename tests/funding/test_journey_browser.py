"""Issue 4's journey in a real browser, with axe on every page.

One request's whole life with three people: the coordinator drafts it step by step and
submits; the first staff member checks it, sends it to review and proposes the approval
(above the four-eyes threshold); the second staff member confirms; the coordinator opens
the letter, calls the money, and submits the proof of use; staff pay and close the file.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from councils.models import Role
from funding.models import FundingRequest, Payment, PaymentStatus
from funding.models import RequestStatus as S
from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401 (fixtures)
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory

from .factories import make_programme, today

pytestmark = pytest.mark.browser

PASSWORD = "geheim-123"


def _click(on: PortalPage, selector: str) -> None:
    """Click and wait for the next page, then check it (axe, one h1, no console errors)."""
    with on.page.expect_navigation():
        on.page.locator(selector).first.click()
    on.check()


def _continue(on: PortalPage) -> None:
    _click(on, "main button[name='action'][value='continue']")


def _submit_form(on: PortalPage, action: str) -> None:
    _click(on, f"main form[action$='{action}'] button[type='submit']")


def _submit_page_form(on: PortalPage) -> None:
    """Submit the page's own form (no action attribute: it posts to the page itself)."""
    _click(on, "main form:not([action]) button.btn-primary[type='submit']")


def _pdf_text(on: PortalPage, href: str) -> str:
    response = on.page.request.get(on.url(href))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_one_request_from_draft_to_closed_file(world: World, portal: PortalPage) -> None:  # noqa: F811
    programme = make_programme(
        world.state,
        title="Landesprogramm Kommunale Prävention",
        four_eyes_threshold=Decimal("500.00"),
        allows_early_start=True,
    )
    second = UserFactory(username="zweite-referentin", first_name="Zora", last_name="Zweit")
    MembershipFactory(user=second, organisation=world.office, role=Role.STATE_STAFF)
    page = portal.page
    start = max(
        datetime.date.today() + datetime.timedelta(days=7), datetime.date(programme.year, 1, 1)
    )
    end = min(start + datetime.timedelta(days=30), datetime.date(programme.year, 12, 31))

    # The coordinator starts a request from the programme and goes through the steps.
    portal.log_in("coordinator", PASSWORD)
    portal.goto(f"/foerderung/antraege/neu/?programme={programme.pk}")
    portal.check()
    page.locator("#id_title").fill("Mitternachtsfußball Hameln")
    _click(portal, "main form button[type='submit']")
    request = FundingRequest.objects.get(title="Mitternachtsfußball Hameln")
    assert request.status == S.DRAFT

    portal.goto(f"/foerderung/antraege/{request.pk}/schritt/1/")
    portal.check()
    page.locator("#id_description").fill("Fußball am Freitagabend in der Sporthalle Nord.")
    _continue(portal)
    page.locator("#id_aims").fill("Gewaltprävention durch Sport und Begegnung.")
    page.locator("#id_target_group").fill("Jugendliche von 14 bis 21 Jahren")
    page.locator("#id_topic").select_option("youth")
    page.locator("#id_region").select_option(str(world.council.region_id))
    _continue(portal)
    page.locator("#id_start_date").fill(start.isoformat())
    page.locator("#id_end_date").fill(end.isoformat())
    _continue(portal)
    page.locator("#id_form-0-category").select_option("fees")
    page.locator("#id_form-0-description").fill("Honorare Trainer")
    page.locator("#id_form-0-amount").fill("900,00")
    page.locator("#id_form-1-category").select_option("material")
    page.locator("#id_form-1-description").fill("Bälle und Leibchen")
    page.locator("#id_form-1-amount").fill("300,00")
    _continue(portal)
    assert "1.200,00" in page.locator("main").inner_text()  # the total is computed
    page.locator("#id_tier").select_option(str(programme.tiers.get(name="Kleinprojekt").pk))
    page.locator("#id_own_contribution").fill("200,00")
    page.locator("#id_third_party_funds").fill("0")
    _continue(portal)
    request.refresh_from_db()
    assert request.requested_amount == Decimal("1000.00")
    _continue(portal)  # attachments: none needed
    _submit_form(portal, f"/antraege/{request.pk}/einreichen/")
    request.refresh_from_db()
    assert request.status == S.SUBMITTED
    portal.log_out()

    # The first staff member checks, sends to review and proposes the approval.
    portal.log_in("state-staff", PASSWORD)
    portal.goto(f"/foerderung/antraege/{request.pk}/")
    portal.check()
    _submit_form(portal, f"/antraege/{request.pk}/pruefung/")
    _click(portal, f"main a[href$='/antraege/{request.pk}/begutachtung/']")
    _submit_page_form(portal)
    _click(portal, f"main a[href$='/antraege/{request.pk}/entscheidung/']")
    page.locator("input[name='decision'][value='approve']").check()
    page.locator("#id_conditions").fill("Öffentlichkeitsarbeit nennt das Land als Förderer.")
    _submit_page_form(portal)
    # The summary comes first; nothing is decided before the explicit confirmation.
    request.refresh_from_db()
    assert request.status == S.REVIEW
    assert "1.000,00" in page.locator("#decision-summary").inner_text()
    page.locator("#id_confirm").check()
    _submit_page_form(portal)
    request.refresh_from_db()
    assert request.status == S.AWAITING_CONFIRMATION
    portal.log_out()

    # The second staff member confirms: the amount is committed and the letter made.
    portal.log_in("zweite-referentin", PASSWORD)
    portal.goto(f"/foerderung/antraege/{request.pk}/bestaetigen/")
    portal.check()
    _submit_page_form(portal)
    request.refresh_from_db()
    programme.refresh_from_db()
    assert request.status == S.APPROVED
    assert request.decided_by == second and request.proposed_by == world.users["state_staff"]
    assert programme.committed == Decimal("1000.00")
    portal.log_out()

    # The coordinator opens the letter: amount, council and project are in it.
    portal.log_in("coordinator", PASSWORD)
    portal.goto(f"/foerderung/antraege/{request.pk}/")
    portal.check()
    letter = request.letters.get()
    href = f"/foerderung/antraege/{request.pk}/bescheide/{letter.pk}/"
    assert page.locator(f"main a[href$='{href}']").count() == 1
    text = _pdf_text(portal, href)
    assert "1.000,00" in text
    assert world.council.name in text
    assert "Mitternachtsfußball Hameln" in text

    # ... and calls the money in one instalment (the retained 10 % stays back).
    portal.goto(f"/foerderung/antraege/{request.pk}/mittelabruf/")
    portal.check()
    page.locator("#id_amount").fill("900,00")
    _submit_page_form(portal)
    payment = Payment.objects.get(request=request)
    assert payment.amount == Decimal("900.00")
    portal.log_out()

    # Staff release and pay it.
    portal.log_in("state-staff", PASSWORD)
    portal.goto(f"/foerderung/antraege/{request.pk}/")
    portal.check()
    _submit_form(portal, f"/zahlungen/{payment.pk}/freigeben/")
    _submit_form(portal, f"/zahlungen/{payment.pk}/bezahlt/")
    payment.refresh_from_db()
    request.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and request.status == S.PAID
    portal.log_out()

    # Time passes: the project has taken place (the proof of use can be written once it started).
    start, end = today() - datetime.timedelta(days=40), today() - datetime.timedelta(days=10)
    FundingRequest.objects.filter(pk=request.pk).update(start_date=start, end_date=end)

    # The coordinator submits the proof of use with two receipts.
    portal.log_in("coordinator", PASSWORD)
    portal.goto(f"/foerderung/antraege/{request.pk}/verwendungsnachweis/")
    portal.check()
    page.locator("#id_report").fill("Zwölf Abende, im Schnitt 25 Jugendliche.")
    page.locator("#id_actual_own_contribution").fill("200,00")
    page.locator("#id_actual_third_party_funds").fill("0")
    receipts = [
        ("fees", "Trainer Müller", "Honorar", "850,00"),
        ("material", "Sporthaus Hameln", "Bälle", "290,00"),
    ]
    for i, (category, payee, purpose, amount) in enumerate(receipts):
        if i:
            _click(portal, "main button[name='action'][value='add']")  # one more row
        page.locator(f"#id_receipts-{i}-date").fill(start.isoformat())
        page.locator(f"#id_receipts-{i}-payee").fill(payee)
        page.locator(f"#id_receipts-{i}-purpose").fill(purpose)
        page.locator(f"#id_receipts-{i}-category").select_option(category)
        page.locator(f"#id_receipts-{i}-amount").fill(amount)
    _click(portal, "main button[name='action'][value='submit']")
    request.refresh_from_db()
    assert request.status == S.PROOF_SUBMITTED, page.locator("main").inner_text()[:1500]
    portal.log_out()

    # Staff check the proof and close the file; the unspent rest returns to the budget.
    portal.log_in("state-staff", PASSWORD)
    portal.goto(f"/foerderung/antraege/{request.pk}/verwendungsnachweis/pruefen/")
    portal.check()
    _click(portal, "main button[name='action'][value='accept']")  # pays the retained 100 €
    request.refresh_from_db()
    programme.refresh_from_db()
    assert request.status == S.CLOSED
    assert request.paid_amount == Decimal("1000.00")
    assert programme.committed == programme.paid == Decimal("1000.00")
    assert [c.to_status for c in request.status_changes.order_by("at", "pk")] == [
        S.SUBMITTED,
        S.FORMAL_CHECK,
        S.REVIEW,
        S.AWAITING_CONFIRMATION,
        S.APPROVED,
        S.PAYMENT_REQUESTED,
        S.PAID,
        S.PROOF_SUBMITTED,
        S.CLOSED,
    ]
