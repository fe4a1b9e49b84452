"""The demo offer catalogue: what the state offices and the NGOs offer, and where."""

from __future__ import annotations

from dataclasses import dataclass

from councils.demo.data import MV_OFFICE, NI_NGO, NI_OFFICE
from councils.topics import Topic

from ..demo.profiles import (
    DEMOKRATIE,
    GEWALT,
    JUGEND,
    MV_OPFER,
    MV_STRAFF,
    SCHULE,
    SPORT,
    STRAFF,
    SUCHT,
)
from ..models import OfferKind

BS, LW, LG, WE = "Braunschweig", "Leine-Weser", "Lüneburg", "Weser-Ems"
#: An offer available in every region of its state.
STATEWIDE: tuple[str, ...] = ()

SU, AD, TR, MA, SP = (
    OfferKind.SUPPORT,
    OfferKind.ADVICE,
    OfferKind.TRAINING,
    OfferKind.MATERIAL,
    OfferKind.SPEAKERS,
)


@dataclass(frozen=True)
class OfferData:
    provider: str
    kind: str
    title: str
    description: str
    audience: str
    topics: tuple[str, ...]
    #: Names of the regions; empty: statewide.
    regions: tuple[str, ...] = STATEWIDE
    cost: str = ""
    published: bool = True


