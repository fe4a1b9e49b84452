"""The demo's projects: what councils and their local carriers apply for, with their cost plans."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile

from councils.models import Organisation
from councils.topics import Topic

from ..formatting import money
from ..models import ZERO, CostCategory

F, M, R, P, T = (
    CostCategory.FEES,
    CostCategory.MATERIAL,
    CostCategory.ROOMS,
    CostCategory.PUBLICITY,
    CostCategory.TRAVEL,
)


@dataclass(frozen=True)
class Project:
    title: str
    topic: str
    description: str
    aims: str
    target_group: str
    costs: tuple[tuple[str, str, str], ...]
    own: str
    third: str = "0"
    carrier: str = ""


#: Where the demo's local project carriers sit (in the applicant council's town).
CARRIER_STREETS = {
    "Seniorenbeirat der Stadt": "Rathausplatz 1",
    "Jugendhilfe Weserbergland e. V.": "Bahnhofstraße 12",
    "Opferhilfe vor Ort e. V.": "Lindenstraße 7",
}


def addresses(project: Project, council: Organisation) -> dict[str, str]:
    """The letter's address (the council's) and the carrier's, as a request stores them."""
    carrier = bool(project.carrier)
    return {
        "applicant_street": council.street,
        "applicant_postcode": council.postcode,
        "applicant_city": council.city,
        "carrier_street": CARRIER_STREETS.get(project.carrier, "Hauptstraße 1") if carrier else "",
        "carrier_postcode": council.postcode if carrier else "",
        "carrier_city": council.city if carrier else "",
    }


SMALL_PROJECTS = (
    Project(
        "Mitternachtssport in der Sporthalle Nord",
        Topic.YOUTH,
        "Freitags von 21 bis 24 Uhr offene Sporthalle mit Trainern und Streetworkern.",
        "Jugendlichen abends einen sicheren Treffpunkt bieten, Konflikte im Sport lösen.",
        "Jugendliche von 14 bis 21 Jahren",
        ((F, "Übungsleiter, 20 Abende", "720"), (R, "Hallennutzung und Getränke", "280")),
        "150",
    ),
    Project(
        "Elternabende „Sucht beginnt im Alltag“",
        Topic.ADDICTION,
        "Vier Elternabende an Grundschulen mit der Fachstelle für Suchtprävention.",
        "Eltern stärken, früh über Sucht und Medienkonsum zu sprechen.",
        "Eltern von Grundschulkindern",
        ((F, "Referentin der Fachstelle, 4 Abende", "560"), (P, "Einladungen und Flyer", "240")),
        "100",
    ),
    Project(
        "Sicher im Netz – Smartphone-Kurs für Senioren",
        Topic.CYBERCRIME,
        "Kurse zu Betrugsmaschen am Telefon und im Internet, mit der Polizei.",
        "Ältere Menschen erkennen Enkeltrick, Phishing und Schockanrufe.",
        "Menschen ab 65 Jahren",
        ((F, "Kursleitung, 6 Termine", "540"), (M, "Handouts in Großdruck", "210")),
        "90",
        carrier="Seniorenbeirat der Stadt",
    ),
    Project(
        "Einbruchschutz-Aktionstag im Quartier",
        Topic.BURGLARY,
        "Beratungsstand mit der Polizei, Musterfenster, Hausbesuche auf Anfrage.",
        "Bewohnerinnen und Bewohner sichern Fenster und Türen besser.",
        "Haushalte im Quartier",
        ((M, "Musterfenster und Infomaterial", "420"), (P, "Plakate und Anzeigen", "380")),
        "120",
    ),
)

