"""The decision letter is a complete Zuwendungsbescheid: authority, addresses, both amounts,
Nebenbestimmungen and the legal remedy note with the competent court and its seat."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from councils.models import Organisation, OrganisationKind
from funding import decisions, services
from funding.letters import letter_pdf, render_letter
from funding.models import Decision, FundingRequest, LetterKind
from tests.conftest import World

from .factories import advance, funding_world, make_draft

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    """The PDF's text on one line (WeasyPrint breaks lines where it likes)."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    return " ".join(text.replace("\xa0", " ").split())


def _set_up_authority(world: World) -> Organisation:
    office = world.office
    office.authority_name = "Niedersächsisches Justizministerium – Landespräventionsrat"
    office.street, office.postcode, office.city = "Am Waterlooplatz 5A", "30169", "Hannover"
    office.remedy_court = "Verwaltungsgericht Hannover"
    office.remedy_court_seat = "Leonhardtstraße 15, 30175 Hannover"
    office.save()
    return office


def _reduced(world: World) -> FundingRequest:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    fw = funding_world(world)
    draft = make_draft(fw.programme, world.council, coordinator, title="Kürzungsprojekt")
    services.request_update(
        request=draft,
        step=1,
        applicant_street="Rathausplatz 3",
        applicant_postcode="31785",
        applicant_city="Hameln",
        carrier_name="Sportverein Hameln e. V.",
        carrier_street="Am Stadion 2",
        carrier_postcode="31787",
        carrier_city="Hameln",
    )
    request = advance(draft, "review", applicant=coordinator, staff=staff)
    return decisions.request_decide(
        request=request,
        by=staff,
        decision=Decision.REDUCE,
        amount=Decimal("500.00"),
        justification="Die Honorarsätze übersteigen die Richtlinie.",
    )


def test_the_approval_letter_pdf_is_a_complete_bescheid(world: World) -> None:
    _set_up_authority(world)
    request = _reduced(world)
    programme = request.programme
    programme.conditions_name = "ANBest-P"
    programme.conditions_version = "Stand: 01.01.2023"
    programme.save()
    text = _text(letter_pdf(request, LetterKind.APPROVAL))
    # The authority's full name and address.
    assert "Niedersächsisches Justizministerium – Landespräventionsrat" in text
    assert "Am Waterlooplatz 5A" in text and "30169 Hannover" in text
    # The applicant's address and the carrier's.
    assert "Rathausplatz 3" in text and "31785 Hameln" in text
    assert "Sportverein Hameln e. V., Am Stadion 2, 31787 Hameln" in text
    # Both amounts, the reduction and why.
    assert "800,00 €" in text and "500,00 €" in text
    assert "um 300,00 € gekürzt" in text
    assert "Die Honorarsätze übersteigen die Richtlinie." in text
    # The Nebenbestimmungen by name and version, referenced (no file uploaded).
    assert "Die ANBest-P (Stand: 01.01.2023) sind Bestandteil dieses Bescheids." in text
    # The legal remedy note with the court and its seat.
    assert "Rechtsbehelfsbelehrung" in text
    assert "Verwaltungsgericht Hannover, Leonhardtstraße 15, 30175 Hannover" in text


def _conditions_pdf() -> bytes:
    from weasyprint import HTML

    html = "<p>ANBest-P Nummer 1: Anforderung und Verwendung der Zuwendung</p>"
    first = PdfReader(io.BytesIO(HTML(string=html).write_pdf()))
    writer = PdfWriter()
    writer.append(first)
    writer.append(first)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_uploaded_conditions_pdf_is_appended_to_the_approval(world: World) -> None:
    _set_up_authority(world)
    request = _reduced(world)
    programme = request.programme
    programme.conditions_name = "ANBest-P"
    programme.conditions_file.save("anbest-p.pdf", ContentFile(_conditions_pdf()), save=True)
    without = len(PdfReader(io.BytesIO(letter_pdf(request, LetterKind.REJECTION))).pages)
    pdf = letter_pdf(request, LetterKind.APPROVAL)
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = _text(pdf)
    assert "sind Bestandteil dieses Bescheids und als Anlage beigefügt" in text
    assert "Anlage: ANBest-P" in text
    assert "ANBest-P Nummer 1: Anforderung und Verwendung der Zuwendung" in text
    assert len(pages) >= without + 2


def test_an_unreadable_conditions_file_is_referenced_not_claimed_attached(world: World) -> None:
    request = _reduced(world)
    programme = request.programme
    programme.conditions_file.save("kaputt.pdf", ContentFile(b"not a pdf"), save=True)
    text = _text(letter_pdf(request, LetterKind.APPROVAL))
    assert "sind Bestandteil dieses Bescheids." in text
    assert "als Anlage beigefügt" not in text


def test_a_full_approval_names_no_reduction(world: World) -> None:
    _set_up_authority(world)
    fw = funding_world(world)
    _subject, body = render_letter(fw.approved, LetterKind.APPROVAL)
    assert "gekürzt" not in body
    assert "über 800,00 €" in body.replace("\xa0", " ")


