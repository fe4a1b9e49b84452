"""Permission-matrix rules of sign-in security: security pages, second factor, lockouts."""

from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.access import LOGIN, Rule, everyone, signed_in
from tests.conftest import World


def _attempt(username: str) -> dict[str, int]:
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address="192.0.2.7",
        user_agent="matrix",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=10,
    )
    return {"pk": attempt.pk}


def _person_with_second_factor(world: World, key: str) -> dict[str, int]:
    person = world.users[key]
    TOTPDevice.objects.create(user=person, name="app", confirmed=True)
    return {"pk": person.pk}


ACCESS: dict[str, Rule] = {
    # The Django admin's login is replaced by the portal's (with the second factor).
    "admin_login_redirect": Rule(own=everyone(302)),
    "accounts:security": Rule(own=signed_in(200)),
    "accounts:reauth": Rule(own=signed_in(200)),
    # Signing in counts as a fresh password confirmation.
    "accounts:email_change": Rule(own=signed_in(200)),
    # Without a pending sign-in: back to the login; signed in without a device: to the set-up.
    "accounts:otp_verify": Rule(own=everyone(302)),
    "accounts:otp_setup": Rule(own=signed_in(200)),
    # Nobody in the world has a second factor: nothing to turn off or renew.
    "accounts:otp_remove": Rule(own=signed_in(404)),
    "accounts:recovery_codes_new": Rule(own=signed_in(404)),
    # Fresh codes are shown once, right after they were made; otherwise to the security page.
    "accounts:recovery_codes": Rule(own=everyone(302)),
    "accounts:recovery_codes_download": Rule(own=signed_in(404)),
    # State admins see their state's people's blocks, platform admins all.
    "accounts:lockout_list": Rule(
        own=signed_in(403, platform_admin=200, state_admin=200, other_state_admin=200)
    ),
    "accounts:lockout_unlock": Rule(
        own=signed_in(403, platform_admin=200, state_admin=200, other_state_admin=404),
        kwargs=lambda w: _attempt(w.users["coordinator"].username),
        other=everyone(
            403, anonymous=LOGIN, platform_admin=200, state_admin=404, other_state_admin=200
        ),
        other_kwargs=lambda w: _attempt(w.users["other_state_coordinator"].username),
    ),
    # The reset of a lost second factor: the person's state admins and the platform admins; the
    # person themselves and the other roles of their state 403, another state 404.
    "accounts:second_factor_reset": Rule(
        own=signed_in(
            403,
            platform_admin=200,
            state_admin=200,
            other_state_admin=404,
            other_state_coordinator=404,
        ),
        kwargs=lambda w: _person_with_second_factor(w, "member"),
        other=everyone(
            404,
            anonymous=LOGIN,
            platform_admin=200,
            other_state_admin=200,
            other_state_coordinator=403,
        ),
        other_kwargs=lambda w: _person_with_second_factor(w, "other_state_coordinator"),
    ),
}
