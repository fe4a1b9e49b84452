"""Acting as: a person with seats in two states and two kinds of organisation.

The rule (councils/permissions.py, README "Acting as"): access and lists follow the union of the
seats, dashboards and a page's defaults follow the acting seat of the switcher, create forms offer
every organisation the user acts for in that role and preselect the acting one. Nothing of a
state leaks to a seat of another state.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from councils.models import Membership, Role, User
from councils.permissions import acting_organisation, acting_state
from exchange.models import Offer
from funding.models import FundingRequest
from tests.conftest import World
from tests.exchange.factories import OfferFactory
from tests.factories import MembershipFactory, UserFactory
from tests.funding.factories import FundingWorld, funding_world

pytestmark = pytest.mark.django_db


class Person:
    """State staff in Niedersachsen and coordinator of the Rostock council in MV."""

    def __init__(self, world: World) -> None:
        self.user: User = UserFactory(username="zwei-laender")
        self.staff_seat: Membership = MembershipFactory(
            user=self.user, organisation=world.office, role=Role.STATE_STAFF
        )
        self.council_seat: Membership = MembershipFactory(
            user=self.user,
            organisation=world.other_state_council,
            role=Role.COUNCIL_COORDINATOR,
        )
        self.client = Client()
        self.client.force_login(self.user)

    def act_as(self, seat: Membership) -> None:
        response = self.client.post(
            reverse("councils:switch_organisation"), {"membership": seat.pk}
        )
        assert response.status_code == 302


@pytest.fixture
def setting(world: World) -> tuple[World, FundingWorld, Person]:
    return world, funding_world(world), Person(world)


def _titles(response: Any) -> set[str]:
    return {r.title for r in response.context["page"].object_list}


def test_the_dashboard_follows_the_acting_seat(setting: tuple[World, FundingWorld, Person]) -> None:
    world, _fw, person = setting
    person.act_as(person.staff_seat)
    response = person.client.get(reverse("dashboard"))
    assert response.context["state"] == world.state
    assert "lpr_portal/dashboard_state.html" in [t.name for t in response.templates]
    person.act_as(person.council_seat)
    response = person.client.get(reverse("dashboard"))
    assert response.context["organisation"] == world.other_state_council
    assert "lpr_portal/dashboard_council.html" in [t.name for t in response.templates]
    # The council dashboard reads its own state only: nothing of Niedersachsen.
    assert "Landesprogramm Prävention" not in response.content.decode()


def test_the_request_list_is_the_union_of_the_seats_whatever_the_switcher(
    setting: tuple[World, FundingWorld, Person],
) -> None:
    world, fw, person = setting
    expected = {
        fw.submitted.title,
        fw.in_review.title,
        fw.approved.title,
        fw.other_council_request.title,  # staff of Niedersachsen read every council's request
        fw.other_state_request.title,  # the Rostock council's own request
    }
    url = reverse("funding:request_list")
    for seat, heading in (
        (person.staff_seat, "Niedersachsen"),
        (person.council_seat, None),
    ):
        person.act_as(seat)
        response = person.client.get(url)
        assert _titles(response) == expected
        assert fw.draft.title not in _titles(response)  # another council's draft: never
        if heading:
            assert heading in response.context["heading"]
        else:
            assert response.context["council"] == world.other_state_council


def test_a_second_council_of_the_other_state_stays_invisible(
    setting: tuple[World, FundingWorld, Person],
) -> None:
    """Coordinating one council of MV gives no view of another MV council's requests."""
    world, fw, person = setting
    from tests.factories import OrganisationFactory, RegionFactory
    from tests.funding.factories import advance, make_draft

    neighbour = OrganisationFactory(
        state=world.other_state, region=RegionFactory(state=world.other_state)
    )
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organisation=neighbour, role=Role.COUNCIL_COORDINATOR)
    foreign = advance(
        make_draft(fw.other_programme, neighbour, coordinator, title="Nachbar MV"),
        "submitted",
        applicant=coordinator,
        staff=world.users["other_state_admin"],
    )
    assert not FundingRequest.objects.visible_to(person.user).filter(pk=foreign.pk).exists()
    response = person.client.get(reverse("funding:request_detail", kwargs={"pk": foreign.pk}))
    assert response.status_code == 404


def test_the_offer_list_is_the_union_and_never_another_states_drafts(
    setting: tuple[World, FundingWorld, Person],
) -> None:
    world, _fw, person = setting
    home_hidden = OfferFactory(state=world.state, provider=world.office, is_active=False)
    other_published = OfferFactory(state=world.other_state, provider=world.other_state_office)
    other_hidden = OfferFactory(
        state=world.other_state, provider=world.other_state_office, is_active=False
    )
    visible = set(Offer.objects.visible_to(person.user))
    assert home_hidden in visible  # staff of Niedersachsen see its unpublished offers
    assert other_published in visible  # the MV council sees MV's catalogue
    assert other_hidden not in visible
    for seat in (person.staff_seat, person.council_seat):
        person.act_as(seat)
        titles = _titles(person.client.get(reverse("exchange:offer_list")))
        assert other_published.title in titles
        assert other_hidden.title not in titles


