"""Every state machine's log is one kind of row: the abstract core.transitions.TransitionLog."""

from __future__ import annotations

import pytest
from django.apps import apps

from core.transitions import TransitionLog
from exchange.models import OfferRequestEvent, ReportEvent
from funding.models import PaymentStatusChange, StatusChange
from spaces.models import WorkingGroupStatusChange
from strategy.models import StrategyStatusChange
from tests.conftest import World
from tests.funding.factories import funding_world


def test_every_transition_log_shares_the_base() -> None:
    logs = {
        model
        for model in apps.get_models()
        if {"from_status", "to_status"} <= {f.name for f in model._meta.get_fields()}
        and not model.__name__.startswith("Historical")
    }

    assert logs == {
        StatusChange,
        PaymentStatusChange,
        ReportEvent,
        OfferRequestEvent,
        StrategyStatusChange,
        WorkingGroupStatusChange,
    }
    assert all(issubclass(model, TransitionLog) for model in logs)
    assert all(
        [f.name for f in model._meta.get_fields() if f.name in ("by", "at", "reason")]
        == ["by", "at", "reason"]
        for model in logs
    )


@pytest.mark.django_db
def test_record_writes_who_when_from_to_and_why(world: World) -> None:
    request = funding_world(world).submitted

    change = StatusChange.record(
        request,
        by=world.users["state_staff"],
        source="submitted",
        target="formal_check",
        reason="Vollständig",
    )

    change.refresh_from_db()
    assert (change.request, change.by, change.from_status, change.to_status, change.reason) == (
        request,
        world.users["state_staff"],
        "submitted",
        "formal_check",
        "Vollständig",
    )
    assert change.at is not None
