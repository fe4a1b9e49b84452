"""The in-app list of a person's notifications: read, open, mark all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.web import paginate

from .grouping import fold_repeats
from .models import Notification
from .services import notification_mark_read, notifications_mark_all_read

#: The list filter: every notification, or only the unread ones.
FILTERS = ("all", "unread")


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first, 25 a page; unread ones stand out."""
    show = request.GET.get("show", "all")
    if show not in FILTERS:
        show = "all"
    notifications = Notification.objects.for_user(request.user)
    if show == "unread":
        notifications = notifications.unread()
    page = paginate(request, notifications.order_by("-created_at", "-pk"))
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "show": show,
            # A row repeated word for word (the same reminder twice) is shown once.
            "notifications": fold_repeats(page.object_list, by_link=False),
        },
    )


@require_POST
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the person's notifications read and follow its link (when local)."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    notification_mark_read(notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    messages.success(request, _("The notification is marked as read."))
    return redirect(_back_to_list(request))


@require_POST
@login_required
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every unread notification of the person read."""
    count = notifications_mark_all_read(recipient=request.user)  # type: ignore[arg-type]
    if count:
        messages.success(request, _("All notifications are marked as read."))
    else:
        messages.info(request, _("There were no unread notifications."))
    return redirect(_back_to_list(request))


def _back_to_list(request: HttpRequest) -> str:
    """The list page the form was sent from (its filter and page), else the plain list."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "notifications:list"
