"""Events of a council (prevention forum, meeting, seminar, training) with registrations.

An event belongs to one municipal council and, through it, to one state network (the tenant key
follows the council). Its audience decides who sees it: the council's people (members), every
person of an organisation of the same state (network) or everybody (public). State staff and
admins read every event of their state. People register; when the capacity is reached they are
put on the waiting list, and a cancellation moves the first waiting person up.

A calendar program subscribes without a session through a secret, revocable address per user
(``CalendarToken``); the feed shows what that user may see at the time it is read.
"""

from __future__ import annotations

import secrets
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.queries import InSubquery
from councils.models import Organisation, StateNetwork, user_state_ids
from councils.permissions import active_memberships, council_ids, staff_state_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


class EventKind(models.TextChoices):
    FORUM = "forum", _("Prevention forum")
    MEETING = "meeting", _("Meeting")
    SEMINAR = "seminar", _("Seminar")
    TRAINING = "training", _("Training")


class EventAudience(models.TextChoices):
    MEMBERS = "members", _("Council members only")
    NETWORK = "network", _("Network (all organisations of the state)")
    PUBLIC = "public", _("Public")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Registration cancelled")


#: The longest a description may be (the form and the model field agree).
DESCRIPTION_MAX_LENGTH = 5000


def _network_state_ids(user: User | AnonymousUser) -> set[int]:
    """States in which the user holds any active seat."""
    return {m.organisation.state_id for m in active_memberships(user)}


class EventQuerySet(models.QuerySet["Event"]):
    def visible_to(self, user: User | AnonymousUser) -> EventQuerySet:
        """Public events for everybody; network events for the state's people; members-only
        events for the council's people; everything of their state for state staff."""
        public = Q(audience=EventAudience.PUBLIC)
        if not user.is_authenticated:
            return self.filter(public)
        if user.is_superuser:
            return self.all()
        return self.filter(
            public
            | Q(state_id__in=staff_state_ids(user) or set())
            | Q(audience=EventAudience.NETWORK, state_id__in=_network_state_ids(user))
            | Q(council_id__in=council_ids(user))
        )

    def in_states_of(self, user: User | AnonymousUser) -> EventQuerySet:
        """Events of the user's states and events the user registered for (their own calendar)."""
        if user.is_superuser:
            return self
        states = user_state_ids(user) or set()
        mine = Registration.objects.filter(user_id=getattr(user, "pk", 0) or 0).exclude(
            status=RegistrationStatus.CANCELLED
        )
        # InSubquery: the registered events read once, so the state's index still answers.
        return self.filter(Q(state_id__in=states) | Q(InSubquery("pk", mine.values("event_id"))))

    def public(self) -> EventQuerySet:
        return self.filter(audience=EventAudience.PUBLIC, state__is_active=True)

    def upcoming(self) -> EventQuerySet:
        """Events that have not ended yet, the next first."""
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")

    def past(self) -> EventQuerySet:
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")

    def with_counts(self) -> EventQuerySet:
        """Annotate how many are registered and waiting (one query for a whole list)."""
        return self.annotate(
            registered_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
            ),
            waiting_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
            ),
        )

    def for_table(self) -> EventQuerySet:
        return self.select_related("council", "state")


def event_upload_to(instance: Event, filename: str) -> str:
    return f"spaces/events/{instance.council_id}/{instance.uid}/{filename}"


class Event(models.Model):
    """A forum, meeting, seminar or training organised by a council."""

    state = models.ForeignKey(
        StateNetwork, on_delete=models.PROTECT, related_name="events", verbose_name=_("state")
    )
    council = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="events", verbose_name=_("council")
    )
    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("Address and room.")
    )
    online_url = models.URLField(
        _("online link"), max_length=500, blank=True, help_text=_("For online or hybrid events.")
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=EventAudience.choices, default=EventAudience.MEMBERS
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_("Leave empty for no limit. When it is reached, people join a waiting list."),
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    agenda = models.FileField(_("agenda"), upload_to=event_upload_to, blank=True, max_length=300)
    minutes = models.FileField(_("minutes"), upload_to=event_upload_to, blank=True, max_length=300)
    # Raised on every change, so calendar programs take the new version (iCal SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "audience", "starts_at"]),
            models.Index(fields=["council", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("spaces:event_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors.setdefault("ends_at", []).append(_("The event must end after it starts."))
        if not (self.location.strip() or self.online_url.strip()):
            errors.setdefault("location", []).append(_("Give a place or an online link."))
        if self.council_id and self.state_id and self.council.state_id != self.state_id:
            errors.setdefault("council", []).append(_("An event belongs to its council's state."))
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.audience == EventAudience.PUBLIC

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def has_ended(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def accepts_registrations(self) -> bool:
        """Open for registration: not cancelled, not started, registration switched on."""
        return self.registration_open and not self.is_cancelled and not self.has_started


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def active(self) -> RegistrationQuerySet:
        """Registered or waiting (not cancelled)."""
        return self.exclude(status=RegistrationStatus.CANCELLED)


class Registration(models.Model):
    """A person's registration for an event: registered, waiting or cancelled."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    # The place on the waiting list: the earliest registration moves up first.
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event_id", "registered_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_once_per_person")
        ]
        indexes = [models.Index(fields=["event", "status", "registered_at"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.event} ({self.get_status_display()})"


def _new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a person's calendar address; renewing replaces it, revoking deletes it.

    The token is stored as it is, so the person can see the address again on their page; it
    grants nothing but reading the calendar of what that person may see.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("person"),
    )
    token = models.CharField(
        max_length=64, unique=True, default=_new_calendar_token, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return str(_("Calendar address of %(user)s") % {"user": self.user})

    @staticmethod
    def new_token() -> str:
        return _new_calendar_token()
