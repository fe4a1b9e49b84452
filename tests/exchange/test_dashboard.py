"""The exchange parts of the dashboards: the network feed on every dashboard, the NGO's reports
and the requests it has to answer, the council's requests for offers with their next step,
and who has reported for the state office; query counts at 10 and 1,000 reports and offers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from councils.models import Role, User
from exchange import offers as offer_services
from exchange import reports as report_services
from exchange.compliance import MISSING
from exchange.dashboard import (
    FEED_LIMIT,
    RATING_DAYS,
    RECENT_DAYS,
    STATE_PERIODS_SHOWN,
    council_exchange_summary,
    network_feed,
    ngo_exchange_summary,
    state_exchange_summary,
)
from exchange.models import ExchangeReport, OfferRequest, ReportingPeriod
from exchange.models import ReportStatus as R
from tests.conftest import World
from tests.exchange.bulk_offers import bulk_offers, bulk_requests
from tests.exchange.bulk_reports import bulk_reports
from tests.exchange.factories import ReportingPeriodFactory, today
from tests.exchange.world_offers import OffersWorld, make_offer, offers_world
from tests.exchange.world_reports import ExchangeWorld, english, exchange_world, submit, write
from tests.factories import MembershipFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")
#: The people of the first state's network, one per kind of dashboard and role.
NETWORK_ROLES = ("state_staff", "coordinator", "member", "ngo_representative")


@pytest.fixture
def xw(world: World) -> ExchangeWorld:
    return exchange_world(world)


@pytest.fixture
def ow(world: World) -> OffersWorld:
    return offers_world(world)


def dashboard(world: World, role: str) -> tuple[str, Any]:
    response = english(world.client(role)).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    return html, response.context


def href(url: str) -> str:
    return f'href="{url}"'


def detail(report: ExchangeReport) -> str:
    return reverse("exchange:report_detail", kwargs={"pk": report.pk})


def edit(report: ExchangeReport) -> str:
    return reverse("exchange:report_edit", kwargs={"pk": report.pk})


def start(period: ReportingPeriod) -> str:
    return reverse("exchange:report_start", kwargs={"pk": period.pk})


def short(day: datetime.date) -> str:
    """The day as the English interface shows it."""
    with translation.override("en"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def fresh_user(user: User) -> User:
    """The person loaded again, so memberships added since are read (they are cached)."""
    return User.objects.get(pk=user.pk)


def period(title: str, *, started: int, due_in: int, state: Any) -> ReportingPeriod:
    """A period that started ``started`` days ago with reports due in ``due_in`` days."""
    day = today()
    return ReportingPeriodFactory(
        state=state,
        title=title,
        starts_on=day - datetime.timedelta(days=started),
        ends_on=day - datetime.timedelta(days=started) + datetime.timedelta(days=180),
        due_on=day + datetime.timedelta(days=due_in),
    )


def world_offers(ow: OffersWorld) -> None:
    """Published and unpublished offers of both states."""
    for offer in (ow.offer, ow.draft_offer, ow.mv_offer, ow.mv_draft_offer):
        assert offer.pk


# The network feed ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", NETWORK_ROLES)
def test_the_feed_shows_the_states_published_reports_and_offers(
    world: World, xw: ExchangeWorld, ow: OffersWorld, role: str
) -> None:
    world_offers(ow)

    html, context = dashboard(world, role)

    feed = context["exchange_feed"]
    assert feed.state == world.state
    assert feed.reports == [xw.submitted]
    assert feed.offers == [ow.offer]
    assert href(detail(xw.submitted)) in html
    assert "Netzwerk Gewaltprävention an Schulen" in html
    assert href(ow.offer.get_absolute_url()) in html
    assert "Schulung Erstkontakt" in html
    assert "Training" in html  # the offer's kind
    # Never a draft or an unpublished offer, though staff and the NGO itself may open them.
    assert href(detail(xw.draft)) not in html
    assert ow.draft_offer.title not in html
    # Nothing of the other state.
    for text in (
        "Opferhilfe Mecklenburg-Vorpommern",
        "Straffälligenhilfe MV",
        "1. Halbjahr MV",
        ow.mv_offer.title,
        ow.mv_draft_offer.title,
    ):
        assert text not in html
    assert href(detail(xw.other_state_submitted)) not in html
    assert href(ow.mv_offer.get_absolute_url()) not in html
    assert href(reverse("exchange:report_list")) in html
    assert href(reverse("exchange:offer_list")) in html


def test_the_other_state_reads_only_its_own_feed(
    world: World, xw: ExchangeWorld, ow: OffersWorld
) -> None:
    world_offers(ow)

    html, context = dashboard(world, "other_state_admin")

    feed = context["exchange_feed"]
    assert feed.reports == [xw.other_state_submitted]
    assert feed.offers == [ow.mv_offer]
    assert "Netzwerk Gewaltprävention an Schulen" not in html
    assert "Schulung Erstkontakt" not in html


def test_a_person_of_two_states_gets_the_feed_of_the_dashboards_state(
    world: World, xw: ExchangeWorld, ow: OffersWorld
) -> None:
    world_offers(ow)
    MembershipFactory(
        user=world.users["coordinator"],
        organisation=world.other_state_council,
        role=Role.COUNCIL_MEMBER,
    )
    person = fresh_user(world.users["coordinator"])

    first = network_feed(world.state, person)
    second = network_feed(world.other_state, person)

    assert (first.reports, first.offers) == ([xw.submitted], [ow.offer])
    assert (second.reports, second.offers) == ([xw.other_state_submitted], [ow.mv_offer])


def test_returned_reports_leave_the_feed_and_accepted_ones_stay(
    world: World, xw: ExchangeWorld
) -> None:
    staff = world.users["state_staff"]
    second = write(xw.period, world.ngo, world.users["ngo_representative"])
    submitted = submit(second, world.users["ngo_representative"])
    report_services.report_accept(report=xw.submitted, by=staff)
    report_services.report_return(report=submitted, by=staff, question="Welche Landkreise?")

    feed = network_feed(world.state, world.users["member"])

    assert feed.reports == [xw.submitted]


def test_the_feed_shows_the_newest_first_and_no_more_than_its_limit(
    world: World, xw: ExchangeWorld, ow: OffersWorld
) -> None:
    bulk_reports(xw.period, 16)  # half of them drafts or returned
    offers = bulk_offers(world.ngo, [ow.region], 12)
    offer_services.offer_unpublish(offer=offers[-1], by=ow.ngo_rep)

    feed = network_feed(world.state, world.users["state_staff"])

    assert len(feed.reports) == len(feed.offers) == FEED_LIMIT == 8
    assert all(report.status in (R.SUBMITTED, R.ACCEPTED) for report in feed.reports)
    submitted = [report.submitted_at for report in feed.reports]
    assert submitted == sorted(submitted, reverse=True)
    assert xw.submitted in feed.reports
    assert feed.offers[0] == offers[-2]  # the newest published one
    assert offers[-1] not in feed.offers


@pytest.mark.parametrize("role", NETWORK_ROLES)
def test_an_empty_feed_says_so(world: World, role: str) -> None:
    html, context = dashboard(world, role)
    assert context["exchange_feed"].reports == context["exchange_feed"].offers == []
    assert "No exchange report has been published yet." in html
    assert "No offer has been published yet." in html


# The NGO -------------------------------------------------------------------------------------


def test_the_ngo_sees_its_report_for_each_open_or_recent_period(
    world: World, xw: ExchangeWorld
) -> None:
    state = world.state
    new = period("Neu", started=5, due_in=200, state=state)
    due_today = period("Heute fällig", started=150, due_in=0, state=state)
    late = period("Überfällig", started=250, due_in=-10, state=state)
    period("Alt", started=600, due_in=-(RECENT_DAYS + 1), state=state)
    period("Zukunft", started=-1, due_in=250, state=state)

    summary = ngo_exchange_summary(world.ngo, world.users["ngo_representative"])

    rows = {row.period.title: row for row in summary.periods}
    assert list(rows) == ["Neu", "1. Halbjahr", "Heute fällig", "Überfällig"]  # latest due first
    assert summary.is_representative
    current = rows["1. Halbjahr"]
    assert (current.report, current.status, current.days_left) == (xw.draft, R.DRAFT, 20)
    assert current.is_editable
    assert rows["Heute fällig"].days_left == 0
    missing = rows["Überfällig"]
    assert (missing.report, missing.status, missing.days_left) == (None, MISSING, None)
    assert missing.days_late == 10

    html, _ = dashboard(world, "ngo_representative")
    assert "20 days left" in html
    assert "Due today" in html
    assert "10 days late" in html
    assert "Not started" in html
    assert href(edit(xw.draft)) in html
    for open_period in (new, due_today, late):  # no report yet: a POST starts it
        assert f'action="{start(open_period)}"' in html
    assert f'name="ngo" value="{world.ngo.pk}"' in html
    assert "csrfmiddlewaretoken" in html
    assert "Alt<br>" not in html  # due too long ago
    assert "Zukunft<br>" not in html  # not started yet
    assert f'action="{start(xw.other_period)}"' not in html


def test_a_late_submission_shows_the_day_and_how_late(world: World, xw: ExchangeWorld) -> None:
    ReportingPeriod.objects.filter(pk=xw.period.pk).update(
        due_on=today() - datetime.timedelta(days=3)
    )
    report = submit(xw.draft, world.users["ngo_representative"])

    summary = ngo_exchange_summary(world.ngo, world.users["ngo_representative"])

    row = summary.periods[0]
    assert (row.report, row.submitted_on, row.days_late, row.days_left) == (
        report,
        today(),
        3,
        None,
    )
    html, _ = dashboard(world, "ngo_representative")
    assert f"Submitted on {short(today())} (3 days late)" in html
    assert href(detail(report)) in html
    assert href(edit(report)) not in html


def test_a_returned_report_shows_the_question_with_a_link_to_answer(
    world: World, xw: ExchangeWorld
) -> None:
    rep, staff = world.users["ngo_representative"], world.users["state_staff"]
    report = report_services.report_return(
        report=submit(xw.draft, rep), by=staff, question="Wie viele Ehrenamtliche waren es?"
    )
    old = period("Altes Halbjahr", started=700, due_in=-500, state=world.state)
    old_report = report_services.report_return(
        report=submit(write(old, world.ngo, rep), rep), by=staff, question="Welcher Landkreis?"
    )

    summary = ngo_exchange_summary(world.ngo, rep)

    assert [(item.report, item.question) for item in summary.returned] == [
        (report, "Wie viele Ehrenamtliche waren es?"),
        (old_report, "Welcher Landkreis?"),  # an old period's too: the answer is still owed
    ]
    assert [row.period for row in summary.periods] == [xw.period]
    assert summary.periods[0].status == R.RETURNED
    html, _ = dashboard(world, "ngo_representative")
    assert "Wie viele Ehrenamtliche waren es?" in html
    assert "Welcher Landkreis?" in html
    assert "Returned with a question" in html
    assert "Answer the question" in html
    assert href(edit(report)) in html
    assert href(edit(old_report)) in html


def test_the_ngo_sees_the_requests_for_its_offers_that_wait_for_its_answer(
    world: World, ow: OffersWorld
) -> None:
    requested = ow.requested
    for waiting_for_the_council in (ow.proposed, ow.accepted, ow.done):
        assert waiting_for_the_council.status != "requested"
    other_ngo = ow.other_ngo_rep.memberships.get().organisation
    other_offer = make_offer(
        ow.other_ngo_rep, other_ngo, title="Suchtprävention im Verein", statewide=True
    )
    to_the_other_ngo = ow.ask(other_offer)
    assert ow.mv_requested.pk

    summary = ngo_exchange_summary(world.ngo, ow.ngo_rep)

    assert summary.requests == [requested]
    assert summary.request_count == 1
    html, _ = dashboard(world, "ngo_representative")
    assert href(requested.get_absolute_url()) in html
    assert "1 request waits for your answer" in html
    assert "Präventionsrat Hameln" in html
    assert href(to_the_other_ngo.get_absolute_url()) not in html
    assert href(ow.mv_requested.get_absolute_url()) not in html
    assert href(reverse("exchange:offer_mine")) in html


def test_an_ngo_with_nothing_to_do_says_so(world: World) -> None:
    html, context = dashboard(world, "ngo_representative")
    summary = context["exchange_summary"]
    assert (summary.periods, summary.returned, summary.requests) == ([], [], [])
    assert "No reporting period is open at the moment." in html
    assert "No report of the organisation waits for an answer to a question." in html
    assert "No request for your offers waits for an answer." in html
    assert href(reverse("exchange:offer_mine")) in html
    assert href(reverse("exchange:period_list")) in html


# The council ---------------------------------------------------------------------------------


@pytest.fixture
def council_requests(ow: OffersWorld) -> dict[str, OfferRequest]:
    """The council's requests in every step that asks something of someone."""
    return {
        "requested": ow.requested,
        "proposed": ow.proposed,
        "accepted": ow.accepted,
        "done": ow.done,
        "mv": ow.mv_proposed,
    }


