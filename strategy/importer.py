"""A first draft from a CSV file: read and check every row, then create the tree in one go.

The order of the rows defines the tree: each row's parent is the last row one level above.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from councils.models import Organisation, StateNetwork, User

from .models import Audience, Goal, Level, Strategy, StrategyStatusChange

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
COLUMNS = ("level", "title", "description", "responsible", "start", "end", "weight")
REQUIRED_COLUMNS = ("level", "title")
HEADER_ALIASES = {
    "ebene": "level",
    "titel": "title",
    "beschreibung": "description",
    "verantwortlich": "responsible",
    "beginn": "start",
    "ende": "end",
    "gewicht": "weight",
    "gewichtung": "weight",
}
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")


class StrategyImportError(Exception):
    """The file as a whole cannot be read (encoding, header, size)."""


@dataclass
class ImportRow:
    """One checked line of the file; errors name what is wrong in words for the user."""

    line: int
    level_text: str
    title: str
    description: str = ""
    responsible_text: str = ""
    start_text: str = ""
    end_text: str = ""
    weight_text: str = ""
    level: int | None = None
    organisations: list[Organisation] = field(default_factory=list)
    start: datetime.date | None = None
    end: datetime.date | None = None
    weight: Decimal | None = None
    parent_index: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level is not None else self.level_text


def _level_lookup() -> dict[str, int]:
    """Numbers 0..3, the English and German labels and a few German short forms."""
    lookup: dict[str, int] = {str(value): value for value in Level.values}
    for value, label in Level.choices:
        for language in ("en", "de"):
            with translation.override(language):
                lookup[str(label).strip().lower()] = value
    lookup.update(
        {
            "leitziel": Level.GUIDING_GOAL,
            "strategisches handlungsziel": Level.STRATEGIC_GOAL,
            "strategisches ziel": Level.STRATEGIC_GOAL,
            "operatives handlungsziel": Level.OPERATIONAL_GOAL,
            "operatives ziel": Level.OPERATIONAL_GOAL,
            "maßnahme": Level.MEASURE,
            "massnahme": Level.MEASURE,
        }
    )
    return lookup


def decode_file(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise StrategyImportError(_("The file is larger than 1 MB; please split it."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StrategyImportError(
            _("The file is not UTF-8 encoded. Please save it as “CSV UTF-8”.")
        ) from exc


def _parse_date(text: str) -> datetime.date:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_strategy_csv(text: str, state: StateNetwork) -> list[ImportRow]:
    """Read and check every row; organisations must belong to the state. Nothing is saved."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].strip():
        raise StrategyImportError(_("The file is empty."))
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    try:
        records = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    except csv.Error as error:
        raise StrategyImportError(
            _("The file could not be read as CSV: %(error)s") % {"error": error}
        ) from error
    header = [HEADER_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in records[0]]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise StrategyImportError(
            _("Columns missing in the first line: %(columns)s. Expected: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": ";".join(COLUMNS)}
        )
    if len(records) - 1 > MAX_ROWS:
        raise StrategyImportError(
            _("The file has more than %(max)d rows; please split it.") % {"max": MAX_ROWS}
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}

    def cell(record: list[str], name: str) -> str:
        position = index.get(name)
        return record[position].strip() if position is not None and position < len(record) else ""

    organisations = {
        org.name.strip().lower(): org
        for org in Organisation.objects.filter(state=state, is_active=True)
    }
    levels = _level_lookup()
    rows: list[ImportRow] = []
    for line, record in enumerate(records[1:], start=2):
        if not any(value.strip() for value in record):
            continue
        row = ImportRow(
            line=line,
            level_text=cell(record, "level"),
            title=cell(record, "title"),
            description=cell(record, "description"),
            responsible_text=cell(record, "responsible"),
            start_text=cell(record, "start"),
            end_text=cell(record, "end"),
            weight_text=cell(record, "weight"),
        )
        _check_row(row, levels, organisations)
        rows.append(row)
    if not rows:
        raise StrategyImportError(_("The file has no rows below the header line."))
    _check_tree(rows)
    return rows


def _check_row(
    row: ImportRow, levels: dict[str, int], organisations: dict[str, Organisation]
) -> None:
    row.level = levels.get(row.level_text.lower())
    if row.level is None:
        row.errors.append(
            _(
                "Unknown level “%(level)s”: use 0–3 or Leitziel, strategisches Handlungsziel, "
                "operatives Handlungsziel, Maßnahme."
            )
            % {"level": row.level_text}
        )
    if not row.title:
        row.errors.append(_("The title is missing."))
    elif len(row.title) > Goal._meta.get_field("title").max_length:  # type: ignore[operator]
        row.errors.append(_("The title is longer than 300 characters."))
    for name in filter(None, (part.strip() for part in row.responsible_text.split("|"))):
        organisation = organisations.get(name.lower())
        if organisation is None:
            row.errors.append(
                _("Unknown organisation “%(name)s” (not in this state network).") % {"name": name}
            )
        elif organisation not in row.organisations:
            row.organisations.append(organisation)
    for attr, text in (("start", row.start_text), ("end", row.end_text)):
        if not text:
            continue
        try:
            setattr(row, attr, _parse_date(text))
        except ValueError:
            row.errors.append(
                _("“%(value)s” is not a date; use DD.MM.YYYY or YYYY-MM-DD.") % {"value": text}
            )
    if row.start and row.end and row.end < row.start:
        row.errors.append(_("The end lies before the start."))
    if row.weight_text:
        try:
            row.weight = Decimal(row.weight_text.replace(",", "."))
        except InvalidOperation:
            row.errors.append(
                _("The weight “%(value)s” is not a number.") % {"value": row.weight_text}
            )
        else:
            if not row.weight.is_finite():
                row.weight = None
                row.errors.append(_("The weight must be a number."))
            elif row.weight < 0:
                row.errors.append(_("The weight must not be negative."))
            elif row.weight >= Decimal("10000") or row.weight != row.weight.quantize(
                Decimal("0.01")
            ):
                row.errors.append(
                    _("The weight must be below 10,000 with at most two decimal places.")
                )


