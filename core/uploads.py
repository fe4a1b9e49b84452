"""Uploaded files are checked by their content, not only by their name.

One place decides which files the portal accepts: named sets of kinds (``DOCUMENTS``, ``IMAGES``,
``RECEIPTS``, ``CSV_IMPORT``, ``COUNCIL_DOCUMENTS``), each kind with its extensions and how its
content is recognised: magic numbers through the ``filetype`` library; ODF by the ``mimetype``
entry of its zip container, OOXML by the main part its ``[Content_Types].xml`` declares (so a
macro-enabled or made-up container is refused); the legacy DOC and XLS by the streams of their
OLE2 compound file; CSV as UTF-8 text without NUL bytes. The extension must match the content,
HTML and SVG are refused whatever they are called, the size limit is ``settings.UPLOAD_MAX_BYTES``
(or the caller's ``max_bytes``) and file names lose every path character. Use
``UploadValidator(kinds)`` in a form field's ``validators`` or call ``check_upload(upload, kinds)``
in a ``clean_<field>``.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: How much of a file is read to recognise its kind (what ``filetype`` looks at).
HEAD_BYTES = 8192

#: Longest file name kept (the model fields store the path in 300 characters).
MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class FileKind:
    """A kind of file the portal accepts: its label, extensions and recognised content."""

    code: str
    label: str
    extensions: tuple[str, ...]
    is_text: bool = False


PDF = FileKind("pdf", "PDF", (".pdf",))
DOCX = FileKind("docx", "DOCX", (".docx",))
XLSX = FileKind("xlsx", "XLSX", (".xlsx",))
PPTX = FileKind("pptx", "PPTX", (".pptx",))
DOC = FileKind("doc", "DOC", (".doc",))
XLS = FileKind("xls", "XLS", (".xls",))
ODT = FileKind("odt", "ODT", (".odt",))
ODS = FileKind("ods", "ODS", (".ods",))
ODP = FileKind("odp", "ODP", (".odp",))
PNG = FileKind("png", "PNG", (".png",))
JPEG = FileKind("jpeg", "JPG", (".jpg", ".jpeg"))
GIF = FileKind("gif", "GIF", (".gif",))
WEBP = FileKind("webp", "WebP", (".webp",))
CSV = FileKind("csv", "CSV", (".csv", ".txt"), is_text=True)

#: The order in which kinds are named in messages and help texts.
ALL_KINDS: tuple[FileKind, ...] = (
    PDF,
    ODT,
    ODS,
    ODP,
    DOCX,
    XLSX,
    PPTX,
    DOC,
    XLS,
    JPEG,
    PNG,
    GIF,
    WEBP,
    CSV,
)

IMAGES = frozenset({PNG, JPEG, GIF, WEBP})
OFFICE_DOCUMENTS = frozenset({DOCX, XLSX, PPTX, ODT, ODS, ODP})
#: Attachments, guidelines, evidence: documents and pictures.
DOCUMENTS = frozenset({PDF}) | OFFICE_DOCUMENTS | IMAGES
#: Receipts of a proof of use: scans and PDFs.
RECEIPTS = frozenset({PDF}) | IMAGES
#: Files of the CSV imports.
CSV_IMPORT = frozenset({CSV})
#: Documents of a council's space: PDF, Office (also the legacy DOC and XLS), ODF, PNG and JPG.
COUNCIL_DOCUMENTS = frozenset({PDF, DOC, XLS, PNG, JPEG}) | OFFICE_DOCUMENTS

_BY_MIME = {
    "application/pdf": PDF,
    "image/png": PNG,
    "image/apng": PNG,
    "image/jpeg": JPEG,
    "image/gif": GIF,
    "image/webp": WEBP,
}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/vnd.oasis.opendocument.presentation": ODP,
}
#: The content type of the main part of each OOXML kind (macro-enabled variants are refused).
_OOXML_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
_CONTENT_TYPES_LIMIT = 256 * 1024
_OVERRIDE_TAG = re.compile(r"<(?:\w+:)?Override\b[^>]*>")
_PART_NAME = re.compile(r"""\bPartName\s*=\s*["']([^"']+)["']""")
_CONTENT_TYPE = re.compile(r"""\bContentType\s*=\s*["']([^"']+)["']""")
#: An OLE2 compound file (the container of DOC and XLS).
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The stream that makes a compound file a Word or an Excel document.
_CFB_STREAMS = (("WordDocument", DOC), ("Workbook", XLS), ("Book", XLS))
_CFB_ENTRY = 128

#: Markup a browser would render or run: never accepted, whatever the file is called.
_MARKUP = re.compile(rb"<\s*(?:!doctype\s+html|html|svg|script|iframe|object|embed)\b", re.I)
#: Characters that never belong in a stored file name.
_UNSAFE_NAME_CHARACTERS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def kinds_label(kinds: Iterable[FileKind]) -> str:
    """The kinds' labels in the portal's order, e.g. "PDF, DOCX, JPG"."""
    chosen = set(kinds)
    return ", ".join(kind.label for kind in ALL_KINDS if kind in chosen)


def max_upload_bytes() -> int:
    """The configured size limit of one uploaded file."""
    return int(settings.UPLOAD_MAX_BYTES)


def size_label(size: int) -> str:
    """A limit as people write it: "10 MB" for whole megabytes, else Django's file size."""
    mebibyte = 1024 * 1024
    if size >= mebibyte and size % mebibyte == 0:
        return f"{size // mebibyte} MB"
    return str(filesizeformat(size))


