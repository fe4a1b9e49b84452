"""Models of the shared building blocks: the session table that knows its user."""

from .sessions import UserSession

__all__ = ["UserSession"]
