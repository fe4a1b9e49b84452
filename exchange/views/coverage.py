"""The coverage page: is support available across the regions of a state?"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.fragments import lazy
from core.web import acting_user
from councils.models import StateNetwork, User
from councils.permissions import acting_state, staff_state_ids

from ..coverage import coverage
from ..filters import CoverageForm


def _staff_states(user: User) -> list[StateNetwork]:
    """The states whose coverage the user reads: as state staff, or all as platform admin."""
    state_ids = staff_state_ids(user)
    states = StateNetwork.objects.order_by("name", "pk")
    if state_ids is None:
        return list(states.filter(is_active=True))
    return list(states.filter(pk__in=state_ids))


@require_http_methods(["GET"])
@login_required
def coverage_view(request: HttpRequest) -> HttpResponse:
    """Regions × offer kinds and regions × topics: available offers, requests and the gaps."""
    user = acting_user(request)
    states = _staff_states(user)
    if not states:
        raise PermissionDenied
    form = CoverageForm(request.GET or None, states=states)
    by_pk = {state.pk: state for state in states}
    state = acting_state(request, states)
    kind = topic = ""
    if form.is_bound:
        if "state" in form.errors:
            raise Http404  # a state the user does not oversee
        if form.is_valid():
            state = by_pk.get(form.cleaned_data.get("state") or 0, state)
            kind, topic = form.cleaned_data["kind"], form.cleaned_data["topic"]
    state = state or states[0]
    return render(
        request,
        "exchange/coverage.html",
        {
            "form": form,
            # Lazy: the page is a cached fragment (core.fragments), computed on a miss only.
            "coverage": lazy(coverage, state, kind=kind, topic=topic),
            "state": state,
            "kind": kind,
            "topic": topic,
        },
    )
