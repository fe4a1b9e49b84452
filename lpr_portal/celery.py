"""The Celery application of the portal."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpr_portal.settings")

app = Celery("lpr_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
