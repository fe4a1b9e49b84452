"""Helpers of the sign-in security tests: a real TOTP code, a device, an English client."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from councils.models import User

PASSWORD = "geheim-123"  # the factories' password


def english(client: Client | None = None) -> Client:
    client = client or Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def code_for(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code the authenticator app shows now (or some steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return str(totp.token()).zfill(device.digits)


def give_second_factor(user: User) -> tuple[TOTPDevice, list[str]]:
    """A confirmed authenticator and recovery codes, as after the set-up."""
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device, twofactor.new_recovery_codes(user)
