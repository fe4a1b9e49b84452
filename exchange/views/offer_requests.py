"""Views of the requests for offers: asking, the list, a request's page and each answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.fragments import lazy, lazy_values
from core.web import acting_user, paginate
from councils.models import User
from councils.permissions import active_memberships

from .. import offers as services
from ..filters import filter_offer_requests
from ..forms_offers import (
    DeclineForm,
    NoteForm,
    OfferRequestForm,
    ProposeDateForm,
    RatingForm,
    WithdrawForm,
    show_errors,
)
from ..models import OfferRequest, OfferRequestEvent
from ..models import OfferRequestStatus as RS
from ..permissions import (
    get_offer_for_user,
    get_offer_request_for_user,
    is_provider_for,
    is_requester,
    requesting_councils,
)

#: Bootstrap badge per status (text-bg-* keeps the contrast).
STATUS_BADGES = {
    RS.REQUESTED: "text-bg-primary",
    RS.DATE_PROPOSED: "text-bg-warning",
    RS.ACCEPTED: "text-bg-success",
    RS.DECLINED: "text-bg-danger",
    RS.WITHDRAWN: "text-bg-dark",
    RS.DONE: "text-bg-secondary",
}


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# Asking for an offer -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def offer_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator asks for a published offer for a council of the offer's state."""
    user = acting_user(request)
    offer = get_offer_for_user(user, pk)
    councils = [c for c in requesting_councils(user) if c.state_id == offer.state_id]
    if not councils:
        raise PermissionDenied
    if not offer.is_active:
        raise PermissionDenied(_("This offer is not published; it cannot be requested."))
    form = OfferRequestForm(_post(request), councils=councils)
    if request.method == "POST" and form.is_valid():
        try:
            offer_request, created = services.offer_request_create(
                offer=offer,
                council=form.cleaned_data["council"],
                by=user,
                group=form.cleaned_data["group"],
                wished_date=form.cleaned_data["wished_date"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            if created:
                messages.success(
                    request, _("Your request was sent. The provider will answer you here.")
                )
            else:
                messages.info(request, _("This request had already been sent."))
            return redirect(offer_request)
    return render(request, "exchange/offer_request_form.html", {"form": form, "offer": offer})


# The list ------------------------------------------------------------------------------------


@require_http_methods(["GET"])
@login_required
def offer_request_list(request: HttpRequest) -> HttpResponse:
    """Requests the user's council made, those its organisation received, all for staff."""
    user = acting_user(request)
    if not user.is_superuser and not active_memberships(user):
        raise PermissionDenied
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(
        _request_listing, request, user, names=("filter", "page", "rows", "filtered")
    )
    return render(request, "exchange/offer_request_list.html", listing)


def _request_listing(request: HttpRequest, user: User) -> dict[str, Any]:
    requests = OfferRequest.objects.visible_to(user).for_table().order_by("-created_at", "-pk")
    filterset, rows, filtered = filter_offer_requests(requests, request.GET, request)
    page = paginate(request, rows)
    return {
        "filter": filterset,
        "page": page,
        "rows": [(r, STATUS_BADGES[r.status]) for r in page.object_list],
        "filtered": filtered,
    }


# A request's page ----------------------------------------------------------------------------


def _history(offer_request: OfferRequest) -> list[OfferRequestEvent]:
    prefetch_related_objects(
        [offer_request],
        Prefetch("events", queryset=OfferRequestEvent.objects.select_related("by")),
    )
    return list(offer_request.events.all())


@require_http_methods(["GET"])
@login_required
def offer_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request, its full history and the steps that fit the viewer."""
    user = acting_user(request)
    offer_request = get_offer_request_for_user(user, pk)
    # Lazy: the page is a cached fragment (core.fragments), computed on a miss only.
    return render(
        request,
        "exchange/offer_request_detail.html",
        {
            "offer_request": offer_request,
            "offer": offer_request.offer,
            "status_badge": STATUS_BADGES[offer_request.status],
            "events": lazy(_history, offer_request),
            "actions": lazy(services.request_actions, user, offer_request),
            "is_provider": is_provider_for(user, offer_request),
            "is_requester": is_requester(user, offer_request),
            "accept_form": lazy(NoteForm, prefix="accept"),
        },
    )


# The steps -----------------------------------------------------------------------------------

Run = Callable[[OfferRequest, User, dict[str, Any]], OfferRequest]


@dataclass(frozen=True)
class Step:
    """One answer to a request: who gives it, its form and page, what it runs."""

    action: str
    side: str  # "provider", "requester" or "either"
    run: Run
    done: str | Promise
    form: type[forms.Form] | None = None
    heading: str | Promise = ""
    intro: str | Promise = ""
    button: str | Promise = ""
    danger: bool = False
    prefix: str | None = None


def _may_act(user: User, offer_request: OfferRequest, side: str) -> bool:
    if side == "provider":
        return is_provider_for(user, offer_request)
    if side == "requester":
        return is_requester(user, offer_request)
    return is_provider_for(user, offer_request) or is_requester(user, offer_request)


def _not_now(request: HttpRequest, offer_request: OfferRequest) -> HttpResponse:
    """The step does not fit the request (any more): a second click lands here."""
    current = OfferRequest.objects.filter(pk=offer_request.pk).values_list("status", flat=True)
    status = RS(current.first() or offer_request.status)
    messages.info(
        request,
        _("Nothing was changed: the request is now “%(status)s”.") % {"status": status.label},
    )
    return redirect(offer_request)


def _step(request: HttpRequest, pk: int, step: Step) -> HttpResponse:
    """Run one step: 404 for a request the user does not see, 403 for the wrong side."""
    user = acting_user(request)
    offer_request = get_offer_request_for_user(user, pk)
    if not _may_act(user, offer_request, step.side):
        raise PermissionDenied
    if step.action not in services.request_actions(user, offer_request):
        return _not_now(request, offer_request)
    form = step.form(_post(request), prefix=step.prefix) if step.form else None
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            step.run(offer_request, user, data)
        except ValidationError as exc:
            if getattr(exc, "code", None) in ("status", "rated") or form is None:
                return _not_now(request, offer_request)
            show_errors(form, exc)
        else:
            messages.success(request, str(step.done))
            return redirect(offer_request)
    if form is None:
        return redirect(offer_request)
    return render(
        request,
        "exchange/offer_request_step.html",
        {
            "offer_request": offer_request,
            "offer": offer_request.offer,
            "form": form,
            "step": step,
        },
    )


ACCEPT = Step(
    action="accept",
    side="provider",
    form=NoteForm,
    prefix="accept",
    run=lambda r, by, d: services.offer_request_accept(
        offer_request=r, by=by, note=d.get("note", "")
    ),
    done=gettext_lazy("You accepted the request. The council was told."),
    heading=gettext_lazy("Accept the request"),
    button=gettext_lazy("Accept"),
)
PROPOSE_DATE = Step(
    action="propose_date",
    side="provider",
    form=ProposeDateForm,
    run=lambda r, by, d: services.offer_request_propose_date(
        offer_request=r, by=by, proposed_date=d["proposed_date"], note=d["note"]
    ),
    done=gettext_lazy("You proposed another date. The council was told."),
    heading=gettext_lazy("Propose another date"),
    intro=gettext_lazy("The council can agree to the date you propose or withdraw the request."),
    button=gettext_lazy("Propose this date"),
)
DECLINE = Step(
    action="decline",
    side="provider",
    form=DeclineForm,
    run=lambda r, by, d: services.offer_request_decline(offer_request=r, by=by, reason=d["reason"]),
    done=gettext_lazy("You declined the request. The council was told."),
    heading=gettext_lazy("Decline the request"),
    intro=gettext_lazy("Declining ends the request; the council can ask again later."),
    button=gettext_lazy("Decline the request"),
    danger=True,
)
ACCEPT_PROPOSAL = Step(
    action="accept_proposal",
    side="requester",
    run=lambda r, by, d: services.offer_request_accept_proposal(offer_request=r, by=by),
    done=gettext_lazy("You agreed to the proposed date. The provider was told."),
)
WITHDRAW = Step(
    action="withdraw",
    side="requester",
    form=WithdrawForm,
    run=lambda r, by, d: services.offer_request_withdraw(
        offer_request=r, by=by, reason=d["reason"]
    ),
    done=gettext_lazy("The request was withdrawn. The provider was told."),
    heading=pgettext_lazy("offer request", "Withdraw the request"),
    intro=gettext_lazy("Your council no longer needs the offer? Withdrawing cannot be undone."),
    button=pgettext_lazy("offer request", "Withdraw the request"),
    danger=True,
)
FINISH = Step(
    action="finish",
    side="either",
    run=lambda r, by, d: services.offer_request_finish(offer_request=r, by=by),
    done=gettext_lazy("The request was marked as done."),
)
RATE = Step(
    action="rate",
    side="requester",
    form=RatingForm,
    run=lambda r, by, d: services.offer_request_rate(
        offer_request=r, by=by, rating=d["rating"], comment=d["comment"]
    ),
    done=gettext_lazy("Thank you for your rating."),
    heading=gettext_lazy("Rate the offer"),
    intro=gettext_lazy("The rating is given once; the provider reads it."),
    button=gettext_lazy("Save the rating"),
)


@require_POST
@login_required
def offer_request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider accepts on the preferred date."""
    return _step(request, pk, ACCEPT)


@require_http_methods(["GET", "POST"])
@login_required
def offer_request_propose_date(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider proposes another date (form, then POST)."""
    return _step(request, pk, PROPOSE_DATE)


@require_http_methods(["GET", "POST"])
@login_required
def offer_request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider declines with a reason (confirmation, then POST)."""
    return _step(request, pk, DECLINE)


@require_POST
@login_required
def offer_request_accept_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """The council agrees to the proposed date."""
    return _step(request, pk, ACCEPT_PROPOSAL)


@require_http_methods(["GET", "POST"])
@login_required
def offer_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The council withdraws the request (confirmation, then POST)."""
    return _step(request, pk, WITHDRAW)


@require_POST
@login_required
def offer_request_finish(request: HttpRequest, pk: int) -> HttpResponse:
    """Either side records that the offer took place."""
    return _step(request, pk, FINISH)


@require_http_methods(["GET", "POST"])
@login_required
def offer_request_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The council rates a finished request, once."""
    return _step(request, pk, RATE)
