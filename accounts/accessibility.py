"""Feedback on barriers (BITV 2.0): the form, its spam brakes and the writes.

The form sits on the accessibility statement. A message goes to the admins of the state network
the sender chose (signed-in people: their acting state by default); they answer it outside the
portal and mark it answered. Two brakes against spam: a honeypot field people never see, and a
limit of messages per address and hour kept in the cache.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext_lazy as _

from audit.log import Action, record
from councils.models import Role, StateNetwork, User
from councils.permissions import acting_membership, people_with_role
from notifications.messages import translatable
from notifications.services import notify_many

from .models import FEEDBACK_MAX_LENGTH, AccessibilityFeedback

#: How long the count of an address's messages is kept (seconds): the limit is per hour.
RATE_WINDOW = 3600
#: The query parameter that names the page the feedback is about (?seite=/foerderung/).
PAGE_PARAMETER = "seite"


# The page concerned ------------------------------------------------------------------------


def local_path(value: str, *, host: str) -> str | None:
    """The path (with query) of an address inside the portal, or None for anything else.

    Takes "/foerderung/antraege/" and a full address on the portal's own host; refuses other
    hosts, scheme-relative addresses ("//evil.example"), backslashes and control characters.
    """
    value = value.strip()
    if not value or "\\" in value or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts={host}, require_https=False):
        return None
    parts = urlsplit(value)
    if parts.netloc and parts.netloc != host:
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path[: AccessibilityFeedback._meta.get_field("page").max_length]


def page_concerned(request: HttpRequest) -> str:
    """The page the visitor came from: ?seite=, else the Referer on this host ("" when none)."""
    host = request.get_host()
    own = reverse("accessibility")
    for candidate in (
        request.GET.get(PAGE_PARAMETER, ""),
        request.META.get("HTTP_REFERER", ""),
    ):
        path = local_path(candidate, host=host)
        if path and urlsplit(path).path != own:
            return path
    return ""


# The form ----------------------------------------------------------------------------------


class StateChoiceField(forms.ModelChoiceField[StateNetwork]):
    def label_from_instance(self, obj: StateNetwork) -> str:
        return obj.name


class AccessibilityFeedbackForm(forms.Form):
    """What the sender tells about a barrier; the state chooses whose admins read it."""

    state = StateChoiceField(
        label=_("Which state network is your message for?"),
        queryset=StateNetwork.objects.none(),
        empty_label=_("Choose a state network"),
        help_text=_("The administrators of this state network read and answer your message."),
    )
    page = forms.CharField(
        label=_("Page concerned"),
        required=False,
        max_length=500,
        help_text=_("The address of the page in the portal, for example /verzeichnis/."),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Describe the barrier: what did you want to do, and what did not work? "
            "At most 5,000 characters."
        ),
    )
    name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_("Needed only if you would like an answer."),
    )
    wants_reply = forms.BooleanField(label=_("I would like an answer"), required=False)
    # The honeypot: hidden from people (also from screen readers), filled in by spam robots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, host: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.host = host
        state = self.fields["state"]
        assert isinstance(state, forms.ModelChoiceField)
        state.queryset = StateNetwork.objects.filter(is_active=True).order_by("name")
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    @property
    def is_spam(self) -> bool:
        """A robot filled in the field people never see."""
        return bool(self.data.get(self.add_prefix("website"), "").strip())

    def clean_page(self) -> str:
        value: str = self.cleaned_data.get("page", "")
        if not value.strip():
            return ""
        path = local_path(value, host=self.host)
        if path is None:
            raise ValidationError(
                _("Enter the address of a page of this portal, starting with /."),
                code="not_local",
            )
        return path

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("wants_reply") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter your e-mail address, so that we can answer you."))
        return data


def initial_state(request: HttpRequest) -> int | None:
    """The state a signed-in sender writes to by default: their acting seat's; else none."""
    membership = acting_membership(request)
    if membership is None or not membership.organisation.state.is_active:
        return None
    return membership.organisation.state_id


# The spam brake per address ------------------------------------------------------------------


def rate_key(address: str) -> str:
    """The cache key counting an address's messages (the address itself is not stored)."""
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"accessibility-feedback:{digest}"


def feedback_allowed(address: str) -> bool:
    """Whether the address may send another message this hour."""
    sent = int(cache.get(rate_key(address), 0))
    limit: int = settings.ACCESSIBILITY_FEEDBACK_PER_HOUR
    return sent < limit


def count_feedback(address: str) -> None:
    """Count one message of the address; the count is forgotten an hour after the first."""
    key = rate_key(address)
    if cache.add(key, 1, timeout=RATE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW)


# Writes ------------------------------------------------------------------------------------


def _sender_label(name: str, email: str) -> Any:
    if name and email:
        return f"{name} <{email}>"
    return name or email or _("not given")


def _recipients(state_id: int) -> list[User]:
    """The state's admins; when it has none, the platform admins, so no message is lost."""
    admins = list(people_with_role(Role.STATE_ADMIN, state=state_id))
    if admins:
        return admins
    return list(User.objects.filter(is_active=True, is_superuser=True))


def feedback_submit(
    *,
    state: StateNetwork,
    sender: User | AnonymousUser | None,
    message: str,
    page: str = "",
    name: str = "",
    email: str = "",
    wants_reply: bool = False,
) -> AccessibilityFeedback:
    """Store the feedback and tell the state's admins (in-app and by e-mail) after the commit."""
    if not state.is_active:
        raise ValidationError(_("Choose a state network."))
    if not message.strip():
        raise ValidationError(_("Write a message."))
    signed_in = sender if sender is not None and sender.is_authenticated else None
    with transaction.atomic():
        feedback = AccessibilityFeedback.objects.create(
            state=state,
            sender=signed_in,
            name=name.strip(),
            email=email.strip(),
            wants_reply=wants_reply,
            page=page,
            message=message.strip(),
            language=(get_language() or settings.LANGUAGE_CODE)[:10],
        )
        if wants_reply:
            body = gettext_noop(
                "Page: %(page)s. From: %(sender)s, who asks for an answer. Message: %(message)s"
            )
        else:
            body = gettext_noop("Page: %(page)s. From: %(sender)s. Message: %(message)s")
        params = {
            "page": feedback.page or "–",
            "sender": _sender_label(feedback.name, feedback.email),
            "message": feedback.message,
        }
        state_id, state_name = state.pk, state.name
        url = reverse("accounts:accessibility_feedback_list")
        transaction.on_commit(
            lambda: notify_many(
                recipients=_recipients(state_id),
                kind="accounts.accessibility_feedback",
                subject=translatable(
                    gettext_noop("Accessibility feedback for %(state)s"), state=state_name
                ),
                body=translatable(body, **params),
                url=url,
            )
        )
    return feedback


def feedback_mark_answered(*, feedback: AccessibilityFeedback, by: User) -> AccessibilityFeedback:
    """Mark the feedback answered (once) and write it to the state's audit log."""
    with transaction.atomic():
        locked = AccessibilityFeedback.objects.select_for_update().get(pk=feedback.pk)
        if locked.answered_at is not None:
            return locked
        locked.answered_at = timezone.now()
        locked.answered_by = by
        locked.save(update_fields=["answered_at", "answered_by"])
        record(
            Action.ACCESSIBILITY_FEEDBACK_ANSWERED,
            actor=by,
            state=locked.state_id,
            target=locked,
            page=locked.page,
        )
    return locked