LARGE_PROJECTS = (
    Project(
        "Anti-Gewalt-Training an Oberschulen",
        Topic.VIOLENCE,
        "Zweitägige Trainings für alle siebten Klassen, Fortbildung für Lehrkräfte.",
        "Gewalt an Schulen vorbeugen, Streitschlichtung verankern.",
        "Schülerinnen und Schüler der 7. Klassen, Lehrkräfte",
        (
            (F, "Trainerteam, 12 Schulklassen", "6200"),
            (T, "Fahrtkosten der Trainer", "480"),
            (M, "Arbeitsmaterial", "520"),
        ),
        "900",
        carrier="Jugendhilfe Weserbergland e. V.",
    ),
    Project(
        "Demokratiewerkstatt für Auszubildende",
        Topic.EXTREMISM,
        "Workshops an Berufsschulen zu Vorurteilen, Hassrede und Zivilcourage.",
        "Auszubildende erkennen extremistische Ansprache und widersprechen.",
        "Auszubildende an Berufsbildenden Schulen",
        ((F, "Workshopleitung, 16 Termine", "4800"), (R, "Räume und Verpflegung", "900")),
        "700",
        "500",
    ),
    Project(
        "Beratungsnetz gegen häusliche Gewalt bekannt machen",
        Topic.DOMESTIC_VIOLENCE,
        "Kampagne mit Plakaten, Apothekentüten und einem Fachtag für Hausärzte.",
        "Betroffene finden schneller Hilfe, Fachkräfte erkennen Warnzeichen.",
        "Betroffene, Hausarztpraxen, Apotheken",
        (
            (P, "Plakate, Tüten, Anzeigen", "3900"),
            (F, "Fachtag: Referierende", "1500"),
            (R, "Fachtag: Raum und Verpflegung", "800"),
        ),
        "800",
    ),
    Project(
        "Angsträume im Bahnhofsumfeld entschärfen",
        Topic.PUBLIC_SPACE,
        "Begehungen mit Anwohnenden, Beleuchtungskonzept, Beteiligungswerkstatt.",
        "Das Bahnhofsumfeld wird heller, belebter und als sicherer erlebt.",
        "Anwohnende, Pendlerinnen und Pendler",
        ((F, "Planungsbüro, Werkstatt", "7400"), (M, "Material und Dokumentation", "1100")),
        "1500",
    ),
    Project(
        "Opferhilfe-Lotsen im Landkreis",
        Topic.VICTIMS,
        "Ehrenamtliche Lotsinnen begleiten Betroffene zu Beratung, Polizei und Gericht.",
        "Betroffene von Straftaten erhalten früher Unterstützung.",
        "Betroffene von Straftaten",
        ((F, "Schulung der Lotsen", "2600"), (T, "Fahrtkosten der Ehrenamtlichen", "1400")),
        "600",
        carrier="Opferhilfe vor Ort e. V.",
    ),
    Project(
        "Begegnungscafé für Neuzugewanderte",
        Topic.INTEGRATION,
        "Wöchentliches Café mit Sprachpaten, Beratung und Informationen zu Rechten.",
        "Neuzugewanderte kennen Hilfsangebote und finden Kontakte.",
        "Neuzugewanderte und Nachbarschaft",
        ((R, "Raummiete und Verpflegung, 40 Termine", "2400"), (F, "Koordination", "1800")),
        "500",
    ),
)


def _pdf_text(line: str) -> bytes:
    """A PDF string literal of the line in the WinAnsi encoding of the standard fonts."""
    raw = line.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def receipt_scan(number: int, purpose: str, amount: Decimal) -> ContentFile[bytes]:
    """A one-page PDF standing in for the scanned receipt of a demo proof of use.

    Written directly: rendering HTML into a PDF would take longer than the file's history.
    """
    lines = [f"Rechnung {number}", purpose, f"Betrag: {money(amount)}", "Betrag dankend erhalten."]
    content = b"BT /F1 12 Tf 16 TL 72 770 Td " + b" ".join(_pdf_text(t) + b" '" for t in lines)
    content += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return ContentFile(bytes(pdf), name=f"Rechnung-{number}.pdf")


def requested(project: Project) -> Decimal:
    """What the project asks of the programme: its costs less own and third-party funds."""
    total = sum((Decimal(a) for _c, _t, a in project.costs), ZERO)
    return total - Decimal(project.own) - Decimal(project.third)
