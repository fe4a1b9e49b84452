"""The portal's URLs plus two views that misbehave, to prove the hostile-input walk sees it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import path

from councils.models import Region, StateNetwork
from lpr_portal.urls import handler400, handler403, handler404, handler500
from lpr_portal.urls import urlpatterns as portal_urlpatterns


def crash(request: HttpRequest) -> HttpResponse:
    raise ValueError(request.GET.get("value", ""))


def half_saved(request: HttpRequest) -> HttpResponse:
    """Saves a row and then refuses the post: what the walk must report."""
    Region.objects.create(state=StateNetwork.objects.first(), name=request.POST.get("name", "x"))
    return HttpResponseBadRequest("refused")


urlpatterns = [
    path("test-hostile/crash/", crash),
    path("test-hostile/half-saved/", half_saved),
    *portal_urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
