"""Tenancy and membership: state networks, regions, organisations, memberships, invitations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


_QS = TypeVar("_QS", bound=models.QuerySet[Any])


class OrganisationKind(models.TextChoices):
    STATE_OFFICE = "state_office", _("State office")
    MUNICIPAL_COUNCIL = "municipal_council", _("Municipal prevention council")
    NGO = "ngo", _("NGO")


class Role(models.TextChoices):
    STATE_ADMIN = "state_admin", _("State admin")
    STATE_STAFF = "state_staff", _("State staff")
    COUNCIL_COORDINATOR = "council_coordinator", _("Council coordinator")
    COUNCIL_MEMBER = "council_member", _("Council member")
    NGO_REPRESENTATIVE = "ngo_representative", _("NGO representative")


#: Which roles an organisation of each kind can give: the one rule every form, import and
#: service that sets a role uses (through roles_for_kind / role_fits / role_choices).
ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    OrganisationKind.STATE_OFFICE: (Role.STATE_ADMIN, Role.STATE_STAFF),
    OrganisationKind.MUNICIPAL_COUNCIL: (Role.COUNCIL_COORDINATOR, Role.COUNCIL_MEMBER),
    OrganisationKind.NGO: (Role.NGO_REPRESENTATIVE,),
}

#: Roles that act for the whole state network.
STATE_ROLES = (Role.STATE_ADMIN, Role.STATE_STAFF)
#: Roles of a municipal council's people.
COUNCIL_ROLES = (Role.COUNCIL_COORDINATOR, Role.COUNCIL_MEMBER)
#: Roles that act for a provider of offers (the state office or an NGO).
PROVIDER_ROLES = (*STATE_ROLES, Role.NGO_REPRESENTATIVE)


def roles_for_kind(kind: str) -> tuple[str, ...]:
    """The roles an organisation of this kind can give (none for an unknown kind)."""
    return ROLES_BY_KIND.get(kind, ())


def role_fits(kind: str, role: str) -> bool:
    """Whether an organisation of this kind can give the role."""
    return role in roles_for_kind(kind)


def role_choices(kind: str | None = None) -> list[tuple[Any, Any]]:
    """Choices of a role select, nothing preselected.

    With a kind, only that kind's roles; without, all roles grouped by the kind of organisation
    that gives them, so a form without JavaScript still shows which role fits where.
    """
    empty: list[tuple[Any, Any]] = [("", _("— choose —"))]
    if kind is not None:
        return empty + [(role, Role(role).label) for role in roles_for_kind(kind)]
    return empty + [
        (OrganisationKind(k).label, [(role, Role(role).label) for role in roles])
        for k, roles in ROLES_BY_KIND.items()
    ]


def role_mismatch_message(organisation: Organisation, role: str) -> str:
    """Why the organisation cannot give the role, naming the roles it can give."""
    return str(
        _("%(organisation)s (%(kind)s) cannot give the role %(role)s. Possible roles: %(allowed)s.")
        % {
            "organisation": organisation.name,
            "kind": organisation.get_kind_display(),
            "role": Role(role).label if role in Role.values else role,
            "allowed": ", ".join(str(Role(r).label) for r in organisation.allowed_roles),
        }
    )


class Position(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    MANAGING_OFFICE = "managing_office", _("Managing office")
    MEMBER = "member", _("Member")


class Affiliation(models.TextChoices):
    POLICE = "police", _("Police")
    ADMINISTRATION = "administration", _("Administration")
    SCHOOL = "school", _("School")
    YOUTH_WELFARE = "youth_welfare", _("Youth welfare")
    ASSOCIATION = "association", _("Association")
    CHURCH = "church", _("Church")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")


class CouncilArea(models.TextChoices):
    DISTRICT = "district", _("District (Landkreis)")
    CITY = "city", _("City")
    TOWN = "town", _("Town or municipality")


class User(AbstractUser):
    """A person who signs in; what they may do comes from their memberships."""

    email = models.EmailField(_("e-mail address"), blank=True, db_index=True)
    # Chosen with the language switcher; e-mails to the person are written in it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    objects = UserManager()  # type: ignore[misc]

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_platform_admin(self) -> bool:
        """Platform admins are superusers: they may act in every state network."""
        return self.is_active and self.is_superuser


def user_state_ids(
    user: User | AnonymousUser, *, roles: tuple[str, ...] | None = None
) -> set[int] | None:
    """State networks of the user's active memberships (with one of the roles); None means all.

    Read from the memberships cached on the user for the request, so scoping a list costs
    no subquery.
    """
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return None
    from .permissions import active_memberships  # the per-request cache lives there

    return {
        m.organisation.state_id
        for m in active_memberships(user)
        if roles is None or m.role in roles
    }


def _scope(queryset: _QS, lookup: str, state_ids: set[int] | None) -> _QS:
    return queryset if state_ids is None else queryset.filter(**{lookup: state_ids})


class StateNetworkQuerySet(models.QuerySet["StateNetwork"]):
    def visible_to(self, user: User | AnonymousUser) -> StateNetworkQuerySet:
        """State networks the user belongs to through an active membership."""
        return _scope(self, "pk__in", user_state_ids(user))

    def administered_by(self, user: User | AnonymousUser) -> StateNetworkQuerySet:
        """State networks whose membership the user keeps (state admin or platform admin)."""
        return _scope(self, "pk__in", user_state_ids(user, roles=(Role.STATE_ADMIN,)))


class StateNetwork(models.Model):
    """The tenant: one state's prevention network (Landesnetzwerk)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    code = models.CharField(_("state code"), max_length=2, unique=True, help_text=_("e.g. NI"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = StateNetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("state network")
        verbose_name_plural = _("state networks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory_state", kwargs={"slug": self.slug})


