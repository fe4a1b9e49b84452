"""Views of the funding programmes and of the states' letter templates (Bescheidvorlagen).

Every member of a state reads its programmes; state staff (and platform admins) create and
change them and edit the letter texts. Another state's programme answers 404, a page the
user may see but not change 403.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, F, Q, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.fragments import lazy_values
from core.web import paginate, serve_file
from councils import permissions as scopes
from councils.models import StateNetwork, User, user_state_ids
from councils.permissions import is_state_staff, staff_state_ids

from .. import programmes as services
from ..forms_programmes import (
    BaseTierFormSet,
    LetterTemplateForm,
    ProgrammeFilter,
    ProgrammeForm,
    StateChoiceForm,
    posted_rows,
    posted_values,
    tier_formset,
)
from ..letters import PLACEHOLDERS, letter_pdf, template_for
from ..models import ZERO, CostCategory, FundingRequest, LetterKind, LetterTemplate, Programme
from ..models import RequestStatus as S
from ..payments import OpenClaims
from ..permissions import applicant_councils, get_programme_for_user


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def staff_states(request: HttpRequest) -> list[StateNetwork]:
    """The state networks whose programmes and letters the user runs, by name."""
    return scopes.staff_states(request.user)


def _home_state(request: HttpRequest, states: list[StateNetwork]) -> StateNetwork:
    """The state of the active membership when the user is staff there, else the first."""
    return scopes.acting_state(request, states) or states[0]


def _apply_states(request: HttpRequest) -> set[int]:
    """States where the user coordinates a council: they may start requests there."""
    return {council.state_id for council in applicant_councils(request.user)}


# Programmes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeRow:
    programme: Programme
    is_open: bool
    may_edit: bool
    may_apply: bool


@require_http_methods(["GET"])
@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    """The programmes of the user's states with their money; staff also see inactive ones."""
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(
        _programme_listing,
        request,
        names=("filter", "page", "rows", "may_create", "show_state", "has_programmes"),
    )
    return render(request, "funding/programme_list.html", listing)


