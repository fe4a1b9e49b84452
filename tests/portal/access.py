"""Permission-matrix rules of the portal's own pages (public pages, health, dashboard)."""

from tests.access import Rule, everyone, signed_in

ACCESS: dict[str, Rule] = {
    "home": Rule(own=everyone(200)),
    "healthz": Rule(own=everyone(200)),
    "readyz": Rule(own=everyone(200)),
    "imprint": Rule(own=everyone(200)),
    "accessibility": Rule(own=everyone(200)),
    "easy_language": Rule(own=everyone(200)),
    "directory": Rule(own=everyone(200)),
    "directory_state": Rule(
        own=everyone(200),
        kwargs=lambda w: {"slug": w.state.slug},
        other=everyone(200),
        other_kwargs=lambda w: {"slug": w.other_state.slug},
    ),
    "dashboard": Rule(own=signed_in(200)),
    # The state's network: for the state office (each its own state) and platform admins.
    "network_overview": Rule(
        own=signed_in(
            403, platform_admin=200, state_admin=200, state_staff=200, other_state_admin=200
        )
    ),
    "set_language": Rule(own=everyone(302), method="post", data=lambda w: {"language": "en"}),
    # Django's auth views: public forms, and password change for the signed-in.
    "login": Rule(own=everyone(200)),
    "logout": Rule(own=everyone(302), method="post"),
    "password_change": Rule(own=signed_in(200)),
    "password_change_done": Rule(own=signed_in(200)),
    "password_reset": Rule(own=everyone(200)),
    "password_reset_done": Rule(own=everyone(200)),
    "password_reset_confirm": Rule(
        own=everyone(200), kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}
    ),
    "password_reset_complete": Rule(own=everyone(200)),
}
