"""Council documents: upload, visibility, replace, delete and the downloads, also under attack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from spaces.models import CouncilDocument, DocumentVisibility
from tests.conftest import World
from tests.core.test_uploads import ELF, HTML, PE, SVG, compound_file, image, odf, ooxml
from tests.spaces.world_documents import PDF, documents_world, upload_document

pytestmark = pytest.mark.django_db


def list_url(council: Any) -> str:
    return reverse("spaces:document_list", kwargs={"council": council.pk})


def upload_url(council: Any) -> str:
    return reverse("spaces:document_upload", kwargs={"council": council.pk})


def doc_url(name: str, document: CouncilDocument, council: Any = None) -> str:
    council_pk = (council or document.council).pk
    return reverse(f"spaces:{name}", kwargs={"council": council_pk, "pk": document.pk})


def post_upload(client: Client, council: Any, name: str, content: bytes, **data: Any) -> Any:
    fields = {"title": "Jahresbericht 2025", "description": "", "visibility": "public"}
    fields.update(data)
    return client.post(upload_url(council), {**fields, "file": SimpleUploadedFile(name, content)})


def errors(response: Any) -> str:
    return " ".join(str(e) for field in response.context["form"].errors.values() for e in field)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


# Upload and download -------------------------------------------------------------------------


def test_the_coordinator_uploads_a_document_stored_under_a_generated_name(world: World) -> None:
    client = world.client("coordinator")
    response = post_upload(client, world.council, "Jahresbericht 2025.pdf", PDF)
    assert response.status_code == 302
    assert response["Location"] == list_url(world.council)
    document = CouncilDocument.objects.get()
    assert document.council == world.council
    assert document.uploaded_by == world.users["coordinator"]
    assert (document.kind, document.size) == ("pdf", len(PDF))
    assert document.original_name == "Jahresbericht 2025.pdf"
    stored = Path(document.file.name)
    assert stored.parent == Path(f"spaces/documents/{world.council.pk}")
    assert stored.suffix == ".pdf" and "Jahresbericht" not in stored.name
    assert len(stored.stem) == 32  # a random name, not the uploaded one

    page = client.get(list_url(world.council))
    assert "Jahresbericht 2025" in page.content.decode()
    download = client.get(doc_url("document_download", document))
    assert download.status_code == 200
    assert body(download) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert 'attachment; filename="Jahresbericht 2025.pdf"' in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("protokoll.docx", ooxml("word/document.xml"), "docx"),
        ("haushalt.xlsx", ooxml("xl/workbook.xml"), "xlsx"),
        ("vortrag.pptx", ooxml("ppt/presentation.xml"), "pptx"),
        ("bericht.odt", odf("application/vnd.oasis.opendocument.text"), "odt"),
        ("tabelle.ods", odf("application/vnd.oasis.opendocument.spreadsheet"), "ods"),
        ("folien.odp", odf("application/vnd.oasis.opendocument.presentation"), "odp"),
        ("alt.doc", compound_file("WordDocument"), "doc"),
        ("alt.xls", compound_file("Workbook"), "xls"),
        ("foto.png", image("PNG"), "png"),
        ("foto.jpg", image("JPEG"), "jpeg"),
    ],
)
def test_office_odf_and_image_files_are_accepted(
    world: World, name: str, content: bytes, kind: str
) -> None:
    response = post_upload(world.client("coordinator"), world.council, name, content)
    assert response.status_code == 302
    assert CouncilDocument.objects.get().kind == kind


def test_path_characters_never_reach_the_storage_or_the_download_name(world: World) -> None:
    client = world.client("coordinator")
    response = post_upload(client, world.council, "../../etc/passwd.pdf", PDF)
    assert response.status_code == 302
    document = CouncilDocument.objects.get()
    assert document.original_name == "passwd.pdf"
    assert ".." not in document.file.name and "etc" not in document.file.name
    assert document.file.name.startswith(f"spaces/documents/{world.council.pk}/")
    download = client.get(doc_url("document_download", document))
    assert 'filename="passwd.pdf"' in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bericht.pdf", HTML, "„bericht.pdf“ enthält HTML oder SVG"),
        ("logo.png", SVG, "„logo.png“ enthält HTML oder SVG"),
        ("tabelle.docx", HTML, "„tabelle.docx“ enthält HTML oder SVG"),
        ("programm.docx", PE, "„programm.docx“ ist keine echte DOCX-Datei"),
        ("programm.pdf", ELF, "„programm.pdf“ ist keine echte PDF-Datei"),
        ("scan.pdf", image("PNG"), "trägt die Endung einer PDF-Datei, ist aber eine PNG-Datei"),
        ("seite.html", HTML, "Laden Sie eine Datei dieser Arten hoch: PDF, ODT"),
        ("bild.svg", SVG, "Laden Sie eine Datei dieser Arten hoch"),
        ("animation.gif", image("GIF"), "Laden Sie eine Datei dieser Arten hoch"),
        (
            "makro.docx",
            ooxml("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
            "„makro.docx“ ist keine echte DOCX-Datei",
        ),
    ],
)
def test_disguised_files_are_refused_with_a_clear_german_message(
    world: World, name: str, content: bytes, message: str
) -> None:
    response = post_upload(world.client("coordinator"), world.council, name, content)
    assert response.status_code == 200
    assert message in errors(response)
    assert not CouncilDocument.objects.exists()
    # What the user typed stays in the form.
    assert 'value="Jahresbericht 2025"' in response.content.decode()


def test_an_oversized_file_is_refused_by_the_setting(world: World, settings: Any) -> None:
    settings.COUNCIL_DOCUMENT_MAX_BYTES = 1024 * 1024
    response = post_upload(
        world.client("coordinator"), world.council, "gross.pdf", PDF + b"0" * (1024 * 1024)
    )
    assert response.status_code == 200
    assert "Die Datei ist größer als 1 MB." in errors(response)
    assert "höchstens 1 MB" in response.content.decode()  # the help text names the limit
    assert not CouncilDocument.objects.exists()


def test_nul_bytes_in_the_title_or_description_are_refused(world: World) -> None:
    client = world.client("coordinator")
    response = post_upload(client, world.council, "a.pdf", PDF, title="Bericht\x00")
    assert response.status_code == 200
    assert "Nullzeichen sind nicht erlaubt." in errors(response)
    response = post_upload(client, world.council, "a.pdf", PDF, description="a\x00b")
    assert "Nullzeichen sind nicht erlaubt." in errors(response)
    assert not CouncilDocument.objects.exists()


def test_a_forged_visibility_is_refused(world: World) -> None:
    response = post_upload(
        world.client("coordinator"), world.council, "a.pdf", PDF, visibility="everyone"
    )
    assert response.status_code == 200
    assert "keine gültige Auswahl" in errors(response)
    assert not CouncilDocument.objects.exists()


# Another tenant's ids --------------------------------------------------------------------


@pytest.mark.parametrize("view", ["document_download", "document_edit", "document_delete"])
def test_another_councils_document_id_answers_404(world: World, view: str) -> None:
    docs = documents_world(world)
    client = world.client("coordinator")
    # Another state's document under the own council's address, and under its own.
    assert client.get(doc_url(view, docs.mv_public, world.council)).status_code == 404
    assert client.get(doc_url(view, docs.mv_public)).status_code == 404
    # A document of another council of the same state under the own council's address.
    other = upload_document(
        world.other_council, world.users["other_council_coordinator"], visibility="state"
    )
    assert client.get(doc_url(view, other, world.council)).status_code == 404


def test_the_public_download_serves_public_documents_only(world: World) -> None:
    docs = documents_world(world)
    anonymous = Client()
    assert anonymous.get(doc_url("public_document_download", docs.public)).status_code == 200
    for document in (docs.state, docs.members):
        assert anonymous.get(doc_url("public_document_download", document)).status_code == 404
    # Another council's public document under this council's public address.
    url = doc_url("public_document_download", docs.mv_public, world.council)
    assert anonymous.get(url).status_code == 404


def test_an_inactive_councils_documents_are_not_public(world: World) -> None:
    docs = documents_world(world)
    world.council.is_active = False
    world.council.save(update_fields=["is_active"])
    anonymous = Client()
    assert anonymous.get(doc_url("public_document_download", docs.public)).status_code == 404
    url = reverse("spaces:public_document_list", kwargs={"council": world.council.pk})
    assert anonymous.get(url).status_code == 404


# Visibility --------------------------------------------------------------------------------


def titles(client: Client, council: Any, query: str = "") -> list[str]:
    response = client.get(list_url(council) + query)
    assert response.status_code == 200
    return [d.title for d in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", {"members", "state", "public"}),
        ("member", {"members", "state", "public"}),
        ("platform_admin", {"members", "state", "public"}),
        ("state_admin", {"state", "public"}),
        ("state_staff", {"state", "public"}),
        ("ngo_representative", {"state", "public"}),
        ("other_council_coordinator", {"state", "public"}),
    ],
)
def test_each_person_sees_what_the_visibility_allows(
    world: World, role: str, expected: set[str]
) -> None:
    documents_world(world)
    shown = titles(world.client(role), world.council)
    assert {title.removeprefix("Dokument ") for title in shown} == expected


def test_the_public_list_shows_public_documents_to_anyone(world: World) -> None:
    docs = documents_world(world)
    url = reverse("spaces:public_document_list", kwargs={"council": world.council.pk})
    response = Client().get(url)
    assert [d.pk for d in response.context["page"].object_list] == [docs.public.pk]
    assert "Alle Dokumente des Rates" not in response.content.decode()
    response = world.client("member").get(url)
    assert "Alle Dokumente des Rates" in response.content.decode()


def test_only_the_coordinator_sees_the_keeping_buttons(world: World) -> None:
    documents_world(world)
    assert (
        "Dokument hochladen"
        in world.client("coordinator").get(list_url(world.council)).content.decode()
    )
    page = world.client("member").get(list_url(world.council)).content.decode()
    assert "Dokument hochladen" not in page and "Löschen" not in page
    assert (
        world.client("member")
        .post(upload_url(world.council), {"title": "x", "visibility": "public"})
        .status_code
        == 403
    )


def test_the_list_says_when_there_is_nothing_yet(world: World) -> None:
    page = world.client("coordinator").get(list_url(world.council)).content.decode()
    assert "Noch keine Dokumente" in page and "Erstes Dokument hochladen" in page
    page = world.client("member").get(list_url(world.council)).content.decode()
    assert "Der Rat hat noch keine Dokumente, die Sie sehen können." in page
    url = reverse("spaces:public_document_list", kwargs={"council": world.council.pk})
    assert "Keine öffentlichen Dokumente" in Client().get(url).content.decode()


def test_the_list_filters_sorts_and_pages(world: World) -> None:
    coordinator = world.users["coordinator"]
    upload_document(world.council, coordinator, title="Beta", visibility="public")
    upload_document(
        world.council, coordinator, title="Alpha", name="foto.png", content=image("PNG")
    )
    upload_document(world.council, coordinator, title="Gamma", description="Regionalanalyse")
    client = world.client("coordinator")
    assert titles(client, world.council) == ["Gamma", "Alpha", "Beta"]  # newest first
    assert titles(client, world.council, "?o=title") == ["Alpha", "Beta", "Gamma"]
    assert titles(client, world.council, "?visibility=public") == ["Beta"]
    assert titles(client, world.council, "?kind=png") == ["Alpha"]
    assert titles(client, world.council, "?q=regional") == ["Gamma"]
    # A forged filter value shows nothing, never more.
    assert titles(client, world.council, "?visibility=secret") == []
    page = client.get(list_url(world.council) + "?kind=gif").content.decode()
    assert "Kein Dokument entspricht diesen Filtern" in page


def test_the_list_pages_through_many_documents(world: World) -> None:
    for number in range(21):
        upload_document(world.council, world.users["coordinator"], title=f"Protokoll {number}")
    client = world.client("member")
    first = client.get(list_url(world.council))
    assert len(first.context["page"].object_list) == 20
    assert "Seite 1 von 2" in first.content.decode()
    assert titles(client, world.council, "?page=2") == ["Protokoll 0"]


def test_wrong_methods_answer_405(world: World) -> None:
    docs = documents_world(world)
    client = world.client("coordinator")
    assert client.post(list_url(world.council)).status_code == 405
    assert client.post(doc_url("document_download", docs.members)).status_code == 405
    assert Client().post(doc_url("public_document_download", docs.public)).status_code == 405


# Replace and delete ------------------------------------------------------------------------


def test_the_coordinator_changes_and_replaces_a_document(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    document = documents_world(world).members
    old_name = document.file.name
    client = world.client("coordinator")
    url = doc_url("document_edit", document)
    page = client.get(url).content.decode()
    assert "Datei ersetzen (optional)" in page and 'value="Dokument members"' in page

    # Without a file only the details change.
    response = client.post(
        url, {"title": "Geschäftsordnung", "description": "Fassung 2024", "visibility": "state"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.visibility) == ("Geschäftsordnung", "state")
    assert document.file.name == old_name

    # A disguised replacement is refused and the old file stays.
    response = client.post(
        url,
        {
            "title": "Geschäftsordnung",
            "visibility": "state",
            "file": SimpleUploadedFile("neu.pdf", HTML),
        },
    )
    assert "enthält HTML oder SVG" in errors(response)
    document.refresh_from_db()
    assert document.file.name == old_name

    replacement = ooxml("word/document.xml")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "title": "Geschäftsordnung",
                "visibility": "state",
                "file": SimpleUploadedFile("Geschäftsordnung 2026.docx", replacement),
            },
        )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.kind, document.original_name) == ("docx", "Geschäftsordnung 2026.docx")
    assert document.file.name != old_name and document.file.name.endswith(".docx")
    assert document.updated_by == world.users["coordinator"]
    assert not default_storage.exists(old_name)
    assert body(client.get(doc_url("document_download", document))) == replacement


def test_the_coordinator_deletes_after_confirming(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    document = documents_world(world).state
    name = document.file.name
    client = world.client("coordinator")
    url = doc_url("document_delete", document)
    page = client.get(url).content.decode()
    assert "Möchten Sie das Dokument „Dokument state“" in page
    assert CouncilDocument.objects.filter(pk=document.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == list_url(world.council)
    assert not CouncilDocument.objects.filter(pk=document.pk).exists()
    assert not default_storage.exists(name)


def test_others_may_not_change_or_delete(world: World) -> None:
    document = documents_world(world).state
    for role in ("member", "state_staff", "other_council_coordinator", "platform_admin"):
        client = world.client(role)
        assert client.post(doc_url("document_delete", document)).status_code == 403
        data = {"title": "Gekapert", "visibility": "public"}
        assert client.post(doc_url("document_edit", document), data).status_code == 403
    document.refresh_from_db()
    assert document.title == "Dokument state"
    assert document.visibility == DocumentVisibility.STATE


def test_a_failed_save_leaves_no_file_behind(world: World, monkeypatch: Any) -> None:
    stored: list[str] = []

    def fail(self: CouncilDocument, *args: Any, **kwargs: Any) -> None:
        stored.append(self.file.name)
        raise RuntimeError("database gone")

    monkeypatch.setattr(CouncilDocument, "save", fail)
    with pytest.raises(RuntimeError):
        upload_document(world.council, world.users["coordinator"])
    assert stored and not default_storage.exists(stored[0])