def _programme_listing(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    programmes = services.listed_programmes(user)
    years = list(programmes.order_by("-year").values_list("year", flat=True).distinct())
    queryset = programmes.select_related("state").annotate(
        remaining_amount=F("budget") - F("committed")
    )
    filterset = ProgrammeFilter(
        request.GET or None, queryset=queryset, request=request, years=years
    )
    filtered = filterset.qs
    # A unique last key keeps the pages stable when the sort key has ties.
    keys = list(filtered.query.order_by) or list(Programme._meta.ordering or ())
    ordered = filtered.order_by(*keys, "pk")
    page = paginate(request, ordered)
    today = timezone.localdate()
    staff_ids = staff_state_ids(user)
    member_ids = user_state_ids(user)
    apply_ids = _apply_states(request)
    rows = []
    for programme in page.object_list:
        is_open = programme.is_open(today)
        rows.append(
            ProgrammeRow(
                programme=programme,
                is_open=is_open,
                may_edit=staff_ids is None or programme.state_id in staff_ids,
                may_apply=is_open and programme.state_id in apply_ids,
            )
        )
    return {
        "filter": filterset,
        "page": page,
        "rows": rows,
        "may_create": staff_ids is None or bool(staff_ids),
        "show_state": member_ids is None or len(member_ids) > 1,
        "has_programmes": bool(years),
    }


def _status_counts(programme: Programme) -> tuple[list[tuple[str, int]], OpenClaims]:
    """Requests of the programme per status and its open repayment claims, in one query;
    drafts stay the applicant's own."""
    statuses = [status for status in S if status != S.DRAFT]
    open_claim = Q(status=S.REPAYMENT_DEMANDED, repayment_amount__gt=F("repaid_amount"))
    counts = (
        FundingRequest.objects.filter(programme=programme)
        .exclude(status=S.DRAFT)
        .aggregate(
            **{status.value: Count("pk", filter=Q(status=status.value)) for status in statuses},
            claims_total=Sum(F("repayment_amount") - F("repaid_amount"), filter=open_claim),
            claims_count=Count("pk", filter=open_claim),
        )
    )
    claims = OpenClaims(total=counts["claims_total"] or ZERO, count=counts["claims_count"])
    rows = [
        (str(status.label), counts[status.value]) for status in statuses if counts[status.value]
    ]
    return rows, claims


def _programme_details(request: HttpRequest, programme: Programme) -> dict[str, Any]:
    """What the programme's page shows besides the programme itself."""
    is_open = programme.is_open(timezone.localdate())
    status_counts, claims = _status_counts(programme)
    return {
        "tiers": list(programme.tiers.all()),
        "is_open": is_open,
        "is_staff": is_state_staff(request.user, programme.state_id),
        "may_apply": is_open and programme.state_id in _apply_states(request),
        "status_counts": status_counts,
        "request_total": sum(count for _label, count in status_counts),
        "claims": claims,
    }


@require_http_methods(["GET"])
@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """All rules of a programme, its money at this moment and its requests per status."""
    programme = get_programme_for_user(request.user, pk)
    # Lazy: the content is a cached fragment (core.fragments), computed on a miss only.
    details = lazy_values(
        _programme_details,
        request,
        programme,
        names=(
            "tiers",
            "is_open",
            "is_staff",
            "may_apply",
            "status_counts",
            "request_total",
            "claims",
        ),
    )
    return render(request, "funding/programme_detail.html", {"programme": programme, **details})


def _service_errors(form: ProgrammeForm, exc: ValidationError) -> list[str]:
    """Show a service's errors at the form's fields; return those about the tiers."""
    tier_errors: list[str] = []
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return tier_errors
    for field, errors in exc.error_dict.items():
        if field == "tiers":
            tier_errors.extend(message for error in errors for message in error.messages)
        else:
            form.add_error(field if field in form.fields else None, errors)
    return tier_errors


def _uploaded(form: ProgrammeForm, field: str = "guideline") -> UploadedFile[bytes] | None:
    value = form.cleaned_data.get(field)
    return value if isinstance(value, UploadedFile) else None


def _programme_form_page(
    request: HttpRequest,
    form: ProgrammeForm,
    formset: BaseTierFormSet,
    programme: Programme | None,
    tier_errors: list[str],
) -> HttpResponse:
    return render(
        request,
        "funding/programme_form.html",
        {"form": form, "formset": formset, "programme": programme, "tier_errors": tier_errors},
    )


@require_http_methods(["GET", "POST"])
@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    """A new programme in the user's staff state (a choice for staff of several states)."""
    states = staff_states(request)
    if not states:
        raise PermissionDenied
    state = _home_state(request, states)
    tier_errors: list[str] = []
    if request.method == "GET":
        form = ProgrammeForm(
            initial={
                "year": timezone.localdate().year,
                "eligible_categories": list(CostCategory.values),
            },
            states=states,
            state=state,
        )
        return _programme_form_page(request, form, tier_formset(extra=2), None, tier_errors)
    form = ProgrammeForm(request.POST, request.FILES, states=states, state=state)
    formset = tier_formset(request.POST)
    if "add_tier" in request.POST:
        form = ProgrammeForm(initial=posted_values(form), states=states, state=state)
        return _programme_form_page(
            request, form, tier_formset(initial=posted_rows(formset)), None, tier_errors
        )
    if form.is_valid() & formset.is_valid():  # both, so that every error shows at once
        chosen = form.chosen_state()
        assert chosen is not None
        try:
            programme = services.programme_create(
                state=chosen,
                tiers=formset.tiers(),
                guideline=_uploaded(form),
                conditions_file=_uploaded(form, "conditions_file"),
                **form.rule_values(),
            )
        except ValidationError as exc:
            tier_errors = _service_errors(form, exc)
        else:
            messages.success(
                request, _("The programme %(name)s was created.") % {"name": programme}
            )
            return redirect(programme)
    return _programme_form_page(request, form, formset, None, tier_errors)


@require_http_methods(["GET", "POST"])
@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a programme's rules and tiers; deactivating replaces deleting."""
    programme = get_programme_for_user(request.user, pk, manage=True)
    tiers = list(programme.tiers.all())
    tier_ids = [tier.pk for tier in tiers]
    tier_errors: list[str] = []
    # The form works on a copy, so the page's heading keeps the saved title after an error.
    instance = copy.copy(programme)
    if request.method == "GET":
        form = ProgrammeForm(instance=instance)
        formset = tier_formset(
            initial=[{"id": t.pk, "name": t.name, "max_amount": t.max_amount} for t in tiers],
            tier_ids=tier_ids,
        )
        return _programme_form_page(request, form, formset, programme, tier_errors)
    form = ProgrammeForm(request.POST, request.FILES, instance=instance)
    formset = tier_formset(request.POST, tier_ids=tier_ids)
    if "add_tier" in request.POST:
        form = ProgrammeForm(initial=posted_values(form), instance=copy.copy(programme))
        formset = tier_formset(initial=posted_rows(formset), tier_ids=tier_ids)
        return _programme_form_page(request, form, formset, programme, tier_errors)
    if form.is_valid() & formset.is_valid():  # both, so that every error shows at once
        try:
            services.programme_update(
                programme=programme,
                tiers=formset.tiers(),
                guideline=_uploaded(form),
                remove_guideline=bool(form.cleaned_data.get("remove_guideline")),
                conditions_file=_uploaded(form, "conditions_file"),
                remove_conditions_file=bool(form.cleaned_data.get("remove_conditions_file")),
                **form.rule_values(),
            )
        except ValidationError as exc:
            tier_errors = _service_errors(form, exc)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect(programme)
    return _programme_form_page(request, form, formset, programme, tier_errors)


@require_http_methods(["GET"])
@login_required
def programme_guideline(request: HttpRequest, pk: int) -> FileResponse:
    """The programme's guideline for the members of its state; never a public URL."""
    programme = get_programme_for_user(request.user, pk)
    return serve_file(programme.guideline)


# Letter templates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterState:
    """The state whose letters are edited, and the query string that keeps it in links."""

    state: StateNetwork
    states: list[StateNetwork]

    @property
    def query(self) -> str:
        return "?" + urlencode({"state": self.state.pk}) if len(self.states) > 1 else ""


def _letter_state(request: HttpRequest) -> LetterState:
    """``?state=`` among the user's staff states (404 for another), else the home state."""
    states = staff_states(request)
    if not states:
        raise PermissionDenied
    wanted = request.GET.get("state", "")
    if not wanted:
        return LetterState(_home_state(request, states), states)
    chosen = next((state for state in states if str(state.pk) == wanted), None)
    if chosen is None:
        raise Http404
    return LetterState(chosen, states)


def _letter_kind(kind: str) -> LetterKind:
    if kind not in LetterKind.values:
        raise Http404
    return LetterKind(kind)


@dataclass(frozen=True)
class LetterRow:
    """A letter template with its last change (creating it from the default is none)."""

    kind: LetterKind
    template: LetterTemplate
    is_default: bool
    changed_at: datetime.datetime | None
    changed_by: User | None


def _letter_row(state: StateNetwork, kind: LetterKind) -> LetterRow:
    template = template_for(state.pk, kind)
    last = (
        template.history.filter(history_type="~").select_related("history_user").first()
        if template.pk
        else None
    )
    return LetterRow(
        kind=kind,
        template=template,
        is_default=services.is_default_letter(template),
        changed_at=last.history_date if last else None,
        changed_by=last.history_user if last else None,
    )


def _edit_url(kind: str, letters: LetterState) -> str:
    return reverse("funding:letter_template_edit", kwargs={"kind": kind}) + letters.query


@require_http_methods(["GET"])
@login_required
def letter_template_list(request: HttpRequest) -> HttpResponse:
    """The state's approval and rejection letter templates (reading them writes nothing)."""
    letters = _letter_state(request)
    switcher = (
        StateChoiceForm(initial={"state": letters.state.pk}, states=letters.states)
        if len(letters.states) > 1
        else None
    )
    return render(
        request,
        "funding/letter_template_list.html",
        {
            "letters": letters,
            "rows": [_letter_row(letters.state, kind) for kind in LetterKind],
            "switcher": switcher,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def letter_template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    """Edit the subject and text of a letter; invalid syntax is refused at the field."""
    letters = _letter_state(request)
    letter_kind = _letter_kind(kind)
    row = _letter_row(letters.state, letter_kind)
    form = LetterTemplateForm(_post(request), instance=copy.copy(row.template))
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_template_update(
                state=letters.state,
                kind=letter_kind,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request, _("The letter template was saved. The preview shows the saved text.")
            )
            return redirect(_edit_url(letter_kind, letters))
    return render(
        request,
        "funding/letter_template_edit.html",
        {
            "letters": letters,
            "row": row,
            "form": form,
            "placeholders": [(name, str(meaning)) for name, meaning in PLACEHOLDERS.items()],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def letter_template_reset(request: HttpRequest, kind: str) -> HttpResponse:
    """Confirm (GET) and put back (POST) the portal's default text of the letter."""
    letters = _letter_state(request)
    letter_kind = _letter_kind(kind)
    if request.method == "POST":
        services.letter_template_reset(state=letters.state, kind=letter_kind)
        messages.success(request, _("The default text of the letter was restored."))
        return redirect(_edit_url(letter_kind, letters))
    return render(
        request,
        "funding/letter_template_reset.html",
        {"letters": letters, "row": _letter_row(letters.state, letter_kind)},
    )


@require_http_methods(["GET"])
@login_required
def letter_template_preview(request: HttpRequest, kind: str) -> HttpResponse:
    """The saved template as a PDF, for the state's newest decided request or an example."""
    letters = _letter_state(request)
    letter_kind = _letter_kind(kind)
    sample = services.letter_sample(letters.state, letter_kind)
    name = "Vorschau-Bescheid" if letter_kind == LetterKind.APPROVAL else "Vorschau-Ablehnung"
    return HttpResponse(
        letter_pdf(sample, letter_kind),
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{name}.pdf"',
            "Cache-Control": "no-store",
        },
    )
