"""The one place that decides who acts where: seats, role groups, scopes and "acting as".

Another tenant's object answers 404 (as if it did not exist); an object the user may see
but not change answers 403.

Scopes. The sets "states where I am staff" (``staff_state_ids``), "councils I belong to"
(``council_ids``), "councils I coordinate" (``coordinated_council_ids``), "NGOs I represent"
(``represented_ngo_ids``) and "providers I act for" (``provider_ids``) are computed here from the
user's active seats, and nowhere else. ``people_with_role`` is the one selector for the people who
hold a role in an organisation or state (recipients of notifications, reviewers, reminders).

Acting as. A person may hold seats in several organisations, even in two states; the switcher
chooses one of them as the *acting* seat (``acting_membership``). The rule for every page:

* **Access never follows the switcher.** Whether a user may read or change an object is decided
  by all their active seats together (``active_memberships``, ``.visible_to(user)``); the
  switcher never widens access and never hides an object the user may open by its address.
* **Lists show the union of the seats** (funding requests, exchange reports, offers, requests
  for offers): every row some seat allows, never a row of a state where the user has no seat
  for it. Filters narrow the list.
* **Dashboards and the defaults of a page follow the acting seat**: the dashboard is the acting
  organisation's; the state a staff page opens with (statistics, coverage, programmes, periods,
  strategy import) is ``acting_state`` among the states the page allows; the heading of a list
  names the acting organisation when it is one the list is for.
* **Create forms offer the organisations the user may act for in that role** (all of them) and
  preselect the acting one (``acting_organisation``); the service checks the chosen one against
  the user's seats, so nothing is ever created in a state where the user has no such seat.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from .models import (
    COUNCIL_ROLES,
    PROVIDER_ROLES,
    STATE_ROLES,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    StateNetwork,
    User,
    user_state_ids,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

_Org = TypeVar("_Org", bound=Organisation)

_CACHE_ATTR = "_lpr_active_memberships"


def active_memberships(user: User | AnonymousUser) -> list[Membership]:
    """The user's active memberships with organisation and state, cached on the user object."""
    if not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.active()
            .filter(user=user, organisation__is_active=True)
            .select_related("organisation__state", "organisation__region")
            .order_by("organisation__state__name", "organisation__kind", "organisation__name")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: User | AnonymousUser) -> None:
    """Drop the cached memberships after they changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


# Scopes: what the user's active seats reach ------------------------------------------------


def staff_state_ids(user: User | AnonymousUser) -> set[int] | None:
    """States where the user is state staff or state admin; None (all) for a platform admin."""
    return user_state_ids(user, roles=STATE_ROLES)


def _seat_organisations(
    user: User | AnonymousUser, roles: Iterable[str], kinds: Iterable[str]
) -> list[Organisation]:
    """Organisations of the user's active seats with one of the roles, of one of the kinds."""
    roles, kinds = set(roles), set(kinds)
    found: dict[int, Organisation] = {}
    for m in active_memberships(user):
        if m.role in roles and m.organisation.kind in kinds:
            found.setdefault(m.organisation_id, m.organisation)
    return list(found.values())


def coordinated_councils(user: User | AnonymousUser) -> list[Organisation]:
    """Councils the user coordinates (they draft funding requests, ask for offers)."""
    return _seat_organisations(
        user, {Role.COUNCIL_COORDINATOR}, {OrganisationKind.MUNICIPAL_COUNCIL}
    )


def represented_ngos(user: User | AnonymousUser) -> list[Organisation]:
    """NGOs the user represents (they write the NGOs' reports and offers)."""
    return _seat_organisations(user, {Role.NGO_REPRESENTATIVE}, {OrganisationKind.NGO})


def provider_organisations(user: User | AnonymousUser) -> list[Organisation]:
    """Providers of offers the user acts for: their state office (staff) or NGO."""
    return _seat_organisations(
        user, PROVIDER_ROLES, {OrganisationKind.STATE_OFFICE, OrganisationKind.NGO}
    )


def member_councils(user: User | AnonymousUser) -> list[Organisation]:
    """Councils the user belongs to (coordinator or member)."""
    return _seat_organisations(user, COUNCIL_ROLES, {OrganisationKind.MUNICIPAL_COUNCIL})


def council_ids(user: User | AnonymousUser) -> set[int]:
    """Councils the user belongs to (coordinator or member)."""
    return {o.pk for o in member_councils(user)}


def coordinated_council_ids(user: User | AnonymousUser) -> set[int]:
    return {o.pk for o in coordinated_councils(user)}


