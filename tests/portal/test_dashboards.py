"""The dashboard: one per kind of active membership, each with a constant number of queries."""

from __future__ import annotations

import itertools

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from councils.models import Affiliation, OrganisationKind, Position, Role
from lpr_portal import dashboards
from strategy.models import Level
from tests.conftest import World
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    NotificationFactory,
    OrganisationFactory,
    RegionFactory,
    StateNetworkFactory,
    UserFactory,
)
from tests.querycount import assert_constant_queries
from tests.spaces.world_dashboard import grow_space
from tests.strategy.factories import GoalFactory, strategy_world

DASHBOARD = reverse("dashboard")
NETWORK = reverse("network_overview")
_numbers = itertools.count(1)


def english(client: Client) -> Client:
    """The client with English chosen, so texts can be checked before and after translation."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(world: World, role: str) -> tuple[str, object]:
    response = english(world.client(role)).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    return html, response


def template_names(response: object) -> list[str]:
    return [t.name for t in response.templates]  # type: ignore[attr-defined]


# Who gets which dashboard


@pytest.mark.parametrize("role", ["state_admin", "state_staff"])
def test_state_people_see_their_state_at_a_glance(world, role):
    InvitationFactory(organisation=world.council, email="neu@example.org")
    InvitationFactory(organisation=world.other_state_council, email="fremd@example.org")
    InvitationFactory(
        organisation=world.council, email="alt@example.org", expires_at=timezone.now()
    )

    html, response = page(world, role)

    assert "lpr_portal/dashboard_state.html" in template_names(response)
    assert "Niedersachsen at a glance" in html
    figures = response.context["figures"]
    assert figures["n_organisations"] == 4  # nothing of Mecklenburg-Vorpommern
    assert figures["n_regions"] == 2
    assert figures["n_people"] == 6
    assert figures["n_seats"] == 6
    assert figures["n_pending"] == 1
    assert f'href="{NETWORK}"' in html
    # The network itself is a page of its own.
    response = english(world.client(role)).get(NETWORK)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "The network in Niedersachsen" in html
    table = response.context["table"]
    # Rows: the two regions of Niedersachsen, then the statewide organisations.
    assert [row.label for row in table.rows] == ["Leine-Weser", "Lüneburg", ""]
    kinds = [kind.label for kind in OrganisationKind]
    councils = kinds.index("Municipal prevention council")
    assert [row.counts[councils] for row in table.rows] == [1, 1, 0]
    assert table.rows[2].counts == [1, 0, 1]  # the office and the NGO have no region
    assert table.total == 4  # nothing of Mecklenburg-Vorpommern
    assert "Statewide (no region)" in html
    # Pending only, and only this state's.
    assert response.context["pending_count"] == 1
    assert [i.email for i in response.context["pending_invitations"]] == ["neu@example.org"]
    assert "fremd@example.org" not in html
    assert "<caption>" in html
    newest = response.context["newest_members"]
    assert {m.user for m in newest} == {
        world.users[r]
        for r in (
            "state_admin",
            "state_staff",
            "coordinator",
            "member",
            "ngo_representative",
            "other_council_coordinator",
        )
    }


def test_only_state_admins_get_the_administration_links(world):
    admin_html, _ = page(world, "state_admin")
    staff_html, _ = page(world, "state_staff")
    for name in ("invitation_list", "invitation_create", "organisation_list", "member_list"):
        url = reverse(f"councils:{name}")
        assert f'href="{url}"' in admin_html
        assert f'href="{url}"' not in staff_html


def test_the_network_overview_shows_the_ten_newest_members(world):
    for _ in range(12):
        MembershipFactory(organisation=world.council, role=Role.COUNCIL_MEMBER)
    latest = MembershipFactory(
        organisation=world.other_council,
        role=Role.COUNCIL_MEMBER,
        user=UserFactory(first_name="Zoe", last_name="Zander"),
    )
    response = english(world.client("state_staff")).get(NETWORK)
    html = response.content.decode()
    newest = response.context["newest_members"]
    assert len(newest) == 10
    assert newest[0] == latest
    assert "Zoe Zander" in html


def test_numbers_are_shown_in_german_format(world, monkeypatch):
    big = dashboards.OrganisationTable(
        kinds=["A", "B", "C"],
        rows=[dashboards.RegionRow(label="Weser-Ems", counts=[1200, 34, 1], total=1235)],
        kind_totals=[1200, 34, 1],
        total=12345,
        region_count=1,
    )
    monkeypatch.setattr(dashboards, "_organisation_table", lambda state, user: big)
    html = world.client("state_staff").get(NETWORK).content.decode()  # German by default
    assert "12.345" in html
    assert "1.200" in html
    assert "1.235" in html


@pytest.mark.parametrize("role", ["coordinator", "member"])
def test_council_people_see_their_council(world, role):
    council = world.council
    council.phone = "05151 202-0"
    council.website = "https://www.hameln.de"
    council.street = "Rathausplatz 1"
    council.postcode = "31785"
    council.city = "Hameln"
    council.save()
    chair = MembershipFactory(
        organisation=council,
        role=Role.COUNCIL_MEMBER,
        position=Position.CHAIR,
        affiliation=Affiliation.POLICE,
        user=UserFactory(first_name="Clara", last_name="Vorsitz"),
    )
    MembershipFactory(
        organisation=council,
        role=Role.COUNCIL_MEMBER,
        position=Position.DEPUTY_CHAIR,
        user=UserFactory(first_name="Dora", last_name="Stellvertretung"),
    )
    MembershipFactory(  # ended: not in the roster
        organisation=council,
        role=Role.COUNCIL_MEMBER,
        user=UserFactory(first_name="Ernst", last_name="Ehemalig"),
        start_date=timezone.localdate() - timezone.timedelta(days=90),
        end_date=timezone.localdate() - timezone.timedelta(days=1),
    )
    mine = NotificationFactory(recipient=world.users[role], subject="Protokoll freigeben")
    NotificationFactory(recipient=world.users[role], subject="Erledigt", read_at=timezone.now())
    NotificationFactory(recipient=world.users["state_staff"], subject="Nicht deine Aufgabe")

    html, response = page(world, role)

    assert "lpr_portal/dashboard_council.html" in template_names(response)
    assert "Präventionsrat Hameln" in html
    assert "Leine-Weser" in html
    for text in (
        council.email,
        "05151 202-0",
        "https://www.hameln.de",
        "Rathausplatz 1",
        "31785 Hameln",
    ):
        assert text in html
    leaders = response.context["leaders"]
    assert [m.position for m in leaders] == [
        Position.CHAIR,
        Position.DEPUTY_CHAIR,
        Position.MANAGING_OFFICE,
    ]
    assert leaders[0] == chair
    assert "Police" in html
    assert "Ernst" not in html
    assert {m.user for m in response.context["roster"]} >= {
        world.users["coordinator"],
        world.users["member"],
    }
    assert "Präventionsrat Lüneburg" not in html
    # Open tasks: the person's unread notifications, with a way to open each.
    assert response.context["open_tasks"] == [mine]
    assert "Protokoll freigeben" in html
    assert reverse("notifications:open", kwargs={"pk": mine.pk}) in html
    assert "Erledigt" not in html
    assert "Nicht deine Aufgabe" not in html


def test_no_open_tasks_is_said_plainly(world):
    html, response = page(world, "member")
    assert response.context["open_tasks"] == []
    assert "No open tasks" in html


def test_open_tasks_show_the_ten_newest(world):
    NotificationFactory.create_batch(12, recipient=world.users["coordinator"])
    html, response = page(world, "coordinator")
    assert len(response.context["open_tasks"]) == 10
    assert "12 unread notifications wait for you." in html


def test_the_ngo_representative_sees_the_ngo(world):
    ngo = world.ngo
    ngo.description = "Hilfe für Betroffene von Straftaten."
    ngo.save()
    colleague = MembershipFactory(
        organisation=ngo,
        role=Role.NGO_REPRESENTATIVE,
        user=UserFactory(first_name="Nina", last_name="Netz"),
    )
    task = NotificationFactory(
        recipient=world.users["ngo_representative"], subject="Bericht fällig"
    )

    html, response = page(world, "ngo_representative")

    assert "lpr_portal/dashboard_ngo.html" in template_names(response)
    assert "Landesverband Opferhilfe" in html
    assert "Hilfe für Betroffene von Straftaten." in html
    assert [r.name for r in response.context["served_regions"]] == ["Leine-Weser", "Lüneburg"]
    assert set(response.context["representatives"]) == {
        colleague,
        world.users["ngo_representative"].memberships.get(),
    }
    assert "Nina Netz" in html
    assert response.context["open_tasks"] == [task]
    assert "Bericht fällig" in html


def test_the_platform_admin_sees_every_state(world):
    MembershipFactory(organisation=world.other_state_council, role=Role.COUNCIL_MEMBER)
    MembershipFactory(  # a second seat of the same person counts once
        organisation=world.other_council,
        user=world.users["coordinator"],
        role=Role.COUNCIL_MEMBER,
    )
    MembershipFactory(  # ended
        organisation=world.council,
        role=Role.COUNCIL_MEMBER,
        start_date=timezone.localdate() - timezone.timedelta(days=90),
        end_date=timezone.localdate() - timezone.timedelta(days=1),
    )

    html, response = page(world, "platform_admin")

    assert "lpr_portal/dashboard_platform.html" in template_names(response)
    states = {s.code: s for s in response.context["states"]}
    assert set(states) == {"NI", "MV"}
    assert (states["NI"].council_count, states["NI"].ngo_count, states["NI"].member_count) == (
        2,
        1,
        6,
    )
    assert (states["MV"].council_count, states["MV"].ngo_count, states["MV"].member_count) == (
        1,
        0,
        3,
    )
    assert reverse("admin:index") in html
    assert "<caption>" in html


def test_the_platform_admin_counts_each_states_people_once(world):
    """Distinct persons with an active seat in an active organisation of the state."""
    from councils.models import Membership, StateNetwork

    before = {s.code: s.member_count for s in page(world, "platform_admin")[1].context["states"]}
    both = world.users["coordinator"]  # now also seated in the other state: counts in both
    MembershipFactory(organisation=world.other_state_council, user=both, role=Role.COUNCIL_MEMBER)
    closed = OrganisationFactory(state=world.state, kind=OrganisationKind.NGO, is_active=False)
    MembershipFactory(organisation=closed)  # an inactive organisation's seat
    MembershipFactory(organisation=world.council, user__is_active=False)  # a locked account
    empty = StateNetworkFactory()

    states = {s.code: s for s in page(world, "platform_admin")[1].context["states"]}
    assert (states["NI"].member_count, states["MV"].member_count) == (
        before["NI"],
        before["MV"] + 1,
    )
    assert states[empty.code].member_count == 0
    for state in StateNetwork.objects.all():
        seated = Membership.objects.active().filter(
            organisation__state=state, organisation__is_active=True
        )
        assert states[state.code].member_count == seated.values("user").distinct().count()


def test_a_person_without_membership_is_told_whom_to_ask(world):
    world.users["lonely"] = UserFactory(first_name="Lena", last_name="Los")
    html, response = page(world, "lonely")
    assert "lpr_portal/dashboard_none.html" in template_names(response)
    assert "Welcome, Lena Los" in html
    assert "not linked to an organisation" in html
    assert reverse("directory") in html


def test_an_ended_membership_no_longer_counts(world):
    membership = world.users["member"].memberships.get()
    membership.end_date = timezone.localdate() - timezone.timedelta(days=1)
    membership.save()
    _, response = page(world, "member")
    assert "lpr_portal/dashboard_none.html" in template_names(response)


def test_switching_the_organisation_switches_the_dashboard(world):
    person = world.users["coordinator"]
    ngo_seat = MembershipFactory(user=person, organisation=world.ngo, role=Role.NGO_REPRESENTATIVE)
    client = english(world.client("coordinator"))

    first = client.get(DASHBOARD)
    assert "lpr_portal/dashboard_council.html" in template_names(first)

    response = client.post(
        reverse("councils:switch_organisation"), {"membership": ngo_seat.pk, "next": DASHBOARD}
    )
    assert response.status_code == 302
    second = client.get(DASHBOARD)
    assert "lpr_portal/dashboard_ngo.html" in template_names(second)
    assert second.context["organisation"] == world.ngo

    council_seat = person.memberships.get(organisation=world.council)
    client.post(reverse("councils:switch_organisation"), {"membership": council_seat.pk})
    assert client.get(DASHBOARD).context["organisation"] == world.council


def test_a_foreign_membership_cannot_be_switched_to(world):
    client = world.client("coordinator")
    foreign = world.users["other_state_admin"].memberships.get()
    client.post(reverse("councils:switch_organisation"), {"membership": foreign.pk})
    response = client.get(DASHBOARD)
    assert response.context["organisation"] == world.council


def test_the_dashboard_requires_login(world):
    response = world.client("anonymous").get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_dashboard_rejects_post(world):
    assert world.client("coordinator").post(DASHBOARD).status_code == 405


# Query counts: the rows grow from a few to about fifty, the queries do not.


def _grow_state(world: World) -> None:
    state = world.state
    regions = [RegionFactory(state=state) for _ in range(5)]
    for i in range(25):
        council = OrganisationFactory(state=state, region=regions[i % 5])
        MembershipFactory(organisation=council, role=Role.COUNCIL_MEMBER)
        InvitationFactory(organisation=council)
        if i % 5 == 0:
            grow_space(council, rows=3)
    for _ in range(25):
        ngo = OrganisationFactory(state=state, kind=OrganisationKind.NGO)
        ngo.served_regions.add(*regions[:2])
        MembershipFactory(organisation=ngo)


@pytest.mark.parametrize("role", ["state_admin", "state_staff"])
def test_the_state_dashboard_keeps_its_query_count(world, role):
    client = world.client(role)

    # session, user, memberships; the key figures (organisations, people, seats, pending
    # invitations, regions); unread count; strategy progress: the adopted strategies, their
    # goals; funding: requests by status (with four-eyes and overdue counts), payments to
    # release and to mark paid, overdue proofs, this and last year's programmes; reviewer
    # tasks; exchange: the latest periods with their counts, reports waiting for acceptance
    # with their number; the network feed's newest reports and newest offers; spaces: the
    # network's next events and working-group deadlines
    def grow() -> None:
        _grow_state(world)
        grow_space(world.council)
        strategy = strategy_world(world).adopted
        for operational in strategy.goals.filter(level=Level.OPERATIONAL_GOAL):
            for n in range(20):
                GoalFactory(
                    strategy=strategy, parent=operational, level=Level.MEASURE, title=f"M{n}"
                )

    strategy_world(world)  # a few items first: the count must stay as the tree grows
    grow_space(world.other_council, rows=1)
    assert_constant_queries(lambda: client.get(DASHBOARD), grow, max_queries=19)


@pytest.mark.parametrize("role", ["state_admin", "state_staff"])
def test_the_network_overview_keeps_its_query_count(world, role):
    client = world.client(role)
    # session, user, memberships; newest members; pending invitations with their number;
    # regions; organisations by region and kind; unread count; the councils with their
    # activity, their topics
    grow_space(world.other_council, rows=1)
    InvitationFactory(organisation=world.council)
    assert_constant_queries(lambda: client.get(NETWORK), lambda: _grow_state(world), max_queries=10)


def test_the_network_overview_is_the_chosen_state_of_the_staff(world):
    client = english(world.client("platform_admin"))
    page = client.get(NETWORK, {"state": world.other_state.pk}).content.decode()
    assert "The network in Mecklenburg-Vorpommern" in page
    assert "Präventionsrat Rostock" in page and "Präventionsrat Hameln" not in page
    # Another state's staff cannot choose Niedersachsen: it is not theirs.
    response = world.client("other_state_admin").get(NETWORK, {"state": world.state.pk})
    assert response.status_code == 404
    page = english(world.client("other_state_admin")).get(NETWORK).content.decode()
    assert "The network in Mecklenburg-Vorpommern" in page
    assert "Präventionsrat Hameln" not in page


@pytest.mark.parametrize("role", ["coordinator", "member"])
def test_the_council_dashboard_keeps_its_query_count(world, role):
    client = world.client(role)

    def grow() -> None:
        for position in [Position.CHAIR, Position.DEPUTY_CHAIR] + [Position.MEMBER] * 48:
            MembershipFactory(
                organisation=world.council, role=Role.COUNCIL_MEMBER, position=position
            )
        NotificationFactory.create_batch(50, recipient=world.users[role], url="/dashboard/")
        grow_space(world.council, rows=10)
        grow_space(world.other_council, rows=3)

    # session, user, memberships; roster; open tasks; unread count; funding: the council's
    # open requests, its finished ones counted, the open programmes (coordinators only);
    # reviewer tasks; exchange: the council's requests for offers with their number; the
    # network feed's newest reports and newest offers; spaces: the council's next events and
    # active working groups, the network's next events and working-group deadlines
    grow_space(world.council, rows=1)
    assert_constant_queries(lambda: client.get(DASHBOARD), grow, max_queries=17)


def test_the_ngo_dashboard_keeps_its_query_count(world):
    client = world.client("ngo_representative")

    def grow() -> None:
        regions = [RegionFactory(state=world.state) for _ in range(10)]
        world.ngo.served_regions.add(*regions)
        for _ in range(50):
            MembershipFactory(organisation=world.ngo, role=Role.NGO_REPRESENTATIVE)
        NotificationFactory.create_batch(50, recipient=world.users["ngo_representative"])
        grow_space(world.council, rows=10)

    # session, user, memberships; served regions; representatives; open tasks; unread count;
    # funding reviewer tasks; exchange: the open and recent periods, the NGO's reports of them
    # and its returned ones, the requests for its offers waiting for an answer with their
    # number; the network feed's newest reports and newest offers; spaces: the network's next
    # events and working-group deadlines
    assert_constant_queries(lambda: client.get(DASHBOARD), grow, max_queries=15)


def test_the_platform_dashboard_keeps_its_query_count(world):
    client = world.client("platform_admin")

    def grow() -> None:
        for _ in range(10):
            state = StateNetworkFactory()
            for _ in range(5):
                council = OrganisationFactory(state=state)
                MembershipFactory(organisation=council)

    # session, user, memberships; state networks with their organisations; their people in one
    # grouped count; unread count
    assert_constant_queries(lambda: client.get(DASHBOARD), grow, max_queries=6)


def test_the_empty_dashboard_keeps_its_query_count(world):
    world.users["lonely"] = UserFactory()
    client = world.client("lonely")
    assert_constant_queries(
        lambda: client.get(DASHBOARD),
        lambda: NotificationFactory.create_batch(50, recipient=world.users["lonely"]),
        max_queries=4,  # session, user, memberships, unread count
    )


# Layout and repeated notifications (issue 10, point 11)


def test_the_council_dashboard_puts_the_next_steps_first_at_full_width(world):
    html, _response = page(world, "coordinator")
    next_steps = html.index('id="next-steps"')
    assert html.index('id="funding-heading"') > next_steps
    assert html.index('id="exchange-requests-heading"') > next_steps
    assert html.index('id="funding-heading"') < html.index('id="open-tasks-heading"')
    assert '<div class="col-12" id="next-steps">' in html


def test_notifications_about_the_same_page_are_one_open_task(world):
    me = world.users["coordinator"]
    earlier = NotificationFactory(recipient=me, subject="Anfrage angenommen", url="/austausch/x/5/")
    later = NotificationFactory(recipient=me, subject="Angebot durchgeführt", url="/austausch/x/5/")
    other = NotificationFactory(recipient=me, subject="Antrag bewilligt", url="/foerderung/x/7/")

    html, response = page(world, "coordinator")

    assert response.context["open_tasks"] == [other, later]
    assert html.count("Angebot durchgeführt") == 1
    assert "Anfrage angenommen" not in html
    assert "(and 1 earlier notification about it)" in html
    # Three unread notifications, all of them stand behind the two tasks shown.
    assert "3 unread notifications wait for you." in html
    assert "are shown" not in html
    assert earlier.pk not in {task.pk for task in response.context["open_tasks"]}


def test_no_notification_appears_twice_on_the_dashboard(world):
    me = world.users["coordinator"]
    for _ in range(3):
        NotificationFactory(recipient=me, subject="Bericht fällig", body="Gleich", url="/a/1/")
    NotificationFactory(recipient=me, subject="Ohne Link", body="Text")

    html, _response = page(world, "coordinator")

    assert html.count("Bericht fällig</button>") == 1
    assert html.count("Ohne Link") == 1
