"""Permission-matrix rules of the membership part."""

from tests.access import LOGIN, Rule, everyone, signed_in
from tests.factories import InvitationFactory

#: People of the second state asking for an object of the first state.
_other_state = {"other_state_admin": 404, "other_state_coordinator": 404}


def _admin_page(status: int = 200) -> dict[str, int]:
    """A page of the administration: state admins (of any state) and platform admins."""
    return signed_in(403, platform_admin=status, state_admin=status, other_state_admin=status)


def _own_object(status: int = 200) -> dict[str, int]:
    """An object of the first state: its admins get it, its others 403, the second state 404."""
    return signed_in(403, platform_admin=status, state_admin=status, **_other_state)


def _other_object(status: int = 200) -> dict[str, int]:
    """An object of the second state: the first state's people do not see it at all."""
    return everyone(
        404,
        anonymous=LOGIN,
        platform_admin=status,
        other_state_admin=status,
        other_state_coordinator=403,
    )


def _council_membership(w):  # type: ignore[no-untyped-def]
    """A member's seat in the first council: its coordinator keeps it too."""
    return {"pk": w.users["member"].memberships.get().pk}


def _seat_keepers(status: int = 200) -> dict[str, int]:
    """A seat of the first council: the state's admins and the council's coordinator."""
    return signed_in(
        403, platform_admin=status, state_admin=status, coordinator=status, **_other_state
    )


def _other_council_membership(w):  # type: ignore[no-untyped-def]
    return {"pk": w.users["other_state_coordinator"].memberships.get().pk}


def _invitation_token(w):  # type: ignore[no-untyped-def]
    InvitationFactory(organisation=w.council, token="matrix-token")
    return {"token": "matrix-token"}


ACCESS: dict[str, Rule] = {
    "councils:switch_organisation": Rule(own=signed_in(302), method="post"),
    "councils:organisation_detail": Rule(
        own=signed_in(200, **_other_state),
        kwargs=lambda w: {"pk": w.council.pk},
        other=everyone(
            404,
            anonymous=LOGIN,
            platform_admin=200,
            other_state_admin=200,
            other_state_coordinator=200,
        ),
        other_kwargs=lambda w: {"pk": w.other_state_council.pk},
    ),
    # Organisations and regions.
    "councils:organisation_list": Rule(own=_admin_page()),
    "councils:organisation_create": Rule(own=_admin_page()),
    "councils:organisation_edit": Rule(
        own=_own_object(),
        kwargs=lambda w: {"pk": w.council.pk},
        other=_other_object(),
        other_kwargs=lambda w: {"pk": w.other_state_council.pk},
    ),
    "councils:region_list": Rule(own=_admin_page()),
    "councils:region_create": Rule(own=_admin_page()),
    "councils:region_edit": Rule(
        own=_own_object(),
        kwargs=lambda w: {"pk": w.council.region_id},
        other=_other_object(),
        other_kwargs=lambda w: {"pk": w.other_state_council.region_id},
    ),
    # Members.
    "councils:member_list": Rule(own=_admin_page()),
    "councils:membership_edit": Rule(
        own=_seat_keepers(),
        kwargs=_council_membership,
        other=_other_object(),
        other_kwargs=_other_council_membership,
    ),
    "councils:membership_end": Rule(
        own=_seat_keepers(302),
        kwargs=_council_membership,
        other=_other_object(302),
        other_kwargs=_other_council_membership,
        method="post",
        data=lambda w: {},
    ),
    "councils:user_deactivate": Rule(
        own=_own_object(302),
        kwargs=lambda w: {"pk": w.users["coordinator"].pk},
        other=_other_object(302),
        other_kwargs=lambda w: {"pk": w.users["other_state_coordinator"].pk},
        method="post",
        data=lambda w: {},
    ),
    "councils:member_import": Rule(own=_admin_page()),
    # Without a checked file in the session the confirmation sends the admin back to the upload.
    "councils:member_import_confirm": Rule(own=_admin_page(302), method="post", data=lambda w: {}),
    "councils:member_import_example": Rule(own=_admin_page()),
    # Invitations.
    "councils:invitation_list": Rule(own=_admin_page()),
    "councils:invitation_create": Rule(own=_admin_page()),
    "councils:invitation_revoke": Rule(
        own=_own_object(302),
        kwargs=lambda w: {"pk": InvitationFactory(organisation=w.council).pk},
        other=_other_object(302),
        other_kwargs=lambda w: {"pk": InvitationFactory(organisation=w.other_state_council).pk},
        method="post",
        data=lambda w: {},
    ),
    "councils:invitation_resend": Rule(
        own=_own_object(302),
        kwargs=lambda w: {"pk": InvitationFactory(organisation=w.council).pk},
        other=_other_object(302),
        other_kwargs=lambda w: {"pk": InvitationFactory(organisation=w.other_state_council).pk},
        method="post",
        data=lambda w: {},
    ),
    # Public: the link in the e-mail; signed-in people of another account get an explanation.
    "councils:invitation_accept": Rule(
        own=everyone(200),
        kwargs=_invitation_token,
    ),
}
