"""Views of the offer catalogue: the list, an offer's page, creating, editing and publishing,
the provider's own offers, and turning a report's resource into an offer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.fragments import lazy, lazy_values
from core.web import acting_user, paginate
from councils.choosers import SUGGEST, suggestions
from councils.models import Organisation, Region, User
from councils.permissions import acting_organisation, active_memberships

from .. import offers as services
from ..filters import filter_offers
from ..forms_offers import OfferForm, show_errors
from ..models import OPEN_REQUESTS, ExchangeReport, Offer, OfferedResource, OfferRequest
from ..permissions import (
    get_offer_for_user,
    is_ngo_representative,
    is_provider_member,
    provider_organisations,
    requesting_councils,
)
from .offer_requests import STATUS_BADGES

#: How many requests an offer's page lists; the request list shows the rest.
REQUESTS_ON_OFFER_PAGE = 25


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _require_network_member(user: User) -> None:
    """The catalogue is for the people of a state's network (and platform admins)."""
    if not user.is_superuser and not active_memberships(user):
        raise PermissionDenied


def _spans_states(user: User) -> bool:
    return user.is_superuser or len({m.organisation.state_id for m in active_memberships(user)}) > 1


# The catalogue -------------------------------------------------------------------------------


@require_http_methods(["GET"])
@login_required
def offer_list(request: HttpRequest) -> HttpResponse:
    """The published offers of the user's states with search, filters, sorting and pages."""
    user = acting_user(request)
    _require_network_member(user)
    if request.GET.get(SUGGEST):  # a chooser's options (htmx)
        filterset, _rows, _filtered = filter_offers(
            _published_offers(user), request.GET, request=request
        )
        if (options := suggestions(request, filterset)) is not None:
            return options
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(
        _offer_listing, request, user, names=("filter", "page", "filtered", "show_state")
    )
    return render(
        request,
        "exchange/offer_list.html",
        {**listing, "can_create": lazy(lambda: bool(provider_organisations(user)))},
    )


def _published_offers(user: User) -> QuerySet[Offer]:
    return Offer.objects.visible_to(user).published().for_table().order_by("title", "pk")


def _offer_listing(request: HttpRequest, user: User) -> dict[str, Any]:
    filterset, rows, filtered = filter_offers(_published_offers(user), request.GET, request=request)
    return {
        "filter": filterset,
        "page": paginate(request, rows),
        "filtered": filtered,
        "show_state": _spans_states(user),
    }


@require_http_methods(["GET"])
@login_required
def offer_mine(request: HttpRequest) -> HttpResponse:
    """The offers of the organisations the user publishes for, unpublished ones included."""
    user = acting_user(request)
    providers = provider_organisations(user)
    if not providers:
        raise PermissionDenied
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    return render(
        request,
        "exchange/offer_mine.html",
        {
            "page": lazy(_own_offers_page, request, user, providers),
            "providers": providers,
            "show_provider": len(providers) > 1,
        },
    )


def _own_offers_page(request: HttpRequest, user: User, providers: list[Organisation]) -> Any:
    offers = (
        Offer.objects.visible_to(user)
        .filter(provider_id__in=[p.pk for p in providers])
        .for_table()
        .annotate(
            request_count=Count("requests"),
            open_request_count=Count("requests", filter=Q(requests__status__in=OPEN_REQUESTS)),
        )
        .order_by("-is_active", "title", "pk")
    )
    return paginate(request, offers)


# An offer's page -----------------------------------------------------------------------------


def _report_url(report: ExchangeReport) -> str:
    """The report's page, when the report part of the exchange is installed."""
    try:
        return report.get_absolute_url()
    except NoReverseMatch:
        return ""


