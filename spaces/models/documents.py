"""Documents of a council's space: files with a title and a visibility, served only after a check.

A document is visible to the members of its council, to everyone of its state network, or to
anyone (public). The file is stored under a generated name (``spaces/documents/<council>/<random>
.<ext>``); the uploaded name, cleaned of path characters, is kept only for display and download.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import uploads
from councils.models import Organisation, OrganisationKind, user_state_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


class DocumentVisibility(models.TextChoices):
    MEMBERS = "members", _("Members of the council")
    STATE = "state", _("State network")
    PUBLIC = "public", _("Public")


#: The kinds a council may keep, in the order of the type filter, with their content types.
DOCUMENT_KINDS: tuple[uploads.FileKind, ...] = tuple(
    kind for kind in uploads.ALL_KINDS if kind in uploads.COUNCIL_DOCUMENTS
)
CONTENT_TYPES: dict[str, str] = {
    uploads.PDF.code: "application/pdf",
    uploads.DOCX.code: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    uploads.XLSX.code: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    uploads.PPTX.code: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    uploads.DOC.code: "application/msword",
    uploads.XLS.code: "application/vnd.ms-excel",
    uploads.ODT.code: "application/vnd.oasis.opendocument.text",
    uploads.ODS.code: "application/vnd.oasis.opendocument.spreadsheet",
    uploads.ODP.code: "application/vnd.oasis.opendocument.presentation",
    uploads.PNG.code: "image/png",
    uploads.JPEG.code: "image/jpeg",
}
_KINDS_BY_CODE = {kind.code: kind for kind in DOCUMENT_KINDS}


def document_upload_to(instance: CouncilDocument, filename: str) -> str:
    """A generated name: nothing of the uploaded name reaches the storage path."""
    kind = _KINDS_BY_CODE.get(instance.kind)
    extension = kind.extensions[0] if kind is not None else ""
    return f"spaces/documents/{instance.council_id}/{secrets.token_hex(16)}{extension}"


#: Public documents of active councils of active states: what anyone may read.
_PUBLIC = Q(
    visibility=DocumentVisibility.PUBLIC, council__is_active=True, council__state__is_active=True
)


class CouncilDocumentQuerySet(models.QuerySet["CouncilDocument"]):
    def visible_to(self, user: User | AnonymousUser) -> CouncilDocumentQuerySet:
        """Public documents; the state's for its network; all of a council for its members."""
        if not user.is_authenticated:
            return self.public()
        if user.is_superuser:
            return self.all()
        from councils.permissions import council_ids

        return self.filter(
            _PUBLIC
            | Q(visibility=DocumentVisibility.STATE, council__state_id__in=user_state_ids(user))
            | Q(council_id__in=council_ids(user))
        )

    def public(self) -> CouncilDocumentQuerySet:
        """The documents anyone may read, signed in or not (the council's public list)."""
        return self.filter(_PUBLIC)

    def for_table(self) -> CouncilDocumentQuerySet:
        """Everything a row of the list shows, joined in the one query of the page."""
        return self.select_related("uploaded_by", "updated_by")


class CouncilDocument(models.Model):
    """A file in a council's space; downloaded only through an access-checked view."""

    council = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="council_documents",
        limit_choices_to={"kind": OrganisationKind.MUNICIPAL_COUNCIL},
        verbose_name=_("council"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    visibility = models.CharField(
        _("visible to"),
        max_length=10,
        choices=DocumentVisibility.choices,
        default=DocumentVisibility.MEMBERS,
    )
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=uploads.MAX_NAME_LENGTH)
    kind = models.CharField(_("file type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = CouncilDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["council_id", "-uploaded_at", "-pk"]
        verbose_name = _("council document")
        verbose_name_plural = _("council documents")
        indexes = [models.Index(fields=["council", "visibility"], name="spaces_doc_council_vis")]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        """The file type as people name it ("PDF", "DOCX")."""
        kind = _KINDS_BY_CODE.get(self.kind)
        return kind.label if kind is not None else self.kind.upper()

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES.get(self.kind, "application/octet-stream")

    @property
    def is_public(self) -> bool:
        return self.visibility == DocumentVisibility.PUBLIC