def test_the_council_sees_its_open_requests_with_the_next_step(
    world: World, ow: OffersWorld, council_requests: dict[str, OfferRequest]
) -> None:
    summary = council_exchange_summary(world.council, ow.coordinator)

    assert [row.request for row in summary.rows] == [  # what the council has to do first
        council_requests["proposed"],
        council_requests["done"],
        council_requests["accepted"],
        council_requests["requested"],
    ]
    assert [row.step for row in summary.rows] == [
        "answer_proposal",
        "rate",
        "accepted",
        "wait_for_provider",
    ]
    proposed, done = council_requests["proposed"], council_requests["done"]
    assert [row.url for row in summary.rows] == [
        proposed.get_absolute_url(),
        reverse("exchange:offer_request_rate", args=[done.pk]),
        "",
        "",
    ]
    assert summary.open_count == 4
    assert summary.is_coordinator

    html, _ = dashboard(world, "coordinator")
    assert proposed.proposed_date is not None
    assert (
        f"Another date proposed: {short(proposed.proposed_date)}. "
        "Agree to it or withdraw the request." in html
    )
    assert "Done: rate the offer." in html
    assert f"Accepted for {short(council_requests['accepted'].agreed_date)}." in html
    assert "The provider has not answered yet." in html
    assert href(reverse("exchange:offer_request_rate", args=[done.pk])) in html
    assert "Answer the proposal" in html
    assert href(council_requests["mv"].get_absolute_url()) not in html
    assert ow.mv_offer.title not in html
    assert href(reverse("exchange:offer_list")) in html


