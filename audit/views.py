"""The audit log for state admins (their states) and platform admins (every state)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.fragments import lazy_values
from core.web import paginate
from councils.permissions import require_state_administration

from .forms import AuditFilterForm
from .models import AuditEntry, AuditEntryQuerySet

#: The most entries the list counts: the log grows with every sign-in, and counting all of it
#: would get slower every day. Older entries are reached through the filter.
COUNT_BOUND = 10_000
#: Cells starting with these are formulas in a spreadsheet; they get a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, AuditEntryQuerySet]:
    require_state_administration(request.user)
    platform = bool(getattr(request.user, "is_superuser", False))
    form = AuditFilterForm(request.GET or None, platform=platform)
    entries = AuditEntry.objects.visible_to(request.user).select_related("state")
    return form, form.apply(entries).order_by("-at", "-pk")


@require_GET
@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    require_state_administration(request.user)  # eager: the 403 is not cached
    # Lazy: the log is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(_listing, request, names=("form", "page"))
    return render(request, "audit/entry_list.html", {**listing, "query": request.GET.urlencode()})


def _listing(request: HttpRequest) -> dict[str, Any]:
    form, entries = _filtered(request)
    return {"form": form, "page": paginate(request, entries, bound=COUNT_BOUND)}


def _cell(value: object) -> str:
    text = "" if value is None else str(value).replace("\x00", "")
    return f"'{text}" if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows(entries: AuditEntryQuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(
        [
            _("Time"),
            _("Action"),
            _("Person"),
            _("State network"),
            _("Object"),
            _("Summary"),
            _("Address"),
        ]
    )
    for entry in entries.iterator(chunk_size=500):
        yield writer.writerow(
            [
                _cell(f"{timezone.localtime(entry.at):%d.%m.%Y %H:%M:%S}"),
                _cell(entry.get_action_display()),
                _cell(entry.actor_name),
                _cell(entry.state.name if entry.state else ""),
                _cell(entry.target_label),
                _cell(entry.summary),
                _cell(entry.ip_address or ""),
            ]
        )


@require_GET
@login_required
def entry_export(request: HttpRequest) -> StreamingHttpResponse:
    _form, entries = _filtered(request)
    response = StreamingHttpResponse(_rows(entries), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="protokoll-{stamp}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
