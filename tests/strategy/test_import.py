"""CSV import of a first draft: every row checked on a preview, then a new draft in one go."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from strategy.importer import StrategyImportError, parse_strategy_csv
from strategy.models import Audience, Goal, Level, Strategy, StrategyStatus
from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401  (fixtures)
from tests.conftest import World, build_world
from tests.strategy.factories import strategy_world

IMPORT = reverse("strategy:strategy_import")
CONFIRM = reverse("strategy:strategy_import_confirm")
EXAMPLE = reverse("strategy:strategy_import_example")

HEADER = "level;title;description;responsible;start;end;weight"
GOOD = "\n".join(
    [
        HEADER,
        "Leitziel;Kapazität zur Koordinierung;Das Leitziel;;;;",
        "strategisches Handlungsziel;Angebote bündeln;;Landespräventionsrat Niedersachsen;;;2",
        "operatives Handlungsziel;Katalog liegt vor;;;01.04.2026;2026-12-31;",
        "Maßnahme;Fortbildungsreihe;Vier Module;Präventionsrat Hameln|Landesverband Opferhilfe;"
        "01.05.2026;30.06.2027;1,5",
        "3;Beratungslandkarte;;;;;",
        "1;Verfügbarkeit in der Fläche;;;;;",
        "2;Regionale Netzwerke;;;;;",
    ]
)


@pytest.fixture(autouse=True)
def _english() -> object:
    """Messages of direct parser calls in English (requests choose their own language)."""
    with translation.override("en"):
        yield


def _upload(client: Client, text: str, title: str = "Neue Landesstrategie") -> Any:
    file = SimpleUploadedFile("strategie.csv", text.encode("utf-8-sig"), "text/csv")
    return client.post(IMPORT, {"title": title, "audience": Audience.NGOS, "file": file})


def _errors(world: World, *lines: str) -> dict[int, list[str]]:
    rows = parse_strategy_csv("\n".join([HEADER, *lines]), world.state)
    return {row.line: row.errors for row in rows if row.errors}


@pytest.mark.django_db
def test_preview_then_confirm_creates_a_new_draft(world: World) -> None:
    client = world.client("state_staff")
    assert client.get(IMPORT).status_code == 200
    response = _upload(client, GOOD)
    assert response.status_code == 200
    assert response.context["valid"] is True
    assert len(response.context["rows"]) == 7
    assert "Fortbildungsreihe" in response.content.decode()
    assert not Strategy.objects.filter(title="Neue Landesstrategie").exists()

    response = client.post(CONFIRM)
    strategy = Strategy.objects.get(title="Neue Landesstrategie")
    assert response.status_code == 302
    assert (strategy.state, strategy.status, strategy.version) == (
        world.state,
        StrategyStatus.DRAFT,
        1,
    )
    assert strategy.audience == Audience.NGOS
    goals = {goal.title: goal for goal in Goal.objects.filter(strategy=strategy)}
    assert len(goals) == 7
    assert goals["Kapazität zur Koordinierung"].parent is None
    assert goals["Angebote bündeln"].parent == goals["Kapazität zur Koordinierung"]
    assert goals["Katalog liegt vor"].parent == goals["Angebote bündeln"]
    measure = goals["Fortbildungsreihe"]
    assert (measure.parent, measure.level) == (goals["Katalog liegt vor"], Level.MEASURE)
    assert set(measure.responsible.all()) == {world.council, world.ngo}
    assert (measure.start_date, measure.end_date, measure.weight) == (
        datetime.date(2026, 5, 1),
        datetime.date(2027, 6, 30),
        Decimal("1.5"),
    )
    assert goals["Katalog liegt vor"].end_date == datetime.date(2026, 12, 31)
    assert [goals["Fortbildungsreihe"].position, goals["Beratungslandkarte"].position] == [1, 2]
    assert goals["Regionale Netzwerke"].parent == goals["Verfügbarkeit in der Fläche"]
    # The kept file is used once.
    assert client.post(CONFIRM).status_code == 302
    assert Strategy.objects.filter(title="Neue Landesstrategie").count() == 1


@pytest.mark.django_db
def test_errors_name_their_row_and_nothing_is_saved(world: World) -> None:
    strategy_world(world)
    before = (Strategy.objects.count(), Goal.objects.count())
    client = world.client("state_admin")
    bad = "\n".join(
        [
            HEADER,
            "Leitziel;L;;;;;",
            "Maßnahme;Zu tief;;;;;",
            "strategisches Handlungsziel;S;;Präventionsrat Rostock;;;",
        ]
    )
    response = _upload(client, bad)
    assert response.status_code == 200
    assert response.context["valid"] is False
    assert response.context["error_count"] == 2
    page = response.content.decode()
    assert "Präventionsrat Rostock" in page
    assert response.context["form"]["title"].value() == "Neue Landesstrategie"
    assert client.post(CONFIRM).status_code == 302
    assert (Strategy.objects.count(), Goal.objects.count()) == before


@pytest.mark.django_db
def test_each_kind_of_error(world: World) -> None:
    assert list(_errors(world, "Maßnahme;M;;;;;")) == [2]  # first row is not the guiding goal
    errors = _errors(
        world,
        "Leitziel;L;;;;;",
        "Leitziel;Zweites;;;;;",  # 3: a second guiding goal
        "strategisches Handlungsziel;S;;;;;",
        "Maßnahme;Sprung;;;;;",  # 5: skips the operational goal
        "operatives Handlungsziel;O;;Gibt es nicht;;;",  # 6: unknown organisation
        "Maßnahme;Datum;;;31.02.2026;;",  # 7: bad date
        "Maßnahme;Ende;;;01.06.2026;01.05.2026;",  # 8: end before start
        "Maßnahme;Gewicht;;;;;-1",  # 9: negative weight
        "Ebene 7;Unbekannt;;;;;",  # 10: unknown level
        "Maßnahme;;;;;;",  # 11: no title
    )
    assert sorted(errors) == [3, 4 + 1, 6, 7, 8, 9, 10, 11]
    assert "guiding goal" in errors[3][0]
    assert "skipped" in errors[5][0]
    assert "Gibt es nicht" in errors[6][0]
    assert "DD.MM.YYYY" in errors[7][0]
    assert "before the start" in errors[8][0]
    assert "negative" in errors[9][0]
    assert "Ebene 7" in errors[10][0]
    assert "title" in errors[11][0]


@pytest.mark.django_db
def test_organisations_of_another_state_are_unknown(world: World) -> None:
    errors = _errors(world, f"Leitziel;L;;{world.other_state_council.name};;;")
    assert list(errors) == [2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("title;description\nX;Y", "missing"),
        (HEADER, "no rows"),
    ],
)
def test_unreadable_files(world: World, content: str, message: str) -> None:
    with pytest.raises(StrategyImportError, match=message):
        parse_strategy_csv(content, world.state)


@pytest.mark.django_db
def test_bad_form_input_keeps_the_input(world: World) -> None:
    strategy_world(world)
    client = world.client("state_staff")
    response = _upload(client, GOOD, title="Landesstrategie Kommunale Prävention")
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert response.context["form"]["title"].value() == "Landesstrategie Kommunale Prävention"
    file = SimpleUploadedFile("s.csv", "äöü".encode("latin-1"), "text/csv")
    response = client.post(IMPORT, {"title": "X", "audience": Audience.ALL, "file": file})
    assert "UTF-8" in response.context["form"].errors["file"][0]
    assert response.context["form"]["title"].value() == "X"
    assert not Strategy.objects.filter(title="X").exists()


@pytest.mark.django_db
def test_example_file_imports_cleanly(world: World) -> None:
    response = world.client("state_staff").get(EXAMPLE)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="strategie-beispiel.csv"'
    text = response.content.decode("utf-8-sig")
    assert world.office.name in text
    rows = parse_strategy_csv(text, world.state)
    assert rows and all(row.is_valid for row in rows)


@pytest.mark.django_db
def test_confirm_into_the_state_of_the_upload_only(world: World) -> None:
    client = world.client("state_staff")
    _upload(client, GOOD)
    session = client.session
    kept = session["strategy_import"]
    kept["state"] = world.other_state.pk
    session["strategy_import"] = kept
    session.save()
    assert client.post(CONFIRM).status_code == 302
    assert not Strategy.objects.filter(title="Neue Landesstrategie").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "member", "ngo_representative"])
def test_only_state_staff_import(world: World, role: str) -> None:
    client = world.client(role)
    assert client.get(IMPORT).status_code == 403
    assert _upload(client, GOOD).status_code == 403
    assert client.post(CONFIRM).status_code == 403
    assert client.get(EXAMPLE).status_code == 403


@pytest.mark.django_db
def test_anonymous_and_wrong_methods(world: World) -> None:
    assert world.client("anonymous").get(IMPORT).status_code == 302
    staff = world.client("state_staff")
    assert staff.get(CONFIRM).status_code == 405
    assert staff.post(EXAMPLE).status_code == 405
    assert staff.put(IMPORT).status_code == 405


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_pages_in_a_browser(portal: PortalPage, tmp_path: Path) -> None:  # noqa: F811
    """Upload form, preview with errors and clean preview: one h1, axe finds nothing."""
    world = build_world()
    portal.log_in(world.users["state_staff"].username, "geheim-123")
    portal.goto(IMPORT)
    portal.check()
    for name, text in (
        ("fehler.csv", GOOD + "\nMaßnahme;Zu tief;;Unbekannt;;;-1"),
        ("ok.csv", GOOD),
    ):
        portal.goto(IMPORT)
        file = tmp_path / name
        file.write_text(text, encoding="utf-8")
        portal.page.fill("input[name='title']", "Entwurf aus Datei")
        portal.page.set_input_files("input[name='file']", str(file))
        with portal.page.expect_navigation():
            portal.page.locator("main form[enctype] button[type='submit']").click()
        assert portal.page.locator("table tbody tr").count() == text.count("\n")
        portal.check()
    with portal.page.expect_navigation():
        portal.page.locator("main form[action$='/import/bestaetigen/'] button").click()
    assert Strategy.objects.get(title="Entwurf aus Datei").goals.count() == 7