class RegionQuerySet(models.QuerySet["Region"]):
    def visible_to(self, user: User | AnonymousUser) -> RegionQuerySet:
        return _scope(self, "state_id__in", user_state_ids(user))

    def administered_by(self, user: User | AnonymousUser) -> RegionQuerySet:
        return _scope(self, "state_id__in", user_state_ids(user, roles=(Role.STATE_ADMIN,)))


class Region(models.Model):
    """A region of a state; councils belong to one, NGOs and offers may serve several."""

    state = models.ForeignKey(
        StateNetwork, on_delete=models.PROTECT, related_name="regions", verbose_name=_("state")
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["state__name", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["state", "name"], name="region_unique_name_per_state")
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: User | AnonymousUser) -> OrganisationQuerySet:
        """Organisations of the state networks the user belongs to."""
        return _scope(self, "state_id__in", user_state_ids(user))

    def administered_by(self, user: User | AnonymousUser) -> OrganisationQuerySet:
        """Organisations whose profile and membership the user may keep."""
        return _scope(self, "state_id__in", user_state_ids(user, roles=(Role.STATE_ADMIN,)))

    def councils(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.MUNICIPAL_COUNCIL)

    def public_directory(self) -> OrganisationQuerySet:
        """Active councils shown in the public directory."""
        return self.councils().filter(is_active=True, state__is_active=True)