def _help_text(kinds: frozenset[FileKind], max_bytes: int | None = None) -> str:
    return gettext("%(types)s, at most %(size)s.") % {
        "types": kinds_label(kinds),
        "size": size_label(max_bytes or max_upload_bytes()),
    }


#: The help text of an upload field, e.g. ``upload_help_text(DOCUMENTS)`` (lazy, translated).
upload_help_text = lazy(_help_text, str)


def clean_file_name(name: str | None) -> str:
    """The last part of a file name without path or control characters ("datei" if none is left)."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name or ""))[-1]
    base = _UNSAFE_NAME_CHARACTERS.sub("_", base).strip(" ._")
    if not base:
        return "datei"
    if len(base) > MAX_NAME_LENGTH:
        path = PurePosixPath(base)
        suffix = path.suffix[:16]
        base = path.stem[: MAX_NAME_LENGTH - len(suffix)] + suffix
    return base


def _read_head(upload: Any, size: int = HEAD_BYTES) -> bytes:
    upload.seek(0)
    head: bytes = upload.read(size)
    upload.seek(0)
    return head


def _ooxml_kind(archive: zipfile.ZipFile, names: set[str]) -> FileKind | None:
    """The kind whose main part ``[Content_Types].xml`` declares and the container holds."""
    with archive.open("[Content_Types].xml") as entry:
        text = entry.read(_CONTENT_TYPES_LIMIT).decode("utf-8", "replace")
    for tag in _OVERRIDE_TAG.findall(text):
        part, content_type = _PART_NAME.search(tag), _CONTENT_TYPE.search(tag)
        if part is None or content_type is None:
            continue
        kind = _OOXML_MAIN_TYPES.get(content_type.group(1).strip().lower())
        if kind is not None and part.group(1).lstrip("/") in names:
            return kind
    return None


def _zip_kind(upload: IO[bytes]) -> FileKind | None:
    """An OOXML or ODF document by the entries of its zip container; None for a plain zip."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    return _ODF_MIMETYPES.get(entry.read(100).strip())
            if "[Content_Types].xml" in names:
                return _ooxml_kind(archive, names)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    return None


def _cfb_kind(upload: Any) -> FileKind | None:
    """A DOC or XLS by a directory entry of its compound file naming the document's stream.

    Directory entries are 128-byte records (UTF-16 name, its length, the entry type) aligned to
    128 bytes in the file; a stream entry named "WordDocument" or "Workbook" decides the kind.
    """
    wanted = [(name.encode("utf-16-le") + b"\x00\x00", kind) for name, kind in _CFB_STREAMS]
    upload.seek(0)
    try:
        while chunk := upload.read(_CFB_ENTRY * 8192):
            for offset in range(0, len(chunk) - _CFB_ENTRY + 1, _CFB_ENTRY):
                entry = chunk[offset : offset + _CFB_ENTRY]
                for name, kind in wanted:
                    if (
                        entry.startswith(name)
                        and int.from_bytes(entry[64:66], "little") == len(name)
                        and entry[66] == 2  # a stream, not a storage
                    ):
                        return kind
    finally:
        upload.seek(0)
    return None


