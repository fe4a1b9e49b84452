"""The second factor: who needs it, setting it up, recovery codes, checking a code."""

from __future__ import annotations

import secrets
from base64 import b32encode
from collections.abc import Sequence
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop
from django_otp import devices_for_user, match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.sessions import end_user_sessions
from councils.models import STATE_ROLES
from councils.permissions import active_memberships
from notifications.messages import translatable
from notifications.services import notification_create

from .signals import second_factor_reset

if TYPE_CHECKING:
    from councils.models import User

#: Session key of the recovery codes made a moment ago, shown (and downloadable) once.
FRESH_CODES = "accounts_fresh_recovery_codes"
#: The alphabet of recovery codes: no 0/O or 1/I/L to confuse.
_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def must_use_second_factor(user: User | AnonymousUser) -> bool:
    """Platform admins, state admins and state staff must sign in with a second factor."""
    if not user.is_authenticated or not settings.OTP_REQUIRED_FOR_STAFF:
        return False
    if user.is_superuser:
        return True
    return any(m.role in STATE_ROLES for m in active_memberships(user))


def session_verified(user: object) -> bool:
    """Whether this session gave the second factor (django-otp's OTPMiddleware sets it)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def has_second_factor(user: User) -> bool:
    found: bool = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return found


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (made on first call, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)
    return device


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// address as an inline SVG QR code (made here, no external service)."""
    svg: str = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", omitsize=False
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup, the key is not user input


def confirm_device(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a code from it; returns new recovery codes, or None."""
    if not device.verify_token(_digits(code)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return new_recovery_codes(device.user)


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with fresh single-use ones and return them."""
    count = settings.OTP_RECOVERY_CODE_COUNT
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(count)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        static = StaticDevice.objects.create(user=user, name="Wiederherstellungscodes")
        StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return [format_code(c) for c in codes]


def remaining_recovery_codes(user: User) -> int:
    count: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return count


def remove_second_factor(user: User) -> None:
    """Delete the authenticator and the recovery codes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def reset_second_factor(*, person: User, by: User, state_ids: Sequence[int]) -> None:
    """An admin deletes a person's lost second factor: devices, recovery codes and sessions go.

    The person is told (notification and e-mail) and, when the second factor is mandatory for
    them, sets it up again at the next sign-in. The audit log records it for ``state_ids``.
    """
    with transaction.atomic():
        remove_second_factor(person)
        end_user_sessions(person.pk)
        admin = by.get_full_name() or by.get_username()
        notification_create(
            recipient=person,
            kind="accounts.second_factor_reset",
            subject=translatable(gettext_noop("Your two-factor authentication was reset")),
            body=translatable(
                gettext_noop(
                    "%(admin)s reset the two-factor authentication of your account: your "
                    "authenticator app and your recovery codes no longer work, and you were "
                    "signed out everywhere. Set it up again on the page “Sign-in and security”; "
                    "if you must use it, the portal asks you to at your next sign-in. If you did "
                    "not ask for this, tell your state office at once."
                ),
                admin=admin,
            ),
            url=reverse("accounts:security"),
        )
        second_factor_reset.send(
            sender=reset_second_factor, user=person, by=by, state_ids=list(state_ids)
        )


def verify(user: User, code: str) -> Device | None:
    """The device that accepts the code (authenticator or a recovery code, used up)."""
    token = _digits(code) if _normalise(code).isdigit() else _normalise(code)
    if not token or len(token) > 20:
        return None
    if not has_second_factor(user):
        return None
    device: Device | None = match_token(user, token)
    return device


def is_throttled(user: User) -> bool:
    """Whether wrong codes made the authenticator refuse codes for a moment."""
    return any(not device.verify_is_allowed()[0] for device in devices_for_user(user))


def format_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())
