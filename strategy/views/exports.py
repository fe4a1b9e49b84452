"""Exports of a strategy (PDF, CSV, XLSX) and the CSV import of a first draft."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.uploads import CSV_IMPORT, UploadValidator
from core.web import acting_user
from councils.models import STATE_ROLES, StateNetwork
from councils.permissions import active_memberships, current_membership, is_state_staff

from .. import importer
from ..exports import export_filename, export_rows, write_csv, write_pdf, write_xlsx
from ..importer import ImportRow, StrategyImportError, decode_file, parse_strategy_csv
from ..models import Audience, Strategy
from ..permissions import get_strategy_for_user

IMPORT_SESSION_KEY = "strategy_import"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def strategy_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The strategy as the printed paper: title page, numbered tree, indicators."""
    strategy = get_strategy_for_user(request.user, pk)
    pdf = write_pdf(strategy, export_rows(strategy))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{export_filename(strategy, "pdf")}"'
    return response


@require_GET
@login_required
def strategy_export(request: HttpRequest, pk: int) -> HttpResponse:
    """One row per item as CSV (German Excel) or XLSX."""
    strategy = get_strategy_for_user(request.user, pk)
    kind = request.GET.get("format", "csv")
    rows = export_rows(strategy)
    if kind == "xlsx":
        response = HttpResponse(
            write_xlsx(strategy, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        return _attachment(response, export_filename(strategy, "xlsx"))
    if kind != "csv":
        return HttpResponse(
            gettext("Unknown format; use csv or xlsx."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(write_csv(rows), content_type="text/csv; charset=utf-8")
    return _attachment(response, export_filename(strategy, "csv"))


def import_state(request: HttpRequest) -> StateNetwork:
    """The state network a draft is imported into: the active seat's, if it is state staff."""
    membership = current_membership(request)
    if membership and is_state_staff(request.user, membership.organisation.state_id):
        return membership.organisation.state
    for seat in active_memberships(request.user):
        if seat.role in STATE_ROLES:
            return seat.organisation.state
    raise PermissionDenied


class StrategyImportForm(forms.Form):
    title = forms.CharField(label=_("Title of the new draft"), max_length=200)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, separated by semicolons or commas, with the header line "
            "level;title;description;responsible;start;end;weight."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        validators=[UploadValidator(CSV_IMPORT)],
    )

    def __init__(self, *args: Any, state: StateNetwork, **kwargs: Any) -> None:
        self.state = state
        self.text = ""
        self.rows: list[ImportRow] = []
        super().__init__(*args, **kwargs)

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if Strategy.objects.filter(state=self.state, title=title).exists():
            raise ValidationError(
                _("A strategy with this title already exists; choose another title.")
            )
        return title

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            self.text = decode_file(upload.read())
            self.rows = parse_strategy_csv(self.text, self.state)
        except StrategyImportError as error:
            raise ValidationError(str(error)) from error
        return upload


def _import_context(rows: list[ImportRow], **extra: Any) -> dict[str, Any]:
    valid = bool(rows) and all(row.is_valid for row in rows)
    return {
        "rows": rows,
        "valid": valid,
        "error_count": sum(1 for row in rows if not row.is_valid),
        **extra,
    }


@require_http_methods(["GET", "POST"])
@login_required
def strategy_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload a CSV file and see every row checked; nothing is saved yet."""
    state = import_state(request)
    if request.method != "POST":
        form = StrategyImportForm(state=state)
        return render(request, "strategy/import_form.html", {"form": form, "state": state})
    form = StrategyImportForm(request.POST, request.FILES, state=state)
    if not form.is_valid():
        return render(request, "strategy/import_form.html", {"form": form, "state": state})
    context = _import_context(form.rows, form=form, state=state)
    if context["valid"]:
        request.session[IMPORT_SESSION_KEY] = {
            "state": state.pk,
            "title": form.cleaned_data["title"],
            "audience": form.cleaned_data["audience"],
            "text": form.text,
        }
        context["title"] = form.cleaned_data["title"]
    else:
        request.session.pop(IMPORT_SESSION_KEY, None)
    return render(request, "strategy/import_form.html", context)


@require_POST
@login_required
def strategy_import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: check the kept file again and create the new draft in one go."""
    state = import_state(request)
    kept = request.session.pop(IMPORT_SESSION_KEY, None)
    if not kept or kept.get("state") != state.pk:
        messages.error(request, gettext("Please upload the file again."))
        return redirect("strategy:strategy_import")
    try:
        rows = parse_strategy_csv(kept["text"], state)
    except StrategyImportError as error:
        messages.error(request, str(error))
        return redirect("strategy:strategy_import")
    taken = Strategy.objects.filter(state=state, title=kept["title"]).exists()
    if taken or not all(row.is_valid for row in rows):
        # Something changed since the preview (a renamed organisation, a new strategy).
        if taken:
            messages.error(
                request, gettext("A strategy with this title already exists; choose another title.")
            )
        form = StrategyImportForm(state=state)
        return render(
            request, "strategy/import_form.html", _import_context(rows, form=form, state=state)
        )
    strategy = importer.strategy_import(
        state=state,
        title=kept["title"],
        audience=kept["audience"],
        rows=rows,
        by=acting_user(request),
    )
    messages.success(
        request,
        gettext("The draft “%(title)s” was created with %(count)d items.")
        % {"title": strategy.title, "count": len(rows)},
    )
    return redirect(strategy)


@require_GET
@login_required
def strategy_import_example(request: HttpRequest) -> HttpResponse:
    """An example CSV with organisation names of the user's own state network."""
    state = import_state(request)
    response = HttpResponse(importer.example_csv(state), content_type="text/csv; charset=utf-8")
    return _attachment(response, "strategie-beispiel.csv")
