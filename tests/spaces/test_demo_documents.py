"""The demo documents: real PDFs, every visibility, the Rostock council among them, idempotent."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.conf import settings
from pypdf import PdfReader

from councils.demo import seed_demo_network
from councils.demo.data import ROSTOCK
from spaces import demo_documents
from spaces.models import CouncilDocument, DocumentVisibility

pytestmark = pytest.mark.django_db


def test_the_demo_documents_are_real_pdfs_and_seeded_once() -> None:
    assert "spaces.demo_documents.seed" in settings.DEMO_SEEDERS
    seed_demo_network(password="demo")
    out = StringIO()
    demo_documents.seed(stdout=out)
    assert f"Demo documents created: {ROSTOCK}, 4 documents" in out.getvalue()

    rostock = {d.title: d for d in CouncilDocument.objects.filter(council__name=ROSTOCK)}
    assert rostock["Geschäftsordnung des Präventionsrats"].visibility == DocumentVisibility.MEMBERS
    assert rostock["Kriminologische Regionalanalyse 2025"].visibility == DocumentVisibility.MEMBERS
    assert rostock["Handlungskonzept Verkehrssicherheit"].visibility == DocumentVisibility.STATE
    report = rostock["Jahresbericht 2025"]
    assert report.visibility == DocumentVisibility.PUBLIC
    assert report.uploaded_by is not None and report.uploaded_by.username == "rostock-koordination"
    with report.file.open("rb") as handle:
        text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
    assert "Jahresbericht 2025" in text and "Präventionsrat Landkreis Rostock" in text
    assert {d.kind for d in CouncilDocument.objects.all()} == {"pdf"}
    assert set(CouncilDocument.objects.values_list("visibility", flat=True)) == set(
        DocumentVisibility.values
    )

    before = CouncilDocument.objects.count()
    again = StringIO()
    demo_documents.seed(stdout=again)
    assert CouncilDocument.objects.count() == before == 10
    assert again.getvalue() == ""