@require_http_methods(["GET"])
@login_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The offer; the request button for coordinators; actions and requests for its provider."""
    user = acting_user(request)
    offer = get_offer_for_user(user, pk)
    is_provider = is_provider_member(user, offer.provider_id)
    councils = [c for c in requesting_councils(user) if c.state_id == offer.state_id]
    source_report = offer.source.report if offer.source is not None else None
    # Lazy: the page is a cached fragment (core.fragments), computed on a miss only.
    content = lazy_values(
        _offer_content, user, offer, names=("regions", "topics", "requests", "request_count")
    )
    return render(
        request,
        "exchange/offer_detail.html",
        {
            "offer": offer,
            "is_provider": is_provider,
            "can_request": offer.is_active and bool(councils),
            "source_report": source_report,
            "source_report_url": _report_url(source_report) if source_report else "",
            **content,
        },
    )


def _offer_content(user: User, offer: Offer) -> dict[str, Any]:
    prefetch_related_objects(
        [offer],
        Prefetch("regions", queryset=Region.objects.order_by("name", "pk")),
        "topics",
    )
    requests = OfferRequest.objects.visible_to(user).filter(offer=offer).for_table()
    shown = list(requests[:REQUESTS_ON_OFFER_PAGE])
    request_count = len(shown) if len(shown) < REQUESTS_ON_OFFER_PAGE else requests.count()
    return {
        "regions": list(offer.regions.all()),
        "topics": list(offer.topics.all()),
        "requests": [(r, STATUS_BADGES[r.status]) for r in shown],
        "request_count": request_count,
    }


# Creating, editing, publishing ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def offer_create(request: HttpRequest) -> HttpResponse:
    """A new offer of an organisation the user publishes for."""
    user = acting_user(request)
    providers = provider_organisations(user)
    if not providers:
        raise PermissionDenied
    form = OfferForm(
        _post(request),
        providers=providers,
        initial={
            "provider": acting_organisation(request, providers),
            "contact_name": user.get_full_name(),
            "contact_email": user.email,
            "is_free": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(
                provider=form.cleaned_data["provider"],
                by=user,
                regions=form.cleaned_data["regions"],
                topics=form.cleaned_data["topics"],
                publish=form.cleaned_data["publish"],
                **form.offer_fields(),
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(
                request,
                _("The offer was published in the catalogue.")
                if offer.is_active
                else _("The offer was saved. It is not published yet."),
            )
            return redirect(offer)
    return render(request, "exchange/offer_form.html", {"form": form, "offer": None})


@require_http_methods(["GET", "POST"])
@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an offer of the user's organisation."""
    user = acting_user(request)
    offer = get_offer_for_user(user, pk, manage=True)
    form = OfferForm(_post(request), instance=offer)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_update(
                offer=offer,
                by=user,
                regions=form.cleaned_data["regions"],
                topics=form.cleaned_data["topics"],
                **form.offer_fields(),
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The offer was saved."))
            return redirect(offer)
    return render(request, "exchange/offer_form.html", {"form": form, "offer": offer})


@require_POST
@login_required
def offer_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the offer in the catalogue."""
    user = acting_user(request)
    offer = get_offer_for_user(user, pk, manage=True)
    if offer.is_active:
        messages.info(request, _("The offer is already published."))
        return redirect(offer)
    try:
        services.offer_publish(offer=offer, by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("exchange:offer_edit", pk=offer.pk)
    messages.success(request, _("The offer was published in the catalogue."))
    return redirect(offer)


@require_http_methods(["GET", "POST"])
@login_required
def offer_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and take (POST) the offer out of the catalogue."""
    user = acting_user(request)
    offer = get_offer_for_user(user, pk, manage=True)
    if not offer.is_active:
        messages.info(request, _("The offer is not published."))
        return redirect(offer)
    if request.method == "POST":
        services.offer_unpublish(offer=offer, by=user)
        messages.success(
            request,
            _("The offer was taken out of the catalogue. Its requests can still be answered."),
        )
        return redirect(offer)
    open_requests = OfferRequest.objects.filter(offer=offer, status__in=OPEN_REQUESTS).count()
    return render(
        request,
        "exchange/offer_unpublish.html",
        {"offer": offer, "open_requests": open_requests},
    )


# From a report's resource --------------------------------------------------------------------


@require_POST
@login_required
def offer_from_resource(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a resource of a submitted report into an unpublished offer, in one step."""
    user = acting_user(request)
    resource = (
        OfferedResource.objects.filter(
            pk=pk, report__in=ExchangeReport.objects.visible_to(user).order_by()
        )
        .select_related("report")
        .first()
    )
    if resource is None:
        raise Http404
    if not is_ngo_representative(user, resource.report.ngo_id):
        raise PermissionDenied
    if not resource.report.is_published:
        raise PermissionDenied(
            _("Only a resource of a submitted or accepted report can become an offer.")
        )
    try:
        offer = services.offer_from_resource(resource=resource, by=user)
    except services.ResourceAlreadyOffered as exc:
        messages.info(
            request,
            format_html(
                '{} <a href="{}" class="alert-link">{}</a>',
                exc.messages[0],
                exc.offer.get_absolute_url(),
                _("Open the offer"),
            ),
        )
        return redirect(exc.offer)
    messages.success(
        request,
        _(
            "The offer was created from the resource and is not published yet. Check it, "
            "add the audience and the cost, and publish it."
        ),
    )
    return redirect(offer)
