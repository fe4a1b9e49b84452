"""The dashboard: the landing page after login, by the role of the active membership."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from councils.permissions import current_membership


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    return render(request, "lpr_portal/dashboard.html", {"membership": membership})
