"""Django admin registrations of the council spaces (support staff only)."""

from . import admin_workgroups  # noqa: F401 (importing it registers the models)