NI_OFFERS = (
    OfferData(
        NI_OFFICE,
        AD,
        "Beratung zur Gründung eines kommunalen Präventionsrats",
        "Die Geschäftsstelle berät Verwaltungsspitzen und Initiativen, die einen kommunalen "
        "Präventionsrat gründen oder neu aufstellen wollen: Geschäftsordnung, Besetzung, "
        "Arbeitsgruppen und die ersten Schritte zu einer kriminologischen Regionalanalyse.",
        "Bürgermeisterinnen und Bürgermeister, Verwaltungen, Initiativen",
        (Topic.OTHER,),
    ),
    OfferData(
        NI_OFFICE,
        SU,
        "Begleitung einer kriminologischen Regionalanalyse",
        "Wir begleiten Ihren Präventionsrat von der Fragestellung über die Bürgerbefragung "
        "bis zur Auswertung der Polizeilichen Kriminalstatistik und helfen, daraus "
        "Handlungsschwerpunkte abzuleiten.",
        "Geschäftsstellen und Lenkungsgruppen kommunaler Präventionsräte",
        (Topic.VIOLENCE, Topic.PUBLIC_SPACE),
    ),
    OfferData(
        NI_OFFICE,
        MA,
        "Handreichung „Sicherheit im öffentlichen Raum“",
        "Leitfaden mit Checklisten für Ortsbegehungen, Beispielen gelungener Platzgestaltung "
        "und Vorlagen für Beteiligungsformate. Gedruckt und als barrierefreies PDF.",
        "Präventionsräte, Stadtplanung, Ordnungsämter",
        (Topic.PUBLIC_SPACE,),
    ),
    OfferData(
        NI_OFFICE,
        SP,
        "Vortrag: Enkeltrick, Schockanrufe und falsche Polizeibeamte",
        "Ein Referent der Geschäftsstelle erklärt gemeinsam mit der örtlichen Polizei die "
        "häufigsten Betrugsmaschen gegen ältere Menschen und wie man sich schützt.",
        "Seniorenbeiräte, Seniorentreffs, Kirchengemeinden",
        (Topic.SENIORS, Topic.CYBERCRIME),
        (BS, LW),
    ),
    OfferData(
        NI_NGO,
        SP,
        "Vortrag: Was Opfer von Straftaten brauchen",
        "Fachvortrag von 60 bis 90 Minuten zu den Rechten von Betroffenen, zur "
        "Opferentschädigung und zur psychosozialen Prozessbegleitung, mit Zeit für Fragen.",
        "Präventionsräte, Fachkräfte aus Schule, Jugendhilfe und Polizei",
        (Topic.VICTIMS, Topic.DOMESTIC_VIOLENCE),
    ),
    OfferData(
        NI_NGO,
        TR,
        "Schulung „Erste Hilfe nach Straftaten“ für Ehrenamtliche",
        "Halbtägige Schulung für Ehrenamtliche in Vereinen und Gremien: Gesprächsführung mit "
        "Betroffenen, Grenzen der eigenen Rolle, wohin man weitervermittelt. Bis 20 Personen.",
        "Ehrenamtliche in Vereinen, Kirchengemeinden und Gremien",
        (Topic.VICTIMS,),
        (BS, LW, LG),
        "150 € je Termin zuzüglich Fahrtkosten",
    ),
    OfferData(
        NI_NGO,
        MA,
        "Infoflyer für Betroffene in Leichter Sprache",
        "Der Flyer erklärt in Leichter Sprache, welche Hilfe es nach einer Straftat gibt. "
        "Er ist in Arbeit und erscheint im nächsten Quartal.",
        "Beratungsstellen, Rathäuser, Polizeidienststellen",
        (Topic.VICTIMS,),
        published=False,
    ),
    OfferData(
        SUCHT,
        TR,
        "Lehrkräftefortbildung Suchtprävention im Unterricht",
        "Eintägige Fortbildung zu Programmen der schulischen Suchtprävention ab Klasse 5, "
        "mit Unterrichtsmaterial und Hinweisen zur Zusammenarbeit mit Eltern.",
        "Lehrkräfte und Schulsozialarbeit",
        (Topic.ADDICTION, Topic.YOUTH),
        (BS, LW),
    ),
    OfferData(
        SUCHT,
        MA,
        "Materialkoffer Suchtprävention für Jugendtreffs",
        "Verleih eines Koffers mit Rauschbrillen, Quizspielen und Methodenkarten für "
        "Gruppenstunden; Abholung in Hannover oder Versand.",
        "Jugendtreffs, Jugendverbände, Schulsozialarbeit",
        (Topic.ADDICTION, Topic.YOUTH),
    ),
    OfferData(
        SUCHT,
        SP,
        "Elternabend „Alkohol, Cannabis, Medien – wie spreche ich mit meinem Kind?“",
        "Eine Fachkraft der Suchtprävention gestaltet einen Elternabend an Schule oder Kita "
        "und bringt Material zum Mitnehmen mit.",
        "Eltern von Kindern ab 10 Jahren",
        (Topic.ADDICTION,),
        STATEWIDE,
        "80 € Honorar je Abend",
    ),
    OfferData(
        SCHULE,
        TR,
        "Anti-Mobbing-Training für Schulteams",
        "Zweitägiges Training für Lehrkräfte und Schulsozialarbeit zu Mobbing und "
        "Cybermobbing: Anzeichen erkennen, Interventionen, Klassenrat.",
        "Kollegien weiterführender Schulen",
        (Topic.VIOLENCE, Topic.YOUTH, Topic.CYBERCRIME),
        (BS, LW),
        "600 € je Schule, Förderung über den Präventionsrat möglich",
    ),
    OfferData(
        SCHULE,
        AD,
        "Beratung zum Aufbau von Streitschlichtung an Schulen",
        "Wir beraten Schulen und Präventionsräte beim Aufbau von Schülerstreitschlichtung und "
        "vermitteln Ausbilderinnen aus dem Netzwerk.",
        "Schulleitungen, Schulsozialarbeit, Präventionsräte",
        (Topic.VIOLENCE, Topic.YOUTH),
        (BS, LW),
    ),
    OfferData(
        STRAFF,
        AD,
        "Täter-Opfer-Ausgleich: Beratung für Kommunen",
        "Wie kommt der Täter-Opfer-Ausgleich in die Gemeinde? Wir informieren Präventionsräte, "
        "Jugendgerichtshilfe und Polizei über Verfahren, Fallzugänge und Ansprechpersonen.",
        "Präventionsräte, Jugendgerichtshilfe, Polizei",
        (Topic.VICTIMS, Topic.VIOLENCE),
        (WE, LG),
    ),
    OfferData(
        STRAFF,
        SU,
        "Übergangsmanagement nach der Haft: Fallkonferenzen vor Ort",
        "Wir organisieren Fallkonferenzen mit Jobcenter, Wohnungshilfe und Bewährungshilfe für "
        "Menschen, die nach der Haft in Ihre Kommune zurückkehren.",
        "Kommunale Verwaltungen, Wohnungshilfe, Jobcenter",
        (Topic.INTEGRATION,),
        (WE,),
    ),
    OfferData(
        JUGEND,
        TR,
        "Medienkompetenz-Workshop für Fachkräfte der Jugendhilfe",
        "Ganztägiger Workshop zu Messenger-Gruppen, Kettenbriefen, Cybermobbing und dem "
        "Jugendmedienschutz, mit Übungen am eigenen Smartphone.",
        "Fachkräfte der Jugendarbeit und Jugendhilfe",
        (Topic.CYBERCRIME, Topic.YOUTH),
        (BS, LW),
    ),
    OfferData(
        JUGEND,
        SP,
        "Vortrag: Cybergrooming und Sextortion erkennen",
        "Eine Referentin erklärt, wie Täter im Netz Kontakt zu Kindern suchen, woran Eltern und "
        "Fachkräfte es merken und welche Hilfen es gibt.",
        "Eltern, Lehrkräfte, Fachkräfte der Jugendhilfe",
        (Topic.CYBERCRIME, Topic.YOUTH),
        (WE, BS),
    ),
    OfferData(
        GEWALT,
        TR,
        "Schulung Hochrisikomanagement bei häuslicher Gewalt",
        "Fallkonferenzen in Hochrisikofällen: Einschätzungsinstrumente, Datenschutz und die "
        "Zusammenarbeit von Polizei, Jugendamt und Beratungsstellen.",
        "Polizei, Jugendämter, Beratungsstellen",
        (Topic.DOMESTIC_VIOLENCE,),
        (LG,),
    ),
    OfferData(
        GEWALT,
        AD,
        "Fachberatung für den Aufbau eines Runden Tisches gegen häusliche Gewalt",
        "Wir unterstützen Präventionsräte dabei, einen Runden Tisch gegen häusliche Gewalt "
        "einzurichten, und bringen Erfahrungen aus anderen Landkreisen mit.",
        "Präventionsräte, Gleichstellungsbeauftragte",
        (Topic.DOMESTIC_VIOLENCE,),
        (LG,),
    ),
    OfferData(
        SPORT,
        SU,
        "Starthilfe Mitternachtssport",
        "Beratung, Trainerpool und Ausstattung für den Aufbau eines Mitternachtssports in "
        "der Kommune, für die erste Saison.",
        "Präventionsräte, Sportvereine, Jugendpflege",
        (Topic.YOUTH, Topic.VIOLENCE),
        (WE,),
        "Eigenanteil 500 € je Saison",
    ),
    OfferData(
        DEMOKRATIE,
        TR,
        "Argumentationstraining gegen Stammtischparolen",
        "Halbtägiges Training: Parolen erkennen, Haltung zeigen, ins Gespräch kommen. Für "
        "Gruppen von 10 bis 20 Personen.",
        "Ehrenamtliche, Vereine, Verwaltungsmitarbeitende",
        (Topic.EXTREMISM,),
        (BS, LW, LG),
    ),
    OfferData(
        DEMOKRATIE,
        AD,
        "Eltern- und Angehörigenberatung bei Radikalisierung",
        "Vertrauliche Beratung für Eltern, Angehörige und Fachkräfte, die eine Radikalisierung "
        "bei einem jungen Menschen befürchten.",
        "Eltern, Angehörige, Fachkräfte",
        (Topic.EXTREMISM, Topic.YOUTH),
        (BS, LW, LG),
    ),
)

