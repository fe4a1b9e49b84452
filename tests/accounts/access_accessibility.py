"""Permission-matrix rules of the accessibility feedback: the state admins' list and answering."""

from accounts.models import AccessibilityFeedback
from councils.models import StateNetwork
from tests.access import LOGIN, Rule, everyone, signed_in
from tests.conftest import World


def _feedback(state: StateNetwork) -> dict[str, int]:
    feedback = AccessibilityFeedback.objects.create(
        state=state, page="/verzeichnis/", message="Der Kontrast ist zu schwach."
    )
    return {"pk": feedback.pk}


def _own(world: World) -> dict[str, int]:
    return _feedback(world.state)


def _other(world: World) -> dict[str, int]:
    return _feedback(world.other_state)


ACCESS: dict[str, Rule] = {
    # Every state admin has a list: the feedback of the states they administer.
    "accounts:accessibility_feedback_list": Rule(
        own=signed_in(403, platform_admin=200, state_admin=200, other_state_admin=200)
    ),
    # Marking answered redirects back to the list; another state's feedback does not exist.
    "accounts:accessibility_feedback_answered": Rule(
        own=signed_in(403, platform_admin=302, state_admin=302, other_state_admin=404),
        kwargs=_own,
        other=everyone(
            403, anonymous=LOGIN, platform_admin=302, state_admin=404, other_state_admin=302
        ),
        other_kwargs=_other,
        method="post",
    ),
}