def detect_kind(upload: Any) -> FileKind | None:
    """The binary kind the content of ``upload`` is (never a text kind), or None."""
    head = _read_head(upload)
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    if head.startswith(_CFB_MAGIC):
        return _cfb_kind(upload)
    guess = filetype.guess(head)
    return None if guess is None else _BY_MIME.get(guess.mime)


def looks_like_markup(data: bytes) -> bool:
    """Whether the bytes hold HTML, SVG or other markup a browser would render."""
    return _MARKUP.search(data) is not None


def _check_text(upload: Any, name: str, limit: int) -> None:
    upload.seek(0)
    raw: bytes = upload.read(limit + 1)
    upload.seek(0)
    if b"\x00" in raw:
        raise ValidationError(
            _("“%(name)s” is not a text file."), code="invalid_content", params={"name": name}
        )
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file is not UTF-8 encoded. Please save it as “CSV UTF-8”."), code="not_utf8"
        ) from exc
    if looks_like_markup(raw):
        raise ValidationError(
            _("“%(name)s” contains HTML or SVG; such files are not accepted."),
            code="markup",
            params={"name": name},
        )


def check_upload(
    upload: Any, kinds: Iterable[FileKind], *, max_bytes: int | None = None
) -> FileKind:
    """Refuse ``upload`` unless it is one of ``kinds`` by content and name; return its kind.

    Cleans the upload's name of path characters. Error codes: ``too_large``,
    ``invalid_extension``, ``extension_mismatch``, ``markup``, ``invalid_content``, ``not_utf8``.
    """
    allowed = frozenset(kinds)
    limit = max_bytes or max_upload_bytes()
    name = clean_file_name(upload.name)
    upload.name = name
    types = kinds_label(allowed)
    if (upload.size or 0) > limit:
        raise ValidationError(
            _("The file is larger than %(size)s."),
            code="too_large",
            params={"size": size_label(limit)},
        )
    extension = PurePosixPath(name).suffix.lower()
    expected = next((kind for kind in allowed if extension in kind.extensions), None)
    if expected is None:
        raise ValidationError(
            _("Upload a file of one of these types: %(types)s."),
            code="invalid_extension",
            params={"types": types},
        )
    if expected.is_text:
        _check_text(upload, name, limit)
        return expected
    detected = detect_kind(upload)
    if detected == expected:
        return detected
    if detected in allowed:
        raise ValidationError(
            _(
                "“%(name)s” has the extension of a %(expected)s file, "
                "but its content is a %(detected)s file."
            ),
            code="extension_mismatch",
            params={"name": name, "expected": expected.label, "detected": detected.label},
        )
    if detected is None and looks_like_markup(_read_head(upload)):
        raise ValidationError(
            _("“%(name)s” contains HTML or SVG; such files are not accepted."),
            code="markup",
            params={"name": name},
        )
    raise ValidationError(
        _("“%(name)s” is not a real %(expected)s file; allowed are: %(types)s."),
        code="invalid_content",
        params={"name": name, "expected": expected.label, "types": types},
    )


@deconstructible
class UploadValidator:
    """A field validator: ``forms.FileField(validators=[UploadValidator(DOCUMENTS)])``."""

    def __init__(self, kinds: Iterable[FileKind], max_bytes: int | None = None) -> None:
        self.kinds = frozenset(kinds)
        self.max_bytes = max_bytes

    def __call__(self, upload: Any) -> None:
        check_upload(upload, self.kinds, max_bytes=self.max_bytes)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UploadValidator)
            and self.kinds == other.kinds
            and self.max_bytes == other.max_bytes
        )

    def __hash__(self) -> int:
        return hash((self.kinds, self.max_bytes))


def checked_file_fields(kinds: Iterable[FileKind]) -> dict[type[models.Field[Any, Any]], Any]:
    """``ModelAdmin.formfield_overrides`` that check every file field of the admin by content."""
    return {models.FileField: {"validators": [UploadValidator(kinds)]}}