class Organisation(models.Model):
    """The state office, a municipal prevention council or a statewide NGO."""

    state = models.ForeignKey(
        StateNetwork,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("state"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        verbose_name=_("region"),
        help_text=_("Required for municipal councils."),
    )
    served_regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="served_by",
        verbose_name=_("regions served"),
        help_text=_("For NGOs: the regions where the organisation is active."),
    )
    area = models.CharField(
        _("area"), max_length=20, choices=CouncilArea.choices, blank=True, default=""
    )
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # The state office issues the funding decisions: the letters name it and the court.
    authority_name = models.CharField(
        _("issuing authority (full name)"),
        max_length=300,
        blank=True,
        help_text=_(
            "State office only: the authority named as sender of decision letters, "
            "e.g. “Niedersächsisches Justizministerium – Landespräventionsrat Niedersachsen”."
        ),
    )
    remedy_court = models.CharField(
        _("competent court or authority for legal remedies"),
        max_length=200,
        blank=True,
        help_text=_(
            "State office only: named in the decision letters, e.g. “Verwaltungsgericht Hannover”."
        ),
    )
    remedy_court_seat = models.CharField(
        _("seat of the court or authority"),
        max_length=300,
        blank=True,
        help_text=_("Its address, e.g. “Leonhardtstraße 15, 30175 Hannover”."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "name"], name="organisation_unique_name_per_state"
            ),
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.MUNICIPAL_COUNCIL) | Q(region__isnull=False),
                name="council_has_region",
            ),
        ]
        indexes = [models.Index(fields=["state", "kind"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("councils:organisation_detail", kwargs={"pk": self.pk})

    @staticmethod
    def council_filter(prefix: str = "organisations__") -> Q:
        """Filter for active councils inside an annotation over a related name."""
        return Q(
            **{f"{prefix}kind": OrganisationKind.MUNICIPAL_COUNCIL, f"{prefix}is_active": True}
        )

    @property
    def is_council(self) -> bool:
        return self.kind == OrganisationKind.MUNICIPAL_COUNCIL

    @property
    def allowed_roles(self) -> tuple[str, ...]:
        return roles_for_kind(self.kind)


def active_membership_filter(prefix: str = "", on: date | None = None) -> Q:
    """The one rule of an active seat, as a filter over a relation path (e.g. ``memberships__``).

    A membership is held from its start date up to, not including, its end date: a membership
    that "ends today" is a former one from today on (DESIGN: ending a seat takes effect at once).
    The person's account must be active too.
    """
    day = on or timezone.localdate()
    return (
        Q(**{f"{prefix}start_date__lte": day})
        & (Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day}))
        & Q(**{f"{prefix}user__is_active": True})
    )


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: date | None = None) -> MembershipQuerySet:
        """Memberships held on the given day (default today); see active_membership_filter."""
        return self.filter(active_membership_filter(on=on))

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
        indexes = [models.Index(fields=["organisation", "role"])]

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


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


#: After this many failed attempts the periodic task stops trying; "send again" starts over.
INVITATION_EMAIL_MAX_ATTEMPTS = 20


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def with_status(self, status: str) -> InvitationQuerySet:
        """Invitations in one of the states of InvitationStatus."""
        now = timezone.now()
        if status == InvitationStatus.PENDING:
            return self.pending()
        if status == InvitationStatus.ACCEPTED:
            return self.filter(accepted_at__isnull=False)
        if status == InvitationStatus.REVOKED:
            return self.filter(accepted_at__isnull=True, revoked_at__isnull=False)
        if status == InvitationStatus.EXPIRED:
            return self.filter(
                accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
            )
        return self.none()

    def email_due(self) -> InvitationQuerySet:
        """Pending invitations whose e-mail has not gone out yet and is still worth trying."""
        return self.pending().filter(
            email_sent_at__isnull=True, email_attempts__lt=INVITATION_EMAIL_MAX_ATTEMPTS
        )

    def administered_by(self, user: User | AnonymousUser) -> InvitationQuerySet:
        return _scope(
            self, "organisation__state_id__in", user_state_ids(user, roles=(Role.STATE_ADMIN,))
        )


class Invitation(models.Model):
    """A single-use invitation by e-mail into an organisation with a role."""

    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, default=Position.MEMBER
    )
    affiliation = models.CharField(
        _("affiliation"), max_length=20, choices=Affiliation.choices, default=Affiliation.OTHER
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_last_error = models.TextField(_("last e-mail error"), blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(email_sent_at__isnull=True, accepted_at__isnull=True),
                name="invitation_email_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def clean(self) -> None:
        """The role must fit the organisation's kind."""
        if self.organisation_id and self.role and not role_fits(self.organisation.kind, self.role):
            raise ValidationError({"role": role_mismatch_message(self.organisation, self.role)})

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        """A fresh random token and the hash that is stored."""
        token = secrets.token_urlsafe(32)
        return token, _token_digest(token)

    @classmethod
    def default_expiry(cls) -> Any:
        return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)

    @staticmethod
    def hash_token(token: str) -> str:
        """The stored form of a token."""
        return _token_digest(token)

    @classmethod
    def find_by_token(cls, token: str) -> Invitation | None:
        return (
            cls.objects.select_related("organisation")
            .filter(token_hash=_token_digest(token))
            .first()
        )

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def status(self) -> str:
        """One of InvitationStatus, computed from the timestamps."""
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return str(InvitationStatus(self.status).label)
