"""Permission-matrix rules of the membership part."""

from tests.access import LOGIN, Rule, everyone, signed_in

#: People of the second state asking for an object of the first state.
_other_state = {"other_state_admin": 404, "other_state_coordinator": 404}

ACCESS: dict[str, Rule] = {
    "councils:switch_organisation": Rule(own=signed_in(302), method="post"),
    "councils:organisation_detail": Rule(
        own=signed_in(200, **_other_state),
        kwargs=lambda w: {"pk": w.council.pk},
        other=everyone(404, anonymous=LOGIN, platform_admin=200, other_state_admin=200,
                       other_state_coordinator=200),
        other_kwargs=lambda w: {"pk": w.other_state_council.pk},
    ),
}
