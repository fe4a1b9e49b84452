"""Exports of filtered request lists, written by a Celery task that reports its progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from councils.models import StateNetwork


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def export_upload_to(instance: ExportJob, filename: str) -> str:
    return f"funding/exports/{instance.user_id}/{filename}"


class ExportJob(models.Model):
    """A CSV/XLSX export of a filtered request list, made by a Celery task with progress."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funding_exports"
    )
    # The state whose requests the file holds; empty when it spans several (a platform admin).
    state = models.ForeignKey(
        StateNetwork, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    format = models.CharField(_("format"), max_length=4)
    query = models.TextField(_("filter"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=export_upload_to, blank=True, max_length=300)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.user} {self.format} {self.created_at:%Y-%m-%d}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)