def represented_ngo_ids(user: User | AnonymousUser) -> set[int]:
    return {o.pk for o in represented_ngos(user)}


def provider_ids(user: User | AnonymousUser) -> set[int]:
    return {o.pk for o in provider_organisations(user)}


def has_role_in(user: User | AnonymousUser, organisation_id: int, *roles: str) -> bool:
    """Whether the user holds one of the roles in the organisation through an active seat."""
    return any(
        m.organisation_id == organisation_id and m.role in roles for m in active_memberships(user)
    )


def staff_states(user: User | AnonymousUser) -> list[StateNetwork]:
    """States where the user is state staff or admin, by name; every state for a platform admin."""
    if user.is_authenticated and user.is_superuser:
        return list(StateNetwork.objects.order_by("name"))
    states = {
        m.organisation.state_id: m.organisation.state
        for m in active_memberships(user)
        if m.role in STATE_ROLES
    }
    return sorted(states.values(), key=lambda state: state.name)


def people_with_role(
    *roles: str,
    organisation: Organisation | int | Iterable[int] | None = None,
    state: StateNetwork | int | None = None,
) -> QuerySet[User]:
    """Active people holding one of the roles in the organisation(s) or state.

    Only seats held today (``Membership.objects.active()``) in active organisations count, and
    only active accounts: the one selector for recipients, reviewers and reminders.
    """
    seats = Membership.objects.active().filter(role__in=roles, organisation__is_active=True)
    if organisation is not None:
        if isinstance(organisation, Organisation | int):
            seats = seats.filter(organisation_id=getattr(organisation, "pk", organisation))
        else:
            seats = seats.filter(organisation_id__in=list(organisation))
    if state is not None:
        seats = seats.filter(organisation__state_id=getattr(state, "pk", state))
    return User.objects.filter(is_active=True, pk__in=seats.values("user_id"))


def roles_in_state(user: User | AnonymousUser, state_id: int) -> set[str]:
    return {m.role for m in active_memberships(user) if m.organisation.state_id == state_id}


def is_state_admin(user: User | AnonymousUser, state_id: int) -> bool:
    """May keep the state's organisations, regions and memberships."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or Role.STATE_ADMIN in roles_in_state(user, state_id)


def is_state_staff(user: User | AnonymousUser, state_id: int) -> bool:
    """Acts for the state office (staff or admin), or is a platform admin."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(roles_in_state(user, state_id) & set(STATE_ROLES))


