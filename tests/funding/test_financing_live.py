"""The live check of the financing step: the programme's rules at the fields while the
applicant types (htmx), in the reader's language, without saving anything (issue 10, point 4)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding import services
from funding.models import FundingRequest, Tier
from tests.conftest import World
from tests.funding.factories import FundingWorld, funding_world, make_draft

pytestmark = pytest.mark.django_db

NBSP = "\N{NO-BREAK SPACE}"
FIELDS = ("tier", "own_contribution", "third_party_funds")


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


def check_url(request: FundingRequest) -> str:
    return reverse("funding:request_financing_check", kwargs={"pk": request.pk})


def step_url(request: FundingRequest) -> str:
    return reverse("funding:request_step", kwargs={"pk": request.pk, "step": 5})


def feedback(html: str, field: str) -> list[str]:
    """The messages in the field's feedback region."""
    return re.findall(rf'id="error_\d+_id_{field}"><strong>(.*?)</strong>', html, re.S)


def small_tier(fw: FundingWorld) -> Tier:
    tier = fw.programme.tiers.order_by("max_amount").first()
    assert tier is not None and tier.max_amount == Decimal("1000.00")
    return tier


def over_limit_draft(world: World, fw: FundingWorld) -> FundingRequest:
    """Costs of 3,000 with 500 own: 2,500 requested, more than the small tier's 1,000."""
    return make_draft(
        fw.programme,
        world.council,
        world.users["coordinator"],
        costs=Decimal("3000"),
        own=Decimal("500"),
    )


# The messages ---------------------------------------------------------------------------------


def test_choosing_a_tier_below_the_amount_shows_its_limit_in_english(
    world: World, fw: FundingWorld
) -> None:
    draft = over_limit_draft(world, fw)
    response = world.client("coordinator").post(
        check_url(draft),
        {"tier": small_tier(fw).pk, "own_contribution": "500.00", "third_party_funds": ""},
    )
    assert response.status_code == 200
    (message,) = feedback(response.content.decode(), "tier")
    assert "€2,500.00" in message
    assert "above the limit of €1,000.00" in message


def test_the_tier_limit_in_german_numbers(world: World, fw: FundingWorld, settings: Any) -> None:
    settings.LANGUAGE_CODE = "de"
    draft = over_limit_draft(world, fw)
    response = world.client("coordinator").post(
        check_url(draft),
        {"tier": small_tier(fw).pk, "own_contribution": "500,00", "third_party_funds": ""},
    )
    (message,) = feedback(response.content.decode(), "tier")
    assert f"2.500,00{NBSP}€" in message
    assert f"1.000,00{NBSP}€" in message
    assert "2,500.00" not in message


def test_too_little_own_share_in_german_and_english(
    world: World, fw: FundingWorld, settings: Any
) -> None:
    client = world.client("coordinator")
    typed = {"tier": fw.draft.tier_id, "own_contribution": "41,70", "third_party_funds": ""}

    settings.LANGUAGE_CODE = "de"
    (german,) = feedback(
        client.post(check_url(fw.draft), typed).content.decode(), "own_contribution"
    )
    assert f"4,17{NBSP}%" in german
    assert f"10{NBSP}%" in german

    settings.LANGUAGE_CODE = "en"
    (english,) = feedback(
        client.post(check_url(fw.draft), {**typed, "own_contribution": "41.70"}).content.decode(),
        "own_contribution",
    )
    assert "4.17%" in english
    assert "10%" in english


def test_a_plan_within_the_rules_empties_every_region(world: World, fw: FundingWorld) -> None:
    response = world.client("coordinator").post(
        check_url(fw.draft),
        {"tier": fw.draft.tier_id, "own_contribution": "200,00", "third_party_funds": "100,00"},
    )
    html = response.content.decode()
    for field in FIELDS:
        assert f'id="id_{field}_error"' in html
        assert feedback(html, field) == []


def test_an_amount_that_does_not_parse_shows_its_own_error(world: World, fw: FundingWorld) -> None:
    response = world.client("coordinator").post(
        check_url(fw.draft),
        {"tier": fw.draft.tier_id, "own_contribution": "zwei", "third_party_funds": ""},
    )
    assert feedback(response.content.decode(), "own_contribution") == [
        "Enter an amount such as 1.250,00."
    ]


