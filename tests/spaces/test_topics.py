"""Focus topics: the state's catalogue, the council's choice with its analysis, the overview."""

from __future__ import annotations

import pytest
from django.urls import reverse

from spaces.catalogue import DEFAULT_FOCUS_TOPICS
from spaces.models import CouncilFocusTopic, CriminologicalAnalysis, FocusTopic
from tests.conftest import World
from tests.factories import StateNetworkFactory
from tests.spaces.world_workgroups import groups_world, pdf

pytestmark = pytest.mark.django_db


def test_a_new_state_starts_with_the_usual_prevention_fields(db: None) -> None:
    state = StateNetworkFactory(name="Sachsen", slug="sachsen", code="SN")
    names = list(FocusTopic.objects.filter(state=state).values_list("name", flat=True))
    assert names == [name for name, _ in DEFAULT_FOCUS_TOPICS]
    assert "Verkehrssicherheit" in names and "Häusliche Gewalt" in names


def test_staff_keep_the_catalogue_of_their_state(world: World) -> None:
    client = world.client("state_staff")
    url = reverse("spaces:topic_create") + f"?state={world.state.pk}"
    response = client.post(url, {"name": "Taschendiebstahl", "position": 20, "is_active": "on"})
    assert response.status_code == 302
    topic = FocusTopic.objects.get(name="Taschendiebstahl")
    assert topic.state == world.state
    clash = client.post(url, {"name": "verkehrssicherheit", "position": 1})
    assert "Der Katalog enthält bereits ein Thema mit diesem Namen." in clash.content.decode()
    other = reverse("spaces:topic_create") + f"?state={world.other_state.pk}"
    assert client.get(other).status_code == 404
    edit = reverse("spaces:topic_edit", kwargs={"pk": topic.pk})
    client.post(edit, {"name": "Taschendiebstahl", "position": 20})
    topic.refresh_from_db()
    assert topic.is_active is False


def test_an_empty_catalogue_is_filled_again(world: World) -> None:
    FocusTopic.objects.filter(state=world.state).delete()
    client = world.client("state_admin")
    page = client.get(reverse("spaces:topic_catalogue")).content.decode()
    assert "Der Katalog ist leer." in page
    client.post(reverse("spaces:topic_catalogue_seed"), {"state": world.state.pk})
    assert FocusTopic.objects.filter(state=world.state).count() == len(DEFAULT_FOCUS_TOPICS)


def test_the_coordinator_uploads_the_analysis_with_its_topics(world: World) -> None:
    traffic, addiction = FocusTopic.objects.filter(state=world.state).order_by("position")[:2]
    client = world.client("coordinator")
    url = reverse("spaces:analysis_create", kwargs={"council": world.council.pk})
    response = client.post(
        url,
        {
            "title": "Kriminologische Regionalanalyse Hameln 2026",
            "analysed_on": "2026-04-01",
            "summary": "Verkehr und Sucht sind die Schwerpunkte.",
            "file": pdf("analyse.pdf"),
            "topics": [traffic.pk, addiction.pk],
        },
    )
    assert response.status_code == 302
    analysis = CriminologicalAnalysis.objects.get()
    assert set(
        CouncilFocusTopic.objects.filter(council=world.council, analysis=analysis).values_list(
            "topic__name", flat=True
        )
    ) == {traffic.name, addiction.name}
    page = world.client("member").get(
        reverse("spaces:council_topics", kwargs={"council": world.council.pk})
    )
    assert "Verkehr und Sucht sind die Schwerpunkte." in page.content.decode()
    download = world.client("state_staff").get(
        reverse("spaces:analysis_file", kwargs={"council": world.council.pk, "pk": analysis.pk})
    )
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("analyse.pdf", b"<html><script>alert(1)</script></html>", "HTML oder SVG"),
        ("analyse.exe", b"MZ\x90\x00", "Laden Sie eine Datei dieser Arten hoch"),
        ("analyse.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "ist aber eine PNG-Datei"),
    ],
)
def test_a_disguised_analysis_is_refused(
    world: World, name: str, content: bytes, message: str
) -> None:
    client = world.client("coordinator")
    url = reverse("spaces:analysis_create", kwargs={"council": world.council.pk})
    response = client.post(
        url,
        {
            "title": "Analyse",
            "analysed_on": "2026-04-01",
            "summary": "Kurz",
            "file": pdf(name, content),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Analyse" in response.content.decode()
    assert not CriminologicalAnalysis.objects.exists()


def test_an_oversized_analysis_is_refused(world: World, settings: object) -> None:
    settings.UPLOAD_MAX_BYTES = 100  # type: ignore[attr-defined]
    client = world.client("coordinator")
    url = reverse("spaces:analysis_create", kwargs={"council": world.council.pk})
    response = client.post(
        url,
        {
            "title": "A",
            "analysed_on": "2026-04-01",
            "summary": "K",
            "file": pdf(content=b"%PDF" + b"x" * 200),
        },
    )
    assert "Die Datei ist größer als" in response.content.decode()


def test_another_councils_analysis_is_not_served(world: World) -> None:
    gw = groups_world(world)
    mv = gw.mv_analysis
    url = reverse("spaces:analysis_file", kwargs={"council": world.council.pk, "pk": mv.pk})
    assert world.client("coordinator").get(url).status_code == 404


def test_the_coordinator_chooses_topics_and_the_overview_shows_them(world: World) -> None:
    gw = groups_world(world)
    analysis = gw.analysis
    topics = list(FocusTopic.objects.filter(state=world.state).order_by("position"))
    client = world.client("coordinator")
    url = reverse("spaces:council_topics_edit", kwargs={"council": world.council.pk})
    client.post(url, {"topics": [topics[0].pk, topics[5].pk], "analysis": analysis.pk})
    chosen = dict(
        CouncilFocusTopic.objects.filter(council=world.council).values_list(
            "topic__name", "analysis_id"
        )
    )
    assert chosen == {topics[0].name: analysis.pk, topics[5].name: analysis.pk}
    mv_topic = FocusTopic.objects.filter(state=world.other_state).first()
    assert mv_topic is not None
    response = client.post(url, {"topics": [mv_topic.pk]})
    assert response.status_code == 200
    overview = world.client("state_staff").get(reverse("spaces:topic_overview")).content.decode()
    assert "Leine-Weser" in overview and "Präventionsrat Hameln" in overview
    assert "Präventionsrat Rostock" not in overview