def test_create_forms_offer_only_fitting_organisations_and_preselect_the_acting_one(
    setting: tuple[World, FundingWorld, Person],
) -> None:
    world, fw, person = setting
    url = reverse("funding:request_create")
    for seat in (person.staff_seat, person.council_seat):
        person.act_as(seat)
        form = person.client.get(url).context["form"]
        assert list(form.fields["applicant"].queryset) == [world.other_state_council]
        assert form.initial["applicant"] == world.other_state_council.pk
        assert set(form.fields["programme"].queryset) == {fw.other_programme}
    # A forged applicant of the other state (where the person is staff, not coordinator).
    before = FundingRequest.objects.count()
    response = person.client.post(
        url, {"programme": fw.programme.pk, "applicant": world.council.pk, "title": "Geschmuggelt"}
    )
    assert response.status_code == 200
    assert FundingRequest.objects.count() == before
    # Offers: the person publishes for the state office of Niedersachsen only.
    person.act_as(person.council_seat)
    form = person.client.get(reverse("exchange:offer_create")).context["form"]
    assert [o.pk for o in form.fields["provider"].queryset] == [world.office.pk]


def test_the_state_a_staff_page_opens_with(setting: tuple[World, FundingWorld, Person]) -> None:
    world, _fw, person = setting
    url = reverse("funding:statistics")
    person.act_as(person.council_seat)
    assert person.client.get(url).context["state"] == world.state  # the only staff state
    assert person.client.get(url, {"state": world.other_state.pk}).status_code == 404


def test_the_helpers(rf: Any, setting: tuple[World, FundingWorld, Person]) -> None:
    world, _fw, person = setting
    request = rf.get("/")
    request.user = person.user
    request.session = {"active_membership_id": person.council_seat.pk}
    assert acting_state(request, [world.state, world.other_state]) == world.other_state
    assert acting_state(request, [world.state]) == world.state
    assert acting_state(request, []) is None
    request = rf.get("/")
    request.user = person.user
    request.session = {"active_membership_id": person.staff_seat.pk}
    councils = [world.council, world.other_state_council]
    assert acting_organisation(request, councils) is None
    assert acting_organisation(request, [world.other_state_council]) == world.other_state_council
    assert acting_organisation(request, [world.office, world.council]) == world.office


def test_the_report_list_is_the_union_and_never_another_states_drafts(
    setting: tuple[World, FundingWorld, Person],
) -> None:
    """Staff of Niedersachsen read its drafts too; in MV the seat reads only published reports."""
    from councils.topics import Topic
    from exchange import reports as report_services
    from exchange.models import ExchangeReport
    from tests.exchange.factories import (
        ExchangeReportFactory,
        ReportingPeriodFactory,
        add_report_topics,
    )

    world, _fw, person = setting
    home_draft = ExchangeReportFactory(period=ReportingPeriodFactory(state=world.state))
    mv_period = ReportingPeriodFactory(state=world.other_state)
    mv_draft = ExchangeReportFactory(period=mv_period)
    mv_submitted = ExchangeReportFactory(period=mv_period)
    author = UserFactory()
    MembershipFactory(user=author, organisation=mv_submitted.ngo, role=Role.NGO_REPRESENTATIVE)
    add_report_topics(mv_submitted, Topic.VICTIMS)
    report_services.report_submit(report=mv_submitted, by=author)
    visible = set(ExchangeReport.objects.visible_to(person.user))
    assert home_draft in visible
    assert mv_submitted in visible
    assert mv_draft not in visible
    for seat in (person.staff_seat, person.council_seat):
        person.act_as(seat)
        rows = {r.pk for r in person.client.get(reverse("exchange:report_list")).context["page"]}
        assert mv_draft.pk not in rows
        assert mv_submitted.pk in rows


def test_the_offer_form_preselects_the_acting_provider(world: World) -> None:
    person = UserFactory()
    staff = MembershipFactory(user=person, organisation=world.office, role=Role.STATE_STAFF)
    ngo = MembershipFactory(user=person, organisation=world.ngo, role=Role.NGO_REPRESENTATIVE)
    client = Client()
    client.force_login(person)
    url = reverse("exchange:offer_create")
    for seat, provider in ((staff, world.office), (ngo, world.ngo)):
        client.post(reverse("councils:switch_organisation"), {"membership": seat.pk})
        form = client.get(url).context["form"]
        assert {o.pk for o in form.fields["provider"].queryset} == {world.office.pk, world.ngo.pk}
        assert form.initial["provider"] == provider
