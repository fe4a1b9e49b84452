"""Views of the focus topics: the state's catalogue, the overview, a council's topics.

The catalogue and the overview are for the staff of the state (another state's topic answers
404); a council's topics are read by its members and the state's staff and chosen by its
coordinators. The analysis file is served only through an access-checked view.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.fragments import lazy_values
from core.web import acting_user, paginate, serve_file
from councils.models import StateNetwork
from councils.permissions import acting_state, is_state_staff, staff_states

from .. import services_topics as services
from ..forms.topics import AnalysisForm, CouncilTopicsForm, FocusTopicForm
from ..models import CouncilFocusTopic, CriminologicalAnalysis, FocusTopic
from ..permissions_workgroups import get_council_space, is_coordinator
from .workgroups import show_errors


def _staff_state(request: HttpRequest) -> tuple[StateNetwork, list[StateNetwork]]:
    """The state a staff page shows: ``?state=`` among the user's, else the acting one."""
    states = staff_states(acting_user(request))
    if not states:
        raise PermissionDenied
    raw = request.GET.get("state") or request.POST.get("state")
    if raw:
        chosen = next((s for s in states if str(s.pk) == raw), None)
        if chosen is None:
            raise Http404
        return chosen, states
    state = acting_state(request, states)
    assert state is not None
    return state, states


def _catalogue_url(state: StateNetwork) -> str:
    return f"{reverse('spaces:topic_catalogue')}?state={state.pk}"


@login_required
@require_GET
def topic_overview(request: HttpRequest) -> HttpResponse:
    """Per region, which topics each council of the state works on."""
    state, states = _staff_state(request)
    # Lazy: the table is a cached fragment (core.fragments), computed on a miss only.
    overview = lazy_values(_overview, state, names=("topics", "regions"))
    return render(
        request, "spaces/topics/overview.html", {"state": state, "states": states, **overview}
    )


def _overview(state: StateNetwork) -> dict[str, Any]:
    topics, regions = services.topic_overview(state)
    return {"topics": topics, "regions": regions}


@login_required
@require_GET
def topic_catalogue(request: HttpRequest) -> HttpResponse:
    state, states = _staff_state(request)
    topics = (
        FocusTopic.objects.filter(state=state)
        .annotate(council_count=Count("councils", distinct=True))
        .order_by("position", "name")
    )
    page = paginate(request, topics, per_page=50)
    return render(
        request,
        "spaces/topics/catalogue.html",
        {"state": state, "states": states, "page": page, "topics": page.object_list},
    )


@login_required
@require_POST
def topic_catalogue_seed(request: HttpRequest) -> HttpResponse:
    state, _states = _staff_state(request)
    added = services.catalogue_seed(state=state)
    messages.success(
        request,
        ngettext(
            "%(count)d topic was added to the catalogue.",
            "%(count)d topics were added to the catalogue.",
            added,
        )
        % {"count": added},
    )
    return redirect(_catalogue_url(state))


@login_required
@require_http_methods(["GET", "POST"])
def topic_create(request: HttpRequest) -> HttpResponse:
    state, _states = _staff_state(request)
    form = FocusTopicForm(
        request.POST if request.method == "POST" else None,
        state_id=state.pk,
        initial={"position": FocusTopic.objects.filter(state=state).count()},
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The topic was added to the catalogue."))
        return redirect(_catalogue_url(state))
    return render(request, "spaces/topics/topic_form.html", {"state": state, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    topic = get_object_or_404(
        FocusTopic.objects.select_related("state").filter(
            state__in=StateNetwork.objects.visible_to(user)
        ),
        pk=pk,
    )
    if not is_state_staff(user, topic.state_id):
        raise PermissionDenied
    form = FocusTopicForm(
        request.POST if request.method == "POST" else None, instance=topic, state_id=topic.state_id
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The topic was saved."))
        return redirect(_catalogue_url(topic.state))
    return render(
        request,
        "spaces/topics/topic_form.html",
        {"state": topic.state, "form": form, "topic": topic},
    )


@login_required
@require_GET
def council_topics(request: HttpRequest, council: int) -> HttpResponse:
    """The council's focus topics with their source, and its analyses."""
    user = acting_user(request)
    organisation = get_council_space(user, council)
    chosen = list(
        CouncilFocusTopic.objects.filter(council=organisation)
        .select_related("topic", "analysis")
        .order_by("topic__position", "topic__name")
    )
    analyses = list(
        CriminologicalAnalysis.objects.filter(council=organisation)
        .select_related("uploaded_by")
        .order_by("-analysed_on", "-pk")
    )
    return render(
        request,
        "spaces/topics/council.html",
        {
            "council": organisation,
            "chosen": chosen,
            "analyses": analyses,
            "can_manage": is_coordinator(user, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def council_topics_edit(request: HttpRequest, council: int) -> HttpResponse:
    user = acting_user(request)
    organisation = get_council_space(user, council, manage=True)
    form = CouncilTopicsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "topics": list(
                CouncilFocusTopic.objects.filter(council=organisation).values_list(
                    "topic_id", flat=True
                )
            )
        },
        topics=FocusTopic.objects.filter(state_id=organisation.state_id, is_active=True).order_by(
            "position", "name"
        ),
        analyses=CriminologicalAnalysis.objects.filter(council=organisation).order_by(
            "-analysed_on", "-pk"
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.council_set_topics(
                council=organisation,
                topics=form.cleaned_data["topics"],
                analysis=form.cleaned_data["analysis"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The focus topics were saved."))
            return redirect("spaces:council_topics", council=organisation.pk)
    return render(
        request, "spaces/topics/council_form.html", {"council": organisation, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def analysis_create(request: HttpRequest, council: int) -> HttpResponse:
    user = acting_user(request)
    organisation = get_council_space(user, council, manage=True)
    form = AnalysisForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        topics=FocusTopic.objects.filter(state_id=organisation.state_id, is_active=True).order_by(
            "position", "name"
        ),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.analysis_add(
                council=organisation,
                by=user,
                title=data["title"],
                analysed_on=data["analysed_on"],
                summary=data["summary"],
                file=data["file"],
                topics=data["topics"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The analysis was saved."))
            return redirect("spaces:council_topics", council=organisation.pk)
    return render(
        request, "spaces/topics/analysis_form.html", {"council": organisation, "form": form}
    )


@login_required
@require_GET
def analysis_file(request: HttpRequest, council: int, pk: int) -> FileResponse:
    organisation = get_council_space(acting_user(request), council)
    analysis = get_object_or_404(CriminologicalAnalysis, pk=pk, council=organisation)
    return serve_file(analysis.file)
