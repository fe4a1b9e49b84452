"""Django admin of the periods and reports: the lists render, reports are read-only."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from exchange.models import ExchangeReport, ReportingPeriod, ReportReminder, ReportReminderKind
from tests.conftest import World
from tests.exchange.world_reports import exchange_world

pytestmark = pytest.mark.django_db

MODELS = [ReportingPeriod, ExchangeReport, ReportReminder]


def admin_client(world: World) -> Client:
    client = world.client("platform_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(model: type, view: str, *args: int) -> str:
    meta = model._meta  # type: ignore[attr-defined]
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def test_the_models_are_registered() -> None:
    for model in MODELS:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_renders(world: World, model: type) -> None:
    xw = exchange_world(world)
    ReportReminder.objects.create(period=xw.period, ngo=world.ngo, kind=ReportReminderKind.DUE_SOON)
    assert admin_client(world).get(url(model, "changelist")).status_code == 200


def test_a_report_is_read_only_a_period_can_be_changed(world: World) -> None:
    xw = exchange_world(world)
    client = admin_client(world)
    page = client.get(url(ExchangeReport, "change", xw.submitted.pk))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert "Referentin Opferschutz" in page.content.decode()
    assert client.get(url(ExchangeReport, "add")).status_code == 403
    period_page = client.get(url(ReportingPeriod, "change", xw.period.pk))
    assert b'name="_save"' in period_page.content
    assert b'name="state"' not in period_page.content  # the state of a period stays
