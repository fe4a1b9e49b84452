"""The models of the council spaces; each part lives in its own module and is re-exported here."""

from .events import CalendarToken as CalendarToken
from .events import Event as Event
from .events import EventAudience as EventAudience
from .events import EventKind as EventKind
from .events import Registration as Registration
from .events import RegistrationStatus as RegistrationStatus
