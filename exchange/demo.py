"""Demo exchange reports: half-year reporting periods of Niedersachsen (and a little of
Mecklenburg-Vorpommern) with the reports of the demo NGOs.

Called by ``manage.py seed_demo`` through ``settings.DEMO_SEEDERS``. The periods are the
half-year that runs today and the three before it. The reports of the current period are drafts
written through the services (one NGO has already submitted, several have not started); the
reports of earlier periods cannot be written today any more: they are stored directly with the
events, reminders and backdated times the services and the reminder task would have left,
among them late ones, one returned with a question and accepted ones. Idempotent: a period
that exists is left as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from councils.demo.data import NI_NGO
from councils.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    StateNetwork,
    User,
)
from councils.topics import Topic
from strategy.models import Goal, StrategyStatus
from strategy.services import goal_link_add

from . import reports
from .models import (
    ExchangeReport,
    OfferedResource,
    ReportEvent,
    ReportingPeriod,
    ReportReminder,
    ReportReminderKind,
    ReportTopic,
    ResourceKind,
)
from .models import ReportStatus as R
from .reminders import DUE_SOON_DAYS

D = datetime.date
SUCHT = "Landesarbeitsgemeinschaft Suchtprävention Niedersachsen e. V."
SCHULE = "Netzwerk Gewaltprävention an Schulen Niedersachsen e. V."
STRAFF = "Verband für Straffälligenhilfe Niedersachsen e. V."
JUGEND = "Landesverband Kinder- und Jugendschutz Niedersachsen e. V."
GEWALT = "Netzwerk gegen häusliche Gewalt Niedersachsen e. V."
SPORT = "Landesarbeitsgemeinschaft Sport und Prävention e. V."
DEMOKRATIE = "Verein für Demokratieförderung und Extremismusprävention Niedersachsen e. V."
MV_STRAFF = "Landesarbeitsgemeinschaft Straffälligenhilfe Mecklenburg-Vorpommern e. V."
MV_OPFER = "Landesverband Opferhilfe Mecklenburg-Vorpommern e. V."

#: Reports are due this many days after the end of their half-year.
DUE_AFTER_END_DAYS = 31

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


@dataclass(frozen=True)
class Story:
    """What became of one NGO's report in a period that is over.

    ``offset``: days after the due date it was first submitted (negative: before).
    """

    offset: int
    question: str = ""
    answer: str = ""
    accepted: bool = True
    variant: int = 0


@dataclass(frozen=True)
class Current:
    """A report of the running period: a draft (complete or not), or submitted already."""

    complete: bool = True
    submitted_days_ago: int | None = None
    variant: int = 1


@dataclass(frozen=True)
class StatePlan:
    slug: str
    staff: str
    #: Per period back from the running one (0): the NGOs' reports; an NGO left out has none.
    periods: tuple[dict[str, Story | Current], ...] = field(default_factory=tuple)


Q_REGIONS = (
    "Können Sie die Zahl der beratenen Betroffenen nach Regionen aufschlüsseln? Für die "
    "Übersicht im Vorstand wäre das hilfreich."
)
Q_SCHOOLS = (
    "Bitte ergänzen Sie, an welchen Schulen in Lüneburg und Weser-Ems die Streitschlichtung "
    "begonnen hat – wir möchten die Präventionsräte vor Ort ansprechen."
)
Q_DISTRICTS = "Welche Landkreise beteiligen sich bereits am Hochrisikomanagement?"
A_DISTRICTS = (
    "Lüneburg, Celle und Harburg; Stade folgt im Frühjahr. Wir haben das im Abschnitt "
    "Aktivitäten ergänzt."
)
A_REGIONS = (
    "Gern: Braunschweig 410, Leine-Weser 520, Lüneburg 180, Weser-Ems 130 Beratungen. "
    "Die Aufschlüsselung steht jetzt im Bericht."
)

PLANS = (
    StatePlan(
        slug="niedersachsen",
        staff="lpr-referent",
        periods=(
            {
                NI_NGO: Current(complete=True),
                SUCHT: Current(complete=True, variant=0),
                JUGEND: Current(complete=False),
                SPORT: Current(submitted_days_ago=3),
            },
            {
                NI_NGO: Story(-6),
                SUCHT: Story(9, accepted=False),
                SCHULE: Story(-2, question=Q_SCHOOLS, accepted=False),
                STRAFF: Story(23),
                JUGEND: Story(-12),
                GEWALT: Story(-1, accepted=False),
                SPORT: Story(-20),
            },
            {
                NI_NGO: Story(-3, question=Q_REGIONS, answer=A_REGIONS, variant=1),
                SUCHT: Story(-8, variant=1),
                SCHULE: Story(5, variant=1),
                STRAFF: Story(-15, variant=1),
                JUGEND: Story(-4, variant=1),
                GEWALT: Story(-2, question=Q_DISTRICTS, answer=A_DISTRICTS, variant=1),
                SPORT: Story(-10, variant=1),
                DEMOKRATIE: Story(40, variant=1),
            },
            {
                NI_NGO: Story(-9),
                SUCHT: Story(-1),
                SCHULE: Story(-5),
                JUGEND: Story(2),
                GEWALT: Story(-7),
                SPORT: Story(-11),
                DEMOKRATIE: Story(-3),
            },
        ),
    ),
    StatePlan(
        slug="mecklenburg-vorpommern",
        staff="mv-referent",
        periods=(
            {MV_STRAFF: Current(complete=False, variant=0)},
            {MV_STRAFF: Story(-4), MV_OPFER: Story(12, accepted=False)},
        ),
    ),
)


def half_year(today: D, back: int) -> tuple[str, D, D, D]:
    """Title, start, end and due date of the half-year ``back`` half-years before today's."""
    index = today.year * 2 + (0 if today.month <= 6 else 1) - back
    year, half = divmod(index, 2)
    start = D(year, 1, 1) if half == 0 else D(year, 7, 1)
    end = D(year, 6, 30) if half == 0 else D(year, 12, 31)
    due = end + datetime.timedelta(days=DUE_AFTER_END_DAYS)
    return f"{half + 1}. Halbjahr {year}", start, end, due


