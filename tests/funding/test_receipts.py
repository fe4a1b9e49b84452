"""Proof of use with receipts: files beside the list, dates within the project period (or the
programme's tolerance), deviations from the cost plan flagged, downloads only for readers."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funding import formatting, payments
from funding.models import FundingRequest, Programme, ProofOfUse, Receipt
from tests.conftest import World
from tests.funding.access_money import other_approved, receipt, started, submitted_proof
from tests.funding.factories import FundingWorld, funding_world

from .test_proof import _post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


def _edit_url(request: FundingRequest) -> str:
    return reverse("funding:proof_edit", kwargs={"pk": request.pk})


def _set_tolerance(request: FundingRequest, days: int) -> None:
    Programme.objects.filter(pk=request.programme_id).update(receipt_tolerance_days=days)
    request.refresh_from_db()


def _page(world: World, role: str, url: str) -> str:
    """The page's HTML with plain spaces (numbers carry no-break spaces)."""
    response = world.client(role).get(url)
    assert response.status_code == 200
    return response.content.decode().replace("\xa0", " ").replace("&nbsp;", " ")


def percent(value: Decimal) -> str:
    return formatting.percent(value).replace("\xa0", " ")


def _day(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


# Dates -----------------------------------------------------------------------------------------


def test_a_receipt_before_the_project_is_refused_at_the_field(
    world: World, fw: FundingWorld
) -> None:
    request = started(fw.approved)
    assert request.start_date is not None and request.end_date is not None
    before = request.start_date - datetime.timedelta(days=1)
    response = world.client("coordinator").post(
        _edit_url(request), _post_data(**{"receipts-0-date": before.isoformat()})
    )
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors["date"]
    assert errors == [
        "Das Belegdatum muss im Projektzeitraum "
        f"({_day(request.start_date)} – {_day(request.end_date)}) liegen."
    ]
    assert not ProofOfUse.objects.filter(request=request).exists()


def test_the_programmes_tolerance_widens_the_period(world: World, fw: FundingWorld) -> None:
    request = started(fw.approved)
    assert request.start_date is not None and request.end_date is not None
    _set_tolerance(request, 5)
    client = world.client("coordinator")
    inside = request.start_date - datetime.timedelta(days=5)
    response = client.post(
        _edit_url(request), _post_data(**{"receipts-0-date": inside.isoformat()})
    )
    assert response.status_code == 302
    assert Receipt.objects.get(proof__request=request).date == inside
    outside = request.start_date - datetime.timedelta(days=6)
    response = client.post(
        _edit_url(request), _post_data(**{"receipts-0-date": outside.isoformat()})
    )
    assert response.status_code == 200
    assert "oder höchstens 5 Tage davor oder danach liegen" in str(
        response.context["formset"].forms[0].errors["date"]
    )


def test_the_service_refuses_a_receipt_after_the_period(world: World, fw: FundingWorld) -> None:
    request = started(fw.approved)
    assert request.end_date is not None
    late = receipt()
    late.date = request.end_date + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="Projektzeitraum"):
        payments.proof_save(
            request=request,
            by=world.users["coordinator"],
            report="Bericht",
            actual_own_contribution=Decimal("200"),
            actual_third_party_funds=Decimal("0"),
            participants=None,
            receipts=[late],
        )


# Files -----------------------------------------------------------------------------------------


def _with_file(name: str, content: bytes = b"%PDF-1.4 Beleg", **overrides: Any) -> dict[str, Any]:
    return {**_post_data(**overrides), "receipts-0-file": SimpleUploadedFile(name, content)}


def test_a_receipt_file_is_stored_and_kept_on_the_next_save(world: World, fw: FundingWorld) -> None:
    request = started(fw.approved)
    client = world.client("coordinator")
    assert client.post(_edit_url(request), _with_file("rechnung.pdf")).status_code == 302
    saved = Receipt.objects.get(proof__request=request)
    assert saved.file.name.endswith(".pdf")
    page = client.get(_edit_url(request)).content.decode()
    assert 'enctype="multipart/form-data"' in page and "rechnung" in page
    # Saving again without a new file keeps the stored one.
    data = _post_data(**{"receipts-0-receipt_id": str(saved.pk), "receipts-0-payee": "Verein Nord"})
    assert client.post(_edit_url(request), data).status_code == 302
    again = Receipt.objects.get(proof__request=request)
    assert again.payee == "Verein Nord" and again.file.name == saved.file.name


def test_another_proofs_file_cannot_be_claimed(world: World, fw: FundingWorld) -> None:
    """A forged receipt id of another request's receipt hands over no file."""
    other = submitted_proof(
        other_approved(world),
        world.users["other_state_coordinator"],
        world.users["other_state_admin"],
    )
    foreign = other.proof.receipts.first()
    assert foreign is not None
    foreign.file.save("fremd.pdf", ContentFile(b"%PDF-1.4"), save=True)
    request = started(fw.approved)
    data = _post_data(**{"receipts-0-receipt_id": str(foreign.pk)})
    assert world.client("coordinator").post(_edit_url(request), data).status_code == 302
    assert Receipt.objects.get(proof__request=request).file.name == ""


