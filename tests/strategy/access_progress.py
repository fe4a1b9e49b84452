"""Permission-matrix rules of indicators, progress reports, my measures and the timeline."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from strategy.models import (
    Goal,
    Indicator,
    Level,
    MeasureStatus,
    ProgressReport,
    StrategyStatus,
)
from tests.access import LOGIN, Rule, everyone, signed_in
from tests.conftest import World
from tests.strategy.factories import StrategyFactory, make_tree, strategy_world


def _report_with_evidence(measure: Goal) -> ProgressReport:
    return ProgressReport.objects.create(
        measure=measure,
        organisation=measure.responsible.first(),
        percent=40,
        status=MeasureStatus.RUNNING,
        text="Zwischenstand",
        evidence=SimpleUploadedFile("nachweis.pdf", b"%PDF-1.4 Nachweis"),
    )


#: People of the second state asking for an object of the first state.
_other_state = {"other_state_admin": 404, "other_state_coordinator": 404}


def _staff_draft_page() -> dict[str, int]:
    """A draft of the first state: only its state staff (and platform admins) see it at all."""
    return everyone(404, anonymous=LOGIN, platform_admin=200, state_admin=200, state_staff=200)


def _other_staff_draft_page() -> dict[str, int]:
    return everyone(404, anonymous=LOGIN, platform_admin=200, other_state_admin=200)


def _readable() -> dict[str, int]:
    """An adopted strategy's object of the first state: every member of the state reads it."""
    return signed_in(200, **_other_state)


def _other_readable() -> dict[str, int]:
    return everyone(
        404,
        anonymous=LOGIN,
        platform_admin=200,
        other_state_admin=200,
        other_state_coordinator=200,
    )


def _reporting() -> dict[str, int]:
    """State staff and the responsible council's coordinator; other members of the state 403."""
    return signed_in(
        403, platform_admin=200, state_admin=200, state_staff=200, coordinator=200, **_other_state
    )


def _other_reporting() -> dict[str, int]:
    return everyone(
        404,
        anonymous=LOGIN,
        platform_admin=200,
        other_state_admin=200,
        other_state_coordinator=200,
    )


def _indicator(goal: Goal) -> Indicator:
    return Indicator.objects.create(
        goal=goal,
        name="Beratene Räte",
        unit="%",
        baseline=Decimal("10"),
        baseline_date=datetime.date(2025, 1, 1),
        target=Decimal("80"),
        target_date=datetime.date(2027, 12, 31),
    )


def _draft_measure(w: World) -> Goal:
    return strategy_world(w).draft.goals.get(level=Level.MEASURE)


def _other_draft_measure(w: World) -> Goal:
    strategy_world(w)
    draft = StrategyFactory(state=w.other_state, title="Entwurf MV", status=StrategyStatus.DRAFT)
    return make_tree(draft)[-1]


ACCESS: dict[str, Rule] = {
    "strategy:indicator_create": Rule(
        own=_staff_draft_page(),
        kwargs=lambda w: {"pk": _draft_measure(w).pk},
        other=_other_staff_draft_page(),
        other_kwargs=lambda w: {"pk": _other_draft_measure(w).pk},
    ),
    "strategy:indicator_edit": Rule(
        own=_staff_draft_page(),
        kwargs=lambda w: {"pk": _indicator(_draft_measure(w)).pk},
        other=_other_staff_draft_page(),
        other_kwargs=lambda w: {"pk": _indicator(_other_draft_measure(w)).pk},
    ),
    "strategy:indicator_delete": Rule(
        own=_staff_draft_page(),
        kwargs=lambda w: {"pk": _indicator(_draft_measure(w)).pk},
        other=_other_staff_draft_page(),
        other_kwargs=lambda w: {"pk": _indicator(_other_draft_measure(w)).pk},
    ),
    "strategy:indicator_detail": Rule(
        own=_readable(),
        kwargs=lambda w: {"pk": _indicator(strategy_world(w).measure).pk},
        other=_other_readable(),
        other_kwargs=lambda w: {"pk": _indicator(strategy_world(w).other_state_measure).pk},
    ),
    "strategy:indicator_value_add": Rule(
        own=_reporting(),
        kwargs=lambda w: {"pk": _indicator(strategy_world(w).measure).pk},
        other=_other_reporting(),
        other_kwargs=lambda w: {"pk": _indicator(strategy_world(w).other_state_measure).pk},
    ),
    "strategy:report_create": Rule(
        own=_reporting(),
        kwargs=lambda w: {"pk": strategy_world(w).measure.pk},
        other=_other_reporting(),
        other_kwargs=lambda w: {"pk": strategy_world(w).other_state_measure.pk},
    ),
    "strategy:report_list": Rule(
        own=_readable(),
        kwargs=lambda w: {"pk": strategy_world(w).measure.pk},
        other=_other_readable(),
        other_kwargs=lambda w: {"pk": strategy_world(w).other_state_measure.pk},
    ),
    "strategy:report_evidence": Rule(
        own=_readable(),
        kwargs=lambda w: {"pk": _report_with_evidence(strategy_world(w).measure).pk},
        other=_other_readable(),
        other_kwargs=lambda w: {
            "pk": _report_with_evidence(strategy_world(w).other_state_measure).pk
        },
    ),
    "strategy:my_measures": Rule(own=signed_in(200)),
    "strategy:timeline": Rule(
        own=_readable(),
        kwargs=lambda w: {"pk": strategy_world(w).adopted.pk},
        other=_other_readable(),
        other_kwargs=lambda w: {"pk": strategy_world(w).other_state.pk},
    ),
}
