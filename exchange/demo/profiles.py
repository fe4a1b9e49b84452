"""What the demo NGOs write about: their topics, resources, linked goals and report texts."""

from __future__ import annotations

from dataclasses import dataclass

from councils.demo.data import NI_NGO
from councils.topics import Topic

from ..models import ResourceKind

SUCHT = "Landesarbeitsgemeinschaft Suchtprävention Niedersachsen e. V."
SCHULE = "Netzwerk Gewaltprävention an Schulen Niedersachsen e. V."
STRAFF = "Verband für Straffälligenhilfe Niedersachsen e. V."
JUGEND = "Landesverband Kinder- und Jugendschutz Niedersachsen e. V."
GEWALT = "Netzwerk gegen häusliche Gewalt Niedersachsen e. V."
SPORT = "Landesarbeitsgemeinschaft Sport und Prävention e. V."
DEMOKRATIE = "Verein für Demokratieförderung und Extremismusprävention Niedersachsen e. V."
MV_STRAFF = "Landesarbeitsgemeinschaft Straffälligenhilfe Mecklenburg-Vorpommern e. V."
MV_OPFER = "Landesverband Opferhilfe Mecklenburg-Vorpommern e. V."

SP, TR, MA, RO, KH = (
    ResourceKind.SPEAKERS,
    ResourceKind.TRAINING,
    ResourceKind.MATERIAL,
    ResourceKind.ROOMS,
    ResourceKind.KNOW_HOW,
)

# Goals of the NGO strategy of Niedersachsen (strategy/demo.py) the reports are linked to.
EXCHANGE_GOAL = "Halbjährlicher Austauschbericht der NGOs"
SPEAKER_POOL = "Referentenpool der NGOs für kommunale Präventionsräte"
TANDEMS = "Tandems aus NGO und Gremium in jeder Region"
SPORT_DAYS = "Gemeinsame Fachtage mit Sportverbänden"
POSITION_PAPER = "Positionspapier der NGOs zur Landesstrategie"


@dataclass(frozen=True)
class Texts:
    activities: str
    findings: str
    needs: str


@dataclass(frozen=True)
class Profile:
    """What an NGO writes about: its topics, the resources it offers, goals and two reports."""

    topics: tuple[str, ...]
    resources: tuple[tuple[str, str, str], ...]
    goals: tuple[str, ...]
    texts: tuple[Texts, ...]