def test_an_accepted_offer_whose_date_has_come_can_be_marked_done(
    world: World, ow: OffersWorld
) -> None:
    accepted = ow.accepted
    OfferRequest.objects.filter(pk=accepted.pk).update(agreed_date=today())

    html, context = dashboard(world, "coordinator")

    assert context["exchange_summary"].rows[0].took_place
    assert "When the offer has taken place, mark the request as done." in html


def test_members_read_the_councils_requests_without_the_links_to_act(
    world: World, ow: OffersWorld, council_requests: dict[str, OfferRequest]
) -> None:
    html, context = dashboard(world, "member")

    summary = context["exchange_summary"]
    assert not summary.is_coordinator
    assert len(summary.rows) == 4
    assert all(row.url == "" for row in summary.rows)
    done = council_requests["done"]
    assert href(reverse("exchange:offer_request_rate", args=[done.pk])) not in html
    assert href(done.get_absolute_url()) in html
    assert "Done: rate the offer." in html


def test_closed_rated_and_long_finished_requests_are_not_listed(
    world: World, ow: OffersWorld
) -> None:
    offer_services.offer_request_decline(
        offer_request=ow.ask(ow.offer, group="Abgelehnt"), by=ow.ngo_rep, reason="Ausgebucht"
    )
    offer_services.offer_request_withdraw(
        offer_request=ow.ask(ow.offer, group="Zurückgezogen"), by=ow.coordinator
    )
    offer_services.offer_request_rate(offer_request=ow.done, by=ow.coordinator, rating=5)
    long_ago = ow.done_in(ow.offer)
    OfferRequest.objects.filter(pk=long_ago.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=RATING_DAYS + 1)
    )

    html, context = dashboard(world, "coordinator")

    summary = context["exchange_summary"]
    assert (summary.rows, summary.open_count) == ([], 0)
    assert "The council has no open requests for offers." in html
    assert "Councils ask for an offer from its page in the catalogue." in html
    assert href(reverse("exchange:offer_list")) in html