def _check_tree(rows: list[ImportRow]) -> None:
    """The first row is the one guiding goal; every other row sits one level below its parent."""
    last_at_level: dict[int, int] = {}
    for position, row in enumerate(rows):
        if row.level is None:
            # Unknown level: later rows cannot be placed reliably below it.
            last_at_level = {k: v for k, v in last_at_level.items() if k == Level.GUIDING_GOAL}
            continue
        if position == 0 and row.level != Level.GUIDING_GOAL:
            row.errors.append(_("The first row must be the guiding goal (Leitziel)."))
        elif position > 0 and row.level == Level.GUIDING_GOAL:
            row.errors.append(_("A strategy has exactly one guiding goal; this is a second one."))
        elif row.level > Level.GUIDING_GOAL:
            parent = last_at_level.get(row.level - 1)
            if parent is None:
                row.errors.append(
                    _("A “%(level)s” must follow a “%(parent)s”: levels may not be skipped.")
                    % {"level": Level(row.level).label, "parent": Level(row.level - 1).label}
                )
            else:
                row.parent_index = parent
        last_at_level = {k: v for k, v in last_at_level.items() if k < row.level}
        last_at_level[row.level] = position


@transaction.atomic
def strategy_import(
    *,
    state: StateNetwork,
    title: str,
    audience: str,
    rows: list[ImportRow],
    by: User | None = None,
) -> Strategy:
    """Create a new draft (version 1) with the checked rows as its tree."""
    if not rows or not all(row.is_valid for row in rows):
        raise ValueError("only a checked, error-free file can be imported")
    strategy: Strategy = Strategy.objects.create(
        state=state,
        title=title,
        audience=audience if audience in Audience.values else Audience.ALL,
        version=1,
    )
    StrategyStatusChange.record(
        strategy, by=by, source="", target=strategy.status, reason=_("Imported from a file")
    )
    goals: list[Goal] = []
    positions: dict[int | None, int] = {}
    for row in rows:
        assert row.level is not None
        parent = goals[row.parent_index] if row.parent_index is not None else None
        key = parent.pk if parent else None
        positions[key] = positions.get(key, 0) + 1
        goal = Goal.objects.create(
            strategy=strategy,
            parent=parent,
            level=row.level,
            position=positions[key],
            title=row.title,
            description=row.description,
            start_date=row.start,
            end_date=row.end,
            weight=row.weight,
            status="planned" if row.level == Level.MEASURE else "",
        )
        if row.organisations:
            goal.responsible.set(row.organisations)
        goals.append(goal)
    return strategy


EXAMPLE_ROWS = (
    ("Leitziel", "Qualifizierte Koordinierung der kommunalen Prävention", "", "", "", "", ""),
    ("strategisches Handlungsziel", "Unterstützungsangebote bündeln", "", "", "", "", "2"),
    (
        "operatives Handlungsziel",
        "Beratungsangebote auf einer Plattform sichtbar machen",
        "",
        "",
        "01.01.2026",
        "31.12.2026",
        "",
    ),
    (
        "Maßnahme",
        "Fortbildungsreihe für Geschäftsstellen",
        "Vier Module, je ein Termin pro Region",
        "{office}",
        "01.03.2026",
        "30.11.2026",
        "1",
    ),
    ("Maßnahme", "Beratungslandkarte veröffentlichen", "", "{office}|{council}", "", "", ""),
    ("strategisches Handlungsziel", "Verfügbarkeit in der Fläche herstellen", "", "", "", "", ""),
)


def example_csv(state: StateNetwork) -> bytes:
    """A small example with organisation names of the user's own state network."""
    from councils.models import OrganisationKind

    office = Organisation.objects.filter(state=state, kind=OrganisationKind.STATE_OFFICE).first()
    council = Organisation.objects.filter(
        state=state, kind=OrganisationKind.MUNICIPAL_COUNCIL
    ).first()
    names = {
        "office": office.name if office else "",
        "council": council.name if council else "",
    }
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for values in EXAMPLE_ROWS:
        row = list(values)
        row[3] = "|".join(part for part in row[3].format(**names).split("|") if part)
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")
