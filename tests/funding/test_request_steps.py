"""The steps of the request form: each saves through the services, only for the applicant."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funding import services
from funding.models import Attachment, CostCategory, FundingRequest
from funding.models import RequestStatus as S
from strategy.models import Goal
from tests.conftest import World
from tests.funding.factories import funding_world, make_draft, make_programme
from tests.strategy.factories import strategy_world


def step_url(request: FundingRequest, step: int) -> str:
    return reverse("funding:request_step", kwargs={"pk": request.pk, "step": step})


def fresh(request: FundingRequest) -> FundingRequest:
    return FundingRequest.objects.get(pk=request.pk)


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """The assertions read the English msgids; the portal's default language is German."""
    settings.LANGUAGE_CODE = "en"


@pytest.mark.django_db
@pytest.mark.parametrize("step", range(1, 8))
def test_every_step_renders_with_the_step_indicator(world: World, step: int) -> None:
    fw = funding_world(world)
    response = world.client("coordinator").get(step_url(fw.draft, step))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('aria-current="step"') == 1
    assert f'href="{step_url(fw.draft, step)}" aria-current="step"' in html
    for number in range(1, 8):
        assert step_url(fw.draft, number) in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("step", [0, 8, 99])
def test_an_unknown_step_is_404(world: World, step: int) -> None:
    fw = funding_world(world)
    assert world.client("coordinator").get(step_url(fw.draft, step)).status_code == 404


