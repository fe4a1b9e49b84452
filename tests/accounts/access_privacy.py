"""Permission-matrix rules of privacy: the statement, the data export, erasing a person."""

from tests.access import LOGIN, Rule, everyone, signed_in

ACCESS: dict[str, Rule] = {
    "privacy": Rule(own=everyone(200)),
    "accounts:data_export": Rule(own=signed_in(200)),
    # State admins see their state's people, platform admins all.
    "accounts:erasure_list": Rule(
        own=signed_in(403, platform_admin=200, state_admin=200, other_state_admin=200)
    ),
    "accounts:erasure_confirm": Rule(
        own=signed_in(403, platform_admin=200, state_admin=200, other_state_admin=404),
        kwargs=lambda w: {"pk": w.users["member"].pk},
        other=everyone(
            403, anonymous=LOGIN, platform_admin=200, state_admin=404, other_state_admin=200
        ),
        other_kwargs=lambda w: {"pk": w.users["other_state_coordinator"].pk},
    ),
}
