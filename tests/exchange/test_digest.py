"""The digest of a period: published reports by topic, resources beside needs, page and PDF."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from councils.models import OrganisationKind
from councils.topics import Topic
from exchange import reports
from exchange.digest import build_digest, pdf_filename
from exchange.models import ExchangeReport, ReportTopic, ResourceKind
from tests.conftest import World
from tests.exchange.world_reports import (
    ExchangeWorld,
    english,
    exchange_world,
    representative,
    submit,
    write,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def xw(world: World) -> ExchangeWorld:
    """The second NGO's published report is about violence and youth; one more about youth
    and addiction; the world NGO's draft (victims) and a returned report stay out."""
    xw = exchange_world(world)
    sucht = OrganisationFactory(state=world.state, kind=OrganisationKind.NGO, name="LAG Sucht")
    rep = representative(sucht, "sucht")
    report = write(
        xw.period,
        sucht,
        rep,
        topics=(Topic.YOUTH, Topic.ADDICTION),
        resources=(("material", "Methodenkoffer"), ("rooms", "Seminarraum Hannover")),
        needs="Kontakte zu Sportvereinen",
    )
    accepted = submit(report, rep)
    reports.report_accept(report=accepted, by=world.users["state_staff"])
    back = OrganisationFactory(state=world.state, kind=OrganisationKind.NGO, name="Zurück e. V.")
    back_rep = representative(back, "zurueck")
    returned = submit(
        write(xw.period, back, back_rep, resources=(("training", "Geheime Schulung"),)), back_rep
    )
    reports.report_return(report=returned, by=world.users["state_staff"], question="Wann?")
    return xw


def _groups(world: World, xw: ExchangeWorld, role: str = "member") -> dict[str, list[str]]:
    url = reverse("exchange:period_digest", kwargs={"pk": xw.period.pk})
    response = world.client(role).get(url)
    assert response.status_code == 200
    digest = response.context["digest"]
    return {group.topic: [r.ngo.name for r in group.reports] for group in digest.groups}


def test_reports_are_grouped_by_topic_and_appear_under_each(
    world: World, xw: ExchangeWorld
) -> None:
    assert _groups(world, xw) == {
        Topic.VIOLENCE: ["Netzwerk Gewaltprävention an Schulen"],
        Topic.YOUTH: ["LAG Sucht", "Netzwerk Gewaltprävention an Schulen"],
        Topic.ADDICTION: ["LAG Sucht"],
    }
    # Staff see drafts elsewhere, but the digest holds only the published reports.
    assert _groups(world, xw, "state_staff") == _groups(world, xw)


def test_resources_and_needs_side_by_side_per_topic(world: World, xw: ExchangeWorld) -> None:
    digest = build_digest(xw.period, ExchangeReport.objects.visible_to(world.users["member"]))
    youth = next(group for group in digest.groups if group.topic == Topic.YOUTH)
    assert [r.title for r in youth.resources] == [
        "Methodenkoffer",
        "Seminarraum Hannover",
        "Referentin Opferschutz",
    ]
    assert [r.ngo.name for r in youth.needs] == [
        "LAG Sucht",
        "Netzwerk Gewaltprävention an Schulen",
    ]
    addiction = next(group for group in digest.groups if group.topic == Topic.ADDICTION)
    assert [r.title for r in addiction.resources] == ["Methodenkoffer", "Seminarraum Hannover"]
    counts = {str(label): n for label, n in digest.resource_counts}
    kinds = (
        ResourceKind.MATERIAL,
        ResourceKind.ROOMS,
        ResourceKind.SPEAKERS,
        ResourceKind.TRAINING,
    )
    assert tuple(counts[str(kind.label)] for kind in kinds) == (
        1,
        1,
        1,
        0,
    )
    page = (
        english(world.client("member"))
        .get(reverse("exchange:period_digest", kwargs={"pk": xw.period.pk}))
        .content.decode()
    )
    assert "Kontakte zu Sportvereinen" in page and "Methodenkoffer" in page
    assert "Geheime Schulung" not in page  # the returned report is not published
    assert page.count("<h1") == 1


def test_a_published_report_without_topic_has_its_own_group(
    world: World, xw: ExchangeWorld
) -> None:
    ReportTopic.objects.filter(report=xw.submitted).delete()
    groups = _groups(world, xw)
    assert groups[""] == ["Netzwerk Gewaltprävention an Schulen"]
    assert Topic.VIOLENCE not in groups


def test_another_states_reports_stay_out(world: World, xw: ExchangeWorld) -> None:
    url = reverse("exchange:period_digest", kwargs={"pk": xw.other_period.pk})
    digest = world.client("other_state_admin").get(url).context["digest"]
    assert [r.ngo.name for r in digest.reports] == ["Opferhilfe Mecklenburg-Vorpommern"]
    assert world.client("member").get(url).status_code == 404


def test_the_pdf_holds_topics_resources_and_needs(world: World, xw: ExchangeWorld) -> None:
    url = reverse("exchange:period_digest_pdf", kwargs={"pk": xw.period.pk})
    response = english(world.client("coordinator")).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert pdf_filename(xw.period) in response["Content-Disposition"]
    text = "\n".join(
        page.extract_text() or "" for page in PdfReader(io.BytesIO(response.content)).pages
    )
    flat = " ".join(text.split())
    for expected in (
        "Digest of the exchange reports: 1. Halbjahr",
        "Youth crime and youth protection",
        "Addiction prevention",
        "Violence prevention",
        "Methodenkoffer",
        "Kontakte zu Sportvereinen",
        "LAG Sucht",
        "Offered to the network",
    ):
        assert expected in flat, expected
    assert "Geheime Schulung" not in flat


def test_an_empty_period_says_so(world: World) -> None:
    xw = exchange_world(world)
    ExchangeReport.objects.filter(period=xw.period).exclude(pk=xw.draft.pk).delete()
    url = reverse("exchange:period_digest", kwargs={"pk": xw.period.pk})
    page = english(world.client("member")).get(url).content.decode()
    assert "No report of this period has been published yet." in page
    pdf = world.client("member").get(url + "pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