@pytest.mark.django_db
def test_step_one_saves_and_continues(world: World) -> None:
    fw = funding_world(world)
    response = world.client("coordinator").post(
        step_url(fw.draft, 1),
        {
            "title": "Neuer Titel",
            "carrier_name": "Jugendzentrum",
            "carrier_contact": "Frau Muster, 05151 123",
            "description": "Beschreibung",
            "action": "continue",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == step_url(fw.draft, 2)
    saved = fresh(fw.draft)
    assert (saved.title, saved.carrier_name, saved.description) == (
        "Neuer Titel",
        "Jugendzentrum",
        "Beschreibung",
    )


@pytest.mark.django_db
def test_save_draft_stays_on_the_step(world: World) -> None:
    fw = funding_world(world)
    client = world.client("coordinator")
    response = client.post(
        step_url(fw.draft, 1), {"title": "Zwischenstand", "description": "", "action": "save"}
    )
    assert response["Location"] == step_url(fw.draft, 1)
    assert "The draft was saved." in client.get(response["Location"]).content.decode()
    assert fresh(fw.draft).title == "Zwischenstand"


@pytest.mark.django_db
def test_a_missing_title_keeps_the_input(world: World) -> None:
    fw = funding_world(world)
    response = world.client("coordinator").post(
        step_url(fw.draft, 1), {"title": "", "description": "Mein Text", "action": "save"}
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert "Mein Text" in response.content.decode()
    assert fresh(fw.draft).title == "Entwurf Nachtsport"


@pytest.mark.django_db
def test_a_forged_post_cannot_set_status_amounts_programme_or_applicant(world: World) -> None:
    fw = funding_world(world)
    before = fresh(fw.draft)
    response = world.client("coordinator").post(
        step_url(fw.draft, 1),
        {
            "title": "Gefälscht",
            "description": "x",
            "status": S.APPROVED,
            "requested_amount": "99999",
            "approved_amount": "99999",
            "total_costs": "1",
            "programme": fw.other_programme.pk,
            "applicant": world.other_state_council.pk,
            "round": "7",
            "action": "save",
        },
    )
    assert response.status_code == 302
    saved = fresh(fw.draft)
    assert saved.title == "Gefälscht"
    assert saved.status == S.DRAFT
    assert saved.programme_id == fw.programme.pk
    assert saved.applicant_id == world.council.pk
    assert saved.requested_amount == before.requested_amount
    assert saved.total_costs == before.total_costs
    assert saved.approved_amount is None
    assert saved.round == 0


@pytest.mark.django_db
def test_step_two_links_goals_and_refuses_a_region_of_another_state(world: World) -> None:
    fw = funding_world(world)
    sw = strategy_world(world)
    client = world.client("coordinator")
    page = client.get(step_url(fw.draft, 2)).content.decode()
    assert f'value="{sw.measure.pk}"' in page
    assert f'value="{sw.other_state_measure.pk}"' not in page  # another state's strategy
    data = {
        "aims": "Begegnung",
        "target_group": "Jugendliche",
        "topic": "youth",
        "region": world.council.region_id,
        "goals": [sw.strategic.pk, sw.measure.pk],
        "action": "continue",
    }
    response = client.post(step_url(fw.draft, 2), data)
    assert response["Location"] == step_url(fw.draft, 3)
    assert set(Goal.objects.linked_to(fw.draft)) == {sw.strategic, sw.measure}

    foreign_region = world.other_state_council.region_id
    response = client.post(step_url(fw.draft, 2), {**data, "region": foreign_region})
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    response = client.post(step_url(fw.draft, 2), {**data, "goals": [sw.other_state_measure.pk]})
    assert response.status_code == 200
    assert "goals" in response.context["form"].errors
    assert set(Goal.objects.linked_to(fw.draft)) == {sw.strategic, sw.measure}


@pytest.mark.django_db
def test_step_three_checks_the_period_and_explains_the_early_start(world: World) -> None:
    fw = funding_world(world)
    client = world.client("coordinator")
    page = client.get(step_url(fw.draft, 3))
    assert "does not allow a start before the decision" in page.content.decode()
    assert "early_start" not in page.context["form"].fields
    response = client.post(
        step_url(fw.draft, 3),
        {"start_date": "2026-06-10", "end_date": "2026-06-01", "action": "save"},
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert 'value="2026-06-10"' in response.content.decode()

    early = make_programme(world.state, title="Frühstart", allows_early_start=True)
    draft = make_draft(early, world.council, world.users["coordinator"])
    page = client.get(step_url(draft, 3))
    assert "allows a start before the decision" in page.content.decode()
    start, end = draft.start_date, draft.end_date
    assert start is not None and end is not None
    client.post(
        step_url(draft, 3),
        {
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "early_start": "on",
            "action": "save",
        },
    )
    assert fresh(draft).early_start is True


@pytest.mark.django_db
def test_step_four_replaces_the_cost_lines_and_computes_the_total(world: World) -> None:
    fw = funding_world(world)
    client = world.client("coordinator")
    data = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-0-category": CostCategory.FEES,
        "form-0-description": "Honorare",
        "form-0-amount": "1.200,50",
        "form-1-category": CostCategory.MATERIAL,
        "form-1-description": "Bälle",
        "form-1-amount": "99.50",
        "form-2-category": "",
        "form-2-description": "",
        "form-2-amount": "",
        "total_costs": "5",
        "action": "continue",
    }
    response = client.post(step_url(fw.draft, 4), data)
    assert response["Location"] == step_url(fw.draft, 5)
    saved = fresh(fw.draft)
    assert saved.total_costs == Decimal("1300.00")
    assert [line.amount for line in saved.cost_lines.all()] == [
        Decimal("1200.50"),
        Decimal("99.50"),
    ]
    assert saved.requested_amount == Decimal("1100.00")  # own contribution 200
    assert "1,300.00" in client.get(step_url(fw.draft, 4)).content.decode()


@pytest.mark.django_db
def test_step_four_adds_a_row_without_javascript(world: World) -> None:
    fw = funding_world(world)
    client = world.client("coordinator")
    page = client.get(step_url(fw.draft, 4))
    rows = page.context["formset"].total_form_count()
    data = {
        "form-TOTAL_FORMS": str(rows),
        "form-INITIAL_FORMS": str(rows - 1),
        "form-0-category": CostCategory.FEES,
        "form-0-description": "Honorare",
        "form-0-amount": "1000,00",
        "add_line": "1",
    }
    response = client.post(step_url(fw.draft, 4), data)
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == rows + 1
    assert f'name="form-{rows}-description"' in response.content.decode()
    assert fresh(fw.draft).cost_lines.count() == 1


@pytest.mark.django_db
def test_step_four_refuses_an_ineligible_category_and_removes_lines(world: World) -> None:
    fw = funding_world(world)
    fw.programme.eligible_categories = [CostCategory.FEES, CostCategory.MATERIAL]
    fw.programme.save()
    client = world.client("coordinator")
    base = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "action": "save"}
    response = client.post(
        step_url(fw.draft, 4),
        {
            **base,
            "form-0-category": CostCategory.TRAVEL,
            "form-0-description": "Fahrt",
            "form-0-amount": "50",
            "form-1-category": CostCategory.FEES,
            "form-1-description": "Honorar",
            "form-1-amount": "-5",
        },
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert "category" in formset.forms[0].errors
    assert "amount" in formset.forms[1].errors
    assert "Fahrt" in response.content.decode()
    assert fresh(fw.draft).total_costs == Decimal("1000.00")

    response = client.post(
        step_url(fw.draft, 4),
        {
            **base,
            "form-0-category": CostCategory.FEES,
            "form-0-description": "Honorar",
            "form-0-amount": "300",
            "form-1-category": CostCategory.MATERIAL,
            "form-1-description": "Weg damit",
            "form-1-amount": "30",
            "form-1-DELETE": "on",
        },
    )
    assert response.status_code == 302
    assert [line.description for line in fresh(fw.draft).cost_lines.all()] == ["Honorar"]


@pytest.mark.django_db
def test_step_five_computes_the_requested_amount_and_shows_the_rules(world: World) -> None:
    fw = funding_world(world)
    client = world.client("coordinator")
    large = fw.programme.tiers.get(name="Größeres Projekt")
    response = client.post(
        step_url(fw.draft, 5),
        {
            "tier": large.pk,
            "own_contribution": "250,00",
            "third_party_funds": "50",
            "requested_amount": "999999",
            "action": "save",
        },
    )
    assert response.status_code == 302
    saved = fresh(fw.draft)
    assert saved.tier == large
    assert saved.requested_amount == Decimal("700.00")
    page = client.get(step_url(fw.draft, 5)).content.decode()
    assert "700.00" in page
    assert "25%" in page  # own share (English writes no space)
    assert "15,000.00" in page  # tier limit
    assert "10%" in page  # minimum own share


@pytest.mark.django_db
def test_step_five_refuses_a_tier_of_another_programme(world: World) -> None:
    fw = funding_world(world)
    foreign = fw.other_programme.tiers.first()
    assert foreign is not None
    response = world.client("coordinator").post(
        step_url(fw.draft, 5),
        {"tier": foreign.pk, "own_contribution": "-1", "third_party_funds": "", "action": "save"},
    )
    assert response.status_code == 200
    assert {"tier", "own_contribution"} <= set(response.context["form"].errors)
    assert fresh(fw.draft).tier != foreign


@pytest.mark.django_db
def test_step_six_uploads_downloads_and_deletes(world: World) -> None:
    fw = funding_world(world)
    client = world.client("coordinator")
    response = client.post(
        step_url(fw.draft, 6),
        {
            "title": "Angebot",
            "file": SimpleUploadedFile("angebot.pdf", b"%PDF-1.4 Angebot"),
            "action": "upload",
        },
    )
    assert response["Location"] == step_url(fw.draft, 6)
    attachment = Attachment.objects.get(request=fw.draft)
    assert attachment.uploaded_by == world.users["coordinator"]

    download = reverse(
        "funding:attachment_download", kwargs={"pk": fw.draft.pk, "attachment_pk": attachment.pk}
    )
    got = world.client("member").get(download)
    assert got.status_code == 200
    assert "attachment" in got["Content-Disposition"]
    assert b"".join(got.streaming_content) == b"%PDF-1.4 Angebot"  # type: ignore[attr-defined]

    delete = reverse(
        "funding:attachment_delete", kwargs={"pk": fw.draft.pk, "attachment_pk": attachment.pk}
    )
    assert "Delete document" in client.get(delete).content.decode()
    assert client.post(delete)["Location"] == step_url(fw.draft, 6)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


@pytest.mark.django_db
def test_step_six_refuses_wrong_types_and_large_files(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    fw = funding_world(world)
    client = world.client("coordinator")
    response = client.post(
        step_url(fw.draft, 6),
        {"title": "Skript", "file": SimpleUploadedFile("x.exe", b"MZ"), "action": "upload"},
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert 'value="Skript"' in response.content.decode()
    monkeypatch.setattr(settings, "UPLOAD_MAX_BYTES", 10)  # the limit is a setting now
    response = client.post(
        step_url(fw.draft, 6),
        {
            "title": "Groß",
            "file": SimpleUploadedFile("g.pdf", b"%PDF" + b"x" * 7),
            "action": "upload",
        },
    )
    assert response.context["form"].has_error("file", "too_large")
    assert "larger than 10" in response.content.decode()
    assert not Attachment.objects.filter(request=fw.draft).exists()


@pytest.mark.django_db
def test_attachments_of_another_request_are_404(world: World) -> None:
    fw = funding_world(world)
    other = Attachment.objects.create(
        request=fw.submitted, title="x", file=SimpleUploadedFile("x.pdf", b"%PDF")
    )
    url = reverse(
        "funding:attachment_delete", kwargs={"pk": fw.draft.pk, "attachment_pk": other.pk}
    )
    assert world.client("coordinator").get(url).status_code == 404
    url = reverse(
        "funding:attachment_download", kwargs={"pk": fw.draft.pk, "attachment_pk": other.pk}
    )
    assert world.client("coordinator").get(url).status_code == 404


@pytest.mark.django_db
def test_step_six_continue_records_the_step(world: World) -> None:
    fw = funding_world(world)
    response = world.client("coordinator").post(step_url(fw.draft, 6), {"action": "continue"})
    assert response["Location"] == step_url(fw.draft, 7)
    assert fresh(fw.draft).last_step == 6


@pytest.mark.django_db
def test_the_check_links_each_error_to_its_step(world: World) -> None:
    fw = funding_world(world)
    draft = services.request_create(
        programme=fw.programme,
        applicant=world.council,
        created_by=world.users["coordinator"],
        title="Halbfertig",
    )
    response = world.client("coordinator").get(step_url(draft, 7))
    assert response.status_code == 200
    html = response.content.decode()
    rows = {row["field"]: row for row in response.context["errors"]}
    assert rows["description"]["step"] == 1
    assert rows["cost_lines"]["step"] == 4
    assert rows["tier"]["step"] == 5
    assert f"{step_url(draft, 4)}#id_cost_lines" in html
    assert "Go to step 5" in html
    assert "disabled" in html


@pytest.mark.django_db
def test_a_complete_draft_can_be_submitted_from_the_check(world: World) -> None:
    fw = funding_world(world)
    response = world.client("coordinator").get(step_url(fw.draft, 7))
    assert response.context["errors"] == []
    assert reverse("funding:request_submit", kwargs={"pk": fw.draft.pk}) in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_it_requires_login(world: World) -> None:
    fw = funding_world(world)
    assert world.client("anonymous").get(step_url(fw.draft, 1)).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "platform_admin"])
def test_readers_may_not_edit(world: World, role: str) -> None:
    fw = funding_world(world)
    assert world.client(role).get(step_url(fw.draft, 1)).status_code == 403
    response = world.client(role).post(step_url(fw.draft, 1), {"title": "x", "action": "save"})
    assert response.status_code == 403
    assert fresh(fw.draft).title == "Entwurf Nachtsport"


@pytest.mark.django_db
def test_other_tenants_get_404(world: World) -> None:
    fw = funding_world(world)
    for role in ("other_council_coordinator", "other_state_coordinator", "state_staff"):
        assert world.client(role).get(step_url(fw.draft, 1)).status_code == 404


@pytest.mark.django_db
def test_a_submitted_request_cannot_be_edited(world: World) -> None:
    fw = funding_world(world)
    client = world.client("coordinator")
    assert client.get(step_url(fw.submitted, 1)).status_code == 403
    response = client.post(step_url(fw.submitted, 1), {"title": "x", "action": "save"})
    assert response.status_code == 403
    assert fresh(fw.submitted).title == "Eingereichtes Projekt"


@pytest.mark.django_db
def test_it_rejects_other_methods(world: World) -> None:
    fw = funding_world(world)
    assert world.client("coordinator").delete(step_url(fw.draft, 1)).status_code == 405


@pytest.mark.django_db
def test_the_step_after_the_last_saved_one_is_offered(world: World) -> None:
    fw = funding_world(world)
    services.request_update(request=fw.draft, step=3)
    page = world.client("coordinator").get(fw.draft.get_absolute_url())
    assert page.context["resume_url"] == step_url(fw.draft, 6)  # make_draft saved step 5
    fw.draft.refresh_from_db(fields=["last_step"])
    assert fw.draft.last_step == 5
    created = services.request_create(
        programme=fw.programme,
        applicant=world.council,
        created_by=world.users["coordinator"],
        title="Neu",
        start_date=datetime.date(fw.programme.year, 12, 1),
    )
    page = world.client("coordinator").get(created.get_absolute_url())
    assert page.context["resume_url"] == step_url(created, 2)
