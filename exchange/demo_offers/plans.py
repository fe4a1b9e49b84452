"""The councils' demo requests for offers, and what became of each."""

from __future__ import annotations

from dataclasses import dataclass

from councils.demo.data import HAMELN, KPR, MV_OFFICE, NI_OFFICE, ROSTOCK

from ..models import OfferRequestStatus as RS
from .catalogue import MV_OFFERS, NI_OFFERS, OfferData


@dataclass(frozen=True)
class RequestData:
    council: str
    offer: str
    group: str
    status: str
    note: str = ""
    answer: str = ""
    rating: int | None = None
    comment: str = ""


STADT_OL = f"{KPR} Stadt Oldenburg"
LUENEBURG = f"{KPR} Hansestadt Lüneburg"
CELLE = f"{KPR} Landkreis Celle"
OSNABRUECK = f"{KPR} Stadt Osnabrück"
BRAUNSCHWEIG = f"{KPR} Stadt Braunschweig"
EMSLAND = f"{KPR} Landkreis Emsland"

NI_REQUESTS = (
    RequestData(
        HAMELN,
        "Vortrag: Was Opfer von Straftaten brauchen",
        "Sitzung des Präventionsrats, etwa 25 Mitglieder",
        RS.REQUESTED,
        "Gern mit Blick auf Betroffene von häuslicher Gewalt im ländlichen Raum.",
    ),
    RequestData(
        HAMELN,
        "Lehrkräftefortbildung Suchtprävention im Unterricht",
        "18 Lehrkräfte der Oberschulen im Landkreis",
        RS.DATE_PROPOSED,
        "Am liebsten an einem Mittwochnachmittag.",
        "An Ihrem Wunschtermin sind wir ausgebucht; der vorgeschlagene Termin wäre möglich.",
    ),
    RequestData(
        HAMELN,
        "Argumentationstraining gegen Stammtischparolen",
        "Ehrenamtliche der Flüchtlingshilfe, etwa 15 Personen",
        RS.ACCEPTED,
        answer="Gern, wir kommen mit zwei Trainerinnen.",
    ),
    RequestData(
        HAMELN,
        "Begleitung einer kriminologischen Regionalanalyse",
        "Lenkungsgruppe der Regionalanalyse Hameln-Pyrmont",
        RS.DONE,
        rating=5,
        comment="Sehr hilfreich: Die Auswertung hat uns die Schwerpunkte für zwei Jahre gegeben.",
    ),
    RequestData(
        HAMELN,
        "Schulung „Erste Hilfe nach Straftaten“ für Ehrenamtliche",
        "Ehrenamtliche der Nachbarschaftshilfe Bad Pyrmont",
        RS.DONE,
    ),
    RequestData(
        HAMELN,
        "Anti-Mobbing-Training für Schulteams",
        "Kollegium der Oberschule Emmerthal",
        RS.DECLINED,
        answer="Unsere Trainerinnen sind in diesem Schulhalbjahr ausgebucht. Bitte fragen Sie "
        "im nächsten Halbjahr wieder an.",
    ),
    RequestData(
        HAMELN,
        "Materialkoffer Suchtprävention für Jugendtreffs",
        "Jugendtreff Hameln-Nord",
        RS.WITHDRAWN,
        answer="Der Jugendtreff hat inzwischen einen eigenen Koffer bekommen.",
    ),
    RequestData(
        STADT_OL,
        "Vortrag: Cybergrooming und Sextortion erkennen",
        "Elternabend der Grundschulen im Stadtteil Kreyenbrück",
        RS.REQUESTED,
    ),
    RequestData(
        LUENEBURG,
        "Schulung Hochrisikomanagement bei häuslicher Gewalt",
        "Fallkonferenz-Team aus Polizei, Jugendamt und Frauenberatung",
        RS.ACCEPTED,
    ),
    RequestData(
        CELLE,
        "Täter-Opfer-Ausgleich: Beratung für Kommunen",
        "Arbeitsgruppe Jugend des Präventionsrats",
        RS.DONE,
        rating=4,
        comment="Gute Beratung; ein Praxisbeispiel aus einem Landkreis hätte noch geholfen.",
    ),
    RequestData(
        OSNABRUECK,
        "Starthilfe Mitternachtssport",
        "Jugendpflege und zwei Sportvereine aus dem Schinkel",
        RS.DATE_PROPOSED,
    ),
    RequestData(
        BRAUNSCHWEIG,
        "Vortrag: Enkeltrick, Schockanrufe und falsche Polizeibeamte",
        "Seniorenbeirat der Stadt, etwa 40 Gäste",
        RS.REQUESTED,
    ),
    RequestData(
        EMSLAND,
        "Übergangsmanagement nach der Haft: Fallkonferenzen vor Ort",
        "Fachdienst Soziales des Landkreises",
        RS.DECLINED,
        answer="Im Emsland fehlt uns derzeit eine Fachkraft; wir melden uns, sobald die Stelle "
        "wieder besetzt ist.",
    ),
)

MV_REQUESTS = (
    RequestData(
        ROSTOCK,
        "Beratung für kommunale Präventionsräte in Mecklenburg-Vorpommern",
        "Vorstand des Präventionsrats Landkreis Rostock",
        RS.ACCEPTED,
    ),
)


@dataclass(frozen=True)
class StatePlan:
    slug: str
    office: str
    offers: tuple[OfferData, ...]
    requests: tuple[RequestData, ...]


PLANS = (
    StatePlan("niedersachsen", NI_OFFICE, NI_OFFERS, NI_REQUESTS),
    StatePlan("mecklenburg-vorpommern", MV_OFFICE, MV_OFFERS, MV_REQUESTS),
)
