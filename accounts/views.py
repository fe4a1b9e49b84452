"""Sign-in with a second factor, and the person's own security page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from core.web import acting_user
from councils.permissions import can_administer_any_state

from . import clock, twofactor
from .forms import CodeForm, ConfirmPasswordForm, EmailChangeForm, LoginForm, SetupForm
from .reauth import mark_confirmed, reauth_redirect, reauth_required, recently_confirmed

#: Session key of a sign-in waiting for its second factor.
PENDING = "accounts_pending_sign_in"
#: How long the code may take after the password (seconds).
PENDING_SECONDS = 5 * 60
#: How long fresh recovery codes stay on show (seconds).
FRESH_CODES_SECONDS = 10 * 60


def _safe_next(request: HttpRequest, candidate: str | None, default: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class LoginView(auth_views.LoginView):
    """Password first; a person with a second factor is then asked for the code."""

    form_class = LoginForm

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if not twofactor.has_second_factor(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[1]),
            "at": clock.now(),
            "next": self.get_redirect_url(),
        }
        return redirect("accounts:otp_verify")


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or clock.now() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user_pk = pending.get("user")
    if not isinstance(user_pk, int):
        return None
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    return (user, pending) if user is not None else None


@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The code after the password (or for a session that has not given it yet)."""
    pending: dict[str, Any] = {}
    if request.user.is_authenticated:
        user = acting_user(request)
        if twofactor.session_verified(user):
            return redirect(_safe_next(request, request.GET.get("next"), reverse("dashboard")))
        if not twofactor.has_second_factor(user):
            return redirect("accounts:otp_setup")
    else:
        found = _pending_user(request)
        if found is None:
            messages.info(request, _("Please sign in again."))
            return redirect("login")
        user, pending = found
    form = CodeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        next_url = _safe_next(
            request,
            pending.get("next") or request.GET.get("next"),
            reverse(settings.LOGIN_REDIRECT_URL),
        )
        if pending:
            login(request, user, backend=pending["backend"])
            request.session.pop(PENDING, None)
        otp_login(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = twofactor.remaining_recovery_codes(user)
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code. %(count)d recovery code is left.",
                    "You signed in with a recovery code. %(count)d recovery codes are left.",
                    left,
                )
                % {"count": left},
            )
        return redirect(next_url)
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
@reauth_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code."""
    user = acting_user(request)
    if twofactor.has_second_factor(user):
        if not twofactor.session_verified(user):
            return redirect("accounts:otp_verify")
        messages.info(request, _("Two-factor authentication is already on."))
        return redirect("accounts:security")
    device = twofactor.pending_device(user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_device(device, form.cleaned_data["code"])
        if codes is None:
            form.add_error(
                "code",
                _(
                    "This code is not valid. Check that the time on your phone is right and "
                    "enter the code that is shown now."
                ),
            )
        else:
            otp_login(request, device)
            _keep_fresh_codes(request, codes)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("accounts:recovery_codes")
    context = {
        "form": form,
        "qr_svg": twofactor.qr_svg(device),
        "manual_key": twofactor.manual_key(device),
        "required": twofactor.must_use_second_factor(user),
    }
    return render(request, "accounts/otp_setup.html", context)


def _keep_fresh_codes(request: HttpRequest, codes: list[str]) -> None:
    request.session[twofactor.FRESH_CODES] = {"codes": codes, "at": clock.now()}


def _fresh_codes(request: HttpRequest) -> list[str]:
    fresh = request.session.get(twofactor.FRESH_CODES)
    if not isinstance(fresh, dict) or clock.now() - fresh.get("at", 0) > FRESH_CODES_SECONDS:
        request.session.pop(twofactor.FRESH_CODES, None)
        return []
    return list(fresh.get("codes", []))


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes made a moment ago, shown this once; POST: 'I have saved them'."""
    if request.method == "POST":
        request.session.pop(twofactor.FRESH_CODES, None)
        return redirect("accounts:security")
    codes = _fresh_codes(request)
    if not codes:
        return redirect("accounts:security")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@login_required
def recovery_codes_download(request: HttpRequest) -> HttpResponse:
    """The fresh recovery codes as a text file, while they are on show."""
    codes = _fresh_codes(request)
    if not codes:
        raise Http404
    user = acting_user(request)
    heading = _("Recovery codes for %(user)s at %(site)s") % {
        "user": user.username,
        "site": settings.SITE_URL,
    }
    hint = _("Each code works once. Keep them in a safe place.")
    body = "\n".join([heading, hint, "", *codes, ""])
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recovery-codes.txt"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@reauth_required
@require_http_methods(["GET", "POST"])
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    """Replace the recovery codes (the old ones stop working)."""
    user = acting_user(request)
    if not twofactor.has_second_factor(user):
        raise Http404
    if request.method == "POST":
        _keep_fresh_codes(request, twofactor.new_recovery_codes(user))
        return redirect("accounts:recovery_codes")
    return render(request, "accounts/recovery_codes_new.html")


@login_required
@reauth_required
@require_http_methods(["GET", "POST"])
def otp_remove(request: HttpRequest) -> HttpResponse:
    """Turn the second factor off (not possible for people who must use it)."""
    user = acting_user(request)
    if not twofactor.has_second_factor(user):
        raise Http404
    required = twofactor.must_use_second_factor(user)
    if request.method == "POST" and not required:
        twofactor.remove_second_factor(user)
        messages.success(request, _("Two-factor authentication is off."))
        return redirect("accounts:security")
    return render(request, "accounts/otp_remove.html", {"required": required})


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The person's sign-in settings: password, e-mail, second factor."""
    user = acting_user(request)
    request.session.pop(twofactor.FRESH_CODES, None)
    context = {
        "has_second_factor": twofactor.has_second_factor(user),
        "required": twofactor.must_use_second_factor(user),
        "remaining_codes": twofactor.remaining_recovery_codes(user),
        "administers": can_administer_any_state(user),
    }
    return render(request, "accounts/security.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reauth(request: HttpRequest) -> HttpResponse:
    """'Confirm your password' before a sensitive change."""
    user = acting_user(request)
    next_url = _safe_next(
        request, request.POST.get("next") or request.GET.get("next"), reverse("accounts:security")
    )
    form = ConfirmPasswordForm(request.POST or None, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        mark_confirmed(request)
        return redirect(next_url)
    minutes = settings.REAUTH_VALID_SECONDS // 60
    return render(
        request, "accounts/reauth.html", {"form": form, "next": next_url, "minutes": minutes}
    )


@login_required
@reauth_required
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    """Change one's own e-mail address."""
    user = acting_user(request)
    form = EmailChangeForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail address is changed."))
        return redirect("accounts:security")
    return render(request, "accounts/email_change.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, behind a recent password confirmation."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not recently_confirmed(request):
            return reauth_redirect(request)
        return super().dispatch(request, *args, **kwargs)
