"""Documents of a council's space: who may see and keep them, and the writes (services).

Access. A council's document pages belong to the state network of the council: another state's
council answers 404. Within the state, the list shows each person what the document's visibility
allows (``CouncilDocument.objects.visible_to``); a document the person may not see answers 404.
Uploading, replacing, editing and deleting are for the council's coordinators only (DESIGN: the
coordinator keeps the council's space, members read it); everyone else who sees the document
gets 403. Members-only documents are for the council's coordinators and members (and platform
admins as support), not for the state office: the council chose to keep them inside.

Files are stored under a generated name; the old file of a replaced or deleted document leaves
the storage only after the transaction has committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.files.storage import Storage
from django.db import transaction
from django.http import Http404

from core.uploads import FileKind
from councils.models import Organisation, Role, user_state_ids
from councils.permissions import has_role_in

from .models import CouncilDocument

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


# Access ------------------------------------------------------------------------------------


def get_council_space(user: User | AnonymousUser, pk: int) -> Organisation:
    """A municipal council of the user's state networks; 404 for any other organisation."""
    council = (
        Organisation.objects.visible_to(user)
        .councils()
        .select_related("state", "region")
        .filter(pk=pk)
        .first()
    )
    if council is None:
        raise Http404
    return council


def get_public_council(pk: int) -> Organisation:
    """A council of the public directory (active, in an active state); 404 otherwise."""
    council = Organisation.objects.public_directory().select_related("state").filter(pk=pk).first()
    if council is None:
        raise Http404
    return council


def is_in_network(user: User | AnonymousUser, council: Organisation) -> bool:
    """Whether the user opens the council's space (a seat in its state, or a platform admin)."""
    state_ids = user_state_ids(user)
    return state_ids is None or council.state_id in state_ids


def can_keep_documents(user: User | AnonymousUser, council: Organisation) -> bool:
    """Whether the user uploads, replaces and deletes the council's documents."""
    return has_role_in(user, council.pk, Role.COUNCIL_COORDINATOR)


def get_document_for_user(
    user: User | AnonymousUser, council: Organisation, pk: int, *, keep: bool = False
) -> CouncilDocument:
    """A document of the council the user may see (else 404); with keep, 403 unless they keep it."""
    document = CouncilDocument.objects.visible_to(user).filter(council=council, pk=pk).first()
    if document is None:
        raise Http404
    if keep and not can_keep_documents(user, council):
        raise PermissionDenied
    document.council = council
    return document


def get_public_document(council: Organisation, pk: int) -> CouncilDocument:
    """A public document of the council; 404 for any other."""
    document = CouncilDocument.objects.public().filter(council=council, pk=pk).first()
    if document is None:
        raise Http404
    document.council = council
    return document


# Writes ------------------------------------------------------------------------------------


def _require_keeper(by: User, council: Organisation) -> None:
    if not council.is_council or not can_keep_documents(by, council):
        raise PermissionDenied


@contextmanager
def _new_file(document: CouncilDocument, upload: Any, kind: FileKind) -> Iterator[None]:
    """Store the checked upload for the document; if saving the row fails, remove it again.

    The uploaded (cleaned) name is kept for display; the storage name is generated.
    """
    document.kind = kind.code
    document.original_name = upload.name
    document.size = upload.size or 0
    document.file.save(upload.name, upload, save=False)
    try:
        yield
    except BaseException:
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise


def _delete_file_on_commit(storage: Storage, name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def document_upload(
    *,
    council: Organisation,
    by: User,
    title: str,
    description: str,
    visibility: str,
    upload: Any,
    kind: FileKind,
) -> CouncilDocument:
    """Store a checked file (``core.uploads.check_upload``) as a document of the council."""
    _require_keeper(by, council)
    document = CouncilDocument(
        council=council,
        title=title,
        description=description,
        visibility=visibility,
        uploaded_by=by,
        updated_by=by,
    )
    with transaction.atomic(), _new_file(document, upload, kind):
        document.save()
    return document


def document_update(
    *,
    document: CouncilDocument,
    by: User,
    title: str,
    description: str,
    visibility: str,
    upload: Any = None,
    kind: FileKind | None = None,
) -> CouncilDocument:
    """Change the title, description and visibility; with an upload, replace the file."""
    _require_keeper(by, document.council)
    fields = ["title", "description", "visibility", "updated_by", "updated_at"]
    document.title, document.description, document.visibility = title, description, visibility
    document.updated_by = by
    if upload is None or kind is None:
        with transaction.atomic():
            document.save(update_fields=fields)
        return document
    old_name = document.file.name
    with transaction.atomic(), _new_file(document, upload, kind):
        document.save(update_fields=[*fields, "file", "original_name", "kind", "size"])
        _delete_file_on_commit(document.file.storage, old_name)
    return document


def document_delete(*, document: CouncilDocument, by: User) -> None:
    """Delete the document; its file leaves the storage when the deletion has committed."""
    _require_keeper(by, document.council)
    with transaction.atomic():
        name, storage = document.file.name, document.file.storage
        document.delete()
        _delete_file_on_commit(storage, name)