def test_a_receipt_file_of_another_type_is_refused(world: World, fw: FundingWorld) -> None:
    request = started(fw.approved)
    response = world.client("coordinator").post(_edit_url(request), _with_file("beleg.exe"))
    assert response.status_code == 200
    assert "Laden Sie eine Datei dieser Arten hoch: PDF, JPG, PNG, GIF, WebP." in str(
        response.context["formset"].forms[0].errors["file"]
    )
    assert not Receipt.objects.filter(proof__request=request).exists()


def test_a_receipt_that_is_html_named_pdf_is_refused(world: World, fw: FundingWorld) -> None:
    """The receipt is checked by its content, not by its name."""
    request = started(fw.approved)
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    response = world.client("coordinator").post(_edit_url(request), _with_file("beleg.pdf", html))
    assert response.status_code == 200
    assert "„beleg.pdf“ enthält HTML oder SVG; solche Dateien werden nicht angenommen." in str(
        response.context["formset"].forms[0].errors["file"]
    )
    assert not Receipt.objects.filter(proof__request=request).exists()


# Deviations ------------------------------------------------------------------------------------


def _proof_with(world: World, request: FundingRequest, *receipts: Any) -> ProofOfUse:
    return payments.proof_save(
        request=request,
        by=world.users["coordinator"],
        report="Bericht",
        actual_own_contribution=Decimal("200"),
        actual_third_party_funds=Decimal("0"),
        participants=10,
        receipts=list(receipts),
    )


def test_deviations_over_the_programmes_share_are_flagged(world: World, fw: FundingWorld) -> None:
    # The plan: 1.000,00 € fees. Receipts: 1.250,00 € fees (25 %) and unplanned rooms.
    request = started(fw.approved)
    _proof_with(world, request, receipt("1250.00"), receipt("80.00", "rooms"))
    page = _page(world, "coordinator", _edit_url(request))
    assert 'id="deviations"' in page
    assert f"um mehr als {percent(Decimal('20.00'))} vom Kostenplan ab" in page
    assert f"Honorare und Gebühren: {percent(Decimal('25.00'))} mehr als geplant." in page
    assert "Räume und Verpflegung: nicht im Kostenplan" in page


def test_a_deviation_within_the_share_is_not_flagged(world: World, fw: FundingWorld) -> None:
    request = started(fw.approved)
    _proof_with(world, request, receipt("850.00"))  # 15 % less than planned
    page = _page(world, "coordinator", _edit_url(request))
    assert 'id="deviations"' not in page
    Programme.objects.filter(pk=request.programme_id).update(deviation_share=Decimal("10"))
    page = _page(world, "coordinator", _edit_url(request))
    assert f"Honorare und Gebühren: {percent(Decimal('15.00'))} weniger als geplant." in page


def test_staff_see_the_deviations_on_the_check_page(world: World, fw: FundingWorld) -> None:
    request = submitted_proof(fw.approved, world.users["coordinator"], world.users["state_staff"])
    page = _page(world, "state_staff", reverse("funding:proof_check", kwargs={"pk": request.pk}))
    assert 'id="deviations"' in page  # 500,00 € fees against 1.000,00 € planned, rooms unplanned
    detail = _page(world, "state_staff", reverse("funding:proof_detail", kwargs={"pk": request.pk}))
    assert f"{percent(Decimal('50.00'))} weniger als geplant" in detail
    assert "Räume und Verpflegung: nicht im Kostenplan" in detail


# Download --------------------------------------------------------------------------------------


def _receipt_url(world: World, request: FundingRequest, applicant: str, staff: str) -> str:
    request = submitted_proof(request, world.users[applicant], world.users[staff])
    first = request.proof.receipts.first()
    assert first is not None
    first.file.save("beleg.pdf", ContentFile(b"%PDF-1.4 Beleg"), save=True)
    return reverse("funding:receipt_download", kwargs={"pk": request.pk, "receipt_pk": first.pk})


def test_the_receipt_is_downloaded_only_by_the_proofs_readers(
    world: World, fw: FundingWorld
) -> None:
    url = _receipt_url(world, fw.approved, "coordinator", "state_staff")
    for role in ("coordinator", "member", "state_staff"):
        response = world.client(role).get(url)
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == b"%PDF-1.4 Beleg"  # type: ignore[attr-defined]
        assert "attachment" in response["Content-Disposition"]
    assert world.client("other_council_coordinator").get(url).status_code == 404
    assert world.client("other_state_admin").get(url).status_code == 404
    assert world.client("ngo_representative").get(url).status_code == 404
    anonymous = world.client("anonymous").get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_a_receipt_without_file_or_of_another_request_is_404(
    world: World, fw: FundingWorld
) -> None:
    url = _receipt_url(world, fw.approved, "coordinator", "state_staff")
    request = FundingRequest.objects.get(pk=fw.approved.pk)
    second = request.proof.receipts.exclude(file="").first()
    no_file = request.proof.receipts.filter(file="").first()
    assert second is not None and no_file is not None
    client = world.client("state_staff")
    missing = reverse(
        "funding:receipt_download", kwargs={"pk": request.pk, "receipt_pk": no_file.pk}
    )
    assert client.get(missing).status_code == 404
    # The receipt's id under another request of the same council is not found either.
    wrong = url.replace(f"/{request.pk}/", f"/{fw.submitted.pk}/")
    assert world.client("coordinator").get(wrong).status_code == 404
