"""Memberships: a person's seat in an organisation with role, position and dates."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import STATE_ROLES, Affiliation, Position, Role, role_fits, role_mismatch_message
from .tenancy import Organisation, _scope, user_state_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .tenancy import User


def active_membership_filter(prefix: str = "", on: date | None = None) -> Q:
    """The one rule of an active seat, as a filter over a relation path (e.g. ``memberships__``).

    A membership is held from its start date up to, not including, its end date: a membership
    that "ends today" is a former one from today on (DESIGN: ending a seat takes effect at once).
    The person's account must be active too.
    """
    return _held_filter(prefix, on) & Q(**{f"{prefix}user__is_active": True})


def _held_filter(prefix: str = "", on: date | None = None) -> Q:
    """The dates of an active seat: started, and not ended (see active_membership_filter)."""
    day = on or timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day})
    )


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: date | None = None) -> MembershipQuerySet:
        """Memberships held on the given day (default today); see active_membership_filter."""
        return self.filter(active_membership_filter(on=on))

    def active_for_counting(self, on: date | None = None) -> MembershipQuerySet:
        """The seats of ``active()``, for counting the seats of all states at once.

        The account's state is checked against the set of locked accounts (read once) instead
        of joining every seat's account: that join was most of the cost of the platform
        dashboard's people counts. For a few organisations' seats ``active()`` is faster (an
        index lookup of each seat's account).
        """
        from .tenancy import User

        return self.filter(_held_filter(on=on)).exclude(
            user__in=User.objects.filter(is_active=False)
        )

    def ended(self, on: date | None = None) -> MembershipQuerySet:
        """Memberships whose end date has come (former members on the given day)."""
        return self.filter(end_date__lte=on or timezone.localdate())

    def visible_to(self, user: User | AnonymousUser) -> MembershipQuerySet:
        return _scope(self, "organisation__state_id__in", user_state_ids(user))

    def administered_by(self, user: User | AnonymousUser) -> MembershipQuerySet:
        return _scope(
            self, "organisation__state_id__in", user_state_ids(user, roles=(Role.STATE_ADMIN,))
        )


class Membership(models.Model):
    """A person's seat in an organisation, with the role that decides what they may do."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, default=Position.MEMBER
    )
    affiliation = models.CharField(
        _("affiliation"), max_length=20, choices=Affiliation.choices, default=Affiliation.OTHER
    )
    home_organisation = models.CharField(
        _("home organisation"),
        max_length=200,
        blank=True,
        help_text=_("Where the person comes from, e.g. “Polizeiinspektion Rostock”."),
    )
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_(
            "The day the membership ends: from this day on the person is a former member. "
            "Leave empty while the seat lasts."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["organisation__name", "user__last_name", "user__first_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(end_date__isnull=True),
                name="membership_one_open_seat_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "role"]),
            # Counting a state's active seats and people (``active_for_counting``) reads the
            # seats' dates and persons from this index alone, without visiting the rows.
            models.Index(
                fields=["organisation"],
                include=["user", "start_date", "end_date"],
                name="membership_seat",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    def clean(self) -> None:
        """The role must fit the organisation's kind (in every form, also Django's admin)."""
        if self.organisation_id and self.role and not role_fits(self.organisation.kind, self.role):
            raise ValidationError({"role": role_mismatch_message(self.organisation, self.role)})

    @property
    def is_active(self) -> bool:
        """Held today: started, its end date not yet come (the same rule as ``active()``)."""
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date > today)

    @property
    def has_ended(self) -> bool:
        """The end date has come: the person is a former member from that day on."""
        return self.end_date is not None and self.end_date <= timezone.localdate()

    @property
    def ends_in_future(self) -> bool:
        """An end date is set but not reached yet ("until …" in the lists)."""
        return self.end_date is not None and self.end_date > timezone.localdate()

    @property
    def is_state_role(self) -> bool:
        return self.role in STATE_ROLES
