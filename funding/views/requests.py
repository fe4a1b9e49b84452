"""Views of a funding request as a whole: its page, submitting and withdrawing it.

The form's steps are in ``request_steps`` (with ``request_financing`` and
``request_attachments``), the shared pieces in ``request_common``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.fragments import lazy_values
from core.web import acting_user

from .. import services
from ..forms_requests import WithdrawForm
from ..models import EDITABLE, WITH_STAFF, FundingRequest, StatusChange, Submission
from ..models import RequestStatus as S
from ..permissions import get_request_for_user, is_applicant, with_related
from .money import money_panel
from .request_common import (
    LAST_STEP,
    STATUS_BADGES,
    WITHDRAWABLE,
    post_data,
    resume_step,
    step_url,
)
from .request_steps import render_check
from .review import catch_up_letter, review_panel

__all__ = [
    "STATUS_BADGES",
    "request_detail",
    "request_submit",
    "request_withdraw",
    "resume_step",
]

# Submitting and withdrawing ------------------------------------------------------------------


def _current_status(funding_request: FundingRequest) -> str | None:
    status: str | None = (
        FundingRequest.objects.filter(pk=funding_request.pk)
        .values_list("status", flat=True)
        .first()
    )
    return status


@require_POST
@login_required
def request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit (or resubmit) the request; a second click finds it submitted and does nothing."""
    funding_request = get_request_for_user(request.user, pk)
    if not is_applicant(request.user, funding_request):
        raise PermissionDenied
    if not funding_request.is_editable:
        messages.info(request, _("This request has already been submitted."))
        return redirect(funding_request)
    try:
        services.request_submit(request=funding_request, by=acting_user(request))
    except ValidationError as exc:
        if _current_status(funding_request) not in EDITABLE:
            messages.info(request, _("This request has already been submitted."))
            return redirect(funding_request)
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return render_check(request, funding_request, errors, attempted=True)
    messages.success(request, _("The request was submitted. The state office will check it."))
    return redirect(funding_request)


@require_http_methods(["GET", "POST"])
@login_required
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and withdraw (POST) a request the state office has not started on."""
    funding_request = get_request_for_user(request.user, pk)
    if not is_applicant(request.user, funding_request):
        raise PermissionDenied
    if funding_request.status not in WITHDRAWABLE:
        raise PermissionDenied(_("The request can no longer be withdrawn."))
    form = WithdrawForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.request_withdraw(
                request=funding_request, by=acting_user(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The request was withdrawn."))
        return redirect(funding_request)
    return render(
        request,
        "funding/request_withdraw.html",
        {"funding_request": funding_request, "form": form},
    )


# The request's page --------------------------------------------------------------------------

#: The context values only the page's content (a cached fragment) shows.
DETAIL_NAMES = (
    "programme",
    "status_badge",
    "is_applicant",
    "can_edit",
    "can_withdraw",
    "with_staff",
    "resume_url",
    "check_url",
    "returned",
    "changes",
    "submissions",
    "cost_lines",
    "attachments",
    "goals",
    "review_panel",
    "money_panel",
)


def _load_details(funding_request: FundingRequest) -> None:
    """Everything the page lists, in one query per kind of row."""
    prefetch_related_objects(
        [funding_request],
        "cost_lines",
        "attachments",
        Prefetch("status_changes", queryset=StatusChange.objects.select_related("by")),
        Prefetch(
            "submissions",
            queryset=Submission.objects.defer("data").select_related("submitted_by"),
        ),
    )


def _details(http_request: HttpRequest, funding_request: FundingRequest) -> dict[str, Any]:
    """What the page's content shows: computed only when the fragment is rendered afresh."""
    with_related(funding_request)
    _load_details(funding_request)
    changes = list(funding_request.status_changes.all())
    returned = None
    if funding_request.status == S.RETURNED:
        returned = next((c for c in reversed(changes) if c.to_status == S.RETURNED), None)
    applicant = is_applicant(http_request.user, funding_request)
    return {
        "programme": funding_request.programme,
        "status_badge": STATUS_BADGES.get(funding_request.status, "text-bg-light border"),
        "is_applicant": applicant,
        "can_edit": applicant and funding_request.is_editable,
        "can_withdraw": applicant and funding_request.status in WITHDRAWABLE,
        "with_staff": funding_request.status in WITH_STAFF,
        "resume_url": step_url(funding_request, resume_step(funding_request)),
        "check_url": step_url(funding_request, LAST_STEP),
        "returned": returned,
        "changes": changes,
        "submissions": list(funding_request.submissions.all()),
        "cost_lines": list(funding_request.cost_lines.all()),
        "attachments": list(funding_request.attachments.all()),
        "goals": services.request_goals(funding_request),
        **review_panel(http_request, funding_request),
        **money_panel(http_request, funding_request),
    }


@require_GET
@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request's page: status, next step, the plans, documents, history and the panels."""
    # The access check reads the request's own row: what the content shows with it is read
    # when the fragment is rendered afresh (with_related), not for every view of a cached page.
    funding_request = get_request_for_user(request.user, pk, related=False)
    # Eager: a decision without its letter queues it whenever the page is shown, cached or not.
    catch_up_letter(funding_request)
    # Lazy: the content is a cached fragment (core.fragments), computed on a miss only.
    details = lazy_values(_details, request, funding_request, names=DETAIL_NAMES)
    return render(
        request,
        "funding/request_detail.html",
        {"funding_request": funding_request, **details},
    )
