"""Council documents on top of tests.conftest.World.

The first state's council (Hameln) and the second state's council (Rostock) each keep one
document of every visibility, uploaded by their coordinator through the service. Built when
first used and kept on the world, so a permission-matrix case pays only once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import COUNCIL_DOCUMENTS, check_upload
from councils.models import Organisation, User
from spaces import documents as services
from spaces.models import CouncilDocument, DocumentVisibility
from tests.conftest import World

#: A small, valid PDF.
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def upload_document(
    council: Organisation,
    by: User,
    *,
    title: str = "Geschäftsordnung",
    visibility: str = DocumentVisibility.MEMBERS,
    name: str = "geschaeftsordnung.pdf",
    content: bytes = PDF,
    description: str = "",
) -> CouncilDocument:
    """A document through the service, as the council's coordinator uploads it."""
    upload = SimpleUploadedFile(name, content)
    kind = check_upload(upload, COUNCIL_DOCUMENTS)
    return services.document_upload(
        council=council,
        by=by,
        title=title,
        description=description,
        visibility=visibility,
        upload=upload,
        kind=kind,
    )


@dataclass
class DocumentsWorld:
    members: CouncilDocument
    state: CouncilDocument
    public: CouncilDocument
    mv_members: CouncilDocument
    mv_state: CouncilDocument
    mv_public: CouncilDocument


def _three(council: Organisation, by: User) -> list[CouncilDocument]:
    return [
        upload_document(council, by, title=f"Dokument {visibility}", visibility=visibility)
        for visibility in (
            DocumentVisibility.MEMBERS,
            DocumentVisibility.STATE,
            DocumentVisibility.PUBLIC,
        )
    ]


def documents_world(w: World) -> DocumentsWorld:
    """The six documents of the world, made once."""
    cached: DocumentsWorld | None = getattr(w, "_documents", None)
    if cached is None:
        own = _three(w.council, w.users["coordinator"])
        other = _three(w.other_state_council, w.users["other_state_coordinator"])
        cached = DocumentsWorld(*own, *other)
        w._documents = cached  # type: ignore[attr-defined]
    return cached
