"""The document lists do not grow in queries with their rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from councils.models import Role
from tests.conftest import World
from tests.factories import MembershipFactory
from tests.querycount import assert_constant_queries
from tests.spaces.world_documents import upload_document

pytestmark = pytest.mark.django_db


def _grow(world: World, count: int = 4) -> None:
    """More documents of every visibility, each by another coordinator."""
    for number in range(count):
        coordinator = MembershipFactory(
            organisation=world.council, role=Role.COUNCIL_COORDINATOR
        ).user
        for visibility in ("members", "state", "public"):
            upload_document(
                world.council, coordinator, title=f"Dokument {number}", visibility=visibility
            )


@pytest.mark.parametrize("role", ["coordinator", "state_staff"])
def test_the_document_list_has_constant_queries(world: World, role: str) -> None:
    upload_document(world.council, world.users["coordinator"], visibility="public")
    client = world.client(role)
    url = reverse("spaces:document_list", kwargs={"council": world.council.pk})
    assert_constant_queries(
        lambda: client.get(url + "?o=-uploaded"), lambda: _grow(world), max_queries=12
    )


def test_the_public_document_list_has_constant_queries(world: World) -> None:
    upload_document(world.council, world.users["coordinator"], visibility="public")
    client = world.client("anonymous")
    url = reverse("spaces:public_document_list", kwargs={"council": world.council.pk})
    assert_constant_queries(lambda: client.get(url), lambda: _grow(world), max_queries=6)