def test_other_councils_see_only_their_own_requests(
    world: World, ow: OffersWorld, council_requests: dict[str, OfferRequest]
) -> None:
    other = council_exchange_summary(world.other_council, world.users["other_council_coordinator"])
    mv = council_exchange_summary(world.other_state_council, ow.mv_coordinator)

    assert other.rows == []
    assert [row.request for row in mv.rows] == [council_requests["mv"]]
    html, _ = dashboard(world, "other_state_coordinator")
    assert href(council_requests["proposed"].get_absolute_url()) not in html


# The state office ----------------------------------------------------------------------------


def test_the_state_office_sees_who_has_reported_in_the_latest_periods(
    world: World, xw: ExchangeWorld
) -> None:
    state = world.state
    late = period("Überfällig", started=380, due_in=-10, state=state)
    submit(write(late, xw.second_ngo, xw.second_representative), xw.second_representative)
    period("Vorjahr", started=560, due_in=-190, state=state)
    period("Vorvorjahr", started=740, due_in=-370, state=state)
    period("Zukunft", started=-1, due_in=250, state=state)

    summary = state_exchange_summary(state, world.users["state_staff"])

    assert len(summary.periods) == STATE_PERIODS_SHOWN == 3
    rows = {row.period.title: row.counts for row in summary.periods}
    assert list(rows) == ["1. Halbjahr", "Überfällig", "Vorjahr"]  # the latest started first
    current, overdue = rows["1. Halbjahr"], rows["Überfällig"]
    assert (current.ngos, current.submitted, current.missing, current.late) == (2, 1, 1, 0)
    # One submitted after the due date, and the one still missing now that it has passed.
    assert (overdue.ngos, overdue.submitted, overdue.missing, overdue.late) == (2, 1, 1, 2)

    html, _ = dashboard(world, "state_staff")
    assert href(reverse("exchange:period_detail", args=[xw.period.pk])) in html
    assert href(reverse("exchange:period_detail", args=[late.pk]) + "?lateness=late") in html
    late_current = reverse("exchange:period_detail", args=[xw.period.pk]) + "?lateness=late"
    assert href(late_current) not in html
    assert "Zukunft" not in html
    assert "Vorvorjahr" not in html
    assert href(reverse("exchange:coverage")) in html
    assert href(reverse("exchange:period_list")) in html