def test_the_rejection_letter_names_the_court_and_the_authority(world: World) -> None:
    _set_up_authority(world)
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    fw = funding_world(world)
    request = advance(
        make_draft(fw.programme, world.council, coordinator, title="Abgelehnt"),
        "review",
        applicant=coordinator,
        staff=staff,
    )
    request = decisions.request_decide(
        request=request, by=staff, decision=Decision.REJECT, justification="Kein Bezug."
    )
    text = _text(letter_pdf(request, LetterKind.REJECTION))
    assert "Niedersächsisches Justizministerium – Landespräventionsrat" in text
    assert "Marktplatz 1" in text  # the council's address, taken into the request
    assert "Verwaltungsgericht Hannover, Leonhardtstraße 15, 30175 Hannover" in text


def test_without_a_court_the_letter_names_the_competent_court(world: World) -> None:
    fw = funding_world(world)
    _subject, body = render_letter(fw.approved, LetterKind.APPROVAL)
    assert "bei dem zuständigen Verwaltungsgericht" in body


def test_a_named_carrier_needs_its_address_to_submit(world: World) -> None:
    coordinator = world.users["coordinator"]
    fw = funding_world(world)
    draft = make_draft(fw.programme, world.council, coordinator, title="Mit Träger")
    assert services.submission_errors(draft) == {}
    draft = services.request_update(request=draft, step=1, carrier_name="Jugendhaus Nord")
    errors = services.submission_errors(draft)
    assert set(errors) == {"carrier_street", "carrier_postcode", "carrier_city"}
    draft = services.request_update(request=draft, step=1, applicant_street="")
    assert "applicant_street" in services.submission_errors(draft)


def test_a_request_starts_with_the_councils_address(world: World) -> None:
    fw = funding_world(world)
    assert (fw.draft.applicant_street, fw.draft.applicant_postcode) == ("Marktplatz 1", "31785")


def test_the_state_admin_keeps_the_authority_and_the_court_on_the_state_office(
    world: World,
) -> None:
    url = reverse("councils:organisation_edit", kwargs={"pk": world.office.pk})
    data = {
        "kind": OrganisationKind.STATE_OFFICE,
        "name": world.office.name,
        "email": "lpr@example.org",
        "street": "Am Waterlooplatz 5A",
        "postcode": "30169",
        "city": "Hannover",
        "authority_name": "Niedersächsisches Justizministerium – Landespräventionsrat",
        "remedy_court": "Verwaltungsgericht Hannover",
        "remedy_court_seat": "Leonhardtstraße 15, 30175 Hannover",
        "is_active": "on",
    }
    response = world.client("state_admin").post(url, data)
    assert response.status_code == 302
    world.office.refresh_from_db()
    assert world.office.remedy_court_seat == "Leonhardtstraße 15, 30175 Hannover"
    page = world.client("state_staff").get(world.office.get_absolute_url()).content.decode()
    assert "Verwaltungsgericht Hannover, Leonhardtstraße 15, 30175 Hannover" in page
    fw = funding_world(world)
    _subject, body = render_letter(fw.approved, LetterKind.APPROVAL)
    assert "bei dem Verwaltungsgericht Hannover, Leonhardtstraße 15, 30175 Hannover," in body


def test_only_the_state_office_keeps_court_fields(world: World) -> None:
    url = reverse("councils:organisation_edit", kwargs={"pk": world.council.pk})
    data = {
        "kind": OrganisationKind.MUNICIPAL_COUNCIL,
        "name": world.council.name,
        "region": world.council.region_id,
        "city": "Hameln",
        "remedy_court": "Verwaltungsgericht Irgendwo",
        "is_active": "on",
    }
    assert world.client("state_admin").post(url, data).status_code == 302
    world.council.refresh_from_db()
    assert world.council.remedy_court == ""


def test_staff_upload_the_programmes_conditions_as_pdf_only(world: World) -> None:
    from tests.funding.test_programme_views import edit_data
    from tests.funding.test_programme_views import edit_url as programme_edit_url

    programme = funding_world(world).programme
    client = world.client("state_staff")
    wrong = SimpleUploadedFile("anbest.docx", b"PK...", "application/octet-stream")
    response = client.post(
        programme_edit_url(programme),
        edit_data(programme, conditions_file=wrong, receipt_tolerance_days="7"),
    )
    assert response.status_code == 200
    assert "Laden Sie eine Datei dieser Arten hoch: PDF." in str(
        response.context["form"].errors["conditions_file"]
    )
    upload = SimpleUploadedFile("anbest-p.pdf", _conditions_pdf(), "application/pdf")
    response = client.post(
        programme_edit_url(programme),
        edit_data(
            programme,
            conditions_file=upload,
            conditions_version="Stand: 2024",
            receipt_tolerance_days="7",
            deviation_share="15,5",
        ),
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.conditions_file.name.endswith(".pdf")
    assert (programme.conditions_version, programme.receipt_tolerance_days) == ("Stand: 2024", 7)
    assert programme.deviation_share == Decimal("15.50")
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "jedem Zuwendungsbescheid als Anlage beigefügt" in html


def test_the_letter_is_german_whatever_language_the_staff_member_uses(world: World) -> None:
    """A Bescheid is a German act: amounts and words stay German when English is active."""
    from django.utils import translation

    _set_up_authority(world)
    request = _reduced(world)
    with translation.override("en"):
        text = _text(letter_pdf(request, LetterKind.APPROVAL))
    assert "800,00 €" in text and "500,00 €" in text
    assert "€800.00" not in text
    assert "Rechtsbehelfsbelehrung" in text
