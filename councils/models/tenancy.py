"""The tenant and its parts: users, state networks, regions, organisations."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import CouncilArea, OrganisationKind, Role, roles_for_kind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


_QS = TypeVar("_QS", bound=models.QuerySet[Any])


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
        # The member and people lists sort by name: the first page comes from the index.
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="user_name"),
            # The locked accounts (few or none): ``Membership.objects.active_for_counting`` reads
            # them once instead of looking up every seat's account.
            models.Index(fields=["id"], condition=Q(is_active=False), name="user_locked"),
        ]

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
    from ..permissions import active_memberships  # the per-request cache lives there

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


def logo_upload_path(instance: Organisation, filename: str) -> str:
    """A random name that keeps the (content-checked) extension; never the uploaded name."""
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"councils/logos/{uuid.uuid4().hex}{suffix}"


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
    # The council's own profile, kept by its coordinators; the flags choose what is public.
    contact_name = models.CharField(
        _("contact person (managing office)"), max_length=200, blank=True
    )
    logo = models.FileField(_("logo"), upload_to=logo_upload_path, blank=True, max_length=200)
    public_description = models.BooleanField(_("show the description publicly"), default=True)
    public_founded_on = models.BooleanField(_("show the founding date publicly"), default=True)
    public_chair = models.BooleanField(_("show the chair's name publicly"), default=False)
    public_contact = models.BooleanField(
        _("show the managing office's contact person publicly"), default=False
    )
    public_logo = models.BooleanField(_("show the logo publicly"), default=True)
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
        indexes = [
            models.Index(fields=["state", "kind"]),
            # All states' organisations by name (a platform admin's choosers and lists): the
            # first page from the index instead of sorting all of them.
            models.Index(fields=["name", "id"], name="organisation_name"),
        ]

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