PROFILES: dict[str, Profile] = {
    NI_NGO: Profile(
        topics=(Topic.VICTIMS, Topic.DOMESTIC_VIOLENCE),
        resources=(
            (
                SP,
                "Referentinnen zum Opferschutz für Präventionsräte",
                "Fachvortrag von 60 bis 90 Minuten zu den Rechten von Betroffenen, zur "
                "Opferentschädigung und zur psychosozialen Prozessbegleitung.",
            ),
            (
                TR,
                "Schulung „Erste Hilfe nach Straftaten“ für Ehrenamtliche",
                "Halbtägige Schulung für Ehrenamtliche in Vereinen und Gremien, bis 20 Personen.",
            ),
            (
                RO,
                "Beratungsraum in der Landesgeschäftsstelle Hannover",
                "Barrierefreier Besprechungsraum für bis zu 12 Personen, werktags nach Absprache.",
            ),
        ),
        goals=(EXCHANGE_GOAL, SPEAKER_POOL, TANDEMS),
        texts=(
            Texts(
                "Unsere 14 Anlaufstellen haben im Berichtszeitraum 1.240 Betroffene beraten, "
                "ein Drittel davon nach häuslicher Gewalt. Mit den Präventionsräten "
                "Hameln-Pyrmont und Hildesheim haben wir zwei Informationsabende für Fachkräfte "
                "aus Schule und Jugendhilfe durchgeführt. Die psychosoziale Prozessbegleitung "
                "haben wir in 86 Strafverfahren geleistet.",
                "Betroffene finden den Weg zu uns meist über die Polizei; Hinweise aus Schulen "
                "und Vereinen sind selten. Wo ein Präventionsrat unsere Angebote in seine "
                "Netzwerke trägt, steigen die Anfragen spürbar. Kurze, konkrete Handreichungen "
                "werden deutlich häufiger genutzt als ausführliche Broschüren.",
                "Räume für Sprechstunden im ländlichen Raum, vor allem im Landkreis Nienburg "
                "und im Emsland, sowie Dolmetscherinnen für Arabisch und Ukrainisch.",
            ),
            Texts(
                "Wir haben die Online-Erstberatung ausgebaut (312 Kontakte) und in sechs "
                "Landkreisen Sprechstunden in Rathäusern angeboten. Für den Landespräventionstag "
                "haben wir einen Workshop zum Umgang mit Betroffenen im Ehrenamt gestaltet.",
                "Die Sprechstunden vor Ort werden gut angenommen, wenn die Gemeinde sie aktiv "
                "bekannt macht. Viele Ehrenamtliche sind unsicher, wie sie auf Berichte über "
                "Gewalt reagieren sollen – hier sehen wir großen Schulungsbedarf.",
                "Präventionsräte, die Sprechstunden in ihren Räumen ermöglichen, und "
                "Unterstützung bei der Übersetzung unserer Faltblätter in Leichte Sprache.",
            ),
        ),
    ),
    SUCHT: Profile(
        topics=(Topic.ADDICTION, Topic.YOUTH),
        resources=(
            (
                MA,
                "Methodenkoffer „Sucht beginnt im Alltag“",
                "Spiele und Arbeitsblätter für die Klassen 5 bis 8, Ausleihe für vier Wochen.",
            ),
            (
                TR,
                "Fortbildung MOVE – motivierende Kurzintervention",
                "Zweitägige Fortbildung für Fachkräfte der Jugendhilfe und Schulsozialarbeit.",
            ),
            (
                SP,
                "Referentin für Elternabende zu Cannabis und Medienkonsum",
                "Abendvortrag mit Fragerunde, auf Wunsch mit Dolmetschung.",
            ),
        ),
        goals=(EXCHANGE_GOAL, SPEAKER_POOL),
        texts=(
            Texts(
                "Die Fachstellen haben 64 Elternabende und 210 Klassenworkshops durchgeführt. "
                "Nach der Teillegalisierung von Cannabis haben wir eine Informationsreihe für "
                "Lehrkräfte aufgelegt, die in allen vier Regionen angeboten wurde.",
                "Eltern erreichen wir am besten über bestehende Termine wie Elternsprechtage. "
                "Die Nachfrage nach Informationen zu Cannabis ist hoch, die Unsicherheit bei "
                "Lehrkräften ebenso.",
                "Präventionsräte, die Elternabende gemeinsam mit Schulen anbieten möchten, und "
                "Referentinnen und Referenten mit eigener Migrationsgeschichte.",
            ),
            Texts(
                "Schwerpunkt war die Medienkompetenz: 38 Workshops zu Glücksspielelementen in "
                "Computerspielen, dazu eine Fortbildung für die Schulsozialarbeit in Lüneburg.",
                "Jugendliche sprechen offener über Gaming als über Substanzen; darüber gelingt "
                "der Einstieg in das Thema Sucht gut.",
                "Räume für Fortbildungen in Weser-Ems und Kontakte zu Sportvereinen.",
            ),
        ),
    ),
    SCHULE: Profile(
        topics=(Topic.VIOLENCE, Topic.YOUTH),
        resources=(
            (
                TR,
                "Ausbildung zu Streitschlichterinnen und Streitschlichtern",
                "Fünftägige Ausbildung für Schülerinnen und Schüler ab Klasse 7, mit Begleitung "
                "der Lehrkräfte.",
            ),
            (
                KH,
                "Beratung zur Einführung von Anti-Mobbing-Programmen",
                "Begleitung einer Schule über ein Schuljahr: Bestandsaufnahme, Konzept, "
                "Auswertung.",
            ),
        ),
        goals=(EXCHANGE_GOAL, TANDEMS),
        texts=(
            Texts(
                "43 Schulen haben neue Streitschlichtungsteams ausgebildet; in Braunschweig und "
                "Hannover lief das Anti-Mobbing-Programm an zwölf Schulen. Der Fachtag „Gewalt "
                "an Schulen“ hatte 160 Teilnehmende.",
                "Programme wirken dauerhaft, wenn die Schulleitung sie trägt und feste Stunden "
                "dafür vorsieht. Cybermobbing verlagert Konflikte in den Nachmittag und erreicht "
                "die Schule oft zu spät.",
                "Kontakte zu Präventionsräten in Lüneburg und Weser-Ems und Unterstützung bei "
                "der Auswertung der Programme.",
            ),
            Texts(
                "Wir haben 18 Lehrkräfte zu Multiplikatorinnen und Multiplikatoren fortgebildet "
                "und mit drei Präventionsräten Elternabende zu Cybermobbing angeboten.",
                "Elternabende zu Cybermobbing sind gut besucht, wenn Schülerinnen und Schüler "
                "sie mitgestalten.",
                "Eine Referentin oder einen Referenten der Polizei für Elternabende.",
            ),
        ),
    ),
    STRAFF: Profile(
        topics=(Topic.VICTIMS, Topic.INTEGRATION),
        resources=(
            (
                SP,
                "Vortrag „Übergangsmanagement nach der Haft“",
                "Wie die Rückkehr in die Gemeinde gelingt: Wohnung, Arbeit, Begleitung.",
            ),
            (
                KH,
                "Beratung zum Täter-Opfer-Ausgleich für Kommunen",
                "Wie Kommunen den Ausgleich zwischen Täter und Opfer anregen und unterstützen.",
            ),
            (
                RO,
                "Seminarraum in Oldenburg",
                "Bis 25 Personen, Beamer und Küche; abends und am Wochenende nutzbar.",
            ),
        ),
        goals=(EXCHANGE_GOAL,),
        texts=(
            Texts(
                "Wir haben 112 Menschen nach der Haftentlassung begleitet und 58 Verfahren des "
                "Täter-Opfer-Ausgleichs geführt, davon 31 mit Einigung.",
                "Eine Wohnung ist der wichtigste Schutz vor erneuter Straffälligkeit. Die "
                "Zusammenarbeit mit den Wohnungsgesellschaften gelingt dort, wo der "
                "Präventionsrat sie anbahnt.",
                "Kontakte zu Wohnungsgesellschaften und Arbeitgebern in Weser-Ems.",
            ),
            Texts(
                "Neu ist eine Gruppe für Angehörige von Inhaftierten in Oldenburg. Zwei "
                "Fachkräfte haben die Ausbildung zur Mediation abgeschlossen.",
                "Angehörige sind oft selbst belastet und kommen erst spät in die Beratung.",
                "Räume für die Angehörigengruppe in Lüneburg.",
            ),
        ),
    ),
    JUGEND: Profile(
        topics=(Topic.CYBERCRIME, Topic.YOUTH),
        resources=(
            (
                MA,
                "Medienpaket „Sicher im Netz“",
                "Plakate, Karten und ein Quiz zu Cybergrooming, Sextortion und Kostenfallen.",
            ),
            (
                TR,
                "Fortbildung Jugendmedienschutz für Fachkräfte",
                "Eintägige Fortbildung für Jugendhilfe, Schule und Vereine.",
            ),
        ),
        goals=(EXCHANGE_GOAL, SPEAKER_POOL),
        texts=(
            Texts(
                "Wir haben 27 Fortbildungen zum Jugendmedienschutz mit 540 Fachkräften "
                "durchgeführt und das Medienpaket 300-mal verschickt.",
                "Fachkräfte wünschen sich kurze Formate am Nachmittag; ganztägige Fortbildungen "
                "werden seltener gebucht.",
                "Präventionsräte, die Fortbildungen vor Ort organisieren.",
            ),
            Texts(
                "Mit der Polizei haben wir eine Aktionswoche gegen Cybergrooming an 40 Schulen "
                "begleitet.",
                "Kinder kennen die Risiken oft, wissen aber nicht, an wen sie sich wenden können.",
                "Ansprechpersonen in den Jugendämtern der Landkreise.",
            ),
        ),
    ),
    GEWALT: Profile(
        topics=(Topic.DOMESTIC_VIOLENCE, Topic.VIOLENCE),
        resources=(
            (
                TR,
                "Schulung zum Hochrisikomanagement bei häuslicher Gewalt",
                "Für Polizei, Jugendamt und Beratungsstellen einer Region, zwei halbe Tage.",
            ),
            (
                SP,
                "Referentin „Häusliche Gewalt erkennen und handeln“",
                "Vortrag für Präventionsräte, Arztpraxen und Kitas.",
            ),
        ),
        goals=(EXCHANGE_GOAL, TANDEMS),
        texts=(
            Texts(
                "Die Interventionsstellen haben 860 Fälle nach Polizeieinsätzen bearbeitet. In "
                "drei Landkreisen haben Fallkonferenzen zum Hochrisikomanagement begonnen.",
                "Fallkonferenzen verkürzen die Wege zwischen Polizei, Jugendamt und Beratung "
                "erheblich.",
                "Weitere Landkreise für das Hochrisikomanagement und Mittel für Täterarbeit.",
            ),
            Texts(
                "Wir haben 14 Schulungen für Arztpraxen und Kitas gegeben und die Täterarbeit "
                "in Lüneburg um eine zweite Gruppe erweitert.",
                "Kitas sind oft die ersten, die Gewalt in Familien bemerken, fühlen sich aber "
                "allein gelassen.",
                "Kontakte zu den Kita-Fachberatungen der Landkreise.",
            ),
        ),
    ),
    SPORT: Profile(
        topics=(Topic.YOUTH, Topic.PUBLIC_SPACE),
        resources=(
            (
                RO,
                "Hallenzeiten für Mitternachtssport",
                "Freitag- und Samstagabend in Sporthallen von Mitgliedsvereinen in Osnabrück.",
            ),
            (
                KH,
                "Leitfaden und Beratung zum Aufbau von Mitternachtssport",
                "Von der Hallensuche bis zur Versicherung: unsere Erfahrungen aus zehn Jahren.",
            ),
        ),
        goals=(EXCHANGE_GOAL, SPORT_DAYS),
        texts=(
            Texts(
                "Mitternachtssport lief an neun Standorten mit durchschnittlich 35 Jugendlichen "
                "pro Abend. Zwei Fair-Play-Turniere haben wir mit Präventionsräten ausgerichtet.",
                "Feste Ansprechpersonen aus dem Verein sind wichtiger als das Sportangebot selbst.",
                "Hallenzeiten im Emsland und Übungsleiterinnen mit Erfahrung in der Jugendarbeit.",
            ),
            Texts(
                "Wir haben 24 Übungsleitende zu Konfliktlösung im Sport fortgebildet und einen "
                "Fachtag mit dem Landessportbund vorbereitet.",
                "Konflikte auf dem Platz lassen sich gut nutzen, um über Fairness zu sprechen.",
                "Kontakte zu Präventionsräten in Lüneburg.",
            ),
        ),
    ),
    DEMOKRATIE: Profile(
        topics=(Topic.EXTREMISM, Topic.INTEGRATION),
        resources=(
            (
                TR,
                "Workshop „Argumentieren gegen Stammtischparolen“",
                "Dreistündiger Workshop für Ehrenamtliche, Vereine und Gremien.",
            ),
            (
                SP,
                "Referent zu Radikalisierung im Netz",
                "Vortrag für Eltern und Fachkräfte, auch online.",
            ),
            (
                MA,
                "Ausstellung „Demokratie leben vor Ort“",
                "Zwölf Tafeln zum Ausleihen für Rathäuser und Schulen.",
            ),
        ),
        goals=(EXCHANGE_GOAL, POSITION_PAPER),
        texts=(
            Texts(
                "Die Ausstiegsberatung hat 23 Menschen begleitet. 35 Workshops gegen "
                "Stammtischparolen fanden in Vereinen und Feuerwehren statt.",
                "Die Workshops wirken am besten in bestehenden Gruppen, die sich kennen.",
                "Präventionsräte, die Workshops in Vereinen anregen.",
            ),
            Texts(
                "Wir haben die Ausstellung an acht Orten gezeigt und eine Elternberatung zu "
                "Radikalisierung im Netz aufgebaut.",
                "Eltern melden sich früher, wenn die Beratung anonym beginnen kann.",
                "Räume für Elternabende in Braunschweig.",
            ),
        ),
    ),
    MV_STRAFF: Profile(
        topics=(Topic.INTEGRATION, Topic.VICTIMS),
        resources=(
            (
                KH,
                "Beratung zur Arbeit mit Angehörigen von Inhaftierten",
                "Für Beratungsstellen und Präventionsräte in Mecklenburg-Vorpommern.",
            ),
        ),
        goals=(),
        texts=(
            Texts(
                "Wir haben 64 Menschen nach der Haft begleitet und in Rostock eine "
                "Sprechstunde für Angehörige eingerichtet.",
                "In den ländlichen Kreisen fehlen Anlaufstellen; digitale Sprechstunden helfen "
                "nur zum Teil.",
                "Räume für Sprechstunden in Güstrow und Neubrandenburg.",
            ),
        ),
    ),
    MV_OPFER: Profile(
        topics=(Topic.VICTIMS,),
        resources=(
            (
                SP,
                "Vortrag „Rechte von Opfern im Strafverfahren“",
                "Für Präventionsräte, Schulen und Vereine, 60 Minuten.",
            ),
        ),
        goals=(),
        texts=(
            Texts(
                "Wir haben 380 Betroffene beraten und 41 Prozessbegleitungen übernommen.",
                "Zeuginnen und Zeugen wünschen sich mehr Vorbereitung auf den Gerichtstermin.",
                "Ehrenamtliche für die Zeugenbegleitung in Schwerin.",
            ),
        ),
    ),
}