def _aware(day: D, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


@dataclass
class Cast:
    """The people and goals of one state the demo reports need."""

    staff: User
    ngos: dict[str, Organisation]
    authors: dict[int, User]
    goals: dict[str, Goal]

    @classmethod
    def of(cls, state: StateNetwork, staff_name: str) -> Cast | None:
        staff = User.objects.filter(username=staff_name).first()
        ngos = {
            ngo.name: ngo
            for ngo in Organisation.objects.filter(
                state=state, kind=OrganisationKind.NGO, is_active=True, name__in=PROFILES
            )
        }
        if staff is None or not ngos:
            return None
        authors: dict[int, User] = {}
        seats = (
            Membership.objects.active()
            .filter(organisation__in=ngos.values(), role=Role.NGO_REPRESENTATIVE)
            .select_related("user")
            .order_by("organisation_id", "user__username")
        )
        for seat in seats:
            # The demo account writes its NGO's reports; elsewhere the first representative.
            if seat.user.username == "ngo-vertretung" or seat.organisation_id not in authors:
                authors[seat.organisation_id] = seat.user
        goals = {
            goal.title: goal
            for goal in Goal.objects.filter(
                strategy__state=state, strategy__status=StrategyStatus.ADOPTED
            ).order_by("strategy_id", "level", "position", "pk")
        }
        return cls(staff=staff, ngos=ngos, authors=authors, goals=goals)


def _regions(ngo: Organisation, variant: int) -> list[Region]:
    """Two of the regions the NGO serves (all when it serves two or fewer)."""
    served = list(ngo.served_regions.order_by("name"))
    if len(served) <= 2:
        return served
    first = variant % (len(served) - 1)
    return served[first : first + 2]


def _goals(cast: Cast, profile: Profile) -> list[Goal]:
    return [cast.goals[title] for title in profile.goals if title in cast.goals]


def _resources(profile: Profile, variant: int) -> list[reports.ResourceData]:
    items = list(profile.resources)
    if variant and len(items) > 1:
        items = items[1:] + items[:1]
    return [reports.ResourceData(kind=k, title=t, description=d) for k, t, d in items]


def _draft(
    period: ReportingPeriod, ngo: Organisation, author: User, plan: Current, cast: Cast
) -> None:
    """A draft of the running period, written through the services like a representative."""
    profile = PROFILES[ngo.name]
    texts = profile.texts[plan.variant % len(profile.texts)]
    report = reports.report_start(period=period, ngo=ngo, by=author)
    if plan.complete:
        reports.report_update(
            report=report,
            by=author,
            version=report.version,
            activities=texts.activities,
            findings=texts.findings,
            needs=texts.needs,
            topics=profile.topics,
            regions=_regions(ngo, plan.variant),
            goals=_goals(cast, profile),
            resources=_resources(profile, plan.variant),
        )
    else:
        reports.report_update(
            report=report, by=author, version=report.version, activities=texts.activities
        )


def _stored(
    period: ReportingPeriod,
    ngo: Organisation,
    author: User,
    status: str,
    texts: Texts,
    submitted: datetime.datetime,
) -> ExchangeReport:
    report = ExchangeReport(
        period=period,
        ngo=ngo,
        status=status,
        activities=texts.activities,
        findings=texts.findings,
        needs=texts.needs,
        created_by=author,
        updated_by=author,
        submitted_at=submitted,
        submitted_by=author,
    )
    report.save()
    return report


def _content(report: ExchangeReport, profile: Profile, cast: Cast, variant: int) -> None:
    ReportTopic.objects.bulk_create(ReportTopic(report=report, topic=t) for t in profile.topics)
    report.regions.set(_regions(report.ngo, variant))
    OfferedResource.objects.bulk_create(
        OfferedResource(
            report=report,
            kind=item.kind,
            title=item.title,
            description=item.description,
            position=i,
        )
        for i, item in enumerate(_resources(profile, variant))
    )
    for goal in _goals(cast, profile):
        goal_link_add(goal=goal, obj=report)


def _event(
    report: ExchangeReport,
    from_status: str,
    to_status: str,
    by: User,
    at: datetime.datetime,
    message: str = "",
) -> None:
    event = ReportEvent.objects.create(
        report=report, from_status=from_status, to_status=to_status, by=by, reason=message
    )
    ReportEvent.objects.filter(pk=event.pk).update(at=at)


def _historic(
    period: ReportingPeriod, ngo: Organisation, author: User, story: Story, cast: Cast, today: D
) -> ExchangeReport:
    """A report of a period that is over, with the events and times the services leave."""
    profile = PROFILES[ngo.name]
    texts = profile.texts[story.variant % len(profile.texts)]
    submitted_on = min(period.due_on + datetime.timedelta(days=story.offset), today)
    day = submitted_on
    steps: list[tuple[str, str, User, D, str]] = [(R.DRAFT, R.SUBMITTED, author, day, "")]
    status = R.SUBMITTED
    if story.question:
        day = min(day + datetime.timedelta(days=7), today)
        steps.append((R.SUBMITTED, R.RETURNED, cast.staff, day, story.question))
        status = R.RETURNED
        if story.answer:
            day = min(day + datetime.timedelta(days=5), today)
            steps.append((R.RETURNED, R.SUBMITTED, author, day, story.answer))
            status = R.SUBMITTED
    if story.accepted and status == R.SUBMITTED:
        day = min(day + datetime.timedelta(days=9), today)
        steps.append((R.SUBMITTED, R.ACCEPTED, cast.staff, day, "Vielen Dank für den Bericht."))
        status = R.ACCEPTED
    report = _stored(period, ngo, author, status, texts, _aware(submitted_on, 11))
    _content(report, profile, cast, story.variant)
    for from_status, to_status, by, on, message in steps:
        _event(report, from_status, to_status, by, _aware(on, 11), message)
    created = _aware(min(submitted_on - datetime.timedelta(days=10), today), 9)
    ExchangeReport.objects.filter(pk=report.pk).update(
        created_at=created, updated_at=_aware(submitted_on, 10)
    )
    return report


def _reminders(period: ReportingPeriod, submitted: dict[int, D | None], today: D) -> None:
    """The reminders the reminder task sent: before the due date and after it, to who owed."""
    soon = period.due_on - datetime.timedelta(days=DUE_SOON_DAYS)
    late = period.due_on + datetime.timedelta(days=1)
    rows: list[tuple[int, str, D]] = []
    for ngo_id, on in submitted.items():
        if soon <= today and (on is None or on > soon):
            rows.append((ngo_id, ReportReminderKind.DUE_SOON, soon))
        if late <= today and (on is None or on > period.due_on):
            rows.append((ngo_id, ReportReminderKind.OVERDUE, late))
    for ngo_id, kind, on in rows:
        reminder = ReportReminder.objects.create(period=period, ngo_id=ngo_id, kind=kind)
        ReportReminder.objects.filter(pk=reminder.pk).update(sent_at=_aware(on, 7))
    if late <= today and any(kind == ReportReminderKind.OVERDUE for _n, kind, _o in rows):
        ReportingPeriod.objects.filter(pk=period.pk).update(overdue_notice_sent_at=_aware(late, 7))


def _seed_period(
    state: StateNetwork, back: int, plan: dict[str, Story | Current], cast: Cast, today: D
) -> ReportingPeriod | None:
    title, start, end, due = half_year(today, back)
    if ReportingPeriod.objects.filter(state=state, title=title).exists():
        return None
    period = reports.period_create(
        state=state, by=cast.staff, title=title, starts_on=start, ends_on=end, due_on=due
    )
    ReportingPeriod.objects.filter(pk=period.pk).update(created_at=_aware(min(start, today), 8))
    submitted: dict[int, D | None] = {ngo.pk: None for ngo in cast.ngos.values()}
    for name, what in plan.items():
        ngo = cast.ngos.get(name)
        author = cast.authors.get(ngo.pk) if ngo is not None else None
        if ngo is None or author is None:
            continue
        if isinstance(what, Story):
            report = _historic(period, ngo, author, what, cast, today)
            submitted[ngo.pk] = timezone.localdate(report.submitted_at)
        elif what.submitted_days_ago is not None:
            profile = PROFILES[ngo.name]
            on = max(min(start, today), today - datetime.timedelta(days=what.submitted_days_ago))
            texts = profile.texts[what.variant % len(profile.texts)]
            report = _stored(period, ngo, author, R.SUBMITTED, texts, _aware(on, 11))
            _content(report, profile, cast, what.variant)
            _event(report, R.DRAFT, R.SUBMITTED, author, _aware(on, 11))
            submitted[ngo.pk] = on
        else:
            _draft(period, ngo, author, what, cast)
    if back:
        # The running period's reminders are left to the reminder task.
        _reminders(period, submitted, today)
    return period


def seed(*, stdout: TextIO | None = None) -> None:
    """Create the demo reporting periods and reports of both demo states unless they exist."""
    today = timezone.localdate()
    for plan in PLANS:
        state = StateNetwork.objects.filter(slug=plan.slug).first()
        if state is None:
            _say(stdout, f"Exchange demo skipped: state network '{plan.slug}' is missing.")
            continue
        cast = Cast.of(state, plan.staff)
        if cast is None:
            _say(stdout, f"Exchange demo skipped for {state.name}: its staff or NGOs are missing.")
            continue
        created = 0
        with transaction.atomic():
            for back, periods in enumerate(plan.periods):
                created += _seed_period(state, back, periods, cast, today) is not None
        if created:
            _say(stdout, f"Demo exchange reports created: {state.name}, {created} periods")
