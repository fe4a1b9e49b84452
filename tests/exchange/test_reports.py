"""Exchange reports: co-editing, every status change and its log, who sees what, forged posts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from councils.models import OrganisationKind, Region, Role
from councils.topics import Topic
from exchange import reports
from exchange.models import (
    ExchangeReport,
    OfferedResource,
    ReportAttachment,
    ReportEvent,
    ReportTopic,
)
from exchange.models import ReportStatus as R
from notifications.models import Notification
from strategy.models import GoalLink
from tests.conftest import World
from tests.exchange.world_reports import (
    ExchangeWorld,
    exchange_world,
    fresh,
    representative,
)
from tests.factories import MembershipFactory, OrganisationFactory, RegionFactory
from tests.strategy.factories import strategy_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def xw(world: World) -> ExchangeWorld:
    return exchange_world(world)


def edit_url(report: ExchangeReport) -> str:
    return reverse("exchange:report_edit", kwargs={"pk": report.pk})


def detail_url(report: ExchangeReport) -> str:
    return reverse("exchange:report_detail", kwargs={"pk": report.pk})


def edit_data(report: ExchangeReport, **overrides: Any) -> dict[str, Any]:
    """The edit form as the browser posts it, with the report's current content."""
    data: dict[str, Any] = {
        "version": report.version,
        "activities": report.activities,
        "findings": report.findings,
        "needs": report.needs,
        "topics": list(report.topics.values_list("topic", flat=True)),
        "regions": list(report.regions.values_list("pk", flat=True)),
        "goals": [],
        "resources-TOTAL_FORMS": "1",
        "resources-INITIAL_FORMS": "0",
        "resources-MIN_NUM_FORMS": "0",
        "resources-MAX_NUM_FORMS": "50",
        "resources-0-kind": "training",
        "resources-0-title": "Schulung für Ehrenamtliche",
        "resources-0-description": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def kinds_of(user: Any) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# Co-editing ----------------------------------------------------------------------------------


def test_a_save_over_a_newer_version_keeps_the_text_and_names_who_saved(
    world: World, xw: ExchangeWorld
) -> None:
    colleague = representative(world.ngo, "kollegin")
    colleague.first_name, colleague.last_name = "Karla", "Kollegin"
    colleague.save()
    opened = fresh(xw.draft)  # both open the page at the same version

    first = Client()
    first.force_login(colleague)
    response = first.post(edit_url(opened), edit_data(opened, activities="Text von Karla"))
    assert response.status_code == 302

    second = world.client("ngo_representative")
    response = second.post(edit_url(opened), edit_data(opened, activities="Mein eigener Text"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Karla Kollegin" in page  # named as the one who saved meanwhile
    assert "Mein eigener Text</textarea>" in page  # the user's text is kept in the form
    assert "Text von Karla" in page  # beside the stored version
    stored = fresh(xw.draft)
    assert stored.activities == "Text von Karla"
    assert stored.version == opened.version + 1
    assert f'name="version" value="{stored.version}"' in page

    # Saving again on purpose replaces the stored version.
    response = second.post(edit_url(opened), edit_data(stored, activities="Mein eigener Text"))
    assert response.status_code == 302
    assert fresh(xw.draft).activities == "Mein eigener Text"
    assert fresh(xw.draft).updated_by == world.users["ngo_representative"]


def test_the_service_refuses_an_older_version(world: World, xw: ExchangeWorld) -> None:
    rep = world.users["ngo_representative"]
    old = xw.draft.version
    reports.report_update(report=xw.draft, by=rep, version=old, activities="neu")
    with pytest.raises(ValidationError) as info:
        reports.report_update(report=xw.draft, by=rep, version=old, activities="alt")
    assert info.value.code == "conflict"
    assert str(rep) in info.value.messages[0]
    assert fresh(xw.draft).activities == "neu"


def test_the_edit_form_saves_everything(world: World, xw: ExchangeWorld) -> None:
    sw = strategy_world(world)
    region = Region.objects.get(state=world.state, name="Lüneburg")
    data = edit_data(
        xw.draft,
        activities="  Aktivitäten  ",
        topics=[Topic.YOUTH, Topic.SENIORS],
        regions=[region.pk],
        goals=[sw.strategic.pk],
        **{
            "resources-TOTAL_FORMS": "3",
            "resources-1-kind": "rooms",
            "resources-1-title": "Seminarraum",
            "resources-1-description": "Bis 20 Personen",
            "resources-2-kind": "",
            "resources-2-title": "",
        },
    )
    response = world.client("ngo_representative").post(edit_url(xw.draft), data)
    assert response.status_code == 302
    report = fresh(xw.draft)
    assert report.activities == "Aktivitäten"
    assert sorted(report.topics.values_list("topic", flat=True)) == ["seniors", "youth"]
    assert list(report.regions.all()) == [region]
    assert [g.pk for g in reports.report_goals(report)] == [sw.strategic.pk]
    assert list(report.resources.values_list("kind", "title", "position")) == [
        ("training", "Schulung für Ehrenamtliche", 0),
        ("rooms", "Seminarraum", 1),
    ]


def test_adding_a_resource_row_saves_nothing_and_keeps_the_text(
    world: World, xw: ExchangeWorld
) -> None:
    data = edit_data(xw.draft, activities="Noch nicht gespeichert", add_resource="1")
    response = world.client("ngo_representative").post(edit_url(xw.draft), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Noch nicht gespeichert</textarea>" in page
    assert 'name="resources-1-title"' in page
    assert fresh(xw.draft).activities != "Noch nicht gespeichert"


def test_an_unchanged_resource_keeps_its_row(world: World, xw: ExchangeWorld) -> None:
    kept = xw.draft.resources.get()
    reports.resources_replace(
        report=xw.draft,
        resources=[
            reports.ResourceData(kind="material", title="Koffer"),
            reports.ResourceData(kind=kept.kind, title=kept.title, description="neu"),
        ],
    )
    rows = list(OfferedResource.objects.filter(report=xw.draft).order_by("position"))
    assert [r.title for r in rows] == ["Koffer", kept.title]
    assert rows[1].pk == kept.pk and rows[1].description == "neu"
    with pytest.raises(ValidationError):
        reports.resources_replace(
            report=xw.draft, resources=[reports.ResourceData(kind="cake", title="x")]
        )


def test_the_edit_page_lists_the_saved_content(world: World, xw: ExchangeWorld) -> None:
    response = world.client("ngo_representative").get(edit_url(xw.draft))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert "Referentin Opferschutz" in page
    assert f'name="version" value="{xw.draft.version}"' in page


def test_a_submitted_report_cannot_be_edited(world: World, xw: ExchangeWorld) -> None:
    client = Client()
    client.force_login(xw.second_representative)
    assert client.get(edit_url(xw.submitted)).status_code == 403
    with pytest.raises(ValidationError):
        reports.report_update(
            report=xw.submitted,
            by=xw.second_representative,
            version=xw.submitted.version,
            activities="x",
        )


# Status changes and their log ----------------------------------------------------------------


def test_submit_return_resubmit_accept_with_their_log(
    world: World, xw: ExchangeWorld, django_capture_on_commit_callbacks: Any
) -> None:
    rep, staff = world.users["ngo_representative"], world.users["state_staff"]
    rep_client, staff_client = world.client("ngo_representative"), world.client("state_staff")
    submit_url = reverse("exchange:report_submit", kwargs={"pk": xw.draft.pk})

    with django_capture_on_commit_callbacks(execute=True):
        assert rep_client.post(submit_url).status_code == 302
    report = fresh(xw.draft)
    assert report.status == R.SUBMITTED
    first_submission = report.submitted_at
    assert first_submission is not None and report.submitted_by == rep
    assert kinds_of(staff) == ["exchange.report_submitted"]
    assert kinds_of(world.users["state_admin"]) == ["exchange.report_submitted"]
    assert kinds_of(world.users["other_state_admin"]) == []

    # Staff return it with a question; the question is required.
    return_url = reverse("exchange:report_return", kwargs={"pk": report.pk})
    response = staff_client.post(return_url, {"question": "  "})
    assert response.status_code == 200 and fresh(report).status == R.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(return_url, {"question": "Welche Landkreise genau?"})
    assert response.status_code == 302
    assert fresh(report).status == R.RETURNED
    assert kinds_of(rep) == ["exchange.report_returned"]
    assert "Welche Landkreise genau?" in rep_client.get(detail_url(report)).content.decode()
    # Returned, it is no longer published.
    assert world.client("member").get(detail_url(report)).status_code == 404

    # The resubmission needs the answer, which becomes the message of its event.
    response = rep_client.post(submit_url, {"answer": ""})
    assert response.status_code == 200 and fresh(report).status == R.RETURNED
    with django_capture_on_commit_callbacks(execute=True):
        response = rep_client.post(submit_url, {"answer": "Hameln und Hildesheim."})
    assert response.status_code == 302
    report = fresh(report)
    assert report.status == R.SUBMITTED
    assert report.submitted_at == first_submission  # lateness counts from the first one

    accept_url = reverse("exchange:report_accept", kwargs={"pk": report.pk})
    assert staff_client.get(accept_url).status_code == 200  # confirmation first
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(accept_url, {"message": "Danke!"})
    assert response.status_code == 302
    assert fresh(report).status == R.ACCEPTED
    assert kinds_of(rep) == ["exchange.report_accepted", "exchange.report_returned"]

    log = list(
        ReportEvent.objects.filter(report=report)
        .order_by("at", "pk")
        .values_list("from_status", "to_status", "by__username", "reason")
    )
    assert log == [
        (R.DRAFT, R.SUBMITTED, "ngo-representative", ""),
        (R.SUBMITTED, R.RETURNED, "state-staff", "Welche Landkreise genau?"),
        (R.RETURNED, R.SUBMITTED, "ngo-representative", "Hameln und Hildesheim."),
        (R.SUBMITTED, R.ACCEPTED, "state-staff", "Danke!"),
    ]
    page = rep_client.get(detail_url(report)).content.decode()
    assert "Hameln und Hildesheim." in page and "Danke!" in page


def test_steps_that_do_not_fit_the_status_are_refused(world: World, xw: ExchangeWorld) -> None:
    staff = world.users["state_staff"]
    with pytest.raises(ValidationError):
        reports.report_accept(report=xw.draft, by=staff)
    with pytest.raises(ValidationError):
        reports.report_return(report=xw.draft, by=staff, question="Warum?")
    reports.report_accept(report=xw.submitted, by=staff)
    with pytest.raises(ValidationError):
        reports.report_submit(report=xw.submitted, by=xw.second_representative)
    with pytest.raises(ValidationError):
        reports.report_return(report=xw.submitted, by=staff, question="Noch etwas?")
    assert fresh(xw.submitted).status == R.ACCEPTED
    assert ReportEvent.objects.filter(report=xw.draft).count() == 0


def test_the_staff_pages_send_back_when_the_status_does_not_fit(
    world: World, xw: ExchangeWorld
) -> None:
    reports.report_accept(report=xw.submitted, by=world.users["state_staff"])
    client = world.client("state_staff")
    for name in ("exchange:report_return", "exchange:report_accept"):
        response = client.post(reverse(name, kwargs={"pk": xw.submitted.pk}), {"question": "?"})
        assert response.status_code == 302
    assert fresh(xw.submitted).status == R.ACCEPTED


def test_an_incomplete_report_is_refused_with_named_fields(world: World, xw: ExchangeWorld) -> None:
    rep = world.users["ngo_representative"]
    reports.report_update(
        report=xw.draft, by=rep, version=xw.draft.version, findings="", activities="", topics=[]
    )
    url = reverse("exchange:report_submit", kwargs={"pk": xw.draft.pk})
    client = world.client("ngo_representative")
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 200
    assert fresh(xw.draft).status == R.DRAFT
    with pytest.raises(ValidationError) as info:
        reports.report_submit(report=xw.draft, by=rep)
    assert set(info.value.message_dict) == {"activities", "findings", "topics"}
    edit = edit_url(xw.draft)
    assert f'href="{edit}#id_activities"' in response.content.decode()
    assert f'href="{edit}#topics"' in response.content.decode()


def test_a_second_submit_finds_it_submitted(world: World, xw: ExchangeWorld) -> None:
    client = world.client("ngo_representative")
    url = reverse("exchange:report_submit", kwargs={"pk": xw.draft.pk})
    assert client.post(url).status_code == 302
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(xw.draft)
    assert ReportEvent.objects.filter(report=xw.draft).count() == 1


def test_wrong_methods(world: World, xw: ExchangeWorld) -> None:
    client = world.client("ngo_representative")
    assert client.post(detail_url(xw.draft)).status_code == 405
    assert client.put(edit_url(xw.draft)).status_code == 405
    start = reverse("exchange:report_start", kwargs={"pk": xw.period.pk})
    assert client.get(start).status_code == 405
    assert client.post(reverse("exchange:report_list")).status_code == 405


# Who sees what -------------------------------------------------------------------------------


def _people(world: World, xw: ExchangeWorld) -> dict[str, Client]:
    """One client per kind of person; "second_ngo" represents another NGO of the state."""
    clients = {
        role: world.client(role)
        for role in (
            "anonymous",
            "ngo_representative",
            "coordinator",
            "member",
            "state_staff",
            "state_admin",
            "other_state_admin",
            "other_state_coordinator",
        )
    }
    for key, user in (
        ("second_ngo", xw.second_representative),
        ("other_state_ngo", xw.other_state_representative),
    ):
        clients[key] = Client()
        clients[key].force_login(user)
    return clients


#: Who reads the world NGO's report, by its status (302: sent to the login).
VISIBILITY = {
    R.DRAFT: {"ngo_representative", "state_staff", "state_admin"},
    R.RETURNED: {"ngo_representative", "state_staff", "state_admin"},
    R.SUBMITTED: {
        "ngo_representative",
        "state_staff",
        "state_admin",
        "coordinator",
        "member",
        "second_ngo",
    },
    R.ACCEPTED: {
        "ngo_representative",
        "state_staff",
        "state_admin",
        "coordinator",
        "member",
        "second_ngo",
    },
}


@pytest.mark.parametrize("status", list(VISIBILITY))
def test_visibility_of_a_report_by_status(world: World, xw: ExchangeWorld, status: str) -> None:
    ExchangeReport.objects.filter(pk=xw.draft.pk).update(status=status)
    clients = _people(world, xw)
    for who, client in clients.items():
        response = client.get(detail_url(xw.draft))
        expected = 200 if who in VISIBILITY[status] else 404
        if who == "anonymous":
            expected = 302
        assert response.status_code == expected, (who, status)
        listed = client.get(reverse("exchange:report_list"))
        if who != "anonymous":
            published = status in (R.SUBMITTED, R.ACCEPTED) and expected == 200
            assert (f'href="{detail_url(xw.draft)}"' in listed.content.decode()) == published, who


def test_another_state_never_sees_a_published_report(world: World, xw: ExchangeWorld) -> None:
    clients = _people(world, xw)
    for who in ("other_state_admin", "other_state_coordinator", "other_state_ngo"):
        assert clients[who].get(detail_url(xw.submitted)).status_code == 404
        period = reverse("exchange:period_digest", kwargs={"pk": xw.period.pk})
        assert clients[who].get(period).status_code == 404
    for who in ("ngo_representative", "coordinator", "member", "second_ngo"):
        assert clients[who].get(detail_url(xw.other_state_submitted)).status_code == 404


def test_another_ngo_of_the_state_cannot_touch_a_draft(world: World, xw: ExchangeWorld) -> None:
    clients = _people(world, xw)
    for name in ("exchange:report_edit", "exchange:report_submit", "exchange:report_attachments"):
        assert (
            clients["second_ngo"].get(reverse(name, kwargs={"pk": xw.draft.pk})).status_code == 404
        )
    # Its own, submitted report it reads, but it is no longer editable.
    assert clients["second_ngo"].get(edit_url(xw.submitted)).status_code == 403
    # The first NGO reads the second NGO's published report but may not act on it.
    assert clients["ngo_representative"].get(detail_url(xw.submitted)).status_code == 200
    assert clients["ngo_representative"].get(edit_url(xw.submitted)).status_code == 403
    accept = reverse("exchange:report_accept", kwargs={"pk": xw.submitted.pk})
    assert clients["ngo_representative"].post(accept).status_code == 403


def test_the_page_shows_each_person_their_actions(world: World, xw: ExchangeWorld) -> None:
    rep_page = world.client("ngo_representative").get(detail_url(xw.draft)).content.decode()
    assert edit_url(xw.draft) in rep_page
    staff_page = world.client("state_staff").get(detail_url(xw.submitted)).content.decode()
    assert reverse("exchange:report_accept", kwargs={"pk": xw.submitted.pk}) in staff_page
    assert reverse("exchange:report_return", kwargs={"pk": xw.submitted.pk}) in staff_page
    member_page = world.client("member").get(detail_url(xw.submitted)).content.decode()
    assert reverse("exchange:report_accept", kwargs={"pk": xw.submitted.pk}) not in member_page
    assert edit_url(xw.submitted) not in member_page
    assert "Referentin Opferschutz" in member_page
    assert member_page.count("<h1") == 1


# Forged posts --------------------------------------------------------------------------------


def test_a_forged_post_cannot_set_status_ngo_or_period(world: World, xw: ExchangeWorld) -> None:
    data = edit_data(
        xw.draft,
        activities="Gefälscht?",
        status=R.ACCEPTED,
        ngo=xw.second_ngo.pk,
        period=xw.other_period.pk,
        submitted_at="2020-01-01",
    )
    response = world.client("ngo_representative").post(edit_url(xw.draft), data)
    assert response.status_code == 302
    report = fresh(xw.draft)
    assert report.activities == "Gefälscht?"
    assert (report.status, report.ngo_id, report.period_id) == (
        R.DRAFT,
        world.ngo.pk,
        xw.period.pk,
    )
    assert report.submitted_at is None


def test_regions_and_goals_of_another_state_are_refused(world: World, xw: ExchangeWorld) -> None:
    mv_region = Region.objects.get(state=world.other_state)
    response = world.client("ngo_representative").post(
        edit_url(xw.draft), edit_data(xw.draft, regions=[mv_region.pk], activities="neu")
    )
    assert response.status_code == 200
    assert fresh(xw.draft).regions.count() == 0
    assert fresh(xw.draft).activities != "neu"
    with pytest.raises(ValidationError):
        reports.report_set_regions(report=xw.draft, regions=[mv_region])
    goal = strategy_world(world).other_state_measure
    with pytest.raises(ValidationError):
        reports.report_set_goals(report=xw.draft, goals=[goal])
    assert not GoalLink.objects.filter(object_id=xw.draft.pk, goal=goal).exists()


def test_report_start_refuses_another_states_period_and_a_non_ngo(
    world: World, xw: ExchangeWorld
) -> None:
    rep = world.users["ngo_representative"]
    with pytest.raises(ValidationError):
        reports.report_start(period=xw.other_period, ngo=world.ngo, by=rep)
    with pytest.raises(ValidationError):
        reports.report_start(period=xw.period, ngo=world.council, by=rep)


def test_report_start_ignores_a_forged_ngo(world: World, xw: ExchangeWorld) -> None:
    period = xw.period
    ExchangeReport.objects.filter(pk=xw.draft.pk).delete()
    url = reverse("exchange:report_start", kwargs={"pk": period.pk})
    response = world.client("ngo_representative").post(url, {"ngo": xw.second_ngo.pk})
    report = ExchangeReport.objects.get(period=period, ngo=world.ngo)
    assert response["Location"] == edit_url(report)
    # A second click opens the same draft.
    world.client("ngo_representative").post(url)
    assert ExchangeReport.objects.filter(period=period, ngo=world.ngo).count() == 1
    assert ExchangeReport.objects.filter(period=period, ngo=xw.second_ngo).count() == 1


def test_a_representative_of_two_ngos_chooses(world: World, xw: ExchangeWorld) -> None:
    third = OrganisationFactory(state=world.state, kind=OrganisationKind.NGO, name="Dritte NGO")
    rep = world.users["ngo_representative"]
    MembershipFactory(user=rep, organisation=third, role=Role.NGO_REPRESENTATIVE)
    client = world.client("ngo_representative")
    url = reverse("exchange:report_start", kwargs={"pk": xw.period.pk})
    client.post(url, {"ngo": third.pk})
    assert ExchangeReport.objects.filter(period=xw.period, ngo=third).exists()
    page = client.get(reverse("exchange:period_list")).content.decode()
    assert "Dritte NGO" in page


# Attachments ---------------------------------------------------------------------------------


def test_attachments_upload_download_delete(world: World, xw: ExchangeWorld) -> None:
    client = world.client("ngo_representative")
    url = reverse("exchange:report_attachments", kwargs={"pk": xw.draft.pk})
    bad = client.post(url, {"title": "Virus", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 200 and not ReportAttachment.objects.filter(report=xw.draft).exists()
    response = client.post(
        url, {"title": "Flyer", "file": SimpleUploadedFile("flyer.pdf", b"%PDF-1.4 Flyer")}
    )
    assert response.status_code == 302
    attachment = ReportAttachment.objects.get(report=xw.draft)
    download = reverse(
        "exchange:report_attachment_download",
        kwargs={"pk": xw.draft.pk, "attachment_pk": attachment.pk},
    )
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 Flyer"  # type: ignore[attr-defined]
    assert world.client("member").get(download).status_code == 404  # a draft's document
    # An attachment id of another report is not found through this report.
    other = reverse(
        "exchange:report_attachment_download",
        kwargs={"pk": xw.submitted.pk, "attachment_pk": attachment.pk},
    )
    assert client.get(other).status_code == 404

    delete = reverse(
        "exchange:report_attachment_delete",
        kwargs={"pk": xw.draft.pk, "attachment_pk": attachment.pk},
    )
    assert "Flyer" in client.get(delete).content.decode()  # confirmation first
    assert ReportAttachment.objects.filter(pk=attachment.pk).exists()
    assert client.post(delete).status_code == 302
    assert not ReportAttachment.objects.filter(pk=attachment.pk).exists()


def test_topics_must_be_known(world: World, xw: ExchangeWorld) -> None:
    with pytest.raises(ValidationError):
        reports.report_set_topics(report=xw.draft, topics=["astrology"])
    reports.report_set_topics(report=xw.draft, topics=[Topic.YOUTH])
    assert list(ReportTopic.objects.filter(report=xw.draft).values_list("topic", flat=True)) == [
        Topic.YOUTH
    ]


def test_a_region_of_the_reports_state_is_accepted(world: World, xw: ExchangeWorld) -> None:
    region = RegionFactory(state=world.state, name="Weser-Ems")
    reports.report_set_regions(report=xw.draft, regions=[region])
    assert list(fresh(xw.draft).regions.all()) == [region]
