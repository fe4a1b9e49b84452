"""Kinds of organisation, roles, positions and affiliations, and which kind gives which role."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .tenancy import Organisation


class OrganisationKind(models.TextChoices):
    STATE_OFFICE = "state_office", _("State office")
    MUNICIPAL_COUNCIL = "municipal_council", _("Municipal prevention council")
    NGO = "ngo", _("NGO")


class Role(models.TextChoices):
    STATE_ADMIN = "state_admin", _("State admin")
    STATE_STAFF = "state_staff", _("State staff")
    COUNCIL_COORDINATOR = "council_coordinator", _("Council coordinator")
    COUNCIL_MEMBER = "council_member", _("Council member")
    NGO_REPRESENTATIVE = "ngo_representative", _("NGO representative")


#: Which roles an organisation of each kind can give: the one rule every form, import and
#: service that sets a role uses (through roles_for_kind / role_fits / role_choices).
ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    OrganisationKind.STATE_OFFICE: (Role.STATE_ADMIN, Role.STATE_STAFF),
    OrganisationKind.MUNICIPAL_COUNCIL: (Role.COUNCIL_COORDINATOR, Role.COUNCIL_MEMBER),
    OrganisationKind.NGO: (Role.NGO_REPRESENTATIVE,),
}

#: Roles that act for the whole state network.
STATE_ROLES = (Role.STATE_ADMIN, Role.STATE_STAFF)
#: Roles of a municipal council's people.
COUNCIL_ROLES = (Role.COUNCIL_COORDINATOR, Role.COUNCIL_MEMBER)
#: Roles that act for a provider of offers (the state office or an NGO).
PROVIDER_ROLES = (*STATE_ROLES, Role.NGO_REPRESENTATIVE)


def roles_for_kind(kind: str) -> tuple[str, ...]:
    """The roles an organisation of this kind can give (none for an unknown kind)."""
    return ROLES_BY_KIND.get(kind, ())


def role_fits(kind: str, role: str) -> bool:
    """Whether an organisation of this kind can give the role."""
    return role in roles_for_kind(kind)


def role_choices(kind: str | None = None) -> list[tuple[Any, Any]]:
    """Choices of a role select, nothing preselected.

    With a kind, only that kind's roles; without, all roles grouped by the kind of organisation
    that gives them, so a form without JavaScript still shows which role fits where.
    """
    empty: list[tuple[Any, Any]] = [("", _("— choose —"))]
    if kind is not None:
        return empty + [(role, Role(role).label) for role in roles_for_kind(kind)]
    return empty + [
        (OrganisationKind(k).label, [(role, Role(role).label) for role in roles])
        for k, roles in ROLES_BY_KIND.items()
    ]


def role_mismatch_message(organisation: Organisation, role: str) -> str:
    """Why the organisation cannot give the role, naming the roles it can give."""
    return str(
        _("%(organisation)s (%(kind)s) cannot give the role %(role)s. Possible roles: %(allowed)s.")
        % {
            "organisation": organisation.name,
            "kind": organisation.get_kind_display(),
            "role": Role(role).label if role in Role.values else role,
            "allowed": ", ".join(str(Role(r).label) for r in organisation.allowed_roles),
        }
    )


class Position(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    MANAGING_OFFICE = "managing_office", _("Managing office")
    MEMBER = "member", _("Member")


class Affiliation(models.TextChoices):
    POLICE = "police", _("Police")
    ADMINISTRATION = "administration", _("Administration")
    SCHOOL = "school", _("School")
    YOUTH_WELFARE = "youth_welfare", _("Youth welfare")
    ASSOCIATION = "association", _("Association")
    CHURCH = "church", _("Church")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")


class CouncilArea(models.TextChoices):
    DISTRICT = "district", _("District (Landkreis)")
    CITY = "city", _("City")
    TOWN = "town", _("Town or municipality")
