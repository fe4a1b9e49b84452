"""Django admin registrations of the council spaces (support staff only)."""

from . import admin_events  # noqa: F401 (registers the events' admin)
