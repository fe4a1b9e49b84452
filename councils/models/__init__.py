"""Tenancy and membership: state networks, regions, organisations, memberships, invitations.

A package of cohesive modules; every public name is re-exported here, so
``from councils.models import X`` (and the migrations' references) keep working.
"""

from .choices import (
    COUNCIL_ROLES,
    PROVIDER_ROLES,
    ROLES_BY_KIND,
    STATE_ROLES,
    Affiliation,
    CouncilArea,
    OrganisationKind,
    Position,
    Role,
    role_choices,
    role_fits,
    role_mismatch_message,
    roles_for_kind,
)
from .invitation import (
    INVITATION_EMAIL_MAX_ATTEMPTS,
    Invitation,
    InvitationQuerySet,
    InvitationStatus,
)
from .membership import Membership, MembershipQuerySet, active_membership_filter
from .tenancy import (
    Organisation,
    OrganisationQuerySet,
    Region,
    RegionQuerySet,
    StateNetwork,
    StateNetworkQuerySet,
    User,
    user_state_ids,
)

__all__ = [
    "COUNCIL_ROLES",
    "INVITATION_EMAIL_MAX_ATTEMPTS",
    "PROVIDER_ROLES",
    "ROLES_BY_KIND",
    "STATE_ROLES",
    "Affiliation",
    "CouncilArea",
    "Invitation",
    "InvitationQuerySet",
    "InvitationStatus",
    "Membership",
    "MembershipQuerySet",
    "Organisation",
    "OrganisationKind",
    "OrganisationQuerySet",
    "Position",
    "Region",
    "RegionQuerySet",
    "Role",
    "StateNetwork",
    "StateNetworkQuerySet",
    "User",
    "active_membership_filter",
    "role_choices",
    "role_fits",
    "role_mismatch_message",
    "roles_for_kind",
    "user_state_ids",
]
