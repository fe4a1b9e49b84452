"""Reporting periods: the staff create and change them, everyone of the state sees the list."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from exchange import reports
from exchange.models import ReportingPeriod
from tests.conftest import World
from tests.exchange.factories import ReportingPeriodFactory
from tests.exchange.world_reports import ExchangeWorld, english, exchange_world

pytestmark = pytest.mark.django_db

CREATE = reverse("exchange:period_create")
LIST = reverse("exchange:period_list")


def period_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "2. Halbjahr 2027",
        "starts_on": "2027-07-01",
        "ends_on": "2027-12-31",
        "due_on": "2028-01-31",
    }
    data.update(overrides)
    return data


def test_staff_create_a_period_of_their_state(world: World) -> None:
    response = world.client("state_staff").post(CREATE, period_data(state=world.other_state.pk))
    period = ReportingPeriod.objects.get(title="2. Halbjahr 2027")
    assert response.status_code == 302
    assert response["Location"] == period.get_absolute_url()
    assert period.state == world.state  # a forged state of one's single state is ignored
    assert period.due_on == datetime.date(2028, 1, 31)
    assert period.created_by == world.users["state_staff"]


def test_the_form_asks_for_the_state_only_when_there_is_a_choice(world: World) -> None:
    staff_page = world.client("state_staff").get(CREATE).content.decode()
    assert 'name="state"' not in staff_page
    admin = world.client("platform_admin")
    assert 'name="state"' in admin.get(CREATE).content.decode()
    response = admin.post(CREATE, period_data(state=world.other_state.pk))
    assert response.status_code == 302
    assert ReportingPeriod.objects.get(title="2. Halbjahr 2027").state == world.other_state


def test_wrong_dates_are_named_and_the_input_is_kept(world: World) -> None:
    response = world.client("state_staff").post(
        CREATE, period_data(ends_on="2027-06-30", due_on="2027-01-01", title="Mein Titel")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"ends_on", "due_on"}
    assert 'value="Mein Titel"' in response.content.decode()
    assert not ReportingPeriod.objects.exists()


def test_a_title_is_unique_in_its_state_only(world: World) -> None:
    ReportingPeriodFactory(state=world.state, title="1. Halbjahr 2027")
    ReportingPeriodFactory(state=world.other_state, title="2. Halbjahr 2027")
    client = world.client("state_staff")
    response = client.post(CREATE, period_data(title="1. Halbjahr 2027"))
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert client.post(CREATE, period_data()).status_code == 302  # MV's title is free here
    with pytest.raises(ValidationError) as info:
        reports.period_create(
            state=world.state,
            by=world.users["state_staff"],
            title="1. Halbjahr 2027",
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 6, 30),
            due_on=datetime.date(2027, 7, 31),
        )
    assert set(info.value.message_dict) == {"title"}


def test_others_may_not_create_or_edit(world: World) -> None:
    period = ReportingPeriodFactory(state=world.state)
    edit = reverse("exchange:period_edit", kwargs={"pk": period.pk})
    for role in ("coordinator", "member", "ngo_representative"):
        assert world.client(role).post(CREATE, period_data()).status_code == 403
        assert world.client(role).post(edit, period_data()).status_code == 403
    assert world.client("other_state_admin").post(edit, period_data()).status_code == 404
    assert not ReportingPeriod.objects.filter(title="2. Halbjahr 2027").exists()


def test_staff_edit_title_and_dates_but_never_the_state(world: World) -> None:
    period = ReportingPeriodFactory(state=world.state, title="Alt")
    edit = reverse("exchange:period_edit", kwargs={"pk": period.pk})
    client = world.client("state_admin")
    assert 'value="Alt"' in client.get(edit).content.decode()
    response = client.post(edit, period_data(title="Neu", state=world.other_state.pk))
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(pk=period.pk)
    assert (period.title, period.state_id) == ("Neu", world.state.pk)
    assert period.due_on == datetime.date(2028, 1, 31)
    response = client.post(edit, period_data(ends_on="2027-01-01"))
    assert response.status_code == 200 and "ends_on" in response.context["form"].errors


def test_period_update_accepts_only_the_staffs_fields(world: World) -> None:
    period = ReportingPeriodFactory(state=world.state)
    with pytest.raises(TypeError):
        reports.period_update(period=period, state=world.other_state)


def test_the_list_shows_each_person_what_concerns_them(world: World) -> None:
    xw: ExchangeWorld = exchange_world(world)
    staff_page = english(world.client("state_staff")).get(LIST).content.decode()
    # Two NGOs owe a report in the first state; one has submitted.
    assert "1 of 2 submitted" in staff_page
    assert CREATE in staff_page

    rep_page = world.client("ngo_representative").get(LIST).content.decode()
    assert reverse("exchange:report_edit", kwargs={"pk": xw.draft.pk}) in rep_page
    assert CREATE not in rep_page

    # A period the NGO has not started yet offers the button to write the report.
    new = ReportingPeriodFactory(state=world.state, title="2. Halbjahr")
    rep_page = world.client("ngo_representative").get(LIST).content.decode()
    assert reverse("exchange:report_start", kwargs={"pk": new.pk}) in rep_page

    member_page = world.client("member").get(LIST).content.decode()
    assert xw.period.get_absolute_url() in member_page
    assert xw.other_period.get_absolute_url() not in member_page
    assert reverse("exchange:report_start", kwargs={"pk": new.pk}) not in member_page

    other_page = world.client("other_state_coordinator").get(LIST).content.decode()
    assert xw.other_period.get_absolute_url() in other_page
    assert xw.period.get_absolute_url() not in other_page


def test_the_period_page_shows_the_own_report_and_the_published_ones(world: World) -> None:
    xw = exchange_world(world)
    url = reverse("exchange:period_detail", kwargs={"pk": xw.period.pk})
    rep_page = world.client("ngo_representative").get(url).content.decode()
    assert reverse("exchange:report_edit", kwargs={"pk": xw.draft.pk}) in rep_page
    assert xw.second_ngo.name in rep_page  # its published report
    assert 'id="compliance-table"' not in rep_page
    member_page = world.client("member").get(url).content.decode()
    assert xw.second_ngo.name in member_page
    assert reverse("exchange:report_detail", kwargs={"pk": xw.draft.pk}) not in member_page
    assert member_page.count("<h1") == 1


def test_wrong_methods(world: World) -> None:
    period = ReportingPeriodFactory(state=world.state)
    client = world.client("state_staff")
    assert client.post(LIST).status_code == 405
    assert client.delete(CREATE).status_code == 405
    assert (
        client.post(reverse("exchange:period_detail", kwargs={"pk": period.pk})).status_code == 405
    )
    digest = reverse("exchange:period_digest", kwargs={"pk": period.pk})
    assert client.post(digest).status_code == 405
