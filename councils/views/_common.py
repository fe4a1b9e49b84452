"""Small helpers shared by the views of the membership part."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

IMPORT_SESSION_KEY = "councils_member_import"


def _post(request: HttpRequest) -> Any:
    """The submitted data of a POST, else None (an unbound form)."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None
