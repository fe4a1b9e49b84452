"""Django admin of the funding: lists with constant queries, requests read-only."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from funding.models import (
    ExportJob,
    FundingRequest,
    Letter,
    LetterTemplate,
    Payment,
    Programme,
    ProofOfUse,
    Review,
    Submission,
)
from tests.conftest import World
from tests.querycount import assert_constant_queries

from .factories import advance, funding_world, make_draft, make_programme

pytestmark = pytest.mark.django_db

MODELS = [
    Programme,
    LetterTemplate,
    FundingRequest,
    Submission,
    Review,
    Letter,
    Payment,
    ProofOfUse,
    ExportJob,
]


def admin_client(world: World) -> Client:
    client = world.client("platform_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(model: type, view: str, *args: int) -> str:
    meta = model._meta  # type: ignore[attr-defined]
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def test_every_funding_model_with_a_page_is_registered() -> None:
    for model in MODELS:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_renders(world: World, model: type) -> None:
    funding_world(world)
    assert admin_client(world).get(url(model, "changelist")).status_code == 200


def test_request_list_queries_do_not_grow_with_rows(world: World) -> None:
    funding = funding_world(world)
    client = admin_client(world)

    def action() -> None:
        assert client.get(url(FundingRequest, "changelist")).status_code == 200

    def grow() -> None:
        for n in range(4):
            make_draft(
                funding.programme, world.council, world.users["coordinator"], title=f"Mehr {n}"
            )

    assert_constant_queries(action, grow)


def test_a_request_is_shown_but_cannot_be_changed(world: World) -> None:
    funding = funding_world(world)
    client = admin_client(world)
    change = url(FundingRequest, "change", funding.approved.pk)
    response = client.get(change)
    assert response.status_code == 200
    assert funding.approved.title in response.content.decode()
    forged = client.post(change, {"title": "Umbenannt", "status": "closed"})
    assert forged.status_code == 403
    funding.approved.refresh_from_db()
    assert funding.approved.title == "Bewilligtes Projekt"
    assert client.get(url(FundingRequest, "add")).status_code == 403
    assert client.get(url(FundingRequest, "delete", funding.approved.pk)).status_code == 403


def test_a_programme_can_be_kept_but_its_sums_are_read_only(world: World) -> None:
    programme = make_programme(world.state, title="Bundesprogramm")
    response = admin_client(world).get(url(Programme, "change", programme.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="budget"' in html
    assert 'name="committed"' not in html and 'name="paid"' not in html


def test_the_history_of_a_request_renders(world: World) -> None:
    request = advance(
        make_draft(make_programme(world.state), world.council, world.users["coordinator"]),
        "submitted",
        applicant=world.users["coordinator"],
        staff=world.users["state_staff"],
    )
    response = admin_client(world).get(url(FundingRequest, "history", request.pk))
    assert response.status_code == 200
