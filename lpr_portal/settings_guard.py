"""Refuse to start with an unsafe configuration.

The settings call :func:`ensure_safe` when DEBUG is off (outside the test suite): a missing or
default SECRET_KEY, an empty ALLOWED_HOSTS or a missing DATABASE_URL stop the start with a clear
message in German and English instead of running silently with a development default. The
production profile (``DJANGO_ENV=production``) additionally needs REDIS_URL (shared cache, Celery
broker) and refuses DEBUG.

This module imports nothing of Django but the exception, so the settings can use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import ImproperlyConfigured

#: The fallback the settings use for development and tests; never acceptable in production.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-set-SECRET_KEY-in-production"  # noqa: S105
#: Django's own check (security.W009) wants at least this many characters ...
SECRET_KEY_MIN_LENGTH = 50
#: ... and at least this many different characters.
SECRET_KEY_MIN_UNIQUE = 5

#: Each problem as (German, English).
Problem = tuple[str, str]


def secret_key_problem(secret_key: str) -> Problem | None:
    """Why the key is unfit for production, or None."""
    if not secret_key:
        return (
            "SECRET_KEY fehlt: setzen Sie einen zufälligen Schlüssel mit mindestens 50 Zeichen.",
            "SECRET_KEY is missing: set a random key of at least 50 characters.",
        )
    if (
        secret_key == DEVELOPMENT_SECRET_KEY
        or secret_key.startswith("django-insecure")
        or len(secret_key) < SECRET_KEY_MIN_LENGTH
        or len(set(secret_key)) < SECRET_KEY_MIN_UNIQUE
    ):
        return (
            "SECRET_KEY ist unsicher (Entwicklungsschlüssel, 'django-insecure…' oder kürzer als "
            "50 Zeichen): setzen Sie einen zufälligen Schlüssel, z. B. mit "
            "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`.",
            "SECRET_KEY is insecure (the development key, 'django-insecure…' or shorter than 50 "
            "characters): set a random key, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`.",
        )
    return None


def configuration_problems(
    environ: Mapping[str, str], *, allowed_hosts: Sequence[str], production: bool, debug: bool
) -> list[Problem]:
    """Everything that makes the environment unfit to serve with DEBUG off."""
    problems: list[Problem] = []
    if production and debug:
        problems.append(
            (
                "DEBUG ist im Produktionsprofil (DJANGO_ENV=production) eingeschaltet: "
                "entfernen Sie DEBUG oder setzen Sie DEBUG=false.",
                "DEBUG is on in the production profile (DJANGO_ENV=production): "
                "unset DEBUG or set DEBUG=false.",
            )
        )
    secret = secret_key_problem(environ.get("SECRET_KEY", "").strip())
    if secret:
        problems.append(secret)
    if not environ.get("ALLOWED_HOSTS", "").strip() or not [h for h in allowed_hosts if h]:
        problems.append(
            (
                "ALLOWED_HOSTS ist leer: nennen Sie die Hostnamen des Portals, "
                "z. B. ALLOWED_HOSTS=portal.example.org.",
                "ALLOWED_HOSTS is empty: name the portal's host names, "
                "e.g. ALLOWED_HOSTS=portal.example.org.",
            )
        )
    if not environ.get("DATABASE_URL", "").strip():
        problems.append(
            (
                "DATABASE_URL fehlt: z. B. DATABASE_URL=postgres://user:passwort@host:5432/lpr_portal.",
                "DATABASE_URL is missing: e.g. DATABASE_URL=postgres://user:password@host:5432/lpr_portal.",
            )
        )
    if production and not environ.get("REDIS_URL", "").strip():
        problems.append(
            (
                "REDIS_URL fehlt (Produktionsprofil): Cache und Celery-Broker brauchen Redis, "
                "z. B. REDIS_URL=redis://127.0.0.1:6379/0.",
                "REDIS_URL is missing (production profile): the cache and the Celery broker need "
                "Redis, e.g. REDIS_URL=redis://127.0.0.1:6379/0.",
            )
        )
    return problems


def message(problems: Sequence[Problem]) -> str:
    """One text naming every problem, German first, then English."""
    lines = [
        "Unsichere oder unvollständige Konfiguration bei DEBUG=false, das Portal startet nicht:",
        *(f"  - {german}" for german, _ in problems),
        "Unsafe or incomplete configuration with DEBUG off, the portal does not start:",
        *(f"  - {english}" for _, english in problems),
        "(Entwicklung/development: DEBUG=true, e.g. `make run`.)",
    ]
    return "\n".join(lines)


def ensure_safe(
    environ: Mapping[str, str], *, allowed_hosts: Sequence[str], production: bool, debug: bool
) -> None:
    """Raise ImproperlyConfigured naming every problem of the configuration."""
    problems = configuration_problems(
        environ, allowed_hosts=allowed_hosts, production=production, debug=debug
    )
    if problems:
        raise ImproperlyConfigured(message(problems))
