"""Demo documents of a few councils: small real PDFs made with WeasyPrint.

Called by ``manage.py seed_demo`` through ``settings.DEMO_SEEDERS``. The Hameln-Pyrmont and
Landkreis Rostock councils keep their rules of procedure and criminological analysis for their
members, an action concept for the state network and a public annual report; Hildesheim has two
documents. Each is uploaded by the council's coordinator through the service (so the file is
checked and stored like any upload) and then dated back. Idempotent: a document is known by its
council and title.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from html import escape
from typing import TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from core.uploads import COUNCIL_DOCUMENTS, check_upload
from councils.demo.data import HAMELN, HILDESHEIM, ROSTOCK
from councils.models import Organisation, OrganisationKind, Role, User
from councils.permissions import people_with_role

from . import documents as services
from .models import CouncilDocument, DocumentVisibility

M, S, P = DocumentVisibility.MEMBERS, DocumentVisibility.STATE, DocumentVisibility.PUBLIC


@dataclass(frozen=True)
class DocumentData:
    title: str
    file_name: str
    visibility: str
    description: str
    #: Sections of the PDF: (heading, paragraph).
    sections: tuple[tuple[str, str], ...]
    #: How many days ago it was uploaded.
    age_days: int


def _common(place: str, chair: str) -> tuple[DocumentData, ...]:
    return (
        DocumentData(
            "Geschäftsordnung des Präventionsrats",
            "Geschaeftsordnung_Praeventionsrat.pdf",
            M,
            "Beschlossen in der konstituierenden Sitzung; regelt Vorsitz, Geschäftsstelle, "
            "Arbeitsgruppen und Beschlussfassung.",
            (
                (
                    "§ 1 Aufgaben",
                    f"Der Kommunale Präventionsrat {place} bündelt die Präventionsarbeit von "
                    "Verwaltung, Polizei, Schulen, Jugendhilfe, Verbänden und Kirchen. Er berät "
                    "über Schwerpunkte, regt Projekte an und koordiniert haupt- und "
                    "ehrenamtliche Arbeit.",
                ),
                (
                    "§ 2 Vorsitz und Geschäftsstelle",
                    f"Den Vorsitz führt {chair}. Die Geschäftsstelle bereitet die Sitzungen "
                    "vor, hält die Fäden zusammen und ist Ansprechstelle für Träger vor Ort.",
                ),
                (
                    "§ 3 Arbeitsgruppen",
                    "Für zeitlich befristete und thematisch begrenzte Aufgaben bildet der Rat "
                    "Arbeitsgruppen, die konkrete Handlungskonzepte erarbeiten.",
                ),
                (
                    "§ 4 Sitzungen und Beschlüsse",
                    "Der Rat tagt mindestens viermal im Jahr. Beschlüsse werden mit der "
                    "Mehrheit der anwesenden Mitglieder gefasst.",
                ),
            ),
            age_days=420,
        ),
        DocumentData(
            "Kriminologische Regionalanalyse 2025",
            "Kriminologische_Regionalanalyse_2025.pdf",
            M,
            "Auswertung der Polizeilichen Kriminalstatistik und einer Bürgerbefragung; "
            "Grundlage der Themenschwerpunkte.",
            (
                (
                    "Anlass und Methode",
                    "Die Analyse wertet die Polizeiliche Kriminalstatistik der Jahre 2021 bis "
                    "2024, Unfalldaten und eine Befragung von 1.200 Bürgerinnen und Bürgern aus.",
                ),
                (
                    "Ergebnisse",
                    "Auffällig sind Verkehrsunfälle junger Fahrerinnen und Fahrer, ein Anstieg "
                    "der Fälle häuslicher Gewalt (+ 8,5 %) und Betrugsdelikte zulasten älterer "
                    "Menschen. Das Sicherheitsgefühl ist insgesamt hoch.",
                ),
                (
                    "Empfohlene Schwerpunkte",
                    "Sicherheit im Straßenverkehr, Suchtprävention sowie Schutz vor Kriminalität "
                    "für Kinder, Jugendliche und ältere Menschen.",
                ),
            ),
            age_days=200,
        ),
        DocumentData(
            "Handlungskonzept Verkehrssicherheit",
            "Handlungskonzept_Verkehrssicherheit.pdf",
            S,
            "Ergebnis der Arbeitsgruppe Verkehrssicherheit; für die Räte des Landes zum "
            "Nachnutzen.",
            (
                (
                    "Ziel",
                    "Weniger Unfälle junger Fahrerinnen und Fahrer in den nächsten drei Jahren.",
                ),
                (
                    "Maßnahmen",
                    "Aktionstage an Berufsschulen, Fahrsicherheitstrainings mit der "
                    "Verkehrswacht und eine Kampagne zu Ablenkung durch das Smartphone.",
                ),
            ),
            age_days=90,
        ),
        DocumentData(
            "Jahresbericht 2025",
            "Jahresbericht_2025.pdf",
            P,
            "Was der Präventionsrat im Jahr 2025 angestoßen hat: Projekte, Präventionsforum, "
            "Arbeitsgruppen.",
            (
                (
                    "Das Jahr im Überblick",
                    "Der Rat tagte fünfmal, zwei Arbeitsgruppen legten Handlungskonzepte vor, "
                    "das jährliche Präventionsforum brachte 140 Akteure zusammen.",
                ),
                (
                    "Projekte",
                    "Gefördert wurden zwölf Kleinprojekte mit zusammen 18.450,00 € – von der "
                    "Elternarbeit an Grundschulen bis zur Seniorensicherheitsberatung.",
                ),
                (
                    "Ausblick",
                    "2026 stehen Suchtprävention und der Schutz älterer Menschen im Mittelpunkt.",
                ),
            ),
            age_days=20,
        ),
    )


PLANS: dict[str, tuple[DocumentData, ...]] = {
    HAMELN: _common("Hameln-Pyrmont", "die Erste Kreisrätin"),
    ROSTOCK: _common("des Landkreises Rostock", "die Dezernentin für Finanzen und Soziales"),
    HILDESHEIM: _common("Landkreis Hildesheim", "der Landrat")[::3],
}


@cache
def _pdf(council_name: str, data: DocumentData) -> bytes:
    """A small PDF of the document (WeasyPrint); made once per process, the demo reseeds often."""
    from weasyprint import HTML

    sections = "".join(
        f"<h2>{escape(heading)}</h2><p>{escape(text)}</p>" for heading, text in data.sections
    )
    html = (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        f"<title>{escape(data.title)}</title><style>"
        "@page { size: A4; margin: 2.5cm; } body { font-family: sans-serif; font-size: 11pt; }"
        "h1 { font-size: 18pt; } h2 { font-size: 13pt; margin-top: 1.2em; }"
        ".meta { color: #555; }</style></head><body>"
        f'<p class="meta">{escape(council_name)}</p><h1>{escape(data.title)}</h1>'
        f'<p class="meta">{escape(data.description)}</p>{sections}</body></html>'
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def _coordinator(council: Organisation) -> User | None:
    people = people_with_role(Role.COUNCIL_COORDINATOR, organisation=council)
    demo = people.filter(username__in=("kpr-koordination", "rostock-koordination")).first()
    return demo or people.order_by("pk").first()


def _seed_document(council: Organisation, by: User, data: DocumentData) -> bool:
    if CouncilDocument.objects.filter(council=council, title=data.title).exists():
        return False
    upload = SimpleUploadedFile(data.file_name, _pdf(council.name, data), "application/pdf")
    kind = check_upload(upload, COUNCIL_DOCUMENTS)
    document = services.document_upload(
        council=council,
        by=by,
        title=data.title,
        description=data.description,
        visibility=data.visibility,
        upload=upload,
        kind=kind,
    )
    moment = timezone.now() - datetime.timedelta(days=data.age_days)
    CouncilDocument.objects.filter(pk=document.pk).update(uploaded_at=moment, updated_at=moment)
    return True


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(f"{text}\n")


def seed(*, stdout: TextIO | None = None) -> None:
    """Create the demo documents that do not exist yet."""
    for name, plan in PLANS.items():
        council = Organisation.objects.filter(
            name=name, kind=OrganisationKind.MUNICIPAL_COUNCIL
        ).first()
        by = _coordinator(council) if council is not None else None
        if council is None or by is None:
            _say(stdout, f"Document demo skipped: {name} or its coordinator is missing.")
            continue
        with transaction.atomic():
            created = sum(_seed_document(council, by, data) for data in plan)
        if created:
            _say(stdout, f"Demo documents created: {council.name}, {created} documents")
