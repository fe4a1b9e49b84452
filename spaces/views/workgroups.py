"""Views of the working groups of a council.

Council members read their council's groups, coordinators change them, the state's staff read
every group of their state and an invited expert reads their one group. Files are served only
through access-checked views (``core.web.serve_file``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.fragments import lazy, lazy_values
from core.web import acting_user, confirm_delete, paginate, serve_file
from councils.models import Organisation, User

from .. import services_workgroups as services
from ..forms.workgroups import (
    ExpertInviteForm,
    MeetingForm,
    ResultForm,
    TransitionForm,
    WorkingGroupFilterForm,
    WorkingGroupForm,
)
from ..models import WorkingGroup, WorkingGroupMeeting, WorkingGroupStatus
from ..permissions_workgroups import (
    get_council_space,
    get_working_group,
    is_coordinator,
    may_read_space,
)

WS = WorkingGroupStatus

STATUS_BADGES = {
    WS.PLANNED: "text-bg-secondary",
    WS.ACTIVE: "text-bg-primary",
    WS.FINISHED: "text-bg-success",
}


def show_errors(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError at the fields it names (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _filtered(request: HttpRequest, groups: QuerySet[WorkingGroup]) -> tuple[Any, Any]:
    form = WorkingGroupFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("q"):
        groups = groups.filter(Q(topic__icontains=data["q"]) | Q(mandate__icontains=data["q"]))
    status = data.get("status")
    if status == "overdue":
        groups = groups.overdue()  # type: ignore[attr-defined]
    elif status:
        groups = groups.filter(status=status)
    order = WorkingGroupFilterForm.SORTS.get(data.get("sort") or "end", ("planned_end", "pk"))
    groups = groups.annotate(member_count=Count("members", distinct=True)).order_by(*order)
    return form, groups


@login_required
@require_GET
def workgroup_list(request: HttpRequest, council: int) -> HttpResponse:
    """The council's working groups, filterable by status, overdue ones flagged."""
    user = acting_user(request)
    organisation = get_council_space(user, council)
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(
        _listing,
        request,
        WorkingGroup.objects.filter(council=organisation).for_table(),
        names=("page", "groups", "filter_form"),
    )
    return render(
        request,
        "spaces/workgroups/list.html",
        {
            "council": organisation,
            **listing,
            "filtered": bool(request.GET.get("q") or request.GET.get("status")),
            "can_create": lazy(is_coordinator, user, organisation),
            "badges": STATUS_BADGES,
        },
    )


def _listing(request: HttpRequest, groups: QuerySet[WorkingGroup]) -> dict[str, Any]:
    form, groups = _filtered(request, groups)
    page = paginate(request, groups)
    return {"page": page, "groups": page.object_list, "filter_form": form}


@login_required
@require_GET
def workgroup_mine(request: HttpRequest) -> HttpResponse:
    """Every working group the user may open: their councils', their state's, their invitations."""
    user = acting_user(request)
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(
        _listing,
        request,
        WorkingGroup.objects.visible_to(user).for_table(),
        names=("page", "groups", "filter_form"),
    )
    return render(
        request,
        "spaces/workgroups/mine.html",
        {
            **listing,
            "filtered": bool(request.GET.get("q") or request.GET.get("status")),
            "badges": STATUS_BADGES,
        },
    )


def _group_form(
    request: HttpRequest, council: Organisation, group: WorkingGroup | None
) -> WorkingGroupForm:
    initial: dict[str, Any] = {}
    if group is not None:
        initial = {
            "members": list(group.members.values_list("pk", flat=True)),
            "goals": [goal.pk for goal in services.group_goals(group)],
        }
    return WorkingGroupForm(
        request.POST if request.method == "POST" else None,
        instance=group,
        initial=initial,
        people=services.council_people(council),
        leads=services.lead_candidates(council, group),
        goals=services.linkable_goals(council),
    )


