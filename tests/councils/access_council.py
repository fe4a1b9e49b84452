"""Permission-matrix rules of a council kept by its coordinators: roster, history, profile."""

from django.core.files.base import ContentFile

from tests.access import LOGIN, Rule, everyone, signed_in

#: The smallest valid PNG (1×1 pixel).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)

_other_state = {"other_state_admin": 404, "other_state_coordinator": 404}


def _readers(status: int = 200) -> dict[str, int]:
    """The council's people and the state's staff; others of the state 403, another state 404."""
    return signed_in(
        403,
        platform_admin=status,
        state_admin=status,
        state_staff=status,
        coordinator=status,
        member=status,
        **_other_state,
    )


def _keepers(status: int = 200) -> dict[str, int]:
    """The council's coordinators and the state's admins."""
    return signed_in(
        403, platform_admin=status, state_admin=status, coordinator=status, **_other_state
    )


def _other(status: int = 200) -> dict[str, int]:
    """A council of the second state: the first state's people never see it."""
    return everyone(
        404,
        anonymous=LOGIN,
        platform_admin=status,
        other_state_admin=status,
        other_state_coordinator=status,
    )


def _own(w):  # type: ignore[no-untyped-def]
    return {"pk": w.council.pk}


def _other_council(w):  # type: ignore[no-untyped-def]
    return {"pk": w.other_state_council.pk}


def _hidden_logo(w):  # type: ignore[no-untyped-def]
    """A logo not marked public: only people of the council's state get it."""
    w.council.logo.save("logo.png", ContentFile(PNG), save=False)
    w.council.public_logo = False
    w.council.save(update_fields=["logo", "public_logo"])
    return {"pk": w.council.pk}


def _read_rule() -> Rule:
    return Rule(own=_readers(), kwargs=_own, other=_other(), other_kwargs=_other_council)


ACCESS: dict[str, Rule] = {
    "councils:council_roster": _read_rule(),
    "councils:council_roster_csv": _read_rule(),
    "councils:council_roster_pdf": _read_rule(),
    "councils:council_history": _read_rule(),
    "councils:council_profile_edit": Rule(
        own=_keepers(), kwargs=_own, other=_other(), other_kwargs=_other_council
    ),
    "councils:council_invite": Rule(
        own=_keepers(), kwargs=_own, other=_other(), other_kwargs=_other_council
    ),
    # Public page; the logo of a public council is public too, a hidden one stays in its state.
    "councils:council_logo": Rule(
        own=everyone(200, anonymous=404, **_other_state), kwargs=_hidden_logo
    ),
    "councils:public_profile": Rule(
        own=everyone(200),
        kwargs=lambda w: {"slug": w.state.slug, "pk": w.council.pk},
        other=everyone(404),
        # A council of the second state under the first state's address is not there.
        other_kwargs=lambda w: {"slug": w.state.slug, "pk": w.other_state_council.pk},
    ),
}
