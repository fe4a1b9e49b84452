"""Forms of a council's documents: upload, change or replace, and the list's filters."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.uploads import COUNCIL_DOCUMENTS, FileKind, check_upload, upload_help_text
from councils.filters import OrderingFilter

from ..models import CouncilDocument, DocumentVisibility
from ..models.documents import DOCUMENT_KINDS


def max_document_bytes() -> int:
    """The configured size limit of one council document."""
    return int(settings.COUNCIL_DOCUMENT_MAX_BYTES)


def _file_help() -> str:
    return str(upload_help_text(COUNCIL_DOCUMENTS, max_document_bytes()))


_file_help_lazy = lazy(_file_help, str)

VISIBILITY_HELP = _(
    "Members: only the people of this council. State network: everyone of the state's network, "
    "also other councils, the NGOs and the state office. Public: anyone, also without signing "
    "in; the document appears on the council's public page."
)


class DocumentForm(forms.Form):
    """A document's title, description and visibility, and its file (required when new)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"),
        choices=DocumentVisibility.choices,
        initial=DocumentVisibility.MEMBERS,
        widget=forms.RadioSelect,
        help_text=VISIBILITY_HELP,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_file_help_lazy(),
        widget=forms.FileInput(
            attrs={"accept": ",".join(ext for kind in DOCUMENT_KINDS for ext in kind.extensions)}
        ),
    )

    def __init__(self, *args: Any, replacing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The kind the uploaded file is by its content (set by ``clean_file``).
        self.file_kind: FileKind | None = None
        if replacing:
            field = self.fields["file"]
            field.required = False
            field.label = _("Replace the file (optional)")
            field.help_text = _("Leave empty to keep the current file. %(types)s") % {
                "types": _file_help()
            }

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        return title

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            self.file_kind = check_upload(upload, COUNCIL_DOCUMENTS, max_bytes=max_document_bytes())
        return upload


# The list's filters ----------------------------------------------------------------------


class _StableOrderingFilter(OrderingFilter):
    """The primary key as a tie-breaker, so documents of equal value never change pages."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.order_by(*[self.get_ordering_value(param) for param in value if param], "-pk")


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search (title, description, file name)"), method="search"
    )
    visibility = django_filters.ChoiceFilter(
        label=_("Visible to"), choices=DocumentVisibility.choices
    )
    kind = django_filters.ChoiceFilter(
        label=_("File type"), choices=[(kind.code, kind.label) for kind in DOCUMENT_KINDS]
    )
    o = _StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("uploaded_at", "uploaded"),
            ("title", "title"),
            ("kind", "type"),
            ("size", "size"),
        ),
        field_labels={
            "uploaded_at": _("Oldest first"),
            "-uploaded": _("Newest first"),
            "title": _("Title"),
            "kind": _("File type"),
            "size": _("Size"),
        },
    )

    class Meta:
        model = CouncilDocument
        fields: list[str] = []

    def search(
        self, queryset: QuerySet[CouncilDocument], name: str, value: str
    ) -> QuerySet[CouncilDocument]:
        query = Q()
        for word in value.split():
            query &= (
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(original_name__icontains=word)
            )
        return queryset.filter(query)


def filter_documents(
    queryset: QuerySet[CouncilDocument], data: QueryDict
) -> tuple[DocumentFilter, QuerySet[CouncilDocument], bool]:
    """The documents through the filter, and whether the query narrows them."""
    filterset = DocumentFilter(data or None, queryset=queryset)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, queryset.none(), True
    names = [name for name in filterset.filters if name != "o"]
    filtered = any(value.strip() for name in names for value in data.getlist(name))
    return filterset, filterset.qs, filtered
