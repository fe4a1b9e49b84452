"""Permission-matrix rules of the strategy tree: strategies, goals, moves, versions."""

from __future__ import annotations

from typing import Any

from strategy.models import Goal, Level, Strategy
from tests.access import LOGIN, Rule, everyone, signed_in
from tests.conftest import World

from .factories import StrategyFactory, make_tree, strategy_world

#: People of the second state asking for an object of the first state.
_other_state = {"other_state_admin": 404, "other_state_coordinator": 404}


def _readable(status: int = 200) -> dict[str, int]:
    """An adopted strategy of the first state: its whole network reads it."""
    return signed_in(status, **_other_state)


def _other_readable(status: int = 200) -> dict[str, int]:
    """An adopted strategy of the second state: only its own people read it."""
    return everyone(
        404,
        anonymous=LOGIN,
        platform_admin=status,
        other_state_admin=status,
        other_state_coordinator=status,
    )


def _staff_of_own_draft(status: int = 200) -> dict[str, int]:
    """A draft of the first state: only its state staff see it; for everyone else it is absent."""
    return everyone(
        404, anonymous=LOGIN, platform_admin=status, state_admin=status, state_staff=status
    )


def _staff_of_other_draft(status: int = 200) -> dict[str, int]:
    return everyone(404, anonymous=LOGIN, platform_admin=status, other_state_admin=status)


def _other_draft(w: World) -> Strategy:
    """A draft of the second state with a four-level tree (built once per world)."""
    cached: Strategy | None = getattr(w, "_other_draft", None)
    if cached is None:
        cached = StrategyFactory(state=w.other_state, title="Entwurf MV")
        make_tree(cached)
        w._other_draft = cached  # type: ignore[attr-defined]
    return cached


def _draft_measure(w: World) -> Goal:
    return strategy_world(w).draft.goals.get(level=Level.MEASURE)


def _other_draft_measure(w: World) -> Goal:
    return _other_draft(w).goals.get(level=Level.MEASURE)


def _draft(w: World) -> dict[str, Any]:
    return {"pk": strategy_world(w).draft.pk}


def _other_draft_kwargs(w: World) -> dict[str, Any]:
    return {"pk": _other_draft(w).pk}


def _adopted(w: World) -> dict[str, Any]:
    return {"pk": strategy_world(w).adopted.pk}


def _other_adopted(w: World) -> dict[str, Any]:
    return {"pk": strategy_world(w).other_state.pk}


def _draft_goal_rule(**extra: Any) -> Rule:
    return Rule(
        own=_staff_of_own_draft(extra.pop("status", 200)),
        kwargs=lambda w: {"pk": _draft_measure(w).pk},
        other=_staff_of_other_draft(extra.pop("other_status", 200)),
        other_kwargs=lambda w: {"pk": _other_draft_measure(w).pk},
        **extra,
    )


_state_staff_anywhere = signed_in(
    403, platform_admin=200, state_admin=200, state_staff=200, other_state_admin=200
)

ACCESS: dict[str, Rule] = {
    "strategy:strategy_list": Rule(own=signed_in(200)),
    "strategy:strategy_create": Rule(own=_state_staff_anywhere),
    "strategy:strategy_detail": Rule(
        own=_readable(),
        kwargs=_adopted,
        other=_other_readable(),
        other_kwargs=_other_adopted,
    ),
    "strategy:strategy_edit": Rule(
        own=_staff_of_own_draft(),
        kwargs=_draft,
        other=_staff_of_other_draft(),
        other_kwargs=_other_draft_kwargs,
    ),
    "strategy:strategy_adopt": Rule(
        own=_staff_of_own_draft(),
        kwargs=_draft,
        other=_staff_of_other_draft(),
        other_kwargs=_other_draft_kwargs,
    ),
    "strategy:strategy_new_version": Rule(
        own=signed_in(403, platform_admin=302, state_admin=302, state_staff=302, **_other_state),
        kwargs=_adopted,
        other=everyone(
            404,
            anonymous=LOGIN,
            platform_admin=302,
            other_state_admin=302,
            other_state_coordinator=403,
        ),
        other_kwargs=_other_adopted,
        method="post",
    ),
    "strategy:strategy_compare": Rule(
        own=_readable(),
        kwargs=_adopted,
        other=_other_readable(),
        other_kwargs=_other_adopted,
    ),
    "strategy:goal_create": Rule(
        own=_staff_of_own_draft(),
        kwargs=_draft,
        other=_staff_of_other_draft(),
        other_kwargs=_other_draft_kwargs,
    ),
    "strategy:goal_detail": Rule(
        own=_readable(),
        kwargs=lambda w: {"pk": strategy_world(w).measure.pk},
        other=_other_readable(),
        other_kwargs=lambda w: {"pk": strategy_world(w).other_state_measure.pk},
    ),
    "strategy:goal_edit": _draft_goal_rule(),
    "strategy:goal_delete": _draft_goal_rule(),
    "strategy:goal_move": _draft_goal_rule(),
}
