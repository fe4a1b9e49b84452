"""The models of the council spaces; each part lives in its own module and is re-exported here."""

from .topics import (  # noqa: F401
    CouncilFocusTopic,
    CriminologicalAnalysis,
    FocusTopic,
)
from .workgroups import (  # noqa: F401
    WorkingGroup,
    WorkingGroupExpert,
    WorkingGroupGroupPermission,
    WorkingGroupMeeting,
    WorkingGroupStatus,
    WorkingGroupStatusChange,
)
