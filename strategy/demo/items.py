"""The shapes of the demo strategies: goals, measures and indicators as plain data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from councils.demo.data import KPR

from ..models import MeasureStatus, StrategyStatus

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
