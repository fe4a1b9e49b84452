"""The decision letter: made after the commit, with the amount and the applicant; downloads."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from funding.formatting import money
from funding.letters import render_letter
from funding.models import Decision, FundingRequest, Letter, LetterKind
from tests.conftest import World
from tests.funding.factories import FundingWorld, funding_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


def pdf_text(data: bytes) -> str | None:
    """The PDF's text with pdftotext or pypdf; None when neither is installed."""
    if shutil.which("pdftotext") or os.path.exists("/usr/bin/pdftotext"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(data)
            handle.flush()
            return subprocess.run(
                [shutil.which("pdftotext") or "/usr/bin/pdftotext", handle.name, "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
    try:
        from io import BytesIO

        from pypdf import PdfReader
    except ImportError:
        return None
    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages)


def download(world: World, role: str, letter: Letter) -> Any:
    return world.client(role).get(
        reverse("funding:letter_download", kwargs={"pk": letter.request_id, "letter_pk": letter.pk})
    )


def test_the_approval_letter_is_made_after_the_commit(
    world: World,
    fw: FundingWorld,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = world.client("state_staff")
    decide = reverse("funding:request_decide", kwargs={"pk": fw.in_review.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decide, {"decision": Decision.APPROVE, "step": "confirm", "confirm": "on"}
        )
    assert response.status_code == 302
    request = FundingRequest.objects.select_related("programme__state", "applicant").get(
        pk=fw.in_review.pk
    )
    letter = Letter.objects.get(request=request)
    assert letter.kind == LetterKind.APPROVAL

    response = download(world, "coordinator", letter)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")

    amount, applicant = money(request.approved_amount), request.applicant.name
    text = pdf_text(data)
    if text is None:  # no PDF text tool here: check the text the PDF is made from
        _subject, text = render_letter(request, LetterKind.APPROVAL)
    normalised = " ".join(text.replace("\N{NO-BREAK SPACE}", " ").split())
    assert amount.replace("\N{NO-BREAK SPACE}", " ") in normalised
    assert applicant in normalised  # the carrier (the council itself) and, in the PDF, the address


def test_the_letter_text_names_the_applicant_and_amount(fw: FundingWorld) -> None:
    request = FundingRequest.objects.select_related("programme__state", "applicant").get(
        pk=fw.approved.pk
    )
    _subject, body = render_letter(request, LetterKind.APPROVAL)
    assert money(request.approved_amount) in body
    # The applicant's name is the letter's address (and the carrier when it carries itself).
    assert request.applicant.name in body


def stored_letter(request: FundingRequest) -> Letter:
    letter = Letter(request=request, kind=LetterKind.APPROVAL)
    letter.file.save("Bescheid.pdf", ContentFile(b"%PDF-1.4 Bescheid"), save=True)
    return letter


def test_the_applicant_sees_the_letter_on_the_request_page(world: World, fw: FundingWorld) -> None:
    letter = stored_letter(fw.approved)
    link = reverse("funding:letter_download", kwargs={"pk": fw.approved.pk, "letter_pk": letter.pk})
    for role in ("coordinator", "member", "state_staff"):
        assert link in world.client(role).get(fw.approved.get_absolute_url()).content.decode()


def test_readers_download_and_others_get_404(world: World, fw: FundingWorld) -> None:
    letter = stored_letter(fw.approved)
    for role in ("coordinator", "member", "state_staff", "platform_admin"):
        assert download(world, role, letter).status_code == 200, role
    for role in ("other_council_coordinator", "other_state_admin", "ngo_representative"):
        assert download(world, role, letter).status_code == 404, role
    assert download(world, "anonymous", letter).status_code == 302


def test_a_letter_of_another_request_is_404(world: World, fw: FundingWorld) -> None:
    letter = stored_letter(fw.other_council_request)
    url = reverse("funding:letter_download", kwargs={"pk": fw.approved.pk, "letter_pk": letter.pk})
    assert world.client("coordinator").get(url).status_code == 404


def test_download_is_get_only(world: World, fw: FundingWorld) -> None:
    letter = stored_letter(fw.approved)
    url = reverse("funding:letter_download", kwargs={"pk": fw.approved.pk, "letter_pk": letter.pk})
    assert world.client("coordinator").post(url).status_code == 405