MV_REGION, VORPOMMERN = "Mittleres Mecklenburg/Rostock", "Vorpommern"
MV_OFFERS = (
    OfferData(
        MV_OFFICE,
        AD,
        "Beratung für kommunale Präventionsräte in Mecklenburg-Vorpommern",
        "Der Landesrat berät Gemeinden und Ämter beim Aufbau und bei der Arbeit ihrer "
        "Präventionsräte und vermittelt Fördermöglichkeiten.",
        "Gemeinden, Ämter, Präventionsräte",
        (Topic.OTHER,),
    ),
    OfferData(
        MV_STRAFF,
        SU,
        "Täter-Opfer-Ausgleich in den Gemeinden",
        "Ausgleichsgespräche zwischen Geschädigten und Beschuldigten, auch bei Konflikten in "
        "der Nachbarschaft; Beratung der Präventionsräte zu Fallzugängen.",
        "Präventionsräte, Polizei, Jugendgerichtshilfe",
        (Topic.VICTIMS,),
        (MV_REGION, VORPOMMERN),
    ),
    OfferData(
        MV_OPFER,
        SP,
        "Vortrag: Psychosoziale Prozessbegleitung",
        "Was Zeuginnen und Zeugen vor Gericht hilft: ein Vortrag für Fachkräfte aus Polizei, "
        "Jugendhilfe und Beratung.",
        "Fachkräfte aus Polizei, Jugendhilfe und Beratung",
        (Topic.VICTIMS,),
        ("Westmecklenburg", "Mecklenburgische Seenplatte"),
    ),
)
