"""The upload check: files are accepted by their content and name, never by the name alone."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation
from openpyxl import Workbook
from PIL import Image

from core import uploads
from core.uploads import (
    COUNCIL_DOCUMENTS,
    CSV_IMPORT,
    DOCUMENTS,
    RECEIPTS,
    UploadValidator,
    check_upload,
    clean_file_name,
)

# Real small samples of every accepted kind ---------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def image(format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(buffer, format=format)
    return buffer.getvalue()


OOXML_MAIN_TYPES = {
    "word/document.xml": "wordprocessingml.document.main+xml",
    "xl/workbook.xml": "spreadsheetml.sheet.main+xml",
    "ppt/presentation.xml": "presentationml.presentation.main+xml",
}


def ooxml(main_part: str, content_type: str | None = None) -> bytes:
    """A minimal OOXML package whose ``[Content_Types].xml`` names its main part."""
    content_type = content_type or (
        "application/vnd.openxmlformats-officedocument." + OOXML_MAIN_TYPES[main_part]
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{content_type}"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr(main_part, '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


def xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Posten", 100])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    return buffer.getvalue()


def compound_file(*streams: str) -> bytes:
    """A small OLE2 compound file (the container of DOC and XLS) with the named streams."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:28] = b"\x3e\x00\x03\x00"  # minor and major version 3
    header[28:30] = b"\xfe\xff"  # byte order
    header[30:32] = b"\x09\x00"  # 512-byte sectors
    header[32:34] = b"\x06\x00"  # 64-byte mini sectors
    directory = bytearray()
    for name, kind in (("Root Entry", 5), *((stream, 2) for stream in streams)):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry[0 : len(encoded)] = encoded
        entry[64:66] = len(encoded).to_bytes(2, "little")
        entry[66] = kind
        directory += entry
    directory += bytes(-len(directory) % 512)
    return bytes(header) + bytes(directory) + b"\x00" * 512


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "just a zip")
    return buffer.getvalue()


PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 46 + b"\x80\x00\x00\x00"
PE += b"\x00" * (0x80 - len(PE)) + b"PE\x00\x00\x4c\x01" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 40
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>\n"
)
CSV = "email;organisation;role\nanna@example.org;Präventionsrat Celle;council_member\n"

ACCEPTED = [
    ("richtlinie.pdf", PDF, "pdf"),
    ("foto.png", image("PNG"), "png"),
    ("foto.jpg", image("JPEG"), "jpeg"),
    ("foto.JPEG", image("JPEG"), "jpeg"),
    ("animation.gif", image("GIF"), "gif"),
    ("bild.webp", image("WEBP"), "webp"),
    ("bericht.docx", ooxml("word/document.xml"), "docx"),
    ("kosten.xlsx", xlsx(), "xlsx"),
    ("folien.pptx", ooxml("ppt/presentation.xml"), "pptx"),
    ("bericht.odt", odf("application/vnd.oasis.opendocument.text"), "odt"),
    ("kosten.ods", odf("application/vnd.oasis.opendocument.spreadsheet"), "ods"),
    ("folien.odp", odf("application/vnd.oasis.opendocument.presentation"), "odp"),
]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(name: str, content: bytes, kinds: Any = DOCUMENTS) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, content), kinds)
    return caught.value


@pytest.mark.parametrize(("name", "content", "code"), ACCEPTED)
def test_each_document_kind_is_accepted_by_its_content(
    name: str, content: bytes, code: str
) -> None:
    file = upload(name, content)
    assert check_upload(file, DOCUMENTS).code == code
    assert file.read() == content  # the check leaves the file at its start


def test_a_file_on_disk_is_checked_the_same_way() -> None:
    file = TemporaryUploadedFile("antrag.docx", "application/octet-stream", 0, None)
    content = ooxml("word/document.xml")
    file.write(content)
    file.size = len(content)
    assert check_upload(file, DOCUMENTS).code == "docx"
    file.close()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rechnung.pdf", PE),
        ("rechnung.pdf", ELF),
        ("foto.png", PE),
        ("bericht.docx", ELF),
    ],
)
def test_executables_under_a_document_name_are_refused(name: str, content: bytes) -> None:
    assert refusal(name, content).code == "invalid_content"


@pytest.mark.parametrize(
    ("name", "content"),
    [("seite.pdf", HTML), ("logo.png", SVG), ("logo.jpg", SVG), ("tabelle.docx", HTML)],
)
def test_html_and_svg_are_refused_whatever_their_name(name: str, content: bytes) -> None:
    error = refusal(name, content)
    assert error.code == "markup"
    with translation.override("de"):
        assert "enthält HTML oder SVG" in " ".join(error.messages)


@pytest.mark.parametrize("name", ["seite.html", "logo.svg", "programm.exe", "ohne_endung", "a.zip"])
def test_other_extensions_are_refused(name: str) -> None:
    error = refusal(name, PDF)
    assert error.code == "invalid_extension"
    with translation.override("de"):
        assert "Laden Sie eine Datei dieser Arten hoch: PDF, ODT" in " ".join(error.messages)


def test_a_plain_zip_is_no_office_document() -> None:
    assert refusal("bericht.docx", plain_zip()).code == "invalid_content"
    assert refusal("bericht.odt", plain_zip()).code == "invalid_content"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # Macro-enabled Word and Excel under the plain extension.
        (
            "bericht.docx",
            ooxml("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
        ),
        (
            "tabelle.xlsx",
            ooxml("xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
        ),
        # A container whose content types name no part it holds.
        (
            "bericht.docx",
            ooxml("word/document.xml").replace(b"word/document.xml", b"word/missing.xml", 1),
        ),
    ],
)
def test_an_ooxml_container_must_declare_its_main_part(name: str, content: bytes) -> None:
    assert refusal(name, content).code == "invalid_content"


