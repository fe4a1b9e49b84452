"""Permission-matrix rules of the strategy exports and the CSV import."""

from tests.access import LOGIN, Rule, everyone, signed_in
from tests.strategy.factories import strategy_world

#: Readers of an adopted strategy of the first state: every signed-in member, not the second state.
_read_own = signed_in(200, other_state_admin=404, other_state_coordinator=404)
#: The second state's adopted strategy: only its own people (and platform admins).
_read_other = everyone(
    404,
    anonymous=LOGIN,
    platform_admin=200,
    other_state_admin=200,
    other_state_coordinator=200,
)


def _state_staff(status: int) -> dict[str, int]:
    """State staff of either state import into their own network; platform admins hold no seat."""
    return signed_in(403, state_admin=status, state_staff=status, other_state_admin=status)


def _adopted(w):  # type: ignore[no-untyped-def]
    return {"pk": strategy_world(w).adopted.pk}


def _other(w):  # type: ignore[no-untyped-def]
    return {"pk": strategy_world(w).other_state.pk}


ACCESS: dict[str, Rule] = {
    "strategy:strategy_pdf": Rule(
        own=_read_own, kwargs=_adopted, other=_read_other, other_kwargs=_other
    ),
    "strategy:strategy_export": Rule(
        own=_read_own, kwargs=_adopted, other=_read_other, other_kwargs=_other, query="?format=csv"
    ),
    "strategy:strategy_import": Rule(own=_state_staff(200)),
    # Without a checked file in the session the confirmation sends staff back to the upload.
    "strategy:strategy_import_confirm": Rule(own=_state_staff(302), method="post"),
    "strategy:strategy_import_example": Rule(own=_state_staff(200)),
}
