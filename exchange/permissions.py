"""Who may see and act on reporting periods, exchange reports, offers and requests for offers.

One helper per object: another tenant's object (or one the user has no part in) answers 404;
an object the user may read but not act on answers 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from councils import permissions as scopes
from councils.models import Organisation, Role
from councils.permissions import is_state_staff

from .models import (
    PROVIDER_ROLES,
    ExchangeReport,
    Offer,
    OfferRequest,
    ReportingPeriod,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


# Reporting periods and reports -------------------------------------------------------------


def get_period_for_user(
    user: User | AnonymousUser, pk: int, *, manage: bool = False
) -> ReportingPeriod:
    """A period of the user's states; with manage, only for its state staff."""
    period = ReportingPeriod.objects.visible_to(user).select_related("state").filter(pk=pk).first()
    if period is None:
        raise Http404
    if manage and not is_state_staff(user, period.state_id):
        raise PermissionDenied
    return period


def get_report_for_user(user: User | AnonymousUser, pk: int) -> ExchangeReport:
    """A report the user may read (404 otherwise), with its period, state and NGO."""
    report = (
        ExchangeReport.objects.visible_to(user)
        .select_related("period__state", "ngo")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


def represented_ngos(user: User | AnonymousUser) -> list[Organisation]:
    """NGOs the user represents: they write these NGOs' reports and offers."""
    return scopes.represented_ngos(user)


def is_ngo_representative(user: User | AnonymousUser, ngo_id: int) -> bool:
    return scopes.has_role_in(user, ngo_id, Role.NGO_REPRESENTATIVE)


def is_report_author(user: User | AnonymousUser, report: ExchangeReport) -> bool:
    """A representative of the report's NGO: writes and submits it."""
    return is_ngo_representative(user, report.ngo_id)


def is_staff_for_report(user: User | AnonymousUser, report: ExchangeReport) -> bool:
    """State staff (or admin) of the report's state, or a platform admin."""
    return is_state_staff(user, report.period.state_id)


def require_report_author(user: User | AnonymousUser, report: ExchangeReport) -> None:
    if not is_report_author(user, report):
        raise PermissionDenied


def require_report_staff(user: User | AnonymousUser, report: ExchangeReport) -> None:
    if not is_staff_for_report(user, report):
        raise PermissionDenied


# Offers and requests for offers ------------------------------------------------------------


def provider_organisations(user: User | AnonymousUser) -> list[Organisation]:
    """Organisations the user publishes offers for: the state office (staff) and NGOs."""
    return scopes.provider_organisations(user)


def is_provider_member(user: User | AnonymousUser, provider_id: int) -> bool:
    """Acts for the provider organisation (its state staff or NGO representatives)."""
    return scopes.has_role_in(user, provider_id, *PROVIDER_ROLES)


def get_offer_for_user(user: User | AnonymousUser, pk: int, *, manage: bool = False) -> Offer:
    """An offer the user may read (404 otherwise); with manage, only for its provider's people."""
    offer = (
        Offer.objects.visible_to(user)
        .select_related("state", "provider", "source__report")
        .filter(pk=pk)
        .first()
    )
    if offer is None:
        raise Http404
    if manage and not is_provider_member(user, offer.provider_id):
        raise PermissionDenied
    return offer


def requesting_councils(user: User | AnonymousUser) -> list[Organisation]:
    """Councils the user coordinates: they ask for offers for them."""
    return scopes.coordinated_councils(user)


def get_offer_request_for_user(user: User | AnonymousUser, pk: int) -> OfferRequest:
    """A request for an offer the user takes part in or oversees (404 otherwise)."""
    offer_request = (
        OfferRequest.objects.visible_to(user)
        .select_related("offer__provider", "offer__state", "council", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if offer_request is None:
        raise Http404
    return offer_request


def is_requester(user: User | AnonymousUser, offer_request: OfferRequest) -> bool:
    """A coordinator of the requesting council: answers for the council."""
    return scopes.has_role_in(user, offer_request.council_id, Role.COUNCIL_COORDINATOR)


def is_provider_for(user: User | AnonymousUser, offer_request: OfferRequest) -> bool:
    """Acts for the organisation that provides the requested offer."""
    return is_provider_member(user, offer_request.offer.provider_id)
