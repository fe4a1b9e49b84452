"""Small building blocks every app's views use, so that each exists once.

- ``acting_user(request)``: the signed-in user of a ``login_required`` view, typed as User.
- ``paginate(request, items, per_page=PAGE_SIZE)``: the page named by ``?page=``; a missing or
  non-numeric number gives the first page, a number beyond the end the last one. With
  ``bound=n`` at most n rows are counted (``BoundedPaginator``), for tables without end; with
  ``rows=`` the annotations are added to the page's rows only.
- ``parameter_id(value)``: the object id an address parameter names (``?parent=12``), or None for
  anything else: only ASCII digits that fit a database id (``"²".isdigit()`` is true, and
  ``int()`` refuses more than 4,300 digits).
- ``serve_file(field_file, download_name=..., as_attachment=...)``: a stored file as a download
  with its content type, a ``Content-Disposition`` carrying a safe file name and
  ``X-Content-Type-Options: nosniff``; a file missing from storage is a 404.
- ``confirm_delete(request, ...)``: the GET-confirms / POST-deletes pattern of the attachment views.

Access decisions are never made here: every caller passes an object it has already checked with
its app's ``permissions`` helpers. POST-only views use Django's ``require_POST``.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property

if TYPE_CHECKING:
    # django-stubs resolves ``_User`` to ``settings.AUTH_USER_MODEL``; core imports no app.
    from django.contrib.auth.models import _User as User

__all__ = [
    "PAGE_SIZE",
    "BoundedPaginator",
    "acting_user",
    "confirm_delete",
    "paginate",
    "parameter_id",
    "safe_filename",
    "serve_file",
]

PAGE_SIZE = 25

T = TypeVar("T")

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')
#: Ids are PostgreSQL bigints: 18 digits always fit.
_ID = re.compile(r"[0-9]{1,18}")


def acting_user(request: HttpRequest) -> User:
    """The signed-in user of a view behind ``login_required``."""
    return cast("User", request.user)


class BoundedPaginator(Paginator[Any]):
    """Counts at most ``bound`` rows (``SELECT COUNT(*) FROM (… LIMIT bound + 1)``).

    For tables that grow without end, such as the audit log: counting all their rows gets
    slower every day. Beyond the bound the pages end there and ``capped`` is true, so the page
    can say "more than …" and ask for a narrower filter.
    """

    def __init__(self, object_list: Any, per_page: int, *, bound: int) -> None:
        super().__init__(object_list, per_page)
        self.bound = bound
        self.capped = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            counted = rows.order_by()[: self.bound + 1].count()  # any rows will do: no sort
        else:
            counted = len(rows[: self.bound + 1])
        self.capped = counted > self.bound
        return min(counted, self.bound)


def paginate(
    request: HttpRequest,
    items: QuerySet[Any] | Sequence[T],
    per_page: int = PAGE_SIZE,
    *,
    bound: int | None = None,
    rows: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None,
) -> Page[Any]:
    """The page of ``items`` named by ``?page=``; out-of-range numbers give the nearest page.

    ``rows`` adds what only the shown rows need (counts, "am I registered" subqueries) to a
    queryset of the page's rows: the count and the choice of the page run without it, and
    the annotations are computed for one page instead of every matching row.
    """
    paginator = (
        Paginator(items, per_page)
        if bound is None
        else BoundedPaginator(items, per_page, bound=bound)
    )
    page = paginator.get_page(request.GET.get("page"))
    if rows is not None and isinstance(items, QuerySet):
        # One query: the page's ids as a subquery (LIMIT/OFFSET), in the list's own order.
        shown = cast(QuerySet[Any], page.object_list).values("pk")
        page.object_list = list(rows(items.filter(pk__in=shown)))
    return page


def parameter_id(value: str | None) -> int | None:
    """The object id a request parameter names, or None when it is not one."""
    if value is None or not _ID.fullmatch(value):
        return None
    return int(value)


def safe_filename(name: str, *, default: str = "download") -> str:
    """A file name for a download header: no directories, control characters or quotes."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = _UNSAFE.sub("_", base).strip(" .")
    return base or default


def serve_file(
    field_file: FieldFile,
    *,
    download_name: str | None = None,
    as_attachment: bool = True,
    content_type: str | None = None,
) -> FileResponse:
    """Stream an access-checked stored file; a missing file is a 404, never a 500."""
    if not field_file or not field_file.name:
        raise Http404
    name = safe_filename(download_name or field_file.name)
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    if content_type is None:
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def confirm_delete(
    request: HttpRequest,
    *,
    delete: Callable[[], object],
    template: str,
    context: Mapping[str, Any],
    next_url: str,
    success_message: str,
) -> HttpResponse:
    """GET shows the confirmation page; POST calls ``delete`` (the app's service) and returns.

    A ``ValidationError`` from the service becomes an error message; the caller has already
    checked access to the object and passes the translated ``success_message``.
    """
    if request.method == "POST":
        try:
            delete()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, success_message)
        return redirect(next_url)
    return render(request, template, dict(context))