@login_required
@require_http_methods(["GET", "POST"])
def workgroup_create(request: HttpRequest, council: int) -> HttpResponse:
    user = acting_user(request)
    organisation = get_council_space(user, council, manage=True)
    form = _group_form(request, organisation, None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.workgroup_create(
                council=organisation,
                by=user,
                members=data["members"],
                goals=data["goals"],
                **{name: data[name] for name in services.GROUP_FIELDS},
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The working group was created."))
            return redirect(group)
    return render(request, "spaces/workgroups/form.html", {"council": organisation, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def workgroup_edit(request: HttpRequest, council: int, pk: int) -> HttpResponse:
    user = acting_user(request)
    group = get_working_group(user, council, pk, manage=True)
    form = _group_form(request, group.council, group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.workgroup_update(
                group=group,
                members=data["members"],
                goals=data["goals"],
                **{name: data[name] for name in services.GROUP_FIELDS},
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The working group was saved."))
            return redirect(group)
    return render(
        request,
        "spaces/workgroups/form.html",
        {"council": group.council, "group": group, "form": form},
    )


def _may_work(user: User, group: WorkingGroup) -> bool:
    """Coordinators of the council and the group's lead keep meetings and the result."""
    return is_coordinator(user, group.council) or (
        group.lead_id is not None and group.lead_id == user.pk
    )


@login_required
@require_GET
def workgroup_detail(request: HttpRequest, council: int, pk: int) -> HttpResponse:
    user = acting_user(request)
    group = get_working_group(user, council, pk)
    # Lazy: the page is a cached fragment (core.fragments), computed on a miss only.
    return render(
        request,
        "spaces/workgroups/detail.html",
        {
            "council": group.council,
            "group": group,
            "members": lazy(_members, group),
            "experts": lazy(_experts, group),
            "meetings": lazy(_meetings, group),
            "goals": lazy(services.group_goals, group),
            "changes": lazy(_changes, group),
            "can_manage": lazy(is_coordinator, user, group.council),
            # The council's coordinators and the group's lead (``_may_work``).
            "can_work": lazy(_may_work, user, group),
            "in_space": may_read_space(user, group.council),
            "invite_form": ExpertInviteForm(),
            "transition_form": TransitionForm(),
            "badge": STATUS_BADGES[WS(group.status)],
        },
    )


def _members(group: WorkingGroup) -> list[User]:
    return list(group.members.order_by("last_name", "first_name", "username"))


def _experts(group: WorkingGroup) -> list[User]:
    return list(services.experts_of(group))


def _meetings(group: WorkingGroup) -> list[WorkingGroupMeeting]:
    return list(group.meetings.all())


def _changes(group: WorkingGroup) -> list[Any]:
    return list(group.status_changes.select_related("by").order_by("-at", "-pk"))


@login_required
@require_POST
def workgroup_transition(request: HttpRequest, council: int, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    group = get_working_group(user, council, pk, manage=True)
    if action not in services.TRANSITIONS:
        raise Http404
    form = TransitionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.workgroup_transition(group=group, name=action, by=user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The working group is now “%(status)s”.") % {"status": group.get_status_display()},
        )
    return redirect(group)


@login_required
@require_POST
def workgroup_expert_invite(request: HttpRequest, council: int, pk: int) -> HttpResponse:
    user = acting_user(request)
    group = get_working_group(user, council, pk, manage=True)
    form = ExpertInviteForm(request.POST)
    if form.is_valid():
        try:
            expert = services.workgroup_invite_expert(
                group=group, email=form.cleaned_data["email"], by=user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s was invited to the working group.") % {"name": expert}
            )
    else:
        messages.error(request, _("Please enter a valid e-mail address."))
    return redirect(group)


@login_required
@require_POST
def workgroup_expert_remove(
    request: HttpRequest, council: int, pk: int, user_pk: int
) -> HttpResponse:
    user = acting_user(request)
    group = get_working_group(user, council, pk, manage=True)
    expert = get_object_or_404(services.experts_of(group), pk=user_pk)
    services.workgroup_remove_expert(group=group, expert=expert)
    messages.success(request, _("%(name)s no longer has access to the group.") % {"name": expert})
    return redirect(group)


def _working_group(request: HttpRequest, council: int, pk: int) -> WorkingGroup:
    """A group whose meetings and result the user keeps (coordinator or lead), else 403."""
    user = acting_user(request)
    group = get_working_group(user, council, pk)
    if not _may_work(user, group):
        raise PermissionDenied
    return group


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, council: int, pk: int) -> HttpResponse:
    group = _working_group(request, council, pk)
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.meeting_add(
            group=group,
            starts_at=data["starts_at"],
            place=data["place"],
            notes=data["notes"],
            minutes=data["minutes"] or None,
        )
        messages.success(request, _("The meeting was saved."))
        return redirect(group)
    return render(
        request,
        "spaces/workgroups/meeting_form.html",
        {"council": group.council, "group": group, "form": form},
    )


def _meeting(group: WorkingGroup, meeting: int) -> WorkingGroupMeeting:
    return get_object_or_404(WorkingGroupMeeting, pk=meeting, group=group)


@login_required
@require_GET
def meeting_minutes(request: HttpRequest, council: int, pk: int, meeting: int) -> FileResponse:
    group = get_working_group(acting_user(request), council, pk)
    return serve_file(_meeting(group, meeting).minutes)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_delete(request: HttpRequest, council: int, pk: int, meeting: int) -> HttpResponse:
    group = _working_group(request, council, pk)
    item = _meeting(group, meeting)
    return confirm_delete(
        request,
        delete=lambda: services.meeting_delete(meeting=item),
        template="spaces/workgroups/meeting_delete.html",
        context={"council": group.council, "group": group, "meeting": item},
        next_url=group.get_absolute_url(),
        success_message=_("The meeting was deleted."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def workgroup_result(request: HttpRequest, council: int, pk: int) -> HttpResponse:
    group = _working_group(request, council, pk)
    form = ResultForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"title": group.result_title},
    )
    if request.method == "POST" and form.is_valid():
        services.result_upload(
            group=group, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
        )
        messages.success(request, _("The result document was saved."))
        return redirect(group)
    return render(
        request,
        "spaces/workgroups/result_form.html",
        {"council": group.council, "group": group, "form": form},
    )


@login_required
@require_GET
def workgroup_result_file(request: HttpRequest, council: int, pk: int) -> FileResponse:
    group = get_working_group(acting_user(request), council, pk)
    return serve_file(group.result_file)
