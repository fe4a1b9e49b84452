"""The funding parts of the dashboards: the state office's work, the council's next steps, votes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from councils.models import User
from funding import decisions, payments, services
from funding.dashboard import (
    CouncilFundingSummary,
    CouncilRow,
    council_funding_summary,
    last_end_with_proof_due_before,
    reviewer_tasks,
    state_funding_summary,
)
from funding.models import (
    PROOF_DUE_MONTHS,
    Decision,
    FundingRequest,
    Programme,
    Vote,
    add_months,
)
from funding.models import RequestStatus as S
from tests.conftest import World
from tests.funding.access_money import other_approved, paid, submitted_proof
from tests.funding.bulk import bulk_requests
from tests.funding.factories import (
    FundingWorld,
    advance,
    funding_world,
    make_draft,
    make_programme,
    today,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def dashboard(world: World, role: str) -> tuple[str, dict]:
    response = english(world.client(role)).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    return html, response.context


def list_url(status: str) -> str:
    return f"{reverse('funding:request_list')}?status={status}"


def approved(world: World, fw: FundingWorld, title: str) -> FundingRequest:
    coordinator = world.users["coordinator"]
    return advance(
        make_draft(fw.programme, world.council, coordinator, title=title),
        "approved",
        applicant=coordinator,
        staff=world.users["state_staff"],
    )


def ended(request: FundingRequest, end: datetime.date) -> FundingRequest:
    """Move the project period so that it ends on the day."""
    FundingRequest.objects.filter(pk=request.pk).update(
        start_date=end - datetime.timedelta(days=30), end_date=end
    )
    request.refresh_from_db()
    return request


def proposed(world: World, fw: FundingWorld) -> FundingRequest:
    """A large request whose approval state_staff proposed (four-eyes: above 5.000 €)."""
    coordinator = world.users["coordinator"]
    request = advance(
        make_draft(
            fw.programme,
            world.council,
            coordinator,
            title="Großes Projekt",
            costs=Decimal("8000.00"),
            own=Decimal("1000.00"),
            large=True,
        ),
        "review",
        applicant=coordinator,
        staff=world.users["state_staff"],
    )
    request = decisions.request_decide(
        request=request, by=world.users["state_staff"], decision=Decision.APPROVE
    )
    assert request.status == S.AWAITING_CONFIRMATION
    return request


def returned(world: World, fw: FundingWorld, reason: str) -> FundingRequest:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    request = advance(
        make_draft(fw.programme, world.council, coordinator, title="Zurückgegeben"),
        "formal_check",
        applicant=coordinator,
        staff=staff,
    )
    return services.request_return(request=request, by=staff, reason=reason)


# The proof's due date in SQL ------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2025, 8, 31),
        datetime.date(2025, 3, 1),
        datetime.date(2024, 2, 29),
        datetime.date(2025, 12, 31),
        datetime.date(2026, 1, 15),
    ],
)
def test_the_last_end_matches_proof_due(day: datetime.date) -> None:
    last = last_end_with_proof_due_before(day)
    assert add_months(last, PROOF_DUE_MONTHS) < day
    assert add_months(last + datetime.timedelta(days=1), PROOF_DUE_MONTHS) >= day


# The state office ----------------------------------------------------------------------------


@pytest.fixture
def state_work(world: World, fw: FundingWorld) -> dict[str, FundingRequest]:
    """Requests of the first state in every step that waits for the state office."""
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    work = {
        "formal_check": advance(
            make_draft(fw.programme, world.council, coordinator, title="In Prüfung"),
            "formal_check",
            applicant=coordinator,
            staff=staff,
        ),
        "proposed": proposed(world, fw),
    }
    # fw.approved: a payment requested; another approved request: a payment released.
    payments.payment_request(request=fw.approved, amount=Decimal("100.00"), by=coordinator)
    released = approved(world, fw, "Freigegeben")
    payment = payments.payment_request(request=released, amount=Decimal("200.00"), by=coordinator)
    payments.payment_release(payment=payment, by=staff)
    work["proof"] = submitted_proof(
        approved(world, fw, "Nachweis"), coordinator, staff, pay=Decimal("300.00")
    )
    repayment = submitted_proof(
        approved(world, fw, "Rückforderung"), coordinator, staff, pay=Decimal("300.00")
    )
    work["repayment"] = payments.proof_demand_repayment(
        request=repayment, by=staff, amount=Decimal("100.00"), reason="Belege fehlen"
    )
    work["overdue"] = ended(approved(world, fw, "Überfällig"), add_months(today(), -7))
    ended(approved(world, fw, "Bald fällig"), add_months(today(), -5))  # due, but not yet
    # The second state: overdue and submitted too, never counted for the first.
    ended(other_approved(world), add_months(today(), -8))
    return work


def test_the_pipeline_counts_each_status_without_drafts(
    world: World, fw: FundingWorld, state_work: dict
) -> None:
    summary = state_funding_summary(world.state, world.users["state_staff"])

    counts = {row.status: row.count for row in summary.pipeline}
    assert S.DRAFT not in counts
    assert counts == {
        S.SUBMITTED: 2,  # fw.submitted and the other council's
        S.FORMAL_CHECK: 1,
        S.RETURNED: 0,
        S.REVIEW: 1,
        S.AWAITING_CONFIRMATION: 1,
        S.APPROVED: 2,  # overdue and due later
        S.REJECTED: 0,
        S.WITHDRAWN: 0,
        S.PAYMENT_REQUESTED: 2,
        S.PAID: 0,
        S.PROOF_SUBMITTED: 1,
        S.REPAYMENT_DEMANDED: 1,
        S.CLOSED: 0,
    }
    assert summary.total == 11


def test_what_waits_for_the_state_office(world: World, fw: FundingWorld, state_work: dict) -> None:
    summary = state_funding_summary(world.state, world.users["state_admin"])

    assert {item.key: item.count for item in summary.waiting} == {
        "submitted": 2,
        "formal_check": 1,
        "review": 1,
        "to_confirm": 1,  # proposed by state_staff, confirmed by the admin
        "to_release": 1,
        "to_mark_paid": 1,
        "proof_to_check": 1,
        "proof_overdue": 1,
        "repayment": 1,
    }
    assert summary.overdue == [state_work["overdue"]]


def test_the_dashboard_links_each_waiting_count_to_the_request_list(
    world: World, fw: FundingWorld, state_work: dict
) -> None:
    html, context = dashboard(world, "state_admin")

    assert context["funding_summary"].count("submitted") == 2
    for status in (
        S.SUBMITTED,
        S.FORMAL_CHECK,
        S.REVIEW,
        S.AWAITING_CONFIRMATION,
        S.PAYMENT_REQUESTED,
        S.PROOF_SUBMITTED,
        S.REPAYMENT_DEMANDED,
    ):
        assert f'href="{list_url(status)}"' in html
    # Overdue proofs have no status of their own: they are listed by name.
    assert 'href="#funding-overdue-heading"' in html
    assert reverse("funding:request_detail", args=[state_work["overdue"].pk]) in html
    assert reverse("funding:statistics") + f"?state={world.state.pk}" in html


def test_the_four_eyes_item_is_for_the_second_person_only(world: World, fw: FundingWorld) -> None:
    request = proposed(world, fw)

    proposer = state_funding_summary(world.state, world.users["state_staff"])
    second = state_funding_summary(world.state, world.users["state_admin"])

    assert proposer.count("to_confirm") == 0
    assert second.count("to_confirm") == 1
    proposer_html, _ = dashboard(world, "state_staff")
    second_html, _ = dashboard(world, "state_admin")
    assert list_url(S.AWAITING_CONFIRMATION) not in proposer_html
    assert f'href="{list_url(S.AWAITING_CONFIRMATION)}"' in second_html

    decisions.request_confirm(request=request, by=world.users["state_admin"])
    assert state_funding_summary(world.state, world.users["state_admin"]).count("to_confirm") == 0


def test_another_states_requests_never_appear(
    world: World, fw: FundingWorld, state_work: dict
) -> None:
    html, _ = dashboard(world, "state_staff")
    assert "Rostock" not in html
    assert "Landesprogramm MV" not in html

    other = state_funding_summary(world.other_state, world.users["other_state_admin"])
    assert other.count("submitted") == 1  # only Rostock's
    assert other.count("proof_overdue") == 1
    assert other.total == 2
    assert [row.programme for row in other.budgets] == [fw.other_programme]
    other_html, _ = dashboard(world, "other_state_admin")
    assert "Hameln" not in other_html
    assert "Landesprogramm Prävention" not in other_html


def test_budget_use_of_this_and_last_year(world: World, fw: FundingWorld, state_work: dict) -> None:
    year = today().year
    last_year = make_programme(world.state, title="Vorjahr", year=year - 1, budget=Decimal(8000))
    make_programme(world.state, title="Vorvorjahr", year=year - 2)
    Programme.objects.filter(pk=last_year.pk).update(committed=Decimal(2000), paid=Decimal(500))

    summary = state_funding_summary(world.state, world.users["state_staff"])

    assert [row.programme.title for row in summary.budgets] == [
        "Landesprogramm Prävention",
        "Vorjahr",
    ]
    programme = Programme.objects.get(pk=fw.programme.pk)
    current, previous = summary.budgets
    assert current.programme.committed == programme.committed > 0
    assert current.programme.paid == programme.paid > 0
    assert current.share_used == (programme.committed * 100 / programme.budget).quantize(
        Decimal("0.1")
    )
    assert previous.share_used == Decimal("25.0")
    html, _ = dashboard(world, "state_staff")
    assert "€8,000.00" in html  # budget
    assert "€6,000.00" in html  # remaining
    assert "25%" in html
    assert "Vorvorjahr" not in html


def test_an_empty_state_says_so(world: World) -> None:
    html, context = dashboard(world, "state_staff")
    assert context["funding_summary"].total == 0
    assert "No funding requests yet." in html
    assert "No funding programme for" in html


def test_a_proof_is_overdue_from_the_day_after_it_is_due(world: World, fw: FundingWorld) -> None:
    request = ended(approved(world, fw, "Stichtag"), add_months(today(), -7))
    due = request.proof_due
    assert due is not None

    on_the_day = state_funding_summary(world.state, world.users["state_staff"], today=due)
    day_after = state_funding_summary(
        world.state, world.users["state_staff"], today=due + datetime.timedelta(days=1)
    )

    assert on_the_day.count("proof_overdue") == 0
    assert day_after.count("proof_overdue") == 1
    assert day_after.overdue == [request]


# The council ---------------------------------------------------------------------------------


@pytest.fixture
def council_work(world: World, fw: FundingWorld) -> dict[str, FundingRequest]:
    """The first council's requests in every state that asks something of it."""
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    soon = ended(approved(world, fw, "Bald fällig"), add_months(today(), -5))
    overdue = ended(approved(world, fw, "Überfällig"), add_months(today(), -7))
    paid(overdue, coordinator, staff, Decimal("720.00"))  # all that may be paid before the proof
    repayment = submitted_proof(
        approved(world, fw, "Rückforderung"), coordinator, staff, pay=Decimal("300.00")
    )
    repayment = payments.proof_demand_repayment(
        request=repayment, by=staff, amount=Decimal("150.00"), reason="Belege fehlen"
    )
    return {
        "returned": returned(world, fw, "Bitte den Kostenplan ergänzen."),
        "soon": soon,
        "overdue": overdue,
        "repayment": repayment,
    }


