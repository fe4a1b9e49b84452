"""The period list, the compliance table, the report list and the digest keep their number of
queries whether a period holds ten reports or a thousand."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from exchange.models import OfferedResource
from tests.conftest import World
from tests.exchange.bulk_reports import bulk_ngos, bulk_reports
from tests.exchange.factories import ReportingPeriodFactory
from tests.exchange.world_reports import ExchangeWorld, exchange_world
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def xw(world: World) -> ExchangeWorld:
    xw = exchange_world(world)
    bulk_reports(xw.period, 8)  # with the world's two: ten reports
    bulk_ngos(xw.period, 1)  # and an NGO that has not started
    return xw


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.status_code


def _grow(world: World, xw: ExchangeWorld) -> None:
    bulk_reports(xw.period, 890)
    bulk_reports(ReportingPeriodFactory(state=world.state, title="2. Halbjahr"), 100)


@pytest.mark.parametrize("role", ["state_staff", "ngo_representative", "member", "platform_admin"])
def test_period_list(world: World, xw: ExchangeWorld, role: str) -> None:
    client = world.client(role)
    url = reverse("exchange:period_list")
    assert_constant_queries(lambda: _get(client, url), lambda: _grow(world, xw), max_queries=12)


@pytest.mark.parametrize(
    "query", ["", "?status=missing", "?lateness=late&o=-late", "?o=-reminder&q=Verein"]
)
def test_compliance(world: World, xw: ExchangeWorld, query: str) -> None:
    client = world.client("state_staff")
    url = reverse("exchange:period_detail", kwargs={"pk": xw.period.pk}) + query
    assert_constant_queries(lambda: _get(client, url), lambda: _grow(world, xw), max_queries=14)


def test_published_reports_of_a_period(world: World, xw: ExchangeWorld) -> None:
    client = world.client("member")
    url = reverse("exchange:period_detail", kwargs={"pk": xw.period.pk})
    assert_constant_queries(lambda: _get(client, url), lambda: _grow(world, xw), max_queries=12)


@pytest.mark.parametrize("query", ["", "?topic=youth", "?o=ngo"])
def test_report_list(world: World, xw: ExchangeWorld, query: str) -> None:
    client = world.client("coordinator")
    url = reverse("exchange:report_list") + query
    assert_constant_queries(lambda: _get(client, url), lambda: _grow(world, xw), max_queries=14)


@pytest.mark.parametrize("role", ["state_staff", "member"])
def test_digest(world: World, xw: ExchangeWorld, role: str) -> None:
    client = world.client(role)
    url = reverse("exchange:period_digest", kwargs={"pk": xw.period.pk})
    assert_constant_queries(lambda: _get(client, url), lambda: _grow(world, xw), max_queries=10)


@pytest.mark.parametrize("role", ["ngo_representative", "member"])
def test_report_detail_with_many_resources(world: World, xw: ExchangeWorld, role: str) -> None:
    report = xw.submitted if role == "member" else xw.draft
    client = world.client(role)
    url = reverse("exchange:report_detail", kwargs={"pk": report.pk})

    def grow() -> None:
        OfferedResource.objects.bulk_create(
            OfferedResource(report=report, kind="material", title=f"Material {i}", position=i + 1)
            for i in range(40)
        )

    assert_constant_queries(lambda: _get(client, url), grow)
