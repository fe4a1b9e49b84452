"""Indicators of goals and measures: definition in drafts, measured values, chart and table."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from councils.models import User
from strategy.forms_progress import NumberError, parse_number
from strategy.models import Goal, Indicator, IndicatorValue, Level
from tests.conftest import World
from tests.querycount import assert_constant_queries
from tests.strategy.factories import strategy_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """Assertions read the English message ids; the German translation follows later."""
    settings.LANGUAGE_CODE = "en"


DEFINITION = {
    "name": "Beratene Präventionsräte",
    "unit": "%",
    "baseline": "10,5",
    "baseline_date": "2025-01-01",
    "target": "80",
    "target_date": "2027-12-31",
}


def make_indicator(goal: Goal, unit: str = "%") -> Indicator:
    return Indicator.objects.create(
        goal=goal,
        name="Beratene Räte",
        unit=unit,
        baseline=Decimal("10"),
        baseline_date=datetime.date(2025, 1, 1),
        target=Decimal("80"),
        target_date=datetime.date(2027, 12, 31),
    )


def draft_measure(world: World) -> Goal:
    return strategy_world(world).draft.goals.get(level=Level.MEASURE)


# Definition ----------------------------------------------------------------------------------


def test_staff_adds_an_indicator_to_a_draft_goal(world: World) -> None:
    goal = draft_measure(world)
    url = reverse("strategy:indicator_create", kwargs={"pk": goal.pk})
    response = world.client("state_staff").post(url, DEFINITION)
    assert response.status_code == 302
    indicator = Indicator.objects.get(goal=goal)
    assert indicator.baseline == Decimal("10.5")
    assert response.url == reverse("strategy:indicator_detail", kwargs={"pk": indicator.pk})


def test_target_date_before_baseline_is_a_field_error(world: World) -> None:
    goal = draft_measure(world)
    url = reverse("strategy:indicator_create", kwargs={"pk": goal.pk})
    data = {**DEFINITION, "target_date": "2024-06-30"}
    response = world.client("state_staff").post(url, data)
    assert response.status_code == 200
    assert "target_date" in response.context["form"].errors
    assert "Beratene Präventionsräte" in response.content.decode()
    assert not Indicator.objects.exists()


def test_same_target_and_baseline_date_is_refused(world: World) -> None:
    goal = draft_measure(world)
    url = reverse("strategy:indicator_create", kwargs={"pk": goal.pk})
    data = {**DEFINITION, "target_date": "2025-01-01"}
    response = world.client("state_staff").post(url, data)
    assert "target_date" in response.context["form"].errors


def test_baseline_must_be_a_number(world: World) -> None:
    goal = draft_measure(world)
    url = reverse("strategy:indicator_create", kwargs={"pk": goal.pk})
    response = world.client("state_staff").post(url, {**DEFINITION, "baseline": "viel"})
    assert "baseline" in response.context["form"].errors
    assert not Indicator.objects.exists()


def test_adopted_strategy_indicators_are_frozen(world: World) -> None:
    sw = strategy_world(world)
    indicator = make_indicator(sw.measure)
    client = world.client("state_staff")
    create = reverse("strategy:indicator_create", kwargs={"pk": sw.measure.pk})
    assert client.post(create, DEFINITION).status_code == 403
    edit = reverse("strategy:indicator_edit", kwargs={"pk": indicator.pk})
    assert client.post(edit, {**DEFINITION, "name": "Neu"}).status_code == 403
    delete = reverse("strategy:indicator_delete", kwargs={"pk": indicator.pk})
    assert client.post(delete).status_code == 403
    indicator.refresh_from_db()
    assert indicator.name == "Beratene Räte"
    assert Indicator.objects.filter(goal=sw.measure).count() == 1


def test_edit_in_a_draft(world: World) -> None:
    indicator = make_indicator(draft_measure(world))
    url = reverse("strategy:indicator_edit", kwargs={"pk": indicator.pk})
    response = world.client("state_staff").post(url, {**DEFINITION, "name": "Neuer Name"})
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Neuer Name"


def test_edit_with_bad_dates_changes_nothing(world: World) -> None:
    indicator = make_indicator(draft_measure(world))
    url = reverse("strategy:indicator_edit", kwargs={"pk": indicator.pk})
    data = {**DEFINITION, "name": "Neuer Name", "target_date": "2020-01-01"}
    response = world.client("state_staff").post(url, data)
    assert response.status_code == 200
    assert "target_date" in response.context["form"].errors
    indicator.refresh_from_db()
    assert indicator.name == "Beratene Räte"


def test_delete_confirms_then_deletes(world: World) -> None:
    indicator = make_indicator(draft_measure(world))
    url = reverse("strategy:indicator_delete", kwargs={"pk": indicator.pk})
    client = world.client("state_staff")
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Beratene Räte" in confirm.content.decode()
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert client.post(url).status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_definition_needs_login_state_staff_and_own_state(world: World) -> None:
    goal = draft_measure(world)
    url = reverse("strategy:indicator_create", kwargs={"pk": goal.pk})
    assert world.client("anonymous").get(url).status_code == 302
    # Drafts are invisible to the council: 404, not 403.
    assert world.client("coordinator").get(url).status_code == 404
    assert world.client("other_state_admin").get(url).status_code == 404
    assert world.client("state_staff").put(url).status_code == 405


def test_non_staff_get_403_on_an_adopted_goal(world: World) -> None:
    sw = strategy_world(world)
    url = reverse("strategy:indicator_create", kwargs={"pk": sw.measure.pk})
    assert world.client("coordinator").get(url).status_code == 403


# Values --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "suffix"),
    [
        ("12", Decimal("12"), ""),
        ("12,5", Decimal("12.5"), ""),
        ("12.5", Decimal("12.5"), ""),
        ("1.000", Decimal("1000"), ""),
        ("1.000,25", Decimal("1000.25"), ""),
        ("-3", Decimal("-3"), ""),
        ("12 €", Decimal("12"), "€"),
        ("12%", Decimal("12"), "%"),
        (" 7 Räte ", Decimal("7"), "Räte"),
    ],
)
def test_parse_number(text: str, number: Decimal, suffix: str) -> None:
    assert parse_number(text) == (number, suffix)


@pytest.mark.parametrize("text", ["", "abc", "€ 12", "1,2,3"])
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(NumberError):
        parse_number(text)


def _value_url(indicator: Indicator) -> str:
    return reverse("strategy:indicator_value_add", kwargs={"pk": indicator.pk})


def test_coordinator_of_the_responsible_council_adds_a_value(world: World) -> None:
    indicator = make_indicator(strategy_world(world).measure)
    response = world.client("coordinator").post(
        _value_url(indicator), {"value": "12,5", "measured_on": "2026-05-01", "source": "Umfrage"}
    )
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=indicator)
    assert value.value == Decimal("12.5")
    assert value.entered_by == world.users["coordinator"]


def test_value_in_the_indicator_unit_is_accepted(world: World) -> None:
    indicator = make_indicator(strategy_world(world).measure)
    response = world.client("state_staff").post(
        _value_url(indicator), {"value": "40 %", "measured_on": "2026-05-01", "source": "Zählung"}
    )
    assert response.status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("40")


def test_value_in_the_wrong_unit_is_refused(world: World) -> None:
    indicator = make_indicator(strategy_world(world).measure)
    response = world.client("state_staff").post(
        _value_url(indicator), {"value": "12 €", "measured_on": "2026-05-01", "source": "Kasse"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("value", "wrong_unit")
    assert "%" in form.errors["value"][0]
    content = response.content.decode()
    assert "12 €" in content
    assert "Kasse" in content
    assert not IndicatorValue.objects.exists()


def test_value_that_is_no_number_is_refused(world: World) -> None:
    indicator = make_indicator(strategy_world(world).measure)
    response = world.client("state_staff").post(
        _value_url(indicator), {"value": "viele", "measured_on": "2026-05-01", "source": "x"}
    )
    assert "value" in response.context["form"].errors
    assert not IndicatorValue.objects.exists()


def test_council_member_may_not_add_values(world: World) -> None:
    indicator = make_indicator(strategy_world(world).measure)
    data = {"value": "3", "measured_on": "2026-05-01", "source": "x"}
    assert world.client("member").post(_value_url(indicator), data).status_code == 403
    assert (
        world.client("other_council_coordinator").post(_value_url(indicator), data).status_code
        == 403
    )
    assert world.client("other_state_admin").post(_value_url(indicator), data).status_code == 404
    assert world.client("anonymous").post(_value_url(indicator), data).status_code == 302
    assert world.client("state_staff").delete(_value_url(indicator)).status_code == 405
    assert not IndicatorValue.objects.exists()


# Detail --------------------------------------------------------------------------------------


def _add_values(indicator: Indicator, count: int, user: User) -> None:
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=indicator,
            value=Decimal(10 + i % 70),
            measured_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
            source=f"Quelle {i}",
            entered_by=user,
        )
        for i in range(count)
    )


def test_detail_shows_an_svg_chart_and_the_table(world: World) -> None:
    indicator = make_indicator(strategy_world(world).measure)
    _add_values(indicator, 3, world.users["state_staff"])
    url = reverse("strategy:indicator_detail", kwargs={"pk": indicator.pk})
    response = world.client("member").get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert '<svg role="img" aria-labelledby="chart-title-' in content
    assert '<title id="chart-title-' in content
    assert "<polyline points=" in content
    assert "<caption>" in content
    assert "Quelle 2" in content
    assert "<script" not in content.split("<main", 1)[1]
    assert 'style="' not in content
    # SVG coordinates are plain numbers, never with a German decimal comma.
    svg = content.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'y1="' in svg and ',5"' not in svg
    # A member of the state reads but neither edits nor adds values.
    assert reverse("strategy:indicator_value_add", kwargs={"pk": indicator.pk}) not in content


def test_detail_without_values_has_an_empty_state(world: World) -> None:
    indicator = make_indicator(strategy_world(world).measure)
    url = reverse("strategy:indicator_detail", kwargs={"pk": indicator.pk})
    response = world.client("coordinator").get(url)
    assert "No values have been measured yet." in response.content.decode()
    assert reverse("strategy:indicator_value_add", kwargs={"pk": indicator.pk}) in (
        response.content.decode()
    )


def test_detail_queries_do_not_grow(world: World) -> None:
    indicator = make_indicator(strategy_world(world).measure)
    _add_values(indicator, 5, world.users["state_staff"])
    url = reverse("strategy:indicator_detail", kwargs={"pk": indicator.pk})
    client = world.client("state_staff")
    other_user = world.users["coordinator"]
    assert_constant_queries(
        lambda: client.get(url), lambda: _add_values(indicator, 500, other_user)
    )


@pytest.mark.parametrize("text", ["12,345", "12345678901234"])
def test_value_beyond_the_stored_precision_is_a_field_error(world: World, text: str) -> None:
    indicator = make_indicator(strategy_world(world).measure)
    response = world.client("state_staff").post(
        _value_url(indicator), {"value": text, "measured_on": "2026-05-01", "source": "x"}
    )
    assert response.status_code == 200
    assert "value" in response.context["form"].errors
    assert not IndicatorValue.objects.exists()


def test_goals_above_measures_have_indicators_too(world: World) -> None:
    sw = strategy_world(world)
    indicator = make_indicator(sw.strategic, unit="Räte")
    response = world.client("state_staff").post(
        _value_url(indicator), {"value": "7 räte", "measured_on": "2026-05-01", "source": "x"}
    )
    assert response.status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("7")
    # The strategic goal has no responsible organisation: the coordinator may only read.
    assert world.client("coordinator").get(_value_url(indicator)).status_code == 403
