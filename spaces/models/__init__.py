"""The models of the council spaces; each part lives in its own module and is re-exported here."""

from .documents import CouncilDocument as CouncilDocument
from .documents import CouncilDocumentQuerySet as CouncilDocumentQuerySet
from .documents import DocumentVisibility as DocumentVisibility
from .events import CalendarToken as CalendarToken
from .events import Event as Event
from .events import EventAudience as EventAudience
from .events import EventKind as EventKind
from .events import Registration as Registration
from .events import RegistrationStatus as RegistrationStatus
from .topics import CouncilFocusTopic as CouncilFocusTopic
from .topics import CriminologicalAnalysis as CriminologicalAnalysis
from .topics import FocusTopic as FocusTopic
from .workgroups import WorkingGroup as WorkingGroup
from .workgroups import WorkingGroupExpert as WorkingGroupExpert
from .workgroups import WorkingGroupGroupPermission as WorkingGroupGroupPermission
from .workgroups import WorkingGroupMeeting as WorkingGroupMeeting
from .workgroups import WorkingGroupStatus as WorkingGroupStatus
from .workgroups import WorkingGroupStatusChange as WorkingGroupStatusChange
