"""Views of the membership part: organisation profiles, the switcher, administration.

A package of cohesive modules; every view is re-exported here for ``councils.urls``.
"""

from ._common import IMPORT_SESSION_KEY
from .council import (
    council_history_page,
    council_invite,
    council_logo,
    council_profile_edit,
    council_roster_csv,
    council_roster_page,
    council_roster_pdf,
    public_profile,
)
from .imports import member_import, member_import_confirm, member_import_example
from .invitations import (
    invitation_accept,
    invitation_create,
    invitation_list,
    invitation_resend,
    invitation_revoke,
)
from .members import member_list, membership_edit, membership_end, user_deactivate
from .organisations import (
    organisation_create,
    organisation_detail,
    organisation_edit,
    organisation_list,
    region_create,
    region_edit,
    region_list,
    switch_organisation,
)

__all__ = [
    "IMPORT_SESSION_KEY",
    "council_history_page",
    "council_invite",
    "council_logo",
    "council_profile_edit",
    "council_roster_csv",
    "council_roster_page",
    "council_roster_pdf",
    "invitation_accept",
    "invitation_create",
    "invitation_list",
    "invitation_resend",
    "invitation_revoke",
    "member_import",
    "member_import_confirm",
    "member_import_example",
    "member_list",
    "membership_edit",
    "membership_end",
    "organisation_create",
    "organisation_detail",
    "organisation_edit",
    "organisation_list",
    "public_profile",
    "region_create",
    "region_edit",
    "region_list",
    "switch_organisation",
    "user_deactivate",
]
