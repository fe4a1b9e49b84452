"""Which NGO reported when in which demo period, and what became of its report."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from councils.demo.data import NI_NGO

from .profiles import (
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

D = datetime.date

#: Reports are due this many days after the end of their half-year.
DUE_AFTER_END_DAYS = 31


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
