"""Forms of the membership administration; field querysets are limited to what the user keeps.

A package of cohesive modules; every public name is re-exported here, so
``from councils.forms import X`` keeps working.
"""

from .common import RegionChoiceMixin
from .council import CouncilProfileForm
from .imports import (
    IMPORT_COLUMNS,
    IMPORT_MAX_BYTES,
    IMPORT_MAX_ROWS,
    IMPORT_REQUIRED_COLUMNS,
    ImportFileError,
    MemberImportForm,
    decode_import_file,
    parse_member_csv,
)
from .memberships import AcceptInvitationForm, InvitationForm, MembershipForm, RoleChoiceField
from .organisations import STATE_OFFICE_FIELDS, OrganisationForm, RegionForm

__all__ = [
    "IMPORT_COLUMNS",
    "IMPORT_MAX_BYTES",
    "IMPORT_MAX_ROWS",
    "IMPORT_REQUIRED_COLUMNS",
    "STATE_OFFICE_FIELDS",
    "AcceptInvitationForm",
    "CouncilProfileForm",
    "ImportFileError",
    "InvitationForm",
    "MemberImportForm",
    "MembershipForm",
    "OrganisationForm",
    "RegionChoiceMixin",
    "RegionForm",
    "RoleChoiceField",
    "decode_import_file",
    "parse_member_csv",
]