def test_third_party_funds_above_the_costs(world: World, fw: FundingWorld) -> None:
    response = world.client("coordinator").post(
        check_url(fw.draft),
        {"tier": fw.draft.tier_id, "own_contribution": "200,00", "third_party_funds": "900,00"},
    )
    assert feedback(response.content.decode(), "third_party_funds") == [
        "Own contribution and third-party funds exceed the total costs."
    ]


# The fragment --------------------------------------------------------------------------------


def test_the_answer_holds_only_the_regions_never_the_inputs(world: World, fw: FundingWorld) -> None:
    html = (
        world.client("coordinator")
        .post(check_url(fw.draft), {"tier": "", "own_contribution": "5,00"})
        .content.decode()
    )
    assert "<input" not in html and "<select" not in html and "<html" not in html
    assert html.count('data-hx-swap-oob="innerHTML"') == len(FIELDS)
    assert html.count('aria-live="polite"') == len(FIELDS)


def test_the_live_check_writes_nothing(world: World, fw: FundingWorld) -> None:
    before = FundingRequest.objects.get(pk=fw.draft.pk)
    client = world.client("coordinator")
    client.get(step_url(fw.draft))  # the session exists before the check
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            check_url(fw.draft),
            {"tier": small_tier(fw).pk, "own_contribution": "10,00", "third_party_funds": "5,00"},
        )
    assert response.status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    after = FundingRequest.objects.get(pk=fw.draft.pk)
    for name in ("tier_id", "own_contribution", "third_party_funds", "requested_amount"):
        assert getattr(after, name) == getattr(before, name)
    assert after.last_step == before.last_step
    assert after.updated_at == before.updated_at


# Access: the step's own rules ----------------------------------------------------------------


def test_only_a_post_is_answered(world: World, fw: FundingWorld) -> None:
    assert world.client("coordinator").get(check_url(fw.draft)).status_code == 405


def test_a_submitted_request_is_not_checked(world: World, fw: FundingWorld) -> None:
    response = world.client("coordinator").post(check_url(fw.submitted), {})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "status"),
    [("member", 403), ("state_staff", 404), ("other_state_coordinator", 404), ("anonymous", 302)],
)
def test_who_may_check(world: World, fw: FundingWorld, role: str, status: int) -> None:
    response = world.client(role).post(check_url(fw.draft), {"own_contribution": "1,00"})
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


# The step page -------------------------------------------------------------------------------


def test_the_step_wires_the_live_check_and_ties_the_regions_to_the_fields(
    world: World, fw: FundingWorld
) -> None:
    html = world.client("coordinator").get(step_url(fw.draft)).content.decode()
    assert f'data-hx-post="{check_url(fw.draft)}"' in html
    assert 'data-hx-trigger="input changed delay:500ms"' in html
    assert 'data-hx-swap="none"' in html
    for field in FIELDS:
        region = f'<div id="id_{field}_error" class="field-feedback" aria-live="polite"'
        assert html.count(region) == 1
        tag = re.search(rf'<(?:input|select)[^>]*id="id_{field}"[^>]*>', html)
        assert tag is not None
        described = re.search(r'aria-describedby="([^"]*)"', tag.group(0))
        assert described is not None
        assert f"id_{field}_error" in described.group(1).split()
    # The help text stays tied to its field too.
    tag = re.search(r'<input[^>]*id="id_third_party_funds"[^>]*>', html)
    assert tag is not None and "id_third_party_funds_helptext" in tag.group(0)


def test_a_save_without_javascript_still_shows_the_message_in_the_region(
    world: World, fw: FundingWorld, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "de"
    client = world.client("coordinator")
    response = client.post(
        step_url(fw.draft),
        {"tier": fw.draft.tier_id, "own_contribution": "50,00", "action": "save"},
        follow=True,
    )
    (message,) = feedback(response.content.decode(), "own_contribution")
    assert f"5{NBSP}%" in message
    assert services.financing_rule_errors(FundingRequest.objects.get(pk=fw.draft.pk))
