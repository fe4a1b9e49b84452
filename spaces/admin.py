"""Django admin registrations of the council spaces (support staff only)."""
