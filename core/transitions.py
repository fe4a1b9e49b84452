"""The transition log every state machine of the portal keeps: who, when, from, to and why.

A model with a django-fsm-2 ``status`` field gets a log model that inherits ``TransitionLog``
and names the key to its subject in ``subject_field``; services change the status only with
``fire``, which runs the transition, saves and records it in one step.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

#: Enough for every status value of the portal's state machines.
STATUS_LENGTH = 30


class TransitionLog(models.Model):
    """One transition of a state machine: who, when, from which status to which, and why."""

    #: The name of the subclass's foreign key to the object whose status changed.
    subject_field: ClassVar[str]

    # Empty when the log records how the object came into being.
    from_status = models.CharField(_("from"), max_length=STATUS_LENGTH, blank=True)
    to_status = models.CharField(_("to"), max_length=STATUS_LENGTH)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{getattr(self, self.subject_field)}: {self.from_status} → {self.to_status}"

    @classmethod
    def record(
        cls,
        subject: models.Model,
        *,
        by: Any,
        source: str,
        target: str,
        reason: str = "",
        **extra: Any,
    ) -> Self:
        """Write one row of the log (``extra`` fills the subclass's own columns)."""
        return cls._default_manager.create(
            **{cls.subject_field: subject},
            from_status=source,
            to_status=target,
            by=by,
            reason=reason,
            **extra,
        )


def fire(
    subject: models.Model,
    name: str,
    *,
    log: type[TransitionLog],
    by: Any,
    reason: str = "",
    refused: str,
    conflict: str = "",
    update_fields: list[str] | None = None,
    **extra: Any,
) -> TransitionLog:
    """Run the transition ``name`` of the subject's state machine, save it and record it.

    ``refused`` is the message (with ``%(status)s``) when the transition is not allowed from the
    current status; ``conflict`` the one when another transaction changed the status first.
    """
    source = subject.status  # type: ignore[attr-defined]
    try:
        getattr(subject, name)()
    except TransitionNotAllowed as exc:
        raise ValidationError(
            refused % {"status": subject.get_status_display()},  # type: ignore[attr-defined]
            code="status",
        ) from exc
    try:
        subject.save(update_fields=update_fields)
    except ConcurrentTransition as exc:
        raise ValidationError(
            conflict
            or gettext("Someone else changed this at the same moment. Please reload the page."),
            code="conflict",
        ) from exc
    return log.record(
        subject,
        by=by,
        source=source,
        target=subject.status,  # type: ignore[attr-defined]
        reason=reason,
        **extra,
    )