def _row(summary: CouncilFundingSummary, request: FundingRequest) -> CouncilRow:
    return next(row for row in summary.rows if row.request.pk == request.pk)


def test_the_council_sees_what_is_due_next(
    world: World, fw: FundingWorld, council_work: dict
) -> None:
    summary = council_funding_summary(world.council, world.users["coordinator"])

    assert summary.counts == {
        "draft": 1,
        "returned": 1,
        "call_money": 2,  # fw.approved and the one due soon; the overdue one is paid out
        "proof_soon": 1,
        "proof_overdue": 1,
        "repayment": 1,
    }
    kinds = {row.request.pk: [step.kind for step in row.next_steps] for row in summary.rows}
    assert kinds[fw.draft.pk] == ["draft"]
    assert kinds[council_work["returned"].pk] == ["returned"]
    assert kinds[fw.approved.pk] == ["call_money"]
    assert kinds[council_work["soon"].pk] == ["proof_soon", "call_money"]
    assert kinds[council_work["overdue"].pk] == ["proof_overdue"]
    assert kinds[council_work["repayment"].pk] == ["repayment"]
    assert kinds[fw.submitted.pk] == kinds[fw.in_review.pk] == []
    # The most urgent first.
    assert summary.rows[0].request == council_work["overdue"]
    assert _row(summary, council_work["returned"]).next_steps[0].reason == (
        "Bitte den Kostenplan ergänzen."
    )
    assert _row(summary, fw.approved).next_steps[0].amount == Decimal("720.00")
    assert _row(summary, council_work["repayment"]).next_steps[0].amount == Decimal("150.00")
    overdue = _row(summary, council_work["overdue"]).next_steps[0]
    assert overdue.due == council_work["overdue"].proof_due < today()
    assert fw.other_council_request.pk not in kinds
    assert summary.open_count == 8
    assert summary.finished_count == 0


