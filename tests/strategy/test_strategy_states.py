"""The strategy's state machine (draft → adopted → archived, new version) and its log."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django_fsm import TransitionNotAllowed

from core.transitions import TransitionLog, fire
from strategy import services
from strategy.models import Strategy, StrategyStatusChange
from strategy.models import StrategyStatus as SS
from tests.conftest import World

from .factories import StrategyWorld, strategy_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def sw(world: World) -> StrategyWorld:
    return strategy_world(world)


def _log(strategy: Strategy) -> list[tuple[str, str, str | None, str]]:
    return [
        (c.from_status, c.to_status, c.by.username if c.by else None, c.reason)
        for c in StrategyStatusChange.objects.filter(strategy=strategy).order_by("at", "pk")
    ]


def test_the_strategy_log_shares_the_transition_base() -> None:
    assert issubclass(StrategyStatusChange, TransitionLog)


def test_a_new_strategy_starts_its_log_as_a_draft(world: World) -> None:
    strategy = services.strategy_create(
        state=world.state,
        title="Landesstrategie Jugend",
        audience="all",
        guiding_goal_title="Prävention stärken",
        by=world.users["state_staff"],
    )

    assert strategy.status == SS.DRAFT
    assert _log(strategy) == [("", SS.DRAFT, "state-staff", "")]


def test_a_new_version_starts_its_log_with_where_it_came_from(
    world: World, sw: StrategyWorld
) -> None:
    with translation.override("en"):
        copy = services.strategy_new_version(strategy=sw.adopted, by=world.users["state_staff"])

    assert _log(copy) == [("", SS.DRAFT, "state-staff", "New version of version 1")]


def test_adopt_is_a_logged_transition(world: World, sw: StrategyWorld) -> None:
    services.strategy_adopt(strategy=sw.draft, user=world.users["state_staff"])

    sw.draft.refresh_from_db()
    assert sw.draft.status == SS.ADOPTED
    assert _log(sw.draft) == [(SS.DRAFT, SS.ADOPTED, "state-staff", "")]


def test_adopting_a_new_version_archives_the_old_one_in_its_log(
    world: World, sw: StrategyWorld
) -> None:
    staff = world.users["state_staff"]
    copy = services.strategy_new_version(strategy=sw.adopted, by=staff)

    with translation.override("en"):
        services.strategy_adopt(strategy=copy, user=staff)

    sw.adopted.refresh_from_db()
    assert sw.adopted.status == SS.ARCHIVED
    assert _log(sw.adopted) == [(SS.ADOPTED, SS.ARCHIVED, "state-staff", "Version 2 was adopted.")]
    assert _log(copy)[-1] == (SS.DRAFT, SS.ADOPTED, "state-staff", "")


def test_an_illegal_transition_is_refused_and_not_logged(world: World, sw: StrategyWorld) -> None:
    adopted = Strategy.objects.get(pk=sw.adopted.pk)

    with pytest.raises(ValidationError) as exc, translation.override("en"):
        fire(
            adopted,
            "adopt",
            log=StrategyStatusChange,
            by=world.users["state_staff"],
            refused="Not while “%(status)s”.",
        )

    assert exc.value.messages == ["Not while “Adopted”."]
    assert Strategy.objects.get(pk=sw.adopted.pk).status == SS.ADOPTED
    assert not StrategyStatusChange.objects.filter(strategy=adopted).exists()
    with pytest.raises(TransitionNotAllowed):
        Strategy.objects.get(pk=sw.draft.pk).archive()


def test_the_status_is_never_assigned_directly(sw: StrategyWorld) -> None:
    strategy = Strategy.objects.get(pk=sw.draft.pk)

    with pytest.raises(AttributeError):
        strategy.status = SS.ADOPTED


def test_a_stale_copy_cannot_adopt_twice(world: World, sw: StrategyWorld) -> None:
    staff = world.users["state_staff"]
    first, stale = Strategy.objects.get(pk=sw.draft.pk), Strategy.objects.get(pk=sw.draft.pk)
    first.adopted_on = stale.adopted_on = first.created_at.date()
    fire(first, "adopt", log=StrategyStatusChange, by=staff, refused="%(status)s")

    # A savepoint, as the services' own transaction: the refused save rolls back to it.
    with pytest.raises(ValidationError) as exc, transaction.atomic():
        fire(stale, "adopt", log=StrategyStatusChange, by=staff, refused="%(status)s")

    assert exc.value.code == "conflict"
    assert len(_log(first)) == 1


def test_the_admin_shows_the_status_and_its_log_but_never_edits_it(
    world: World, sw: StrategyWorld
) -> None:
    services.strategy_adopt(strategy=sw.draft, user=world.users["state_staff"])
    client = world.client("platform_admin")

    response = client.get(reverse("admin:strategy_strategy_change", args=[sw.draft.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="status"' not in html
    assert str(world.users["state_staff"]) in html
    history = client.get(reverse("admin:strategy_goal_history", args=[sw.measure.pk]))
    assert history.status_code == 200


def test_staff_see_the_status_history_on_the_strategy_page(world: World, sw: StrategyWorld) -> None:
    staff = world.users["state_staff"]
    copy = services.strategy_new_version(strategy=sw.adopted, by=staff)
    services.strategy_adopt(strategy=copy, user=staff)

    with translation.override("de"):
        html = world.client("state_staff").get(sw.adopted.get_absolute_url()).content.decode()

    assert 'id="status-history"' in html
    assert "Version 2 wurde beschlossen." in html


def test_the_network_does_not_see_the_status_history(world: World, sw: StrategyWorld) -> None:
    html = world.client("coordinator").get(sw.adopted.get_absolute_url()).content.decode()

    assert 'id="status-history"' not in html


def test_a_refused_adoption_says_why_instead_of_failing(
    world: World, sw: StrategyWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(**kwargs: object) -> Strategy:
        raise ValidationError("Jemand anderes hat die Strategie gleichzeitig geändert.")

    # Two staff adopting at once: the second one's transition is refused by the state machine.
    monkeypatch.setattr(services, "strategy_adopt", refused)
    client = world.client("state_staff")

    response = client.post(reverse("strategy:strategy_adopt", args=[sw.draft.pk]), follow=True)

    assert response.status_code == 200
    assert "Jemand anderes hat die Strategie gleichzeitig geändert." in response.content.decode()
