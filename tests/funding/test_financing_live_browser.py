"""The live check of the financing step in a real browser: typing shows the rule at the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import FundingRequest
from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401 (fixtures)
from tests.conftest import World
from tests.funding.factories import funding_world

pytestmark = pytest.mark.browser

PASSWORD = "geheim-123"
NBSP = "\N{NO-BREAK SPACE}"


def test_typing_an_own_contribution_shows_and_clears_the_rule(
    world: World,
    portal: PortalPage,  # noqa: F811
) -> None:
    draft = funding_world(world).draft
    page = portal.page
    portal.log_in("coordinator", PASSWORD)
    portal.goto(reverse("funding:request_step", kwargs={"pk": draft.pk, "step": 5}))
    portal.check()

    field = page.locator("#id_own_contribution")
    region = page.locator("#id_own_contribution_error")
    assert region.get_attribute("aria-live") == "polite"
    assert region.inner_text().strip() == ""

    field.fill("50,00")
    page.wait_for_function(
        "() => document.querySelector('#id_own_contribution_error').textContent.includes('10')"
    )
    text = region.inner_text()
    assert f"5{NBSP}%" in text or "5 %" in text
    assert field.input_value() == "50,00"  # what was typed stays
    assert field.get_attribute("aria-invalid") == "true"
    assert portal.path().endswith("/schritt/5/")  # no page load
    portal.assert_accessible()

    field.fill("200,00")
    page.wait_for_function(
        "() => document.querySelector('#id_own_contribution_error').textContent.trim() === ''"
    )
    assert field.get_attribute("aria-invalid") is None
    assert field.input_value() == "200,00"
    # Only saving keeps it: the live check wrote nothing.
    assert FundingRequest.objects.get(pk=draft.pk).own_contribution == Decimal("200.00")
    field.fill("60,00")
    page.wait_for_function(
        "() => document.querySelector('#id_own_contribution_error').textContent.includes('6')"
    )
    assert FundingRequest.objects.get(pk=draft.pk).own_contribution == Decimal("200.00")

    # Saving (a normal form post) keeps the note at the field.
    with page.expect_navigation():
        page.locator("main form button[value='save']").click()
    assert FundingRequest.objects.get(pk=draft.pk).own_contribution == Decimal("60.00")
    assert "10" in page.locator("#id_own_contribution_error").inner_text()
    portal.check()