def test_reports_wait_for_acceptance_until_the_state_office_answers(
    world: World, xw: ExchangeWorld
) -> None:
    staff = world.users["state_staff"]

    summary = state_exchange_summary(world.state, staff)

    assert (summary.waiting, summary.waiting_count) == ([xw.submitted], 1)
    html, _ = dashboard(world, "state_admin")
    assert "1 submitted report waits for acceptance" in html
    assert href(detail(xw.submitted)) in html
    assert href(detail(xw.draft)) not in html
    assert href(detail(xw.other_state_submitted)) not in html

    report_services.report_accept(report=xw.submitted, by=staff)

    assert state_exchange_summary(world.state, staff).waiting == []
    html, _ = dashboard(world, "state_staff")
    assert "No report waits for acceptance." in html


def test_the_other_state_office_sees_only_its_own_periods_and_reports(
    world: World, xw: ExchangeWorld
) -> None:
    html, context = dashboard(world, "other_state_admin")

    summary = context["exchange_summary"]
    assert [row.period for row in summary.periods] == [xw.other_period]
    assert summary.waiting == [xw.other_state_submitted]
    assert summary.periods[0].counts.ngos == 2
    assert "Netzwerk Gewaltprävention an Schulen" not in html
    assert href(reverse("exchange:period_detail", args=[xw.period.pk])) not in html