def test_due_soon_means_within_eight_weeks(world: World, fw: FundingWorld) -> None:
    request = ended(approved(world, fw, "Acht Wochen"), add_months(today(), -4))
    due = request.proof_due
    assert due is not None
    coordinator = world.users["coordinator"]

    def kinds(day: datetime.date) -> list[str]:
        summary = council_funding_summary(world.council, coordinator, today=day)
        return [step.kind for step in _row(summary, request).next_steps]

    assert "proof_soon" not in kinds(due - datetime.timedelta(days=57))
    assert "proof_soon" in kinds(due - datetime.timedelta(days=56))
    assert "proof_soon" in kinds(due)
    assert kinds(due + datetime.timedelta(days=1))[0] == "proof_overdue"


def test_the_coordinator_gets_links_to_act(
    world: World, fw: FundingWorld, council_work: dict
) -> None:
    html, context = dashboard(world, "coordinator")

    assert context["funding_summary"].is_coordinator
    assert f'href="{reverse("funding:request_create")}"' in html
    assert reverse("funding:request_step", args=[fw.draft.pk, fw.draft.last_step + 1]) in html
    assert "Bitte den Kostenplan ergänzen." in html
    assert reverse("funding:payment_request", args=[fw.approved.pk]) in html
    assert reverse("funding:proof_edit", args=[council_work["overdue"].pk]) in html
    overdue_due = council_work["overdue"].proof_due.strftime("%m/%d/%Y")  # English
    assert f"Proof of use overdue since {overdue_due}" in html
    soon_due = council_work["soon"].proof_due.strftime("%m/%d/%Y")
    assert f"Proof of use due on {soon_due}" in html
    assert "Pay back €150.00" in html
    assert "€720.00 can be called" in html
    for text in (
        "1 proof of use overdue",
        "1 repayment demanded",
        "1 returned request to change",
        "1 proof of use due soon",
        "1 draft to finish",
        "2 requests with money to call",
    ):
        assert text in html
    # The open programmes of the state, with their deadlines.
    assert [p.pk for p in context["funding_summary"].programmes] == [fw.programme.pk]
    assert f"{reverse('funding:request_create')}?programme={fw.programme.pk}" in html
    assert fw.programme.deadline.strftime("%m/%d/%Y") in html
    assert "Landesprogramm MV" not in html
    assert "Lüneburg</a>" not in html  # the other council's request


