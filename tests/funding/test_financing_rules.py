"""The programme's financing rules at the field, numbers in the active language, German
money input everywhere, ASCII digits only and bounded texts (issue 10, point 4)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from funding import services
from funding.formatting import money, percent
from funding.forms_money import PaymentRequestForm, RepaymentForm
from funding.forms_programmes import ProgrammeForm
from funding.forms_requests import FinancingForm, ProjectForm
from funding.forms_review import DecisionForm, ReviewForm
from funding.models import Decision, FundingRequest
from tests.conftest import World
from tests.funding.factories import FundingWorld, funding_world, make_draft

pytestmark = pytest.mark.django_db

NBSP = "\N{NO-BREAK SPACE}"


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """Messages are compared in English unless a test chooses German."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


def step_url(request: FundingRequest, step: int) -> str:
    return reverse("funding:request_step", kwargs={"pk": request.pk, "step": step})


def _field_errors(html: str, field: str) -> str:
    """The invalid-feedback text crispy renders for the field (empty when none)."""
    marker = f'id="error_1_id_{field}"'
    if marker not in html:
        return ""
    return html.split(marker)[1].split("</span>")[0]


# Formatting ----------------------------------------------------------------------------------


def test_money_and_percent_follow_the_active_language() -> None:
    with translation.override("de"):
        assert money(Decimal("1000")) == f"1.000,00{NBSP}€"
        assert percent(Decimal("4.17")) == f"4,17{NBSP}%"
    with translation.override("en"):
        assert money(Decimal("1000")) == "€1,000.00"
        assert percent(Decimal("4.17")) == "4.17%"  # English writes no space


def test_the_own_share_message_uses_german_numbers(world: World, fw: FundingWorld) -> None:
    draft = make_draft(
        fw.programme,
        world.council,
        world.users["coordinator"],
        costs=Decimal("1200"),
        own=Decimal("50"),
    )
    with translation.override("de"):
        errors = services.submission_errors(draft)
    text = " ".join(errors["own_contribution"])
    assert f"4,17{NBSP}%" in text
    assert f"10{NBSP}%" in text
    assert "4.17" not in text


# The financing step ---------------------------------------------------------------------------


