"""Every upload form refuses a disguised file with a German message and saves nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from councils.models import Invitation
from exchange.models import ReportAttachment
from funding.models import Attachment, Programme
from strategy.models import MeasureStatus, ProgressReport, Strategy
from tests.conftest import World
from tests.core.test_uploads import ELF, HTML, PE, SVG
from tests.exchange.world_reports import exchange_world
from tests.funding.factories import funding_world
from tests.funding.test_programme_views import CREATE_URL, programme_data
from tests.strategy.factories import strategy_world

pytestmark = pytest.mark.django_db

MARKUP_DE = "enthält HTML oder SVG; solche Dateien werden nicht angenommen."


def german(world: World, role: str) -> Client:
    client = world.client(role)
    client.cookies["django_language"] = "de"
    return client


def page(response: Any) -> str:
    assert response.status_code == 200  # the form again, with its error
    return response.content.decode()


def test_a_funding_attachment_that_is_html_named_pdf(world: World) -> None:
    fw = funding_world(world)
    url = reverse("funding:request_step", kwargs={"pk": fw.draft.pk, "step": 6})
    response = german(world, "coordinator").post(
        url,
        {"title": "Angebot", "file": SimpleUploadedFile("angebot.pdf", HTML), "action": "upload"},
    )
    assert "„angebot.pdf“ " + MARKUP_DE in page(response)
    assert not Attachment.objects.filter(request=fw.draft).exists()


def test_a_programme_guideline_that_is_an_executable_named_pdf(world: World) -> None:
    count = Programme.objects.count()
    upload = SimpleUploadedFile("richtlinie.pdf", PE, "application/pdf")
    response = german(world, "state_staff").post(CREATE_URL, programme_data(guideline=upload))
    assert "„richtlinie.pdf“ ist keine echte PDF-Datei" in page(response)
    assert Programme.objects.count() == count


def test_an_exchange_report_attachment_that_is_svg_named_png(world: World) -> None:
    xw = exchange_world(world)
    url = reverse("exchange:report_attachments", kwargs={"pk": xw.draft.pk})
    response = german(world, "ngo_representative").post(
        url, {"title": "Logo", "file": SimpleUploadedFile("logo.png", SVG)}
    )
    assert "„logo.png“ " + MARKUP_DE in page(response)
    assert not ReportAttachment.objects.filter(report=xw.draft).exists()


def test_progress_evidence_that_is_an_elf_named_pdf(world: World) -> None:
    measure = strategy_world(world).measure
    url = reverse("strategy:report_create", kwargs={"pk": measure.pk})
    data = {"percent": "40", "status": MeasureStatus.RUNNING, "text": "Zwei Workshops gehalten."}
    response = german(world, "coordinator").post(
        url, {**data, "evidence": SimpleUploadedFile("nachweis.pdf", ELF)}
    )
    assert "„nachweis.pdf“ ist keine echte PDF-Datei" in page(response)
    assert not ProgressReport.objects.exists()


def test_a_strategy_import_that_is_html_named_csv(world: World) -> None:
    strategy_world(world)
    count = Strategy.objects.count()
    response = german(world, "state_staff").post(
        reverse("strategy:strategy_import"),
        {"title": "Neu", "audience": "ngos", "file": SimpleUploadedFile("s.csv", HTML)},
    )
    assert "„s.csv“ " + MARKUP_DE in page(response)
    assert Strategy.objects.count() == count
    assert response.context["form"].has_error("file", "markup")


def test_a_member_import_that_is_an_executable_named_csv(world: World) -> None:
    count = Invitation.objects.count()
    response = german(world, "state_admin").post(
        reverse("councils:member_import"), {"file": SimpleUploadedFile("mitglieder.csv", PE)}
    )
    assert "„mitglieder.csv“ ist keine Textdatei." in page(response)
    assert response.context["form"].has_error("file", "invalid_content")
    assert Invitation.objects.count() == count


@pytest.mark.parametrize(
    ("model", "field"), [(Programme, "guideline"), (ProgressReport, "evidence")]
)
def test_the_admin_checks_its_file_fields_by_content(world: World, model: Any, field: str) -> None:
    request = RequestFactory().get("/admin/")
    request.user = world.users["platform_admin"]
    form = admin.site._registry[model].get_form(request)
    with pytest.raises(ValidationError) as caught:
        form.base_fields[field].clean(SimpleUploadedFile("datei.pdf", HTML))
    with translation.override("de"):
        assert "„datei.pdf“ " + MARKUP_DE in caught.value.messages
