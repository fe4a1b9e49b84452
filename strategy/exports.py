"""The strategy as a paper: numbered rows for CSV/XLSX and a PDF made with WeasyPrint."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from councils.models import Organisation

from .models import Goal, Indicator, IndicatorValue, Level, Strategy
from .progress import Node, build_tree


@dataclass
class IndicatorRow:
    indicator: Indicator
    latest: IndicatorValue | None


@dataclass
class ExportRow:
    """One item of the tree with its outline number (1, 1.1, 1.1.1) and rolled-up progress."""

    number: str
    goal: Goal
    progress: Decimal | None
    responsible: list[Organisation] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return int(self.goal.level)

    @property
    def responsible_names(self) -> str:
        return ", ".join(org.name for org in self.responsible)


def load_goals(strategy: Strategy) -> list[Goal]:
    """The whole tree in one query, plus one each for responsibles, indicators and values."""
    values = IndicatorValue.objects.order_by("measured_on", "pk")
    indicators = Indicator.objects.order_by("name", "pk").prefetch_related(
        Prefetch("values", queryset=values)
    )
    return list(
        Goal.objects.filter(strategy=strategy)
        .order_by("level", "position", "pk")
        .prefetch_related(
            Prefetch("responsible", queryset=Organisation.objects.order_by("name")),
            Prefetch("indicators", queryset=indicators),
        )
    )


def _walk(nodes: list[Node], prefix: str) -> Iterator[ExportRow]:
    for index, node in enumerate(nodes, start=1):
        number = "" if node.goal.level == Level.GUIDING_GOAL else f"{prefix}{index}"
        goal = node.goal
        indicators = []
        for indicator in goal.indicators.all():
            values = list(indicator.values.all())
            indicators.append(IndicatorRow(indicator, values[-1] if values else None))
        yield ExportRow(number, goal, node.progress, list(goal.responsible.all()), indicators)
        yield from _walk(node.children, f"{number}." if number else "")


def export_rows(strategy: Strategy) -> list[ExportRow]:
    """Every item of the strategy in reading order; the guiding goal has no number."""
    return list(_walk(build_tree(load_goals(strategy)), ""))


HEADER = (
    "number",
    "level",
    "title",
    "description",
    "responsible",
    "start",
    "end",
    "status",
    "weight",
    "progress",
)


def _header() -> list[str]:
    labels = {
        "number": _("Number"),
        "level": _("Level"),
        "title": _("Title"),
        "description": _("Description"),
        "responsible": _("Responsible organisations"),
        "start": _("Start"),
        "end": _("End date"),
        "status": _("Status"),
        "weight": _("Weight"),
        "progress": _("Progress (%)"),
    }
    return [labels[name] for name in HEADER]


def _de_date(value: datetime.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _de_decimal(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f").replace(".", ",")


def write_csv(rows: list[ExportRow]) -> bytes:
    """UTF-8 with BOM and semicolons, as German Excel opens it directly."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_header())
    for row in rows:
        goal = row.goal
        writer.writerow(
            [
                row.number,
                goal.get_level_display(),
                goal.title,
                goal.description,
                " | ".join(org.name for org in row.responsible),
                _de_date(goal.start_date),
                _de_date(goal.end_date),
                goal.get_status_display() if goal.status else "",
                _de_decimal(goal.weight),
                _de_decimal(row.progress),
            ]
        )
    return buffer.getvalue().encode("utf-8")


XLSX_WIDTHS = (9, 22, 50, 60, 45, 12, 12, 14, 9, 14)


def write_xlsx(strategy: Strategy, rows: list[ExportRow]) -> bytes:
    """One sheet, a bold frozen header row, dates as dates and numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Strategy")[:31]
    sheet.append(_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        goal = row.goal
        sheet.append(
            [
                row.number,
                str(goal.get_level_display()),
                goal.title,
                goal.description,
                " | ".join(org.name for org in row.responsible),
                goal.start_date,
                goal.end_date,
                str(goal.get_status_display()) if goal.status else "",
                float(goal.weight) if goal.weight is not None else None,
                float(row.progress) if row.progress is not None else None,
            ]
        )
    for column, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells[5:7]:
            cell.number_format = "DD.MM.YYYY"
        cells[3].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    workbook.properties.title = str(strategy)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_filename(strategy: Strategy, extension: str) -> str:
    """An ASCII file name such as landesstrategie-kommunale-pravention-v1.pdf."""
    base = slugify(strategy.title) or "strategie"
    return f"{base[:80]}-v{strategy.version}.{extension}"


def render_pdf_html(strategy: Strategy, rows: list[ExportRow]) -> str:
    return render_to_string(
        "strategy/pdf/strategy.html",
        {"strategy": strategy, "rows": rows, "today": datetime.date.today()},
    )


def write_pdf(strategy: Strategy, rows: list[ExportRow]) -> bytes:
    """The printed paper; nothing is fetched from outside (only data: URLs are allowed)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_pdf_html(strategy, rows)
    fetcher = URLFetcher(allowed_protocols={"data"})
    pdf: bytes | None = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return pdf