def test_legacy_word_and_excel_files_are_known_by_their_streams() -> None:
    word, excel = compound_file("WordDocument", "1Table"), compound_file("Workbook")
    assert check_upload(upload("protokoll.doc", word), COUNCIL_DOCUMENTS).code == "doc"
    assert check_upload(upload("liste.xls", excel), COUNCIL_DOCUMENTS).code == "xls"
    assert check_upload(upload("alt.xls", compound_file("Book")), COUNCIL_DOCUMENTS).code == "xls"
    error = refusal("liste.xls", word, COUNCIL_DOCUMENTS)
    assert error.code == "extension_mismatch"
    # An installer or a mail message is a compound file too, but no document.
    assert refusal("setup.doc", compound_file("SummaryInformation"), COUNCIL_DOCUMENTS).code == (
        "invalid_content"
    )
    # The general document set keeps to the current formats.
    assert refusal("protokoll.doc", word).code == "invalid_extension"


def test_a_broken_zip_is_refused() -> None:
    assert refusal("bericht.docx", b"PK\x03\x04" + b"\x00" * 40).code == "invalid_content"


@pytest.mark.parametrize(
    ("name", "content", "detected"),
    [
        ("foto.png", PDF, "PDF"),
        ("scan.pdf", image("JPEG"), "JPG"),
        ("tabelle.xlsx", ooxml("word/document.xml"), "DOCX"),
        ("text.odt", odf("application/vnd.oasis.opendocument.spreadsheet"), "ODS"),
    ],
)
def test_the_extension_must_match_the_content(name: str, content: bytes, detected: str) -> None:
    error = refusal(name, content)
    assert error.code == "extension_mismatch"
    with translation.override("de"):
        assert f"ist aber eine {detected}-Datei" in " ".join(error.messages)


def test_receipts_are_pdf_or_pictures_only() -> None:
    assert check_upload(upload("beleg.jpg", image("JPEG")), RECEIPTS).code == "jpeg"
    assert refusal("beleg.docx", ooxml("word/document.xml"), RECEIPTS).code == "invalid_extension"


def test_the_size_limit_comes_from_the_settings(settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = len(PDF) - 1
    error = refusal("richtlinie.pdf", PDF)
    assert error.code == "too_large"
    settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    assert check_upload(upload("richtlinie.pdf", PDF), DOCUMENTS).code == "pdf"
    with translation.override("de"):
        error = refusal("gross.pdf", PDF + b"0" * (2 * 1024 * 1024))
        assert error.messages == ["Die Datei ist größer als 2 MB."]


def test_a_validator_may_set_its_own_limit() -> None:
    with pytest.raises(ValidationError) as caught:
        UploadValidator(DOCUMENTS, max_bytes=10)(upload("r.pdf", PDF))
    assert caught.value.code == "too_large"
    UploadValidator(DOCUMENTS)(upload("r.pdf", PDF))
    assert UploadValidator(DOCUMENTS) == UploadValidator(DOCUMENTS)


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system.ini.pdf", "system.ini.pdf"),
        ("C:\\Users\\anna\\Bericht 2026.pdf", "Bericht 2026.pdf"),
        ("bericht\x00.exe.pdf", "bericht_.exe.pdf"),
        (".htaccess", "htaccess"),
        ("a:b*c?.pdf", "a_b_c_.pdf"),
        ("/", "datei"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_file_names_lose_path_characters(name: str, clean: str) -> None:
    assert clean_file_name(name) == clean


def test_the_checked_upload_carries_the_clean_name() -> None:
    file = upload("x.pdf", PDF)
    file.name = "..\\..\\geheim\\antrag.pdf"
    check_upload(file, DOCUMENTS)
    assert file.name == "antrag.pdf"


# CSV imports ----------------------------------------------------------------------------------


def test_utf8_csv_is_accepted_also_with_a_bom() -> None:
    assert check_upload(upload("m.csv", CSV.encode()), CSV_IMPORT).code == "csv"
    assert check_upload(upload("m.csv", CSV.encode("utf-8-sig")), CSV_IMPORT).code == "csv"
    assert check_upload(upload("m.txt", CSV.encode()), CSV_IMPORT).code == "csv"


def test_a_csv_in_another_encoding_is_refused_in_german() -> None:
    error = refusal("m.csv", CSV.encode("latin-1"), CSV_IMPORT)
    assert error.code == "not_utf8"
    with translation.override("de"):
        assert "nicht UTF-8-kodiert" in " ".join(error.messages)


@pytest.mark.parametrize(
    ("content", "code"),
    [(PE, "invalid_content"), (ELF, "invalid_content"), (HTML, "markup"), (SVG, "markup")],
)
def test_binaries_and_markup_named_csv_are_refused(content: bytes, code: str) -> None:
    assert refusal("m.csv", content, CSV_IMPORT).code == code


def test_a_csv_with_nul_bytes_is_refused() -> None:
    assert refusal("m.csv", b"email;role\x00\nx;y\n", CSV_IMPORT).code == "invalid_content"


def test_a_pdf_is_no_csv_and_a_csv_no_document() -> None:
    assert refusal("m.pdf", CSV.encode(), CSV_IMPORT).code == "invalid_extension"
    assert refusal("m.csv", CSV.encode(), DOCUMENTS).code == "invalid_extension"


def test_the_help_text_names_kinds_and_limit(settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    with translation.override("de"):
        assert (
            str(uploads.upload_help_text(RECEIPTS)) == "PDF, JPG, PNG, GIF, WebP, höchstens 5 MB."
        )
    with translation.override("en"):
        assert str(uploads.upload_help_text(RECEIPTS)) == "PDF, JPG, PNG, GIF, WebP, at most 5 MB."
