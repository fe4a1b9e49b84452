"""Exports of a strategy: the printed PDF paper, CSV for German Excel and XLSX."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from strategy.exports import export_rows, render_pdf_html
from strategy.models import Goal, Indicator, IndicatorValue, Level, MeasureStatus, Strategy
from tests.conftest import World
from tests.querycount import assert_constant_queries
from tests.strategy.factories import GoalFactory, StrategyWorld, strategy_world


@pytest.fixture
def sw(world: World) -> StrategyWorld:
    sw = strategy_world(world)
    second_measure = GoalFactory(
        strategy=sw.adopted,
        parent=sw.operational,
        level=Level.MEASURE,
        title="Regionale Netzwerktreffen",
        status=MeasureStatus.DONE,
        progress=100,
        weight=Decimal("3"),
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
    )
    second_measure.responsible.set([world.council, world.ngo])
    sw.measure.progress = 40
    sw.measure.save(update_fields=["progress"])
    indicator = Indicator.objects.create(
        goal=sw.operational,
        name="Geschulte Geschäftsstellen",
        unit="Geschäftsstellen",
        baseline=Decimal("10"),
        baseline_date=datetime.date(2025, 1, 1),
        target=Decimal("120"),
        target_date=datetime.date(2027, 12, 31),
    )
    for value, day in (("20", datetime.date(2025, 6, 30)), ("47", datetime.date(2026, 6, 30))):
        IndicatorValue.objects.create(
            indicator=indicator, value=Decimal(value), measured_on=day, source="Abfrage"
        )
    return sw


def _url(name: str, strategy: Strategy, query: str = "") -> str:
    return reverse(f"strategy:{name}", kwargs={"pk": strategy.pk}) + query


# --- the rows -----------------------------------------------------------------------------


def test_rows_are_numbered_in_reading_order_with_rolled_up_progress(sw: StrategyWorld) -> None:
    rows = export_rows(sw.adopted)
    assert [(row.number, row.goal.title) for row in rows] == [
        ("", "Leitziel"),
        ("1", "Handlungsziel"),
        ("1.1", "Operativ"),
        ("1.1.1", "Maßnahme"),
        ("1.1.2", "Regionale Netzwerktreffen"),
    ]
    # Weighted: (1 × 40 + 3 × 100) / 4 = 85, rolled up to every parent.
    assert [row.progress for row in rows] == [Decimal("85.0")] * 3 + [Decimal(40), Decimal(100)]
    assert rows[2].indicators[0].latest is not None
    assert rows[2].indicators[0].latest.value == Decimal("47")


def test_export_keeps_a_constant_number_of_queries(world: World, sw: StrategyWorld) -> None:
    client = world.client("coordinator")
    url = _url("strategy_export", sw.adopted, "?format=csv")

    def grow() -> None:
        for n in range(40):
            operational = GoalFactory(
                strategy=sw.adopted, parent=sw.strategic, level=Level.OPERATIONAL_GOAL
            )
            for _ in range(12):
                measure = GoalFactory(
                    strategy=sw.adopted, parent=operational, level=Level.MEASURE, progress=n
                )
                measure.responsible.set([sw.measure.responsible.first()])
            Indicator.objects.create(
                goal=operational,
                name=f"Indikator {n}",
                unit="%",
                baseline=0,
                baseline_date=datetime.date(2025, 1, 1),
                target=100,
                target_date=datetime.date(2026, 1, 1),
            )

    assert_constant_queries(lambda: client.get(url), grow)
    assert len(export_rows(sw.adopted)) > 500
    assert client.get(url).content.decode("utf-8-sig").count("\r\n") > 500


# --- PDF ----------------------------------------------------------------------------------


def test_pdf_is_a_pdf_with_a_safe_file_name(world: World, sw: StrategyWorld) -> None:
    response = world.client("member").get(_url("strategy_pdf", sw.adopted))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'inline; filename="landesstrategie-kommunale-pravention-v1.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 1024


def test_pdf_template_holds_title_page_tree_and_indicators(sw: StrategyWorld) -> None:
    with translation.override("en"):
        html = render_pdf_html(sw.adopted, export_rows(sw.adopted))
    for text in (
        "Landesstrategie Kommunale Prävention",
        "Niedersachsen",
        '<html lang="en">',
        "03/01/2026",  # adopted on, as English writes dates
        "1.1.2 Measure: Regionale Netzwerktreffen",
        "Landesverband Opferhilfe",
        "Geschulte Geschäftsstellen",
        "47 (06/30/2026)",  # the latest value
        "85 %",
    ):
        assert text in html, text
    with translation.override("de"):
        german = render_pdf_html(sw.adopted, export_rows(sw.adopted))
    assert '<html lang="de">' in german and "01.03.2026" in german
    # Nothing is loaded from outside: no links to stylesheets, images or fonts.
    assert "http" not in html and "<link" not in html and "<img" not in html


def test_pdf_of_a_draft_only_for_state_staff(world: World, sw: StrategyWorld) -> None:
    url = _url("strategy_pdf", sw.draft)
    assert world.client("state_staff").get(url).status_code == 200
    with translation.override("en"):
        assert "Draft – not adopted" in render_pdf_html(sw.draft, export_rows(sw.draft))
    assert world.client("coordinator").get(url).status_code == 404


def test_pdf_access(world: World, sw: StrategyWorld) -> None:
    url = _url("strategy_pdf", sw.adopted)
    assert world.client("anonymous").get(url).status_code == 302
    assert world.client("other_state_admin").get(url).status_code == 404
    assert world.client("member").post(url).status_code == 405


# --- CSV and XLSX -------------------------------------------------------------------------


def test_csv_for_german_excel(world: World, sw: StrategyWorld) -> None:
    response = world.client("coordinator").get(_url("strategy_export", sw.adopted, "?format=csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="landesstrategie-kommunale-pravention-v1.csv"'
    )
    assert response.content.startswith("\ufeff".encode())
    records = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(records[0]) == 10
    with translation.override("de"):
        assert records[0][0] == gettext("Number")
        done = gettext("Done")
    measure = records[5]
    assert measure[0] == "1.1.2"
    assert measure[2] == "Regionale Netzwerktreffen"
    assert measure[4] == "Landesverband Opferhilfe | Präventionsrat Hameln"
    assert measure[5:10] == ["01.01.2025", "31.12.2025", done, "3", "100"]
    assert records[1][9] == "85"


def test_xlsx_with_bold_header_widths_and_real_dates(world: World, sw: StrategyWorld) -> None:
    response = world.client("ngo_representative").get(
        _url("strategy_export", sw.adopted, "?format=xlsx")
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-v1.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    with translation.override("de"):
        assert sheet["A1"].value == gettext("Number")
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["C"].width == 50
    assert sheet.max_row == 6
    assert sheet["A6"].value == "1.1.2"
    assert sheet["F6"].value == datetime.datetime(2025, 1, 1)
    assert sheet["F6"].number_format == "DD.MM.YYYY"
    assert sheet["I6"].value == 3
    assert sheet["J2"].value == 85


def test_export_unknown_format(world: World, sw: StrategyWorld) -> None:
    response = world.client("member").get(_url("strategy_export", sw.adopted, "?format=odt"))
    assert response.status_code == 400


def test_export_access(world: World, sw: StrategyWorld) -> None:
    url = _url("strategy_export", sw.adopted)
    assert world.client("anonymous").get(url).status_code == 302
    assert world.client("other_state_coordinator").get(url).status_code == 404
    assert world.client("member").get(_url("strategy_export", sw.draft)).status_code == 404
    assert world.client("state_staff").get(_url("strategy_export", sw.draft)).status_code == 200
    assert world.client("member").post(url).status_code == 405


def test_export_of_an_empty_strategy(world: World, sw: StrategyWorld) -> None:
    Goal.objects.filter(strategy=sw.draft).delete()
    response = world.client("state_staff").get(_url("strategy_pdf", sw.draft))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
