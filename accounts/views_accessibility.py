"""State admins' list of the accessibility feedback of their states, and marking one answered."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.web import acting_user, paginate
from councils.models import Role, user_state_ids
from councils.permissions import require_state_administration

from .accessibility import feedback_mark_answered
from .models import AccessibilityFeedback

#: The list's filters: ?status=open shows the unanswered, ?status=answered the answered.
STATUS_FILTERS = ("open", "answered")


@require_GET
@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    """The feedback of the states the user administers (platform admins: all), newest first."""
    user = acting_user(request)
    require_state_administration(user)
    status = request.GET.get("status", "")
    if status not in STATUS_FILTERS:
        status = ""
    feedback = (
        AccessibilityFeedback.objects.visible_to(user)
        .select_related("state", "sender", "answered_by")
        .order_by("-created_at", "-pk")
    )
    if status == "open":
        feedback = feedback.open()
    elif status == "answered":
        feedback = feedback.filter(answered_at__isnull=False)
    state_ids = user_state_ids(user, roles=(Role.STATE_ADMIN,))
    return render(
        request,
        "accounts/accessibility_feedback_list.html",
        {
            "page": paginate(request, feedback),
            "status": status,
            "show_state": state_ids is None or len(state_ids) > 1,
        },
    )


@require_POST
@login_required
def feedback_answered(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one message answered; another state's message is a 404."""
    user = acting_user(request)
    require_state_administration(user)
    feedback = AccessibilityFeedback.objects.visible_to(user).filter(pk=pk).first()
    if feedback is None:
        raise Http404
    feedback_mark_answered(feedback=feedback, by=user)
    messages.success(request, _("The message is marked as answered."))
    status = request.POST.get("status", "")
    url = reverse("accounts:accessibility_feedback_list")
    if status in STATUS_FILTERS:
        url += f"?status={status}"
    return redirect(url)