def test_an_empty_state_office_says_so(world: World) -> None:
    html, _ = dashboard(world, "state_staff")
    assert "No reporting period has started yet." in html
    assert "No report waits for acceptance." in html
    assert href(reverse("exchange:coverage")) in html


# Query counts: 10 and then 1,000 reports and offers ------------------------------------------


def _ten(world: World, xw: ExchangeWorld, ow: OffersWorld) -> None:
    bulk_reports(xw.period, 8)  # with the world's two: ten reports of the state
    offers = bulk_offers(world.ngo, [ow.region, ow.other_region], 10)
    bulk_requests(offers, [world.council])
    assert ow.proposed.pk and ow.done.pk  # a council answer and a rating due


def _grow(world: World, xw: ExchangeWorld, ow: OffersWorld) -> None:
    bulk_reports(xw.period, 890)
    bulk_reports(period("2. Halbjahr", started=30, due_in=200, state=world.state), 100)
    offers = bulk_offers(world.ngo, [ow.region, ow.other_region], 990, start=10)
    bulk_requests(offers, [world.council, world.other_council])
    for n in range(3):
        report = write(
            period(f"Rückfrage {n}", started=900 + n, due_in=-600, state=world.state),
            world.ngo,
            ow.ngo_rep,
        )
        report_services.report_return(
            report=submit(report, ow.ngo_rep), by=world.users["state_staff"], question="Warum?"
        )


def test_each_part_runs_a_fixed_number_of_queries(
    world: World, xw: ExchangeWorld, ow: OffersWorld
) -> None:
    _ten(world, xw, ow)
    staff, coordinator = fresh_user(world.users["state_staff"]), fresh_user(ow.coordinator)
    rep = fresh_user(ow.ngo_rep)
    # Each part runs once before it is counted, so the memberships (read once per request,
    # cached on the user) are not counted.
    parts = {
        # the newest reports; the newest offers
        "feed": lambda: network_feed(world.state, rep),
        # the periods; the NGO's reports of them and its returned ones, with the question;
        # the requests for its offers waiting for an answer, with their number
        "ngo": lambda: ngo_exchange_summary(world.ngo, rep),
        # the council's open requests, the most urgent first, with their number
        "council": lambda: council_exchange_summary(world.council, coordinator),
        # the latest periods with their counts; the reports waiting for acceptance, with
        # their number
        "state": lambda: state_exchange_summary(world.state, staff),
    }
    expected = {"feed": 2, "ngo": 3, "council": 1, "state": 2}
    for name, part in parts.items():
        assert (
            assert_constant_queries(part, lambda: None, max_queries=expected[name])
            == expected[name]
        ), name


@pytest.mark.parametrize(
    ("role", "max_queries"),
    [
        # The dashboards' limits of tests/portal/test_dashboards.py, which count the
        # exchange's queries in.
        ("state_staff", 19),
        ("coordinator", 17),
        ("member", 16),  # as the coordinator, without the open funding programmes
        ("ngo_representative", 15),
    ],
)
def test_the_dashboard_keeps_its_query_count(
    world: World, xw: ExchangeWorld, ow: OffersWorld, role: str, max_queries: int
) -> None:
    _ten(world, xw, ow)
    client = world.client(role)

    assert_constant_queries(
        lambda: client.get(DASHBOARD), lambda: _grow(world, xw, ow), max_queries=max_queries
    )

    context = client.get(DASHBOARD).context
    feed = context["exchange_feed"]
    assert len(feed.reports) == len(feed.offers) == FEED_LIMIT
    summary = context["exchange_summary"]
    if role == "state_staff":
        assert summary.waiting_count > 200
        assert len(summary.waiting) == 10
    elif role == "ngo_representative":
        assert summary.request_count > 990
        assert len(summary.requests) == 10
        assert len(summary.returned) == 3
    else:
        assert summary.open_count > 500
        assert len(summary.rows) == 20
