"""The network's offer catalogue and the councils' requests for offers.

The state office and the NGOs publish offers (support, advice, training, material, speakers)
with the regions where each is available; a council coordinator asks for one, the provider
accepts, proposes another date or declines, and a finished request can be rated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from core.transitions import TransitionLog
from councils.models import (
    Organisation,
    Region,
    StateNetwork,
    user_state_ids,
)
from councils.permissions import staff_state_ids
from councils.topics import Topic

from .reports import OfferedResource

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


class OfferKind(models.TextChoices):
    SUPPORT = "support", _("Support")
    ADVICE = "advice", _("Advice")
    TRAINING = "training", _("Training")
    MATERIAL = "material", _("Material")
    SPEAKERS = "speakers", _("Speakers")


def _provider_ids(user: User | AnonymousUser) -> set[int]:
    from councils.permissions import provider_ids

    return provider_ids(user)


class OfferQuerySet(models.QuerySet["Offer"]):
    def visible_to(self, user: User | AnonymousUser) -> OfferQuerySet:
        """Published offers of the user's states; unpublished ones for their provider and staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        state_ids = user_state_ids(user) or set()
        staff_states = staff_state_ids(user) or set()
        return self.filter(
            (Q(state_id__in=state_ids) & Q(is_active=True))
            | Q(state_id__in=staff_states)
            | Q(provider_id__in=_provider_ids(user))
        )

    def published(self) -> OfferQuerySet:
        """Offers shown in the catalogue."""
        return self.filter(is_active=True)

    def available_in(self, region: Region | int) -> OfferQuerySet:
        """Offers available in the region: named for it, or statewide.

        A subquery instead of a join, so the rows stay unique without ``distinct()`` and the
        queryset still sorts and counts like any other.
        """
        named = self.model.regions.through.objects.filter(region=region).values("offer_id")
        return self.filter(Q(statewide=True) | Q(pk__in=named))

    def for_table(self) -> OfferQuerySet:
        """Everything a row of an offer list shows, in one query per kind of row."""
        return self.select_related("provider", "state").prefetch_related(
            models.Prefetch("regions", queryset=Region.objects.order_by("name", "pk")),
            "topics",
        )


class Offer(models.Model):
    """A support, advice or training offer of the state office or an NGO to the network."""

    state = models.ForeignKey(
        StateNetwork, on_delete=models.PROTECT, related_name="offers", verbose_name=_("state")
    )
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="offers", verbose_name=_("provider")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OfferKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    audience = models.CharField(
        _("audience"), max_length=300, blank=True, help_text=_("e.g. teachers, youth workers")
    )
    statewide = models.BooleanField(_("available statewide"), default=False)
    regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="offers",
        verbose_name=_("regions where available"),
    )
    is_free = models.BooleanField(_("free of charge"), default=True)
    cost = models.CharField(
        _("cost"), max_length=200, blank=True, help_text=_("e.g. 150 € per session plus travel")
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    is_active = models.BooleanField(_("published"), default=True)
    source = models.OneToOneField(
        OfferedResource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offer",
        verbose_name=_("from the exchange report"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = OfferQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        indexes = [models.Index(fields=["state", "kind", "is_active"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:offer_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        """The tenant key follows the provider: an offer is always in its provider's state."""
        if self.provider_id and self.state_id and self.provider.state_id != self.state_id:
            raise ValidationError({"state": _("An offer belongs to its provider's state.")})


class OfferTopic(models.Model):
    """One prevention topic of an offer (a row, so the catalogue filters by topic)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)

    class Meta:
        ordering = ["offer_id", "topic"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["offer", "topic"], name="offer_topic_unique")
        ]

    def __str__(self) -> str:
        return self.get_topic_display()


class OfferRequestStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("offer request", "Requested")
    DATE_PROPOSED = "date_proposed", _("Other date proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DONE = "done", pgettext_lazy("offer request", "Done")


RS = OfferRequestStatus

#: Waiting for an answer of the provider or of the requesting council.
OPEN_REQUESTS = (RS.REQUESTED, RS.DATE_PROPOSED, RS.ACCEPTED)


class OfferRequestQuerySet(models.QuerySet["OfferRequest"]):
    def visible_to(self, user: User | AnonymousUser) -> OfferRequestQuerySet:
        """Requests of the user's council, requests to the user's provider, all for state staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        from councils.permissions import council_ids, staff_state_ids

        staff_states = staff_state_ids(user) or set()
        councils = council_ids(user)
        return self.filter(
            Q(offer__state_id__in=staff_states)
            | Q(council_id__in=councils)
            | Q(offer__provider_id__in=_provider_ids(user))
        )

    def for_table(self) -> OfferRequestQuerySet:
        """Everything a row of a request list shows, joined in the one query of the page."""
        return self.select_related("offer__provider", "council__region", "requested_by")


class OfferRequest(models.Model):
    """A council's request for an offer; the provider answers, both see the history."""

    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="requests", verbose_name=_("offer")
    )
    council = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="offer_requests",
        verbose_name=_("council"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    wished_date = models.DateField(_("preferred date"), null=True, blank=True)
    group = models.CharField(
        _("group"), max_length=300, help_text=_("Who takes part, e.g. 20 teachers of a school")
    )
    note = models.TextField(_("note"), blank=True)
    status = FSMField(_("status"), default=RS.REQUESTED, choices=RS.choices, protected=True)
    proposed_date = models.DateField(_("proposed date"), null=True, blank=True, editable=False)
    agreed_date = models.DateField(_("agreed date"), null=True, blank=True, editable=False)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("comment on the rating"), blank=True)
    created_at = models.DateTimeField(
        pgettext_lazy("offer request", "requested"), auto_now_add=True
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = OfferRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request for an offer")
        verbose_name_plural = _("requests for offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="offer_request_rating_1_to_5",
            )
        ]
        indexes = [models.Index(fields=["offer", "status"])]

    def __str__(self) -> str:
        return f"{self.council} – {self.offer}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:offer_request_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUESTS

    # Transitions: only these change the status; services call them and record the history.

    @transition(field=status, source=RS.REQUESTED, target=RS.ACCEPTED)
    def accept(self) -> None:
        """The provider accepts the request on the wished date."""

    @transition(field=status, source=[RS.REQUESTED, RS.DATE_PROPOSED], target=RS.DATE_PROPOSED)
    def propose_date(self) -> None:
        """The provider proposes another date."""

    @transition(field=status, source=RS.DATE_PROPOSED, target=RS.ACCEPTED)
    def accept_proposal(self) -> None:
        """The council agrees to the date the provider proposed."""

    @transition(field=status, source=[RS.REQUESTED, RS.DATE_PROPOSED], target=RS.DECLINED)
    def decline(self) -> None:
        """The provider declines the request."""

    @transition(field=status, source=list(OPEN_REQUESTS), target=RS.WITHDRAWN)
    def withdraw(self) -> None:
        """The council no longer needs the offer."""

    @transition(field=status, source=RS.ACCEPTED, target=RS.DONE)
    def finish(self) -> None:
        """The offer took place."""


class OfferRequestEvent(TransitionLog):
    """One step in a request's history: who, when, from, to, the note and a proposed date."""

    subject_field = "request"

    request = models.ForeignKey(OfferRequest, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=RS.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=RS.choices)
    # What the person wrote with the step (a wish, a reason for declining, a remark).
    reason = models.TextField(_("note"), blank=True)
    proposed_date = models.DateField(_("proposed date"), null=True, blank=True)

    class Meta:
        ordering = ["request_id", "at", "pk"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
