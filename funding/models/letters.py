"""Decision letters (Bescheide): the states' editable templates and the PDFs kept with a
request."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.models import StateNetwork

from .requests import FundingRequest


class LetterKind(models.TextChoices):
    APPROVAL = "approval", _("Approval letter")
    REJECTION = "rejection", _("Rejection letter")


class LetterTemplate(models.Model):
    """The editable text of a state's approval or rejection letter (Django template syntax)."""

    state = models.ForeignKey(
        StateNetwork,
        on_delete=models.CASCADE,
        related_name="letter_templates",
        verbose_name=_("state"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LetterKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), max_length=20000)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["state_id", "kind"]
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        constraints = [
            models.UniqueConstraint(fields=["state", "kind"], name="letter_template_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.state} – {self.get_kind_display()}"


def letter_upload_to(instance: Letter, filename: str) -> str:
    return f"funding/letters/{instance.request_id}/{filename}"


class Letter(models.Model):
    """The PDF of an approval or rejection letter (Bescheid), stored with the request."""

    request = models.ForeignKey(FundingRequest, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("kind"), max_length=10, choices=LetterKind.choices)
    file = models.FileField(_("file"), upload_to=letter_upload_to, max_length=300)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["request_id", "-created_at", "-pk"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.request}"
