"""Demo strategies of Niedersachsen from the LPR's 'Rahmenziele' papers, with measures and progress.

Called by ``manage.py seed_demo`` through ``settings.DEMO_SEEDERS``. Idempotent: a strategy is
keyed on state, title and version; one that exists is left as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from councils.demo.data import HAMELN, HILDESHEIM, KPR, NI_NGO, NI_OFFICE
from councils.models import Membership, Organisation, StateNetwork, User

from .models import (
    Audience,
    Goal,
    Indicator,
    IndicatorValue,
    Level,
    MeasureStatus,
    ProgressReport,
    Strategy,
    StrategyStatus,
    StrategyStatusChange,
)
from .services import strategy_adopt, strategy_new_version

D = datetime.date
SUCHT = "Landesarbeitsgemeinschaft Suchtprävention Niedersachsen e. V."
SCHULE = "Netzwerk Gewaltprävention an Schulen Niedersachsen e. V."
STRAFF = "Verband für Straffälligenhilfe Niedersachsen e. V."
JUGEND = "Landesverband Kinder- und Jugendschutz Niedersachsen e. V."
GEWALT = "Netzwerk gegen häusliche Gewalt Niedersachsen e. V."
SPORT = "Landesarbeitsgemeinschaft Sport und Prävention e. V."
DEMOKRATIE = "Verein für Demokratieförderung und Extremismusprävention Niedersachsen e. V."
BRAUNSCHWEIG = f"{KPR} Stadt Braunschweig"
LUENEBURG = f"{KPR} Hansestadt Lüneburg"
OLDENBURG = f"{KPR} Stadt Oldenburg"
OSNABRUECK = f"{KPR} Stadt Osnabrück"
CELLE = f"{KPR} Landkreis Celle"


@dataclass(frozen=True)
class IndicatorData:
    name: str
    unit: str
    baseline: str
    target: str
    #: (value, measured on) — the first two to four measurements.
    values: tuple[tuple[str, datetime.date], ...]
    baseline_date: datetime.date = datetime.date(2025, 1, 1)
    target_date: datetime.date = datetime.date(2027, 12, 31)
    source: str = "Geschäftsstelle LPR, Jahresabfrage"


@dataclass(frozen=True)
class MeasureData:
    title: str
    responsible: tuple[str, ...]
    start: datetime.date
    end: datetime.date
    status: str = MeasureStatus.PLANNED
    progress: int = 0
    weight: str | None = None
    report: str = ""
    description: str = ""
    indicators: tuple[IndicatorData, ...] = ()


@dataclass(frozen=True)
class GoalData:
    title: str
    description: str = ""
    weight: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    responsible: tuple[str, ...] = ()
    children: tuple[GoalData | MeasureData, ...] = ()
    indicators: tuple[IndicatorData, ...] = ()


@dataclass(frozen=True)
class StrategyData:
    title: str
    audience: str
    adopted_on: datetime.date
    guiding: GoalData
    version: int = 1
    status: str = StrategyStatus.ADOPTED
    extra: dict[str, str] = field(default_factory=dict)


R, RUN, DONE, DROP = (
    MeasureStatus.PLANNED,
    MeasureStatus.RUNNING,
    MeasureStatus.DONE,
    MeasureStatus.DROPPED,
)

MUNICIPAL = StrategyData(
    title="Landesstrategie Kommunale Prävention",
    audience=Audience.MUNICIPAL_COUNCILS,
    adopted_on=D(2025, 3, 12),
    guiding=GoalData(
        "Qualifizierte und professionelle Kapazität zur Koordinierung und Planung der kommunalen "
        "Präventionsarbeit",
        "Kommunale Präventionsgremien haben einen hohen Bedarf an qualifizierter Unterstützung, "
        "Beratung, Begleitung und Fortbildung. Leitziel ist, dass jedes Gremium seine "
        "Präventionsarbeit fachlich fundiert koordinieren und planen kann.",
        children=(
            GoalData(
                "Bündelung der Unterstützungs- und Beratungsangebote auf Landesebene",
                "Die Angebote des Landes, der Landesstellen und der landesweiten Organisationen "
                "werden zusammengeführt und für die Gremien aus einer Hand erreichbar.",
                weight="2",
                responsible=(NI_OFFICE,),
                children=(
                    GoalData(
                        "Ein gemeinsamer Angebotskatalog für kommunale Präventionsgremien liegt "
                        "vor",
                        "Alle Beratungs-, Fortbildungs- und Förderangebote des Landes sind in "
                        "einem Katalog beschrieben und werden jährlich aktualisiert.",
                        start=D(2025, 4, 1),
                        end=D(2026, 6, 30),
                        responsible=(NI_OFFICE,),
                        indicators=(
                            IndicatorData(
                                "Im Katalog beschriebene Angebote",
                                "Angebote",
                                "0",
                                "40",
                                (("12", D(2025, 9, 30)), ("27", D(2026, 3, 31))),
                            ),
                        ),
                        children=(
                            MeasureData(
                                "Bestandsaufnahme der Unterstützungsangebote des Landes",
                                (NI_OFFICE,),
                                D(2025, 4, 1),
                                D(2025, 9, 30),
                                DONE,
                                100,
                                report="Abfrage bei 14 Landesstellen abgeschlossen, 38 Angebote "
                                "erfasst.",
                            ),
                            MeasureData(
                                "Online-Angebotskatalog im Portal veröffentlichen",
                                (NI_OFFICE,),
                                D(2025, 10, 1),
                                D(2026, 3, 31),
                                RUN,
                                70,
                                weight="2",
                                report="Katalog mit 27 Angeboten online, Suchfunktion folgt.",
                            ),
                            MeasureData(
                                "Jährliche Aktualisierung des Katalogs mit den Landesstellen",
                                (NI_OFFICE, SUCHT),
                                D(2026, 9, 1),
                                D(2027, 12, 31),
                            ),
                        ),
                    ),
                    GoalData(
                        "Geschäftsstellen kommunaler Präventionsräte sind fachlich qualifiziert",
                        "Wer ein Gremium koordiniert, kennt Planungsmethoden, Wirkungsorientierung "
                        "und die Unterstützungsangebote des Landes.",
                        start=D(2025, 5, 1),
                        end=D(2027, 6, 30),
                        indicators=(
                            IndicatorData(
                                "Geschäftsstellen mit abgeschlossener Fortbildungsreihe",
                                "Geschäftsstellen",
                                "15",
                                "120",
                                (
                                    ("22", D(2025, 6, 30)),
                                    ("41", D(2025, 12, 31)),
                                    ("58", D(2026, 6, 30)),
                                ),
                            ),
                        ),
                        children=(
                            MeasureData(
                                "Fortbildungsreihe für Geschäftsstellen kommunaler Präventionsräte",
                                (NI_OFFICE,),
                                D(2025, 5, 1),
                                D(2027, 6, 30),
                                RUN,
                                45,
                                weight="3",
                                report="Module 1–3 in allen Regionen durchgeführt, 58 "
                                "Geschäftsstellen zertifiziert.",
                                description="Vier Module: Gremienarbeit, Lagebild, Planung nach "
                                "CTC, Wirkungsorientierung.",
                            ),
                            MeasureData(
                                "Handreichung „Kommunales Lagebild“ erstellen",
                                (NI_OFFICE, HAMELN),
                                D(2025, 6, 1),
                                D(2026, 2, 28),
                                RUN,
                                60,
                                report="Entwurf mit dem Präventionsrat Hameln-Pyrmont erprobt; "
                                "Endfassung verzögert sich.",
                            ),
                            MeasureData(
                                "Mentoring neuer Geschäftsstellen durch erfahrene Gremien",
                                (HILDESHEIM, HAMELN),
                                D(2026, 1, 1),
                                D(2027, 6, 30),
                                RUN,
                                20,
                                report="Drei Tandems gebildet, erstes Treffen in Hameln.",
                            ),
                        ),
                    ),
                ),
            ),
            GoalData(
                "Herstellung der Verfügbarkeit der Angebote in der Fläche durch die regionale "
                "Zusammenarbeit der Gremien",
                "Die Gremien einer Region arbeiten zusammen, damit die Angebote auch kleine "
                "Kommunen erreichen.",
                weight="1",
                children=(
                    GoalData(
                        "In jeder der vier Regionen besteht ein aktives Netzwerk der Gremien",
                        start=D(2025, 4, 1),
                        end=D(2027, 12, 31),
                        indicators=(
                            IndicatorData(
                                "Regionen mit mindestens zwei Netzwerktreffen im Jahr",
                                "Regionen",
                                "1",
                                "4",
                                (("2", D(2025, 12, 31)), ("3", D(2026, 6, 30))),
                            ),
                        ),
                        children=(
                            MeasureData(
                                "Regionale Netzwerktreffen in den vier Regionen",
                                (NI_OFFICE, HAMELN, BRAUNSCHWEIG, LUENEBURG, OLDENBURG),
                                D(2025, 4, 1),
                                D(2027, 12, 31),
                                RUN,
                                50,
                                weight="2",
                                report="Treffen in Braunschweig, Leine-Weser und Lüneburg "
                                "durchgeführt; Weser-Ems im Herbst.",
                                indicators=(
                                    IndicatorData(
                                        "Teilnehmende Gremien je Treffen (Mittel)",
                                        "Gremien",
                                        "6",
                                        "15",
                                        (
                                            ("8", D(2025, 6, 15)),
                                            ("11", D(2025, 11, 20)),
                                            ("12", D(2026, 5, 14)),
                                        ),
                                        source="Teilnahmelisten der Netzwerktreffen",
                                    ),
                                ),
                            ),
                            MeasureData(
                                "Regionale Ansprechpersonen benennen",
                                (HAMELN, OSNABRUECK),
                                D(2025, 4, 1),
                                D(2025, 12, 31),
                                RUN,
                                75,
                                report="Drei von vier Regionen haben Ansprechpersonen benannt.",
                            ),
                            MeasureData(
                                "Gemeinsamer Jahresplan der Gremien je Region",
                                (),
                                D(2026, 1, 1),
                                D(2026, 6, 30),
                            ),
                        ),
                    ),
                    GoalData(
                        "Kleine Kommunen nutzen die Angebote über regionale Verbünde",
                        start=D(2026, 1, 1),
                        end=D(2027, 12, 31),
                        children=(
                            MeasureData(
                                "Verbundmodell für Gremien kleiner Kommunen erproben",
                                (CELLE, LUENEBURG),
                                D(2026, 1, 1),
                                D(2027, 6, 30),
                                RUN,
                                30,
                                report="Verbund Celle/Lüneburg mit fünf Gemeinden gestartet.",
                            ),
                            MeasureData(
                                "Beratungstage des LPR vor Ort",
                                (NI_OFFICE,),
                                D(2026, 3, 1),
                                D(2027, 12, 31),
                                R,
                                weight="0.5",
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
)

NGOS = StrategyData(
    title="Landesstrategie landesweit tätige nichtstaatliche Organisationen",
    audience=Audience.NGOS,
    adopted_on=D(2025, 3, 12),
    guiding=GoalData(
        "Bessere Nutzbarmachung der Kompetenz der nichtstaatlichen Organisationen als "
        "intermediäre Bindeglieder, durch Weiterentwicklung der Strukturen im LPR",
        "Die landesweit tätigen nichtstaatlichen Organisationen sammeln, bündeln und "
        "transportieren Erfahrungen landesweit. Die Strukturen des LPR werden so "
        "weiterentwickelt, dass diese Kompetenz besser genutzt wird.",
        children=(
            GoalData(
                "Regelmäßiger Austausch der landesweiten nichtstaatlichen Organisationen "
                "untereinander",
                children=(
                    GoalData(
                        "Die NGOs treffen sich verbindlich und dokumentieren ihren Austausch",
                        start=D(2025, 4, 1),
                        end=D(2027, 12, 31),
                        indicators=(
                            IndicatorData(
                                "Teilnehmende NGOs am Austauschforum",
                                "Organisationen",
                                "12",
                                "40",
                                (("19", D(2025, 10, 15)), ("26", D(2026, 4, 22))),
                                source="Teilnahmelisten des Austauschforums",
                            ),
                        ),
                        children=(
                            MeasureData(
                                "Halbjährliches Austauschforum der NGOs im LPR",
                                (NI_OFFICE, NI_NGO),
                                D(2025, 4, 1),
                                D(2027, 12, 31),
                                RUN,
                                50,
                                weight="2",
                                report="Drittes Forum am 22. April 2026 mit 26 Organisationen.",
                            ),
                            MeasureData(
                                "Halbjährlicher Austauschbericht der NGOs",
                                (NI_NGO, SUCHT),
                                D(2025, 7, 1),
                                D(2027, 12, 31),
                                RUN,
                                40,
                                report="Zwei Berichte veröffentlicht; der dritte ist in Arbeit.",
                            ),
                            MeasureData(
                                "Geschützter Austauschbereich im Portal",
                                (NI_OFFICE,),
                                D(2025, 6, 1),
                                D(2025, 12, 31),
                                DONE,
                                100,
                                report="Bereich freigeschaltet.",
                            ),
                        ),
                    ),
                    GoalData(
                        "Gewählte Vertretungen der NGOs bringen gebündelte Positionen in den "
                        "Vorstand ein",
                        start=D(2025, 6, 1),
                        end=D(2026, 12, 31),
                        children=(
                            MeasureData(
                                "Vorbesprechung der NGO-Vertretungen vor jeder Vorstandssitzung",
                                (NI_NGO, JUGEND),
                                D(2025, 6, 1),
                                D(2026, 12, 31),
                                RUN,
                                60,
                                report="Vorbesprechungen zu allen vier Sitzungen 2025.",
                            ),
                            MeasureData(
                                "Positionspapier der NGOs zur Landesstrategie",
                                (JUGEND, GEWALT),
                                D(2025, 9, 1),
                                D(2026, 3, 31),
                                RUN,
                                35,
                                report="Gliederung abgestimmt, Textfassung fehlt noch.",
                            ),
                        ),
                    ),
                ),
            ),
            GoalData(
                "Anwendung der bisher ungenutzten Ressourcen der landesweiten nichtstaatlichen "
                "Akteure im Netzwerk",
                children=(
                    GoalData(
                        "Angebote der NGOs stehen den kommunalen Gremien zur Verfügung",
                        start=D(2025, 9, 1),
                        end=D(2027, 12, 31),
                        indicators=(
                            IndicatorData(
                                "Vermittelte Einsätze von NGO-Fachkräften in Gremien",
                                "Einsätze",
                                "0",
                                "60",
                                (
                                    ("5", D(2025, 12, 31)),
                                    ("14", D(2026, 6, 30)),
                                    ("21", D(2026, 9, 30)),
                                    ("24", D(2026, 10, 31)),
                                ),
                                source="Vermittlungsstatistik des LPR",
                            ),
                        ),
                        children=(
                            MeasureData(
                                "Referentenpool der NGOs für kommunale Präventionsräte",
                                (NI_NGO, SCHULE, DEMOKRATIE),
                                D(2025, 9, 1),
                                D(2027, 12, 31),
                                RUN,
                                40,
                                weight="2",
                                report="Pool mit 31 Fachkräften aus sechs Organisationen.",
                            ),
                            MeasureData(
                                "Tandems aus NGO und Gremium in jeder Region",
                                (NI_NGO, HAMELN, STRAFF),
                                D(2026, 1, 1),
                                D(2027, 6, 30),
                                R,
                            ),
                            MeasureData(
                                "Gemeinsame Fachtage mit Sportverbänden",
                                (SPORT,),
                                D(2025, 9, 1),
                                D(2025, 12, 31),
                                DROP,
                                report="Zugunsten der regionalen Tandems zurückgestellt.",
                            ),
                        ),
                    ),
                    GoalData(
                        "Die Erfahrungen der NGOs fließen in Lagebilder und Förderung ein",
                        start=D(2026, 1, 1),
                        end=D(2027, 12, 31),
                        children=(
                            MeasureData(
                                "Jährliche Erfahrungsabfrage bei den NGOs",
                                (NI_OFFICE, NI_NGO),
                                D(2026, 1, 1),
                                D(2026, 4, 30),
                                RUN,
                                80,
                                report="Rücklauf von 34 Organisationen, Auswertung läuft.",
                            ),
                            MeasureData(
                                "Kriterien für NGO-Beteiligung in Förderanträgen",
                                (NI_OFFICE,),
                                D(2026, 6, 1),
                                D(2027, 3, 31),
                                R,
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
)

STRATEGIES = (MUNICIPAL, NGOS)


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(f"{text}\n")


def seed(*, stdout: TextIO | None = None) -> None:
    """Create the demo strategies of Niedersachsen unless they exist."""
    state = StateNetwork.objects.filter(slug="niedersachsen").first()
    if state is None:
        _say(stdout, "Strategy demo skipped: state network 'niedersachsen' is missing.")
        return
    organisations = {org.name: org for org in Organisation.objects.filter(state=state)}
    for data in STRATEGIES:
        if Strategy.objects.filter(state=state, title=data.title, version=data.version).exists():
            continue
        _seed_strategy(state, data, organisations)
        _say(stdout, f"Demo strategy created: {data.title}")
    adopted = Strategy.objects.filter(state=state, title=MUNICIPAL.title, version=1).first()
    if adopted is not None and not Strategy.objects.filter(predecessor=adopted).exists():
        _seed_draft_version(adopted, organisations)
        _say(stdout, f"Demo draft created: {MUNICIPAL.title}, version 2")


class _Seeder:
    def __init__(self, strategy: Strategy, organisations: dict[str, Organisation]) -> None:
        self.strategy = strategy
        self.organisations = organisations
        self.staff = User.objects.filter(username="lpr-referent").first()
        self.reporters = {
            m.organisation_id: m.user
            for m in Membership.objects.filter(
                organisation__in=organisations.values(), user__username__in=_REPORTERS
            ).select_related("user")
        }

    def orgs(self, names: tuple[str, ...]) -> list[Organisation]:
        return [self.organisations[name] for name in names if name in self.organisations]

    def goal(self, data: GoalData, parent: Goal | None, level: int, position: int) -> Goal:
        goal = Goal.objects.create(
            strategy=self.strategy,
            parent=parent,
            level=level,
            position=position,
            title=data.title[:300],
            description=data.description,
            start_date=data.start,
            end_date=data.end,
            weight=Decimal(data.weight) if data.weight else None,
        )
        goal.responsible.set(self.orgs(data.responsible))
        self.indicators(goal, data.indicators)
        for index, child in enumerate(data.children, start=1):
            if isinstance(child, MeasureData):
                self.measure(child, goal, index)
            else:
                self.goal(child, goal, level + 1, index)
        return goal

    def measure(self, data: MeasureData, parent: Goal, position: int) -> None:
        measure = Goal.objects.create(
            strategy=self.strategy,
            parent=parent,
            level=Level.MEASURE,
            position=position,
            title=data.title,
            description=data.description,
            start_date=data.start,
            end_date=data.end,
            weight=Decimal(data.weight) if data.weight else None,
            status=data.status,
            progress=data.progress,
        )
        responsible = self.orgs(data.responsible)
        measure.responsible.set(responsible)
        self.indicators(measure, data.indicators)
        if data.report and responsible:
            reporter = responsible[-1] if len(responsible) > 1 else responsible[0]
            if data.progress >= 40 and data.status != DROP:
                # An earlier, smaller step first, so the history shows a development.
                ProgressReport.objects.create(
                    measure=measure,
                    organisation=reporter,
                    reported_by=self.reporters.get(reporter.pk, self.staff),
                    percent=data.progress // 2,
                    status=MeasureStatus.RUNNING,
                    text="Zwischenstand: Umsetzung hat begonnen.",
                )
            ProgressReport.objects.create(
                measure=measure,
                organisation=reporter,
                reported_by=self.reporters.get(reporter.pk, self.staff),
                percent=data.progress,
                status=data.status,
                text=data.report,
            )

    def indicators(self, goal: Goal, items: tuple[IndicatorData, ...]) -> None:
        for data in items:
            indicator = Indicator.objects.create(
                goal=goal,
                name=data.name,
                unit=data.unit,
                baseline=Decimal(data.baseline),
                baseline_date=data.baseline_date,
                target=Decimal(data.target),
                target_date=data.target_date,
            )
            IndicatorValue.objects.bulk_create(
                IndicatorValue(
                    indicator=indicator,
                    value=Decimal(value),
                    measured_on=measured_on,
                    source=data.source,
                    entered_by=self.staff,
                )
                for value, measured_on in data.values
            )


#: Demo accounts that write the progress reports of their organisations.
_REPORTERS = ("kpr-koordination", "ngo-vertretung", "lpr-referent")


@transaction.atomic
def _seed_strategy(
    state: StateNetwork, data: StrategyData, organisations: dict[str, Organisation]
) -> Strategy:
    admin = User.objects.filter(username="lpr-admin").first()
    strategy: Strategy = Strategy.objects.create(
        state=state, title=data.title, audience=data.audience, version=data.version
    )
    StrategyStatusChange.record(strategy, by=admin, source="", target=strategy.status)
    _Seeder(strategy, organisations).goal(data.guiding, None, Level.GUIDING_GOAL, 1)
    if data.status == StrategyStatus.ADOPTED and admin is not None:
        # Adopted through the state machine, then dated back to the day of the decision.
        strategy_adopt(strategy=strategy, user=admin)
        adopted_at = datetime.datetime.combine(
            data.adopted_on, datetime.time(10), tzinfo=timezone.get_current_timezone()
        )
        Strategy.objects.filter(pk=strategy.pk).update(adopted_on=data.adopted_on)
        strategy.status_changes.update(at=adopted_at)
        strategy.refresh_from_db()
    return strategy


@transaction.atomic
def _seed_draft_version(adopted: Strategy, organisations: dict[str, Organisation]) -> Strategy:
    """Version 2 of the municipal strategy as a draft copy with a few changes to compare."""
    draft = strategy_new_version(strategy=adopted)
    by_title = {goal.title: goal for goal in draft.goals.all()}
    # The changes of version 2: a later end, a new weight, a new measure, one measure less.
    catalogue = by_title["Online-Angebotskatalog im Portal veröffentlichen"]
    catalogue.end_date = D(2026, 9, 30)
    catalogue.weight = Decimal("3")
    catalogue.save(update_fields=["end_date", "weight"])
    Goal.objects.filter(pk=by_title["Beratungstage des LPR vor Ort"].pk).delete()
    network = by_title["In jeder der vier Regionen besteht ein aktives Netzwerk der Gremien"]
    added = Goal.objects.create(
        strategy=draft,
        parent=network,
        level=Level.MEASURE,
        position=4,
        title="Digitale Netzwerktreffen für Gremien im ländlichen Raum",
        description="Zweimal im Jahr online, als Ergänzung zu den Präsenztreffen.",
        start_date=D(2026, 9, 1),
        end_date=D(2027, 12, 31),
        status=MeasureStatus.PLANNED,
    )
    added.responsible.set([org for name, org in organisations.items() if name == NI_OFFICE])
    return draft
