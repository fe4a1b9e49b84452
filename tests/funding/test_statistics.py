"""The state office's funding statistics: by region, topic and goal, the budget, who may see it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from funding import decisions, payments, services
from funding.models import Decision, FundingRequest, Programme
from funding.views.reports import StatRow, StatTable
from strategy.services import goal_link_add
from tests.conftest import World
from tests.funding.access_money import other_approved, paid, submitted_proof
from tests.funding.bulk import bulk_requests
from tests.funding.factories import (
    advance,
    funding_world,
    make_draft,
    make_programme,
    today,
)
from tests.querycount import assert_constant_queries
from tests.strategy.factories import strategy_world

pytestmark = pytest.mark.django_db

STATISTICS = reverse("funding:statistics")


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def get(world: World, role: str, query: str = "") -> tuple[str, dict]:
    response = english(world.client(role)).get(STATISTICS + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    return html, response.context


def figures(row: StatRow) -> tuple[int, int, Decimal, Decimal]:
    return row.requests, row.approved, row.approved_amount, row.paid_amount


def by_label(table: StatTable) -> dict[str, tuple[int, int, Decimal, Decimal]]:
    return {str(row.label): figures(row) for row in table.rows}


@dataclass
class Funded:
    """Requests of the first state this year, beside those of the funding world."""

    paid_out: FundingRequest
    other_region: FundingRequest
    repayment: FundingRequest
    rejected: FundingRequest
    last_year: FundingRequest
    last_year_programme: Programme


def _approve(world: World, programme: Programme, council: object, title: str) -> FundingRequest:
    coordinator = (
        world.users["coordinator"]
        if council == world.council
        else world.users["other_council_coordinator"]
    )
    return advance(
        make_draft(programme, council, coordinator, title=title),  # type: ignore[arg-type]
        "approved",
        applicant=coordinator,
        staff=world.users["state_staff"],
    )


@pytest.fixture
def funded(world: World) -> Funded:
    fw = funding_world(world)
    sw = strategy_world(world)
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    year = today().year

    paid_out = _approve(world, fw.programme, world.council, "Ausgezahlt")
    paid(paid_out, coordinator, staff, Decimal("500.00"))
    other_region = _approve(world, fw.programme, world.other_council, "Lüneburger Projekt")
    FundingRequest.objects.filter(pk=other_region.pk).update(topic="violence")
    repayment = submitted_proof(
        _approve(world, fw.programme, world.council, "Rückforderung"),
        coordinator,
        staff,
        pay=Decimal("300.00"),
    )
    payments.proof_demand_repayment(
        request=repayment, by=staff, amount=Decimal("100.00"), reason="Belege fehlen"
    )
    rejected = advance(
        make_draft(fw.programme, world.council, coordinator, title="Abgelehnt"),
        "review",
        applicant=coordinator,
        staff=staff,
    )
    decisions.request_decide(
        request=rejected, by=staff, decision=Decision.REJECT, justification="Nicht förderfähig"
    )
    FundingRequest.objects.filter(pk=rejected.pk).update(region=None, topic="")
    # A draft withdrawn before it was ever submitted is no request received.
    withdrawn = make_draft(fw.programme, world.council, coordinator, title="Zurückgezogen")
    services.request_withdraw(request=withdrawn, by=coordinator)

    last_year_programme = make_programme(world.state, title="Vorjahresprogramm", year=year - 1)
    last_year = _approve(world, fw.programme, world.council, "Aus dem Vorjahr")
    FundingRequest.objects.filter(pk=last_year.pk).update(programme=last_year_programme)

    # Goal links: two goals for one request, one for another, one for a request not funded.
    for request, goals in (
        (paid_out, [sw.measure, sw.operational]),
        (fw.approved, [sw.measure]),
        (fw.submitted, [sw.strategic]),
        (last_year, [sw.measure]),
    ):
        for goal in goals:
            goal_link_add(goal=goal, obj=request)
    goal_link_add(goal=sw.other_state_measure, obj=other_approved(world))
    return Funded(paid_out, other_region, repayment, rejected, last_year, last_year_programme)


# The figures ---------------------------------------------------------------------------------


def test_by_region_this_year(world: World, funded: Funded) -> None:
    _, context = get(world, "state_staff")

    regions = context["regions"]
    assert by_label(regions) == {
        # fw.submitted, in review, fw.approved, paid out, repayment
        "Leine-Weser": (5, 3, Decimal("2400.00"), Decimal("700.00")),
        # the other council's submitted request and its approved one
        "Lüneburg": (2, 1, Decimal("800.00"), Decimal("0.00")),
        "No region": (1, 0, Decimal("0.00"), Decimal("0.00")),
    }
    assert figures(regions.total) == (8, 4, Decimal("3200.00"), Decimal("700.00"))
    assert [row.bar for row in regions.rows] == [100, 33, 0]


def test_by_topic_this_year(world: World, funded: Funded) -> None:
    _, context = get(world, "state_staff")

    topics = by_label(context["topics"])
    assert topics["Youth crime and youth protection"] == (
        6,
        3,
        Decimal("2400.00"),
        Decimal("700.00"),
    )
    assert topics["Violence prevention"] == (1, 1, Decimal("800.00"), Decimal("0.00"))
    assert topics["No topic"] == (1, 0, Decimal("0.00"), Decimal("0.00"))
    assert topics["Extremism and democracy"] == (0, 0, Decimal("0.00"), Decimal("0.00"))
    assert figures(context["topics"].total) == (8, 4, Decimal("3200.00"), Decimal("700.00"))


def test_by_goal_counts_a_request_once_per_linked_goal(world: World, funded: Funded) -> None:
    sw = strategy_world(world)
    _, context = get(world, "state_staff")

    goals = context["goals"]
    assert [str(row.label) for row in goals.rows] == [
        sw.strategic.title,
        sw.operational.title,
        sw.measure.title,
        "Not linked to any goal",
    ]
    assert [figures(row) for row in goals.rows] == [
        (1, 0, Decimal("0.00"), Decimal("0.00")),  # fw.submitted
        (1, 1, Decimal("800.00"), Decimal("500.00")),  # paid out
        (2, 2, Decimal("1600.00"), Decimal("500.00")),  # paid out and fw.approved
        (5, 2, Decimal("1600.00"), Decimal("200.00")),  # the rest; the repayment's net 200
    ]
    assert figures(goals.total) == (9, 5, Decimal("4000.00"), Decimal("1200.00"))
    assert goals.rows[0].extra["strategy"] == sw.adopted.title


def test_budget_use_per_programme(world: World, funded: Funded) -> None:
    fw = funding_world(world)
    html, context = get(world, "state_staff")

    programme = Programme.objects.get(pk=fw.programme.pk)
    assert [row.programme.pk for row in context["budgets"]] == [programme.pk]
    total = context["budget_total"]
    assert (total.budget, total.committed, total.paid) == (
        programme.budget,
        programme.committed,
        programme.paid,
    )
    assert total.remaining == programme.budget - programme.committed
    assert "€50,000.00" in html
    assert "€3,200.00" in html  # the approved total by region and topic


def test_all_years_and_one_year(world: World, funded: Funded) -> None:
    year = today().year
    _, every = get(world, "state_staff", "?year=all")
    assert not every["year"]  # no year: every year (a lazy value, core.fragments)
    assert every["regions"].total.requests == 9
    assert {row.programme.title for row in every["budgets"]} == {
        "Landesprogramm Prävention",
        "Vorjahresprogramm",
    }

    _, last = get(world, "state_staff", f"?year={year - 1}")
    assert by_label(last["regions"])["Leine-Weser"] == (1, 1, Decimal("800.00"), Decimal("0.00"))
    assert last["regions"].total.requests == 1
    assert [row.programme.title for row in last["budgets"]] == ["Vorjahresprogramm"]
    assert by_label(last["goals"])[strategy_world(world).measure.title][0] == 1


def test_one_programme(world: World, funded: Funded) -> None:
    programme = funded.last_year_programme
    _, context = get(world, "state_staff", f"?year=all&programme={programme.pk}")
    assert context["programme"] == programme
    assert context["regions"].total.requests == 1
    assert [row.programme for row in context["budgets"]] == [programme]


def test_an_unknown_filter_value_shows_an_error_and_the_current_year(
    world: World, funded: Funded
) -> None:
    html, context = get(world, "state_staff", "?year=1850&programme=abc")
    assert context["form"].errors
    assert context["year"] == today().year
    assert context["regions"].total.requests == 8
    assert 'id="error-summary"' in html


def test_the_page_is_tables_with_captions_and_money_of_the_language(
    world: World, funded: Funded
) -> None:
    html, _ = get(world, "state_admin")
    assert html.count("<table") == 4
    assert html.count("<caption>") == 4
    assert html.count("<tfoot>") == 4
    assert 'scope="col"' in html and 'scope="row"' in html
    assert "€2,400.00" in html


def test_no_requests_say_so(world: World) -> None:
    html, context = get(world, "state_staff")
    assert context["regions"].total.requests == 0
    assert "No funding requests match these filters." in html
    assert "No funding programme matches these filters." in html


# Whose statistics ----------------------------------------------------------------------------


def test_the_other_state_never_appears(world: World, funded: Funded) -> None:
    html, context = get(world, "state_staff")
    assert context["state"] == world.state
    assert "Rostock" not in html
    assert "Landesprogramm MV" not in html
    assert "Mittleres Mecklenburg" not in html

    other_html, other = get(world, "other_state_admin")
    assert other["state"] == world.other_state
    assert other["regions"].total.requests == 2  # Rostock's submitted and approved requests
    assert by_label(other["goals"])[strategy_world(world).other_state_measure.title][0] == 1
    assert "Leine-Weser" not in other_html


def test_state_staff_cannot_choose_another_state(world: World) -> None:
    client = world.client("state_staff")
    assert client.get(f"{STATISTICS}?state={world.other_state.pk}").status_code == 404
    assert client.get(f"{STATISTICS}?state=nonsense").status_code == 404
    assert client.get(f"{STATISTICS}?state={world.state.pk}").status_code == 200


def test_platform_admins_choose_the_state(world: World, funded: Funded) -> None:
    html, context = get(world, "platform_admin", f"?state={world.state.pk}")
    assert context["state"] == world.state
    assert context["regions"].total.requests == 8
    assert 'name="state"' in html  # a choice between the states
    _, other = get(world, "platform_admin", f"?state={world.other_state.pk}")
    assert other["state"] == world.other_state
    _, default = get(world, "platform_admin")
    assert default["state"] == world.other_state  # the first by name: Mecklenburg-Vorpommern


def test_staff_of_one_state_get_no_state_choice(world: World) -> None:
    html, _ = get(world, "state_staff")
    assert 'name="state"' not in html


@pytest.mark.parametrize(
    "role", ["coordinator", "member", "ngo_representative", "other_state_coordinator"]
)
def test_it_requires_a_state_role(world: World, role: str) -> None:
    assert world.client(role).get(STATISTICS).status_code == 403
    assert world.client(role).get(f"{STATISTICS}?state={world.state.pk}").status_code == 403


def test_it_requires_login(world: World) -> None:
    response = world.client("anonymous").get(STATISTICS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_rejects_post(world: World) -> None:
    assert world.client("state_staff").post(STATISTICS).status_code == 405


# Query counts: 10 and then 1,000 requests -----------------------------------------------------


@pytest.mark.parametrize(
    ("role", "query"),
    [("state_staff", ""), ("state_admin", "?year=all"), ("platform_admin", "?state={state}")],
)
def test_the_statistics_keep_their_query_count(world: World, role: str, query: str) -> None:
    bulk_requests(world, 10)
    url = STATISTICS + query.format(state=world.state.pk)
    client = world.client(role)
    # session, user, memberships (+ the states for a platform admin); programmes; regions;
    # by region; by topic; by goal; not linked to a goal; unread count
    assert_constant_queries(
        lambda: client.get(url), lambda: bulk_requests(world, 990, start=10), max_queries=11
    )
    context = client.get(url).context
    assert context["regions"].total.requests > 800
    assert context["goals"].total.requests > context["regions"].total.requests