def test_members_read_the_requests_without_acting(
    world: World, fw: FundingWorld, council_work: dict
) -> None:
    html, context = dashboard(world, "member")

    summary = context["funding_summary"]
    assert not summary.is_coordinator
    assert summary.programmes == []
    assert summary.counts["draft"] == 1
    assert all(step.url == "" for row in summary.rows for step in row.next_steps)
    assert "Bitte den Kostenplan ergänzen." in html
    assert reverse("funding:request_create") not in html
    assert reverse("funding:payment_request", args=[fw.approved.pk]) not in html
    assert reverse("funding:request_step", args=[fw.draft.pk, fw.draft.last_step + 1]) not in html
    assert reverse("funding:request_detail", args=[fw.approved.pk]) in html


def test_finished_requests_are_counted_not_listed(world: World, fw: FundingWorld) -> None:
    services.request_withdraw(request=fw.submitted, by=world.users["coordinator"])

    summary = council_funding_summary(world.council, world.users["coordinator"])

    assert summary.finished_count == 1
    assert fw.submitted.pk not in {row.request.pk for row in summary.rows}


def test_a_council_waiting_for_the_state_office_has_nothing_due(
    world: World, fw: FundingWorld
) -> None:
    html, context = dashboard(world, "other_council_coordinator")
    summary = context["funding_summary"]
    assert [row.request for row in summary.rows] == [fw.other_council_request]
    assert summary.rows[0].waiting_for == "state_office"
    assert "Nothing is due from the council at the moment." in html
    assert "The state office is working on the request." in html


def test_a_council_without_requests_says_so(world: World) -> None:
    html, context = dashboard(world, "coordinator")
    assert context["funding_summary"].total == 0
    assert "No funding requests yet." in html
    assert "No programme accepts requests at the moment." in html


def test_the_other_states_council_sees_only_its_own(world: World, fw: FundingWorld) -> None:
    summary = council_funding_summary(
        world.other_state_council, world.users["other_state_coordinator"]
    )
    assert [row.request for row in summary.rows] == [fw.other_state_request]
    assert [p.pk for p in summary.programmes] == [fw.other_programme.pk]


