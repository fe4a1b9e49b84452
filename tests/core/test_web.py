"""The shared view helpers: acting user, pages, file downloads and the delete confirmation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Length
from django.http import Http404, HttpRequest
from django.test import RequestFactory

from core.web import (
    PAGE_SIZE,
    acting_user,
    confirm_delete,
    paginate,
    parameter_id,
    safe_filename,
    serve_file,
)
from councils.models import Organisation
from tests.conftest import World

factory = RequestFactory()


def _field_file(tmp_path: Path, name: str, content: bytes | None = b"data") -> FieldFile:
    storage = FileSystemStorage(location=tmp_path)
    if content is not None:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    field = models.FileField(storage=storage)
    field.name = "file"
    return FieldFile(None, field, name)


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


# acting_user ---------------------------------------------------------------------------------


def test_acting_user_is_the_request_user() -> None:
    request = factory.get("/")
    marker = object()
    request.user = marker  # type: ignore[assignment]
    assert acting_user(request) is marker


# paginate ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "number", "first_item"),
    [
        (None, 1, 0),
        ("1", 1, 0),
        ("2", 2, PAGE_SIZE),
        ("3", 3, 2 * PAGE_SIZE),
        ("4", 3, 2 * PAGE_SIZE),  # beyond the end: the last page
        ("999", 3, 2 * PAGE_SIZE),
        ("abc", 1, 0),  # not a number: the first page
        ("", 1, 0),
        ("-1", 3, 2 * PAGE_SIZE),  # Django's get_page: an invalid number gives the last page
        ("9" * 5000, 1, 0),  # more digits than int() converts
        ("²", 1, 0),  # a digit to str.isdigit(), not to int()
        ("1e309", 1, 0),
    ],
)
def test_paginate_bounds(page: str | None, number: int, first_item: int) -> None:
    items = list(range(2 * PAGE_SIZE + 3))
    request = factory.get("/", {"page": page} if page is not None else {})
    result = paginate(request, items)
    assert result.number == number
    assert result.paginator.num_pages == 3
    assert result.object_list[0] == first_item


def test_paginate_per_page_and_empty_list() -> None:
    request = factory.get("/", {"page": "2"})
    assert list(paginate(request, list(range(10)), per_page=4)) == [4, 5, 6, 7]
    empty = paginate(factory.get("/", {"page": "5"}), [])
    assert empty.number == 1
    assert list(empty) == []


@pytest.mark.django_db
def test_paginate_annotates_only_the_page_rows(world: World) -> None:
    """``rows=``: the page's rows in the list's order, with what the callable adds; the count
    and the choice of the page run without it."""
    items = Organisation.objects.order_by("-name", "pk")
    seen: list[Any] = []

    def rows(shown: Any) -> Any:
        seen.append(shown)
        return shown.annotate(name_length=Length("name"))

    page = paginate(factory.get("/", {"page": "2"}), items, per_page=2, rows=rows)
    expected = list(items)[2:4]
    assert page.object_list == expected
    assert [o.name_length for o in page.object_list] == [len(o.name) for o in expected]
    assert page.paginator.count == Organisation.objects.count()
    assert page.paginator.object_list is items  # counted without the annotation
    assert len(seen) == 1


# parameter_id --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("007", 7),
        ("9" * 18, int("9" * 18)),
        (None, None),
        ("", None),
        ("-1", None),
        (" 12", None),
        ("12\n", None),
        ("1.0", None),
        ("²", None),  # str.isdigit() says yes
        ("١٢", None),  # Arabic-Indic digits: int() would take them
        ("9" * 19, None),  # beyond a bigint
        ("9" * 5000, None),  # beyond what int() converts
    ],
)
def test_parameter_id_takes_ascii_digits_that_fit_an_id(
    value: str | None, expected: int | None
) -> None:
    assert parameter_id(value) == expected


# safe_filename / serve_file ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("attachments/2026/report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\Bericht.docx", "Bericht.docx"),
        ('evil"; filename="x.html', "evil_ filename=_x.html"),
        ("line\r\nbreak.pdf", "line_break.pdf"),
        ("Prüfbericht Übersicht.pdf", "Prüfbericht Übersicht.pdf"),
        ("..", "download"),
        ("", "download"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_serve_file_headers(tmp_path: Path) -> None:
    response = serve_file(_field_file(tmp_path, "docs/2026/bericht.pdf", b"%PDF-1.4"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bericht.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _body(response) == b"%PDF-1.4"


def test_serve_file_download_name_inline_and_content_type(tmp_path: Path) -> None:
    stored = _field_file(tmp_path, "exports/abc123", b"a;b\n")
    response = serve_file(stored, download_name="../Förderanträge 2026.csv", as_attachment=False)
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline; ")
    assert "filename*=utf-8''F%C3%B6rderantr%C3%A4ge%202026.csv" in disposition
    assert ".." not in disposition and "/" not in disposition.split("''", 1)[1]
    assert response["X-Content-Type-Options"] == "nosniff"

    explicit = serve_file(stored, download_name="x.pdf", content_type="application/pdf")
    assert explicit["Content-Type"] == "application/pdf"


def test_serve_file_unknown_type_is_octet_stream(tmp_path: Path) -> None:
    response = serve_file(_field_file(tmp_path, "blob.unknownext"))
    assert response["Content-Type"] == "application/octet-stream"


def test_serve_file_header_injection_is_neutralised(tmp_path: Path) -> None:
    response = serve_file(_field_file(tmp_path, "a.txt"), download_name='a.txt"\r\nSet-Cookie: x=1')
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.count('"') == 2


def test_serve_file_missing_or_empty_is_404(tmp_path: Path) -> None:
    with pytest.raises(Http404):
        serve_file(_field_file(tmp_path, "gone.pdf", content=None))
    with pytest.raises(Http404):
        serve_file(_field_file(tmp_path, "", content=None))


# confirm_delete ------------------------------------------------------------------------------


def _request(method: str) -> HttpRequest:
    request = factory.post("/") if method == "POST" else factory.get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


LOCMEM_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {"app/confirm.html": "Remove {{ attachment }}?"},
                )
            ]
        },
    }
]


def test_confirm_delete_get_renders_without_deleting(settings: Any) -> None:
    settings.TEMPLATES = LOCMEM_TEMPLATES
    calls: list[str] = []
    response = confirm_delete(
        _request("GET"),
        delete=lambda: calls.append("deleted"),
        template="app/confirm.html",
        context={"attachment": "bericht.pdf"},
        next_url="/back/",
        success_message="Removed.",
    )
    assert response.status_code == 200
    assert response.content == b"Remove bericht.pdf?"
    assert calls == []


def test_confirm_delete_post_deletes_and_redirects() -> None:
    calls: list[str] = []
    request = _request("POST")
    response = confirm_delete(
        request,
        delete=lambda: calls.append("deleted"),
        template="app/confirm.html",
        context={},
        next_url="/back/",
        success_message="Removed.",
    )
    assert response.status_code == 302
    assert response["Location"] == "/back/"
    assert calls == ["deleted"]
    assert [str(m) for m in get_messages(request)] == ["Removed."]


def test_confirm_delete_post_refused_shows_the_reason() -> None:
    def refuse() -> None:
        raise ValidationError(["Locked.", "Submitted."])

    request = _request("POST")
    response = confirm_delete(
        request,
        delete=refuse,
        template="app/confirm.html",
        context={},
        next_url="/back/",
        success_message="Removed.",
    )
    assert response.status_code == 302
    messages = list(get_messages(request))
    assert [str(m) for m in messages] == ["Locked. Submitted."]
    assert messages[0].level_tag == "error"
