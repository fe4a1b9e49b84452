"""The data migrations of issue 10 fill what existing rows need: the request's state, the
terms of decided requests, open repayment claims and the reasons of proposed decisions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from funding import payments
from funding.models import FundingRequest, Programme, StatusChange
from funding.models import RequestStatus as S
from tests.conftest import build_world
from tests.funding.access_money import submitted_proof
from tests.funding.factories import funding_world

BEFORE = [("funding", "0005_letter_templates_complete_bescheid")]


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_data_migrations_fill_existing_rows() -> None:
    world = build_world()
    fw = funding_world(world)
    staff = world.users["state_staff"]
    demanded = submitted_proof(
        FundingRequest.objects.get(pk=fw.approved.pk),
        world.users["coordinator"],
        staff,
        pay=Decimal("500"),
    )
    payments.proof_demand_repayment(
        request=demanded, by=staff, amount=Decimal("150"), reason="Belege fehlen"
    )
    proposal = StatusChange.objects.create(
        request=fw.in_review,
        from_status=S.REVIEW,
        to_status=S.AWAITING_CONFIRMATION,
        by=staff,
        reason="Approve in full",
    )
    FundingRequest.objects.filter(pk=fw.in_review.pk).update(justification="Gut begründet")
    programme = Programme.objects.get(pk=fw.programme.pk)
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes("funding")

    _migrate(BEFORE)
    # What the earlier code booked at the demand: the claim already off committed and paid.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE funding_programme SET committed = committed - 150, paid = paid - 150 "
            "WHERE id = %s",
            [programme.pk],
        )
    _migrate(leaf)

    for request in FundingRequest.objects.select_related("programme"):
        assert request.state_id == request.programme.state_id
    approved = FundingRequest.objects.get(pk=demanded.pk)
    assert approved.terms_frozen_at is not None
    assert approved.terms_retained_share == Decimal("10.00")
    assert approved.terms_tier_limit == approved.tier.max_amount  # type: ignore[union-attr]
    assert FundingRequest.objects.get(pk=fw.submitted.pk).terms_frozen_at is None
    after = Programme.objects.get(pk=programme.pk)
    assert (after.committed, after.paid) == (programme.committed, programme.paid)
    assert payments.open_claims(after).total == Decimal("150.00")
    assert StatusChange.objects.get(pk=proposal.pk).reason == "Gut begründet"