# Reviewers -----------------------------------------------------------------------------------


def _assign(world: World, fw: FundingWorld, role: str) -> User:
    reviewer = world.users[role]
    if role != "ngo_representative":  # the NGO representative is assigned in the funding world
        services.reviewer_assign(
            request=fw.in_review, reviewer=reviewer, by=world.users["state_staff"]
        )
    return reviewer


@pytest.mark.parametrize(
    ("role", "template"),
    [
        ("ngo_representative", "lpr_portal/dashboard_ngo.html"),
        ("other_council_coordinator", "lpr_portal/dashboard_council.html"),
        ("state_admin", "lpr_portal/dashboard_state.html"),
    ],
)
def test_reviewer_tasks_show_on_every_dashboard_until_the_vote(
    world: World, fw: FundingWorld, role: str, template: str
) -> None:
    reviewer = _assign(world, fw, role)
    assert reviewer_tasks(reviewer) == [fw.in_review]
    html, context = dashboard(world, role)
    assert context["reviewer_tasks"] == [fw.in_review]
    assert "Funding requests to review" in html
    assert reverse("funding:review_form", args=[fw.in_review.pk]) in html

    services.review_save(request=fw.in_review, reviewer=reviewer, vote=Vote.APPROVE, comment="Gut.")

    assert reviewer_tasks(reviewer) == []
    html, _ = dashboard(world, role)
    assert "Funding requests to review" not in html


def test_reviewer_tasks_only_for_the_assigned_and_only_in_review(
    world: World, fw: FundingWorld
) -> None:
    assert reviewer_tasks(world.users["state_staff"]) == []
    assert reviewer_tasks(world.users["other_state_admin"]) == []
    ngo = world.users["ngo_representative"]
    services.request_return(request=fw.in_review, by=world.users["state_staff"], reason="Fehlt")
    assert reviewer_tasks(ngo) == []


def test_a_new_round_asks_for_a_new_vote(world: World, fw: FundingWorld) -> None:
    ngo, staff, coordinator = (
        world.users["ngo_representative"],
        world.users["state_staff"],
        world.users["coordinator"],
    )
    services.review_save(request=fw.in_review, reviewer=ngo, vote=Vote.APPROVE, comment="Gut.")
    request = services.request_return(request=fw.in_review, by=staff, reason="Bitte ergänzen")
    request = services.request_submit(request=request, by=coordinator)
    request = services.request_start_check(request=request, by=staff)
    request = services.request_start_review(request=request, by=staff)
    assert reviewer_tasks(ngo) == [request]


# Query counts: 10 and then 1,000 requests -----------------------------------------------------


def _grow(world: World) -> None:
    bulk_requests(world, 990, start=10)


@pytest.mark.parametrize("role", ["state_staff", "state_admin"])
def test_the_state_dashboard_keeps_its_query_count(world: World, role: str) -> None:
    bulk_requests(world, 10)
    client = world.client(role)
    assert_constant_queries(lambda: client.get(DASHBOARD), lambda: _grow(world))
    summary = client.get(DASHBOARD).context["funding_summary"]
    assert summary.total > 800


@pytest.mark.parametrize("role", ["coordinator", "member"])
def test_the_council_dashboard_keeps_its_query_count(world: World, role: str) -> None:
    bulk_requests(world, 10)
    client = world.client(role)
    assert_constant_queries(lambda: client.get(DASHBOARD), lambda: _grow(world))
    summary = client.get(DASHBOARD).context["funding_summary"]
    assert summary.open_count > 300
    assert len(summary.rows) == 20


def test_the_reviewers_dashboard_keeps_its_query_count(world: World) -> None:
    bulk_requests(world, 10)
    client = world.client("ngo_representative")
    assert_constant_queries(lambda: client.get(DASHBOARD), lambda: _grow(world))
    assert len(client.get(DASHBOARD).context["reviewer_tasks"]) > 20


def test_the_overdue_proof_index_covers_the_statuses_awaiting_proof() -> None:
    """The partial index request_awaiting_proof answers the state dashboard's overdue proofs
    only while its condition names exactly the statuses that await a proof."""
    from funding.models import FundingRequest
    from funding.payments.reminders import AWAITING_PROOF

    index = next(i for i in FundingRequest._meta.indexes if i.name == "request_awaiting_proof")
    assert index.condition is not None
    assert set(dict(index.condition.children)["status__in"]) == {str(s) for s in AWAITING_PROOF}
