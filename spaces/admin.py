"""Django admin registrations of the council spaces (support staff only)."""

from . import (
    admin_events,  # noqa: F401 (registers the events' admin)
    admin_workgroups,  # noqa: F401 (importing it registers the models)
)