def can_administer_any_state(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(m.role == Role.STATE_ADMIN for m in active_memberships(user))


def require_state_administration(user: User | AnonymousUser) -> None:
    """403 unless the user administers at least one state network."""
    if not can_administer_any_state(user):
        raise PermissionDenied


def get_state_for_admin(user: User | AnonymousUser, pk: int) -> StateNetwork:
    """A state network the user administers; 404 for one they do not belong to, else 403."""
    state = StateNetwork.objects.visible_to(user).filter(pk=pk).first()
    if state is None:
        raise Http404
    if not is_state_admin(user, state.pk):
        raise PermissionDenied
    return state


def get_organisation_for_user(
    user: User | AnonymousUser, pk: int, *, manage: bool = False
) -> Organisation:
    """An organisation of the user's state networks; with manage, only for its state admins."""
    organisation = (
        Organisation.objects.visible_to(user)
        .select_related("state", "region")
        .filter(pk=pk)
        .first()
    )
    if organisation is None:
        raise Http404
    if manage and not is_state_admin(user, organisation.state_id):
        raise PermissionDenied
    return organisation


def get_membership_for_admin(user: User | AnonymousUser, pk: int) -> Membership:
    """A membership the user may change; 404 for another tenant's, 403 without the admin role."""
    membership = (
        Membership.objects.visible_to(user)
        .select_related("user", "organisation__state")
        .filter(pk=pk)
        .first()
    )
    if membership is None:
        raise Http404
    if not is_state_admin(user, membership.organisation.state_id):
        raise PermissionDenied
    return membership


def get_person_for_admin(user: User | AnonymousUser, pk: int) -> User:
    """A person the user administers: one with a seat (held or ended) in a state they keep.

    Platform admins reach every account. 404 when the user sees no seat of the person (another
    tenant's), 403 when none is in a state they administer.
    """
    if user.is_authenticated and user.is_superuser:
        person = User.objects.filter(pk=pk).first()
        if person is None:
            raise Http404
        return person
    seats = list(
        Membership.objects.visible_to(user)
        .filter(user_id=pk)
        .select_related("user", "organisation")
    )
    if not seats:
        raise Http404
    if not any(is_state_admin(user, seat.organisation.state_id) for seat in seats):
        raise PermissionDenied
    return seats[0].user


def states_not_administered(user: User | AnonymousUser, person: User) -> list[str]:
    """Names of the states where the person holds a seat today that the user does not keep."""
    return sorted(
        set(
            Membership.objects.active()
            .filter(user=person)
            .exclude(organisation__state__in=StateNetwork.objects.administered_by(user))
            .values_list("organisation__state__name", flat=True)
        )
    )


def get_invitation_for_admin(user: User | AnonymousUser, pk: int) -> Invitation:
    invitation = (
        Invitation.objects.filter(organisation__in=Organisation.objects.visible_to(user))
        .select_related("organisation__state")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404
    if not is_state_admin(user, invitation.organisation.state_id):
        raise PermissionDenied
    return invitation


ACTIVE_MEMBERSHIP_SESSION_KEY = "active_membership_id"


def current_membership(request: HttpRequest) -> Membership | None:
    """The acting seat: chosen in the organisation switcher, else the user's first active one.

    See "Acting as" in the module docstring for what follows it and what does not.
    """
    if not hasattr(request, "_lpr_membership"):
        memberships = active_memberships(request.user)
        chosen = request.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY) if memberships else None
        membership = next((m for m in memberships if m.pk == chosen), None)
        request._lpr_membership = membership or (memberships[0] if memberships else None)  # type: ignore[attr-defined]
    cached: Membership | None = request._lpr_membership  # type: ignore[attr-defined]
    return cached


#: The acting seat of the request (the name the "Acting as" rule uses).
acting_membership = current_membership


def acting_state(request: HttpRequest, states: Sequence[StateNetwork]) -> StateNetwork | None:
    """Among the states a page allows, the acting seat's state, else the first; None if none."""
    membership = acting_membership(request)
    if membership is not None:
        for state in states:
            if state.pk == membership.organisation.state_id:
                return state
    return states[0] if states else None


def acting_organisation(request: HttpRequest, organisations: Sequence[_Org]) -> _Org | None:
    """Among the organisations a form offers, the acting one, else the only one; else None."""
    membership = acting_membership(request)
    if membership is not None:
        for organisation in organisations:
            if organisation.pk == membership.organisation_id:
                return organisation
    return organisations[0] if len(organisations) == 1 else None


def acting_seat_with_role(request: HttpRequest, roles: Iterable[str]) -> Membership | None:
    """The acting seat when it holds one of the roles (headings, dashboards), else None."""
    membership = acting_membership(request)
    return membership if membership is not None and membership.role in set(roles) else None


# A council's own keeping: its coordinators (and the state admins) ------------------------


def can_keep_council(user: User | AnonymousUser, council: Organisation) -> bool:
    """May change the council's profile and seats: its coordinators and the state's admins."""
    return is_state_admin(user, council.state_id) or (
        council.is_council and has_role_in(user, council.pk, Role.COUNCIL_COORDINATOR)
    )


def can_read_roster(user: User | AnonymousUser, council: Organisation) -> bool:
    """May read the council's roster and history: its people and the state's staff and admins."""
    return is_state_staff(user, council.state_id) or has_role_in(user, council.pk, *COUNCIL_ROLES)


def get_council_for_user(
    user: User | AnonymousUser, pk: int, *, keep: bool = False
) -> Organisation:
    """A council of the user's states: 404 for another tenant's, 403 without the right."""
    council = (
        Organisation.objects.visible_to(user)
        .councils()
        .select_related("state", "region")
        .filter(pk=pk)
        .first()
    )
    if council is None:
        raise Http404
    allowed = can_keep_council(user, council) if keep else can_read_roster(user, council)
    if not allowed:
        raise PermissionDenied
    return council


def get_membership_for_keeper(user: User | AnonymousUser, pk: int) -> Membership:
    """A seat the user may change: any seat of their state (state admin) or of their council.

    A coordinator reaches the other seats of the councils they coordinate, never their own
    (they cannot lock themselves out nor change their own role); else 403, another state 404.
    """
    membership = (
        Membership.objects.visible_to(user)
        .select_related("user", "organisation__state")
        .filter(pk=pk)
        .first()
    )
    if membership is None:
        raise Http404
    organisation = membership.organisation
    if is_state_admin(user, organisation.state_id):
        return membership
    if (
        organisation.is_council
        and membership.user_id != user.pk
        and membership.role in COUNCIL_ROLES
        and has_role_in(user, organisation.pk, Role.COUNCIL_COORDINATOR)
    ):
        return membership
    raise PermissionDenied
