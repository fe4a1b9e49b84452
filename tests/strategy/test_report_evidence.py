"""Evidence files are served only through an access-checked view, never from a public URL."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from strategy.models import MeasureStatus, ProgressReport
from tests.conftest import World

from .factories import strategy_world

pytestmark = pytest.mark.django_db


def _report(world: World, *, evidence: bool = True) -> ProgressReport:
    measure = strategy_world(world).measure
    return ProgressReport.objects.create(
        measure=measure,
        organisation=world.council,
        percent=40,
        status=MeasureStatus.RUNNING,
        text="Zwei von fünf Terminen",
        evidence=SimpleUploadedFile("nachweis.pdf", b"%PDF-1.4 Nachweis") if evidence else "",
    )


def test_a_member_of_the_state_downloads_the_evidence(world: World) -> None:
    report = _report(world)
    response = world.client("member").get(reverse("strategy:report_evidence", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 Nachweis"


def test_another_state_gets_404(world: World) -> None:
    report = _report(world)
    url = reverse("strategy:report_evidence", args=[report.pk])
    assert world.client("other_state_coordinator").get(url).status_code == 404


def test_a_report_without_evidence_is_404(world: World) -> None:
    report = _report(world, evidence=False)
    url = reverse("strategy:report_evidence", args=[report.pk])
    assert world.client("state_staff").get(url).status_code == 404


def test_anonymous_is_sent_to_the_login(world: World) -> None:
    report = _report(world)
    response = world.client("anonymous").get(reverse("strategy:report_evidence", args=[report.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_post_is_not_allowed(world: World) -> None:
    report = _report(world)
    url = reverse("strategy:report_evidence", args=[report.pk])
    assert world.client("state_staff").post(url).status_code == 405


def test_the_report_list_links_the_protected_download(world: World) -> None:
    report = _report(world)
    response = world.client("coordinator").get(
        reverse("strategy:report_list", args=[report.measure_id])
    )
    assert reverse("strategy:report_evidence", args=[report.pk]) in response.content.decode()
    assert "/media/" not in response.content.decode()
