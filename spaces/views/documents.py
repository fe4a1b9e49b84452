"""Views of a council's documents: the list, upload, change or replace, delete, download, and
the public list with its downloads. Access is decided in ``spaces.documents``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.fragments import lazy, lazy_values
from core.web import acting_user, confirm_delete, paginate, serve_file
from councils.models import Organisation, User

from .. import documents as services
from ..forms.documents import DocumentForm, filter_documents
from ..models import CouncilDocument

#: Documents per page of the lists.
DOCUMENTS_PER_PAGE = 20


def _list_url(council_pk: int) -> str:
    return reverse("spaces:document_list", kwargs={"council": council_pk})


@require_http_methods(["GET"])
@login_required
def document_list(request: HttpRequest, council: int) -> HttpResponse:
    """The council's documents the user may see, with filters, sorting and pages."""
    user = acting_user(request)
    space = services.get_council_space(user, council)
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(_listing, request, user, space, names=("filter", "page", "filtered"))
    return render(
        request,
        "spaces/documents/list.html",
        {
            "council": space,
            **listing,
            "can_keep": lazy(services.can_keep_documents, user, space),
        },
    )


def _listing(request: HttpRequest, user: User, space: Organisation) -> dict[str, Any]:
    documents = (
        CouncilDocument.objects.visible_to(user)
        .filter(council=space)
        .for_table()
        .order_by("-uploaded_at", "-pk")
    )
    filterset, rows, filtered = filter_documents(documents, request.GET)
    return {
        "filter": filterset,
        "page": paginate(request, rows, DOCUMENTS_PER_PAGE),
        "filtered": filtered,
    }


@require_http_methods(["GET", "POST"])
@login_required
def document_upload(request: HttpRequest, council: int) -> HttpResponse:
    """The coordinator uploads a document with its title, description and visibility."""
    user = acting_user(request)
    space = services.get_council_space(user, council)
    if not services.can_keep_documents(user, space):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.file_kind is not None:
        document = services.document_upload(
            council=space,
            by=user,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            visibility=form.cleaned_data["visibility"],
            upload=form.cleaned_data["file"],
            kind=form.file_kind,
        )
        messages.success(
            request, _("The document “%(title)s” has been uploaded.") % {"title": document.title}
        )
        return redirect(_list_url(space.pk))
    return render(
        request,
        "spaces/documents/form.html",
        {"council": space, "form": form, "document": None},
    )


@require_http_methods(["GET", "POST"])
@login_required
def document_edit(request: HttpRequest, council: int, pk: int) -> HttpResponse:
    """The coordinator changes a document's title, description or visibility, or its file."""
    user = acting_user(request)
    space = services.get_council_space(user, council)
    document = services.get_document_for_user(user, space, pk, keep=True)
    initial = {
        "title": document.title,
        "description": document.description,
        "visibility": document.visibility,
    }
    form = DocumentForm(
        request.POST or None, request.FILES or None, initial=initial, replacing=True
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file") or None
        services.document_update(
            document=document,
            by=user,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            visibility=form.cleaned_data["visibility"],
            upload=upload,
            kind=form.file_kind,
        )
        if upload is not None:
            message = _("The file of “%(title)s” has been replaced.")
        else:
            message = _("The document “%(title)s” has been saved.")
        messages.success(request, message % {"title": document.title})
        return redirect(_list_url(space.pk))
    return render(
        request,
        "spaces/documents/form.html",
        {"council": space, "form": form, "document": document},
    )


@require_http_methods(["GET", "POST"])
@login_required
def document_delete(request: HttpRequest, council: int, pk: int) -> HttpResponse:
    """The coordinator confirms, then the document and its file are deleted."""
    user = acting_user(request)
    space = services.get_council_space(user, council)
    document = services.get_document_for_user(user, space, pk, keep=True)
    return confirm_delete(
        request,
        delete=lambda: services.document_delete(document=document, by=user),
        template="spaces/documents/delete.html",
        context={"council": space, "document": document},
        next_url=_list_url(space.pk),
        success_message=_("The document “%(title)s” has been deleted.") % {"title": document.title},
    )


@require_http_methods(["GET"])
@login_required
def document_download(request: HttpRequest, council: int, pk: int) -> FileResponse:
    """The file of a document the user may see, under its original (cleaned) name."""
    user = acting_user(request)
    space = services.get_council_space(user, council)
    document = services.get_document_for_user(user, space, pk)
    return serve_file(
        document.file, download_name=document.original_name, content_type=document.content_type
    )


# Public pages (no sign-in) --------------------------------------------------------------


@require_http_methods(["GET"])
def public_document_list(request: HttpRequest, council: int) -> HttpResponse:
    """The council's public documents, for anyone."""
    space = services.get_public_council(council)
    documents = (
        CouncilDocument.objects.public().filter(council=space).order_by("-uploaded_at", "-pk")
    )
    return render(
        request,
        "spaces/documents/public_list.html",
        {
            "council": space,
            "page": paginate(request, documents, DOCUMENTS_PER_PAGE),
            "in_network": services.is_in_network(request.user, space),
        },
    )


@require_http_methods(["GET"])
def public_document_download(request: HttpRequest, council: int, pk: int) -> FileResponse:
    """The file of a public document, for anyone."""
    space = services.get_public_council(council)
    document = services.get_public_document(space, pk)
    return serve_file(
        document.file, download_name=document.original_name, content_type=document.content_type
    )