def test_the_financing_step_shows_the_tier_limit_at_the_field(
    world: World, fw: FundingWorld, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    small = fw.programme.tiers.order_by("max_amount").first()
    draft = make_draft(
        fw.programme,
        world.council,
        world.users["coordinator"],
        costs=Decimal("3000"),
        own=Decimal("500"),
    )
    services.request_update(request=draft, step=5, tier=small)

    html = world.client("coordinator").get(step_url(draft, 5)).content.decode()
    errors = _field_errors(html, "tier")
    assert "above the limit of €1,000.00" in errors
    assert "€2,500.00" in errors


def test_saving_a_plan_below_the_minimum_share_stays_on_the_step_with_the_message(
    world: World, fw: FundingWorld, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "de"
    draft = make_draft(fw.programme, world.council, world.users["coordinator"])
    client = world.client("coordinator")

    response = client.post(
        step_url(draft, 5),
        {
            "tier": draft.tier_id,
            "own_contribution": "50,00",
            "third_party_funds": "",
            "action": "continue",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == step_url(draft, 5)
    assert FundingRequest.objects.get(pk=draft.pk).own_contribution == Decimal("50.00")
    html = client.get(response["Location"]).content.decode()
    errors = _field_errors(html, "own_contribution")
    assert f"5{NBSP}%" in errors
    assert f"10{NBSP}%" in errors


def test_a_plan_within_the_rules_continues(world: World, fw: FundingWorld) -> None:
    draft = make_draft(fw.programme, world.council, world.users["coordinator"])
    response = world.client("coordinator").post(
        step_url(draft, 5),
        {
            "tier": draft.tier_id,
            "own_contribution": "200,00",
            "third_party_funds": "",
            "action": "continue",
        },
    )
    assert response["Location"] == step_url(draft, 6)
    html = world.client("coordinator").get(step_url(draft, 5)).content.decode()
    assert _field_errors(html, "own_contribution") == ""


def test_the_check_page_link_leads_to_the_message_at_the_field(
    world: World, fw: FundingWorld
) -> None:
    draft = make_draft(fw.programme, world.council, world.users["coordinator"], own=Decimal("50"))
    client = world.client("coordinator")
    check = client.get(step_url(draft, 7)).content.decode()
    link = f"{step_url(draft, 5)}#id_own_contribution"
    assert link in check

    html = client.get(step_url(draft, 5)).content.decode()
    assert _field_errors(html, "own_contribution")
    assert 'id="id_own_contribution"' in html


# Money fields ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (DecisionForm, {"decision": Decision.REDUCE, "amount": "1.250,50"}, "amount"),
        (
            ReviewForm,
            {"vote": "reduce", "comment": "x", "recommended_amount": "1.250,50"},
            "recommended_amount",
        ),
        (PaymentRequestForm, {"amount": "1.250,50"}, "amount"),
        (RepaymentForm, {"amount": "1.250,50", "reason": "x"}, "amount"),
    ],
)
def test_every_amount_field_accepts_german_notation(
    form_class: Any, data: dict[str, str], field: str
) -> None:
    with translation.override("de"):
        form = form_class(data)
        assert form.is_valid(), form.errors
    assert form.cleaned_data[field] == Decimal("1250.50")


#: Arabic-Indic one two three, full-width one two three, and a mix.
OTHER_DIGITS = ["\u0661\u0662\u0663", "\uff11\uff12\uff13", "12\u0663,00"]


@pytest.mark.parametrize("typed", OTHER_DIGITS)
def test_only_ascii_digits_count(typed: str) -> None:
    with translation.override("en"):
        form = DecisionForm({"decision": Decision.REDUCE, "amount": typed})
        assert not form.is_valid()
    assert form.errors["amount"] == ["Use the digits 0 to 9."]


def test_a_percentage_refuses_other_digits(world: World, fw: FundingWorld) -> None:
    with translation.override("en"):
        form = ProgrammeForm({"min_own_share": "\u0661\u0660"}, instance=fw.programme)
        form.is_valid()
    assert form.errors["min_own_share"] == ["Use the digits 0 to 9."]


def test_the_decision_form_takes_a_reduced_amount_in_german_through_the_view(
    world: World, fw: FundingWorld, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "de"
    response = world.client("state_staff").post(
        reverse("funding:request_decide", kwargs={"pk": fw.in_review.pk}),
        {"decision": Decision.REDUCE, "amount": "700,00", "justification": "Zu hoch"},
    )
    assert response.status_code == 200
    assert f"700,00{NBSP}€" in response.content.decode()


# Text lengths ---------------------------------------------------------------------------------


def test_over_long_texts_are_refused_by_the_form(world: World, fw: FundingWorld) -> None:
    form = ProjectForm({"title": "T" * 201, "description": "x" * 10001}, instance=fw.draft)
    assert not form.is_valid()
    assert "title" in form.errors
    assert "description" in form.errors


def test_an_over_long_description_is_a_message_not_a_server_error(
    world: World, fw: FundingWorld
) -> None:
    response = world.client("coordinator").post(
        step_url(fw.draft, 1), {"title": "Nachtsport", "description": "x" * 10001}
    )
    assert response.status_code == 200
    assert "error_1_id_description" in response.content.decode()
    assert FundingRequest.objects.get(pk=fw.draft.pk).description != "x" * 10001


def test_the_financing_form_rejects_other_digits(world: World, fw: FundingWorld) -> None:
    with translation.override("en"):
        form = FinancingForm(
            {"tier": "", "own_contribution": "\u0662\u0660\u0660", "third_party_funds": ""},
            instance=fw.draft,
        )
        assert not form.is_valid()
    assert form.errors["own_contribution"] == ["Use the digits 0 to 9."]
