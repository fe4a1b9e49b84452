"""The LPR Portal project: settings, root URLs, the Celery app and composed pages."""

from .celery import app as celery_app

__all__ = ("celery_app",)
