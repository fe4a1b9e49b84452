"""Views of the strategy tree: lists, the tree page, editing, moves, adoption, versions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context
from django.template.loader import get_template
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from councils.models import Role
from strategy import services
from strategy.models import Goal, Level, MeasureStatus, Strategy, StrategyStatus
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory
from tests.querycount import assert_constant_queries

from .factories import StrategyFactory, StrategyWorld, strategy_world


@pytest.fixture
def sw(world: World) -> StrategyWorld:
    return strategy_world(world)


def _html(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def _draft_goal(sw: StrategyWorld, level: int) -> Goal:
    return sw.draft.goals.select_related("strategy").get(level=level)


def _snapshot() -> list[tuple]:
    return list(
        Goal.objects.order_by("pk").values_list(
            "pk", "parent_id", "position", "title", "weight", "start_date", "end_date"
        )
    )


# The list ------------------------------------------------------------------------------------


def test_list_shows_what_the_user_may_read(world: World, sw: StrategyWorld) -> None:
    html = _html(world.client("state_staff").get(reverse("strategy:strategy_list")))
    assert sw.adopted.title in html and sw.draft.title in html
    assert sw.other_state.title not in html
    assert reverse("strategy:strategy_create") in html

    html = _html(world.client("coordinator").get(reverse("strategy:strategy_list")))
    assert sw.adopted.title in html
    assert sw.draft.title not in html
    assert reverse("strategy:strategy_create") not in html


def test_list_is_empty_without_strategies(world: World) -> None:
    client = world.client("member")
    client.cookies["django_language"] = "en"
    response = client.get(reverse("strategy:strategy_list"))
    assert "There is no strategy to show yet." in _html(response)


def test_list_requires_login(world: World) -> None:
    response = world.client("anonymous").get(reverse("strategy:strategy_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_list_queries_do_not_grow(world: World, sw: StrategyWorld) -> None:
    client = world.client("state_staff")

    def grow() -> None:
        for _ in range(10):
            StrategyFactory(state=world.state, status=StrategyStatus.DRAFT)

    assert_constant_queries(
        lambda: client.get(reverse("strategy:strategy_list")), grow, max_queries=12
    )


def test_list_refuses_post(world: World) -> None:
    assert world.client("state_staff").post(reverse("strategy:strategy_list")).status_code == 405


# Creating and editing strategies ------------------------------------------------------------


def test_state_staff_create_a_draft_with_its_guiding_goal(world: World) -> None:
    response = world.client("state_staff").post(
        reverse("strategy:strategy_create"),
        {
            "title": "Landesstrategie Jugend",
            "audience": "ngos",
            "guiding_goal_title": "Jugend stärken",
            "guiding_goal_description": "",
            "state": world.other_state.pk,  # ignored: the state comes from the membership
        },
    )
    strategy = Strategy.objects.get(title="Landesstrategie Jugend")
    assert response.status_code == 302
    assert response["Location"] == strategy.get_absolute_url()
    assert strategy.state == world.state
    assert strategy.status == StrategyStatus.DRAFT
    assert strategy.goals.get().title == "Jugend stärken"


def test_platform_admin_chooses_the_state(world: World) -> None:
    client = world.client("platform_admin")
    assert 'name="state"' in _html(client.get(reverse("strategy:strategy_create")))
    client.post(
        reverse("strategy:strategy_create"),
        {
            "state": world.other_state.pk,
            "title": "Strategie MV",
            "audience": "all",
            "guiding_goal_title": "Leitziel MV",
        },
    )
    assert Strategy.objects.get(title="Strategie MV").state == world.other_state


def test_create_without_guiding_goal_keeps_the_input(world: World) -> None:
    response = world.client("state_staff").post(
        reverse("strategy:strategy_create"),
        {"title": "Ohne Leitziel", "audience": "all", "guiding_goal_title": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["guiding_goal_title"]
    assert 'value="Ohne Leitziel"' in _html(response)
    assert not Strategy.objects.filter(title="Ohne Leitziel").exists()


def test_create_refuses_a_taken_title(world: World, sw: StrategyWorld) -> None:
    response = world.client("state_staff").post(
        reverse("strategy:strategy_create"),
        {"title": sw.draft.title, "audience": "all", "guiding_goal_title": "X"},
    )
    assert response.context["form"].errors["title"]
    assert Strategy.objects.filter(title=sw.draft.title).count() == 1


@pytest.mark.parametrize("role", ["coordinator", "member", "ngo_representative"])
def test_create_is_for_state_staff(world: World, role: str) -> None:
    assert world.client(role).get(reverse("strategy:strategy_create")).status_code == 403


def test_create_refuses_other_methods(world: World) -> None:
    client = world.client("state_staff")
    assert client.delete(reverse("strategy:strategy_create")).status_code == 405


def test_edit_a_draft(world: World, sw: StrategyWorld) -> None:
    url = reverse("strategy:strategy_edit", args=[sw.draft.pk])
    response = world.client("state_staff").post(url, {"title": "Neuer Titel", "audience": "ngos"})
    assert response.status_code == 302
    sw.draft.refresh_from_db()
    assert (sw.draft.title, sw.draft.audience) == ("Neuer Titel", "ngos")


def test_an_adopted_strategy_is_not_edited(world: World, sw: StrategyWorld) -> None:
    url = reverse("strategy:strategy_edit", args=[sw.adopted.pk])
    client = world.client("state_staff")
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "X", "audience": "all"}).status_code == 403
    sw.adopted.refresh_from_db()
    assert sw.adopted.title == "Landesstrategie Kommunale Prävention"


# The tree ------------------------------------------------------------------------------------


def test_detail_shows_the_tree_with_rolled_up_progress(world: World, sw: StrategyWorld) -> None:
    sw.measure.progress = 40
    sw.measure.save()
    response = world.client("coordinator").get(sw.adopted.get_absolute_url())
    html = _html(response)
    assert response.status_code == 200
    for goal in (sw.guiding, sw.strategic, sw.operational, sw.measure):
        assert goal.title in html
    assert html.count('<progress value="40') == 4
    assert html.count("40 %") >= 4
    assert world.council.name in html
    assert reverse("strategy:goal_edit", args=[sw.measure.pk]) not in html
    assert html.count("<h1") == 1


def test_detail_of_a_draft_has_edit_controls_for_state_staff(
    world: World, sw: StrategyWorld
) -> None:
    measure = _draft_goal(sw, Level.MEASURE)
    html = _html(world.client("state_staff").get(sw.draft.get_absolute_url()))
    assert reverse("strategy:goal_edit", args=[measure.pk]) in html
    assert reverse("strategy:goal_move", args=[measure.pk]) in html
    assert reverse("strategy:strategy_adopt", args=[sw.draft.pk]) in html


def test_adopted_detail_offers_a_new_version_to_state_staff(
    world: World, sw: StrategyWorld
) -> None:
    html = _html(world.client("state_staff").get(sw.adopted.get_absolute_url()))
    assert reverse("strategy:strategy_new_version", args=[sw.adopted.pk]) in html
    assert reverse("strategy:goal_edit", args=[sw.measure.pk]) not in html


@pytest.mark.parametrize("role", ["coordinator", "member", "ngo_representative"])
def test_drafts_are_hidden_from_the_network(world: World, sw: StrategyWorld, role: str) -> None:
    assert world.client(role).get(sw.draft.get_absolute_url()).status_code == 404


def test_another_states_strategy_is_not_found(world: World, sw: StrategyWorld) -> None:
    client = world.client("state_staff")
    assert client.get(sw.other_state.get_absolute_url()).status_code == 404


def _grow_tree(world: World, strategy: Strategy, count: int) -> None:
    """Add about count items below the tree: operational goals with measures."""
    strategic = strategy.goals.get(level=Level.STRATEGIC_GOAL)
    operationals = Goal.objects.bulk_create(
        Goal(
            strategy=strategy,
            parent=strategic,
            level=Level.OPERATIONAL_GOAL,
            position=i + 1,
            title=f"Operatives Ziel {i}",
        )
        for i in range(count // 10)
    )
    measures = Goal.objects.bulk_create(
        Goal(
            strategy=strategy,
            parent=op,
            level=Level.MEASURE,
            position=j,
            title=f"Maßnahme {op.pk}-{j}",
            status=MeasureStatus.RUNNING,
            progress=(j * 11) % 101,
            weight=Decimal(j),
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 12, 31),
        )
        for op in operationals
        for j in range(9)
    )
    through = Goal.responsible.through
    through.objects.bulk_create(
        through(goal_id=m.pk, organisation_id=org.pk)
        for m in measures
        for org in (world.council, world.ngo)
    )


@pytest.mark.parametrize("which", ["adopted", "draft"])
def test_tree_queries_do_not_grow_from_5_to_500_items(
    world: World, sw: StrategyWorld, which: str
) -> None:
    strategy = sw.adopted if which == "adopted" else sw.draft
    first_measure = strategy.goals.get(level=Level.MEASURE)
    assert strategy.goals.count() == 4
    Goal.objects.create(
        strategy=strategy,
        parent=first_measure.parent,
        level=Level.MEASURE,
        position=5,
        title="Fünfte",
    )
    client = world.client("state_staff")
    url = strategy.get_absolute_url()

    def action() -> None:
        assert client.get(url).status_code == 200

    queries = assert_constant_queries(action, lambda: _grow_tree(world, strategy, 500))
    assert strategy.goals.count() >= 500
    assert queries <= 15


# Goals ---------------------------------------------------------------------------------------


def test_goal_create_below_a_parent(world: World, sw: StrategyWorld) -> None:
    operational = _draft_goal(sw, Level.OPERATIONAL_GOAL)
    url = reverse("strategy:goal_create", args=[sw.draft.pk]) + f"?parent={operational.pk}"
    client = world.client("state_staff")
    form_html = _html(client.get(url))
    assert 'name="status"' in form_html
    response = client.post(
        url,
        {
            "parent": operational.pk,
            "title": "Fortbildungsreihe",
            "description": "Drei Module",
            "responsible": [world.council.pk, world.ngo.pk],
            "start_date": "2026-02-01",
            "end_date": "2026-11-30",
            "status": MeasureStatus.RUNNING,
            "weight": "2",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(title="Fortbildungsreihe")
    assert goal.level == Level.MEASURE
    assert goal.parent == operational
    assert goal.status == MeasureStatus.RUNNING
    assert set(goal.responsible.all()) == {world.council, world.ngo}


def test_goal_create_of_a_strategic_goal_has_no_status(world: World, sw: StrategyWorld) -> None:
    guiding = _draft_goal(sw, Level.GUIDING_GOAL)
    url = reverse("strategy:goal_create", args=[sw.draft.pk]) + f"?parent={guiding.pk}"
    client = world.client("state_staff")
    assert 'name="status"' not in _html(client.get(url))
    client.post(url, {"parent": guiding.pk, "title": "Zweites Handlungsziel"})
    goal = Goal.objects.get(title="Zweites Handlungsziel")
    assert (goal.level, goal.status) == (Level.STRATEGIC_GOAL, "")


def test_goal_create_without_parent_in_the_url_offers_a_choice(
    world: World, sw: StrategyWorld
) -> None:
    strategic = _draft_goal(sw, Level.STRATEGIC_GOAL)
    client = world.client("state_staff")
    url = reverse("strategy:goal_create", args=[sw.draft.pk])
    assert "<select" in _html(client.get(url))
    client.post(url, {"parent": strategic.pk, "title": "Per Auswahl"})
    assert Goal.objects.get(title="Per Auswahl").level == Level.OPERATIONAL_GOAL


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"weight": "-1"}, "weight"),
        ({"start_date": "2026-05-01", "end_date": "2026-04-01"}, "end_date"),
        ({"parent": "999999"}, "parent"),
    ],
)
def test_goal_create_refuses_bad_input(
    world: World, sw: StrategyWorld, data: dict, field: str
) -> None:
    operational = _draft_goal(sw, Level.OPERATIONAL_GOAL)
    before = _snapshot()
    response = world.client("state_staff").post(
        reverse("strategy:goal_create", args=[sw.draft.pk]),
        {"parent": operational.pk, "title": "Schlechte Eingabe", **data},
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'value="Schlechte Eingabe"' in _html(response)
    assert _snapshot() == before


def test_goal_create_refuses_another_states_organisation(world: World, sw: StrategyWorld) -> None:
    operational = _draft_goal(sw, Level.OPERATIONAL_GOAL)
    response = world.client("state_staff").post(
        reverse("strategy:goal_create", args=[sw.draft.pk]),
        {"parent": operational.pk, "title": "X", "responsible": [world.other_state_council.pk]},
    )
    assert response.context["form"].errors["responsible"]
    assert not Goal.objects.filter(title="X").exists()


def test_goal_create_refuses_a_parent_of_another_strategy(world: World, sw: StrategyWorld) -> None:
    before = _snapshot()
    response = world.client("state_staff").post(
        reverse("strategy:goal_create", args=[sw.draft.pk]),
        {"parent": sw.operational.pk, "title": "X"},
    )
    assert response.context["form"].errors["parent"]
    assert _snapshot() == before


def test_goal_create_in_an_adopted_strategy_is_refused(world: World, sw: StrategyWorld) -> None:
    url = reverse("strategy:goal_create", args=[sw.adopted.pk]) + f"?parent={sw.operational.pk}"
    response = world.client("state_staff").post(url, {"parent": sw.operational.pk, "title": "X"})
    assert response.status_code == 403
    assert not Goal.objects.filter(title="X").exists()


def test_goal_edit(world: World, sw: StrategyWorld) -> None:
    measure = _draft_goal(sw, Level.MEASURE)
    response = world.client("state_staff").post(
        reverse("strategy:goal_edit", args=[measure.pk]),
        {
            "title": "Geänderte Maßnahme",
            "status": MeasureStatus.DONE,
            "weight": "1.5",
            "responsible": [world.council.pk],
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.status, measure.weight) == (
        "Geänderte Maßnahme",
        MeasureStatus.DONE,
        Decimal("1.5"),
    )
    assert list(measure.responsible.all()) == [world.council]


def test_goal_edit_refuses_a_negative_weight(world: World, sw: StrategyWorld) -> None:
    measure = _draft_goal(sw, Level.MEASURE)
    before = _snapshot()
    response = world.client("state_staff").post(
        reverse("strategy:goal_edit", args=[measure.pk]),
        {"title": "Neu", "status": MeasureStatus.DONE, "weight": "-0.5"},
    )
    assert response.context["form"].errors["weight"]
    assert 'value="-0.5"' in _html(response)
    assert _snapshot() == before


def test_goals_of_an_adopted_strategy_are_frozen(world: World, sw: StrategyWorld) -> None:
    client = world.client("state_staff")
    before = _snapshot()
    for name in ("goal_edit", "goal_delete", "goal_move"):
        url = reverse(f"strategy:{name}", args=[sw.measure.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "X", "direction": "up"}).status_code == 403
    assert _snapshot() == before


@pytest.mark.parametrize("role", ["coordinator", "ngo_representative"])
def test_goal_edit_needs_state_staff(world: World, sw: StrategyWorld, role: str) -> None:
    # The adopted strategy is readable to the network: its goals answer 403, not 404.
    url = reverse("strategy:goal_edit", args=[sw.measure.pk])
    assert world.client(role).get(url).status_code == 403


def test_goal_detail_lists_children_indicators_and_links(world: World, sw: StrategyWorld) -> None:
    services.goal_link_add(goal=sw.operational, obj=world.council)
    services.goal_link_add(goal=sw.operational, obj=world.ngo)
    html = _html(world.client("member").get(sw.operational.get_absolute_url()))
    assert sw.measure.title in html
    assert world.council.name in html and world.ngo.name in html
    assert html.count("<h1") == 1


def test_goal_detail_without_links_says_so(world: World, sw: StrategyWorld) -> None:
    client = world.client("member")
    client.cookies["django_language"] = "en"
    html = _html(client.get(sw.measure.get_absolute_url()))
    assert "Nothing is linked to this goal yet." in html
    assert "No indicators yet." in html


def test_goal_detail_of_another_state_is_not_found(world: World, sw: StrategyWorld) -> None:
    url = sw.other_state_measure.get_absolute_url()
    assert world.client("state_staff").get(url).status_code == 404


def test_goal_delete_confirms_and_counts_what_goes(world: World, sw: StrategyWorld) -> None:
    strategic = _draft_goal(sw, Level.STRATEGIC_GOAL)
    url = reverse("strategy:goal_delete", args=[strategic.pk])
    client = world.client("state_staff")
    client.cookies["django_language"] = "en"
    assert "2 items below it are deleted too." in _html(client.get(url))
    assert sw.draft.goals.count() == 4
    response = client.post(url)
    assert response.status_code == 302
    assert sw.draft.goals.count() == 1


def test_the_guiding_goal_is_not_deleted(world: World, sw: StrategyWorld) -> None:
    guiding = _draft_goal(sw, Level.GUIDING_GOAL)
    response = world.client("state_staff").post(reverse("strategy:goal_delete", args=[guiding.pk]))
    assert response.status_code == 302
    assert sw.draft.goals.count() == 4


def test_goal_delete_refuses_other_methods(world: World, sw: StrategyWorld) -> None:
    url = reverse("strategy:goal_delete", args=[_draft_goal(sw, Level.MEASURE).pk])
    assert world.client("state_staff").put(url).status_code == 405


# Moves ---------------------------------------------------------------------------------------


def test_move_up_and_down_by_buttons(world: World, sw: StrategyWorld) -> None:
    operational = _draft_goal(sw, Level.OPERATIONAL_GOAL)
    first = operational.children.get()
    second = services.goal_create(strategy=sw.draft, parent=operational, title="Zweite")
    client = world.client("state_staff")
    response = client.post(reverse("strategy:goal_move", args=[second.pk]), {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#goal-{second.pk}")
    assert list(operational.children.order_by("position", "pk")) == [second, first]
    client.post(reverse("strategy:goal_move", args=[second.pk]), {"direction": "down"})
    assert list(operational.children.order_by("position", "pk")) == [first, second]


def test_move_to_another_parent(world: World, sw: StrategyWorld) -> None:
    strategic = _draft_goal(sw, Level.STRATEGIC_GOAL)
    measure = _draft_goal(sw, Level.MEASURE)
    other = services.goal_create(strategy=sw.draft, parent=strategic, title="Anderes Ziel")
    client = world.client("state_staff")
    url = reverse("strategy:goal_move", args=[measure.pk])
    html = _html(client.get(url))
    assert f'value="{other.pk}"' in html
    assert f'value="{strategic.pk}"' not in html
    client.post(url, {"parent": other.pk})
    measure.refresh_from_db()
    assert measure.parent_id == other.pk


@pytest.mark.parametrize("target", ["wrong_level", "own_child", "other_strategy", "unknown"])
def test_move_refuses_an_invalid_parent(world: World, sw: StrategyWorld, target: str) -> None:
    strategic = _draft_goal(sw, Level.STRATEGIC_GOAL)
    parent = {
        "wrong_level": _draft_goal(sw, Level.MEASURE).pk,
        "own_child": _draft_goal(sw, Level.OPERATIONAL_GOAL).pk,
        "other_strategy": sw.guiding.pk,
        "unknown": 999999,
    }[target]
    before = _snapshot()
    response = world.client("state_staff").post(
        reverse("strategy:goal_move", args=[strategic.pk]), {"parent": parent}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert _snapshot() == before


# Adoption, versions, comparison -----------------------------------------------------------------


def test_adopt_a_draft(world: World, sw: StrategyWorld) -> None:
    url = reverse("strategy:strategy_adopt", args=[sw.draft.pk])
    client = world.client("state_staff")
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    sw.draft.refresh_from_db()
    assert sw.draft.status == StrategyStatus.ADOPTED
    assert sw.draft.adopted_by == world.users["state_staff"]


def test_adopting_an_adopted_strategy_is_refused(world: World, sw: StrategyWorld) -> None:
    url = reverse("strategy:strategy_adopt", args=[sw.adopted.pk])
    assert world.client("state_staff").post(url).status_code == 403


def test_new_version_then_adopt_archives_the_old(world: World, sw: StrategyWorld) -> None:
    client = world.client("state_staff")
    url = reverse("strategy:strategy_new_version", args=[sw.adopted.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    copy = Strategy.objects.get(predecessor=sw.adopted)
    assert response["Location"] == copy.get_absolute_url()
    assert (copy.version, copy.status, copy.goals.count()) == (2, StrategyStatus.DRAFT, 4)

    again = client.post(url)
    assert again.status_code == 302
    assert Strategy.objects.filter(predecessor=sw.adopted).count() == 1

    client.post(reverse("strategy:strategy_adopt", args=[copy.pk]))
    sw.adopted.refresh_from_db()
    assert sw.adopted.status == StrategyStatus.ARCHIVED
    # The archived version stays readable to the network.
    assert world.client("member").get(sw.adopted.get_absolute_url()).status_code == 200


def test_compare_shows_what_changed(world: World, sw: StrategyWorld) -> None:
    copy = services.strategy_new_version(strategy=sw.adopted)
    measure = copy.goals.select_related("strategy").get(level=Level.MEASURE)
    services.goal_update(goal=measure, title="Maßnahme, überarbeitet")
    operational = copy.goals.get(level=Level.OPERATIONAL_GOAL)
    services.goal_create(strategy=copy, parent=operational, title="Ganz neue Maßnahme")
    client = world.client("state_staff")
    html = _html(client.get(reverse("strategy:strategy_compare", args=[copy.pk])))
    assert "Maßnahme, überarbeitet" in html
    assert "Ganz neue Maßnahme" in html
    assert html.count("<h1") == 1


def test_compare_of_a_first_version(world: World, sw: StrategyWorld) -> None:
    client = world.client("member")
    client.cookies["django_language"] = "en"
    html = _html(client.get(reverse("strategy:strategy_compare", args=[sw.adopted.pk])))
    assert "This is the first version" in html


def test_compare_queries_do_not_grow(world: World, sw: StrategyWorld) -> None:
    copy = services.strategy_new_version(strategy=sw.adopted)
    client = world.client("state_staff")
    url = reverse("strategy:strategy_compare", args=[copy.pk])

    def grow() -> None:
        _grow_tree(world, sw.adopted, 100)
        _grow_tree(world, copy, 100)

    assert_constant_queries(lambda: client.get(url), grow)


# Navigation ----------------------------------------------------------------------------------


def test_nav_item_links_to_the_list(world: World) -> None:
    request = RequestFactory().get(reverse("strategy:strategy_list"))
    request.resolver_match = resolve(reverse("strategy:strategy_list"))
    template = get_template("strategy/includes/nav_item.html")
    html = template.template.render(Context({"request": request}))  # type: ignore[attr-defined]
    assert 'aria-current="page"' in html
    assert reverse("strategy:strategy_list") in html
    assert 'class="nav-item dropdown"' in html
    assert reverse("strategy:my_measures") in html


def test_a_state_staff_of_two_states_creates_in_the_active_one(world: World) -> None:
    staff = world.users["state_staff"]
    office = OrganisationFactory(state=world.other_state, kind="state_office", name="Zweitamt")
    MembershipFactory(user=staff, organisation=office, role=Role.STATE_STAFF)
    client = Client()
    client.force_login(staff)
    client.post(
        reverse("councils:switch_organisation"),
        {"membership": staff.memberships.get(organisation=office).pk},
    )
    client.post(
        reverse("strategy:strategy_create"),
        {"title": "Im zweiten Land", "audience": "all", "guiding_goal_title": "L"},
    )
    assert Strategy.objects.get(title="Im zweiten Land").state == world.other_state


def test_goal_detail_queries_do_not_grow_with_links(world: World, sw: StrategyWorld) -> None:
    # One query per linked kind of object (content type), none per object.
    services.goal_link_add(goal=sw.operational, obj=world.council)
    client = world.client("state_staff")
    url = sw.operational.get_absolute_url()

    def grow() -> None:
        for _ in range(5):
            services.goal_link_add(goal=sw.operational, obj=OrganisationFactory(state=world.state))
            Goal.objects.create(
                strategy=sw.adopted,
                parent=sw.operational,
                level=Level.MEASURE,
                position=9,
                title="Weitere",
            )

    assert_constant_queries(lambda: client.get(url), grow)


@pytest.mark.parametrize("model", ["strategy", "goal"])
def test_admin_lists_render(world: World, sw: StrategyWorld, model: str) -> None:
    client = world.client("platform_admin")
    assert client.get(reverse(f"admin:strategy_{model}_changelist")).status_code == 200
    obj = sw.adopted if model == "strategy" else sw.measure
    assert client.get(reverse(f"admin:strategy_{model}_change", args=[obj.pk])).status_code == 200


# Layout (issue 10, point 13) -----------------------------------------------------------------


def test_the_overview_has_a_heading_above_each_table(world: World, sw: StrategyWorld) -> None:
    html = _html(world.client("state_staff").get(reverse("strategy:strategy_list")))

    headings = html.count('<h2 class="h4 mt-4" id="strategies-')
    assert headings == html.count("<table") >= 2
    for number in range(1, headings + 1):
        heading = html.index(f'id="strategies-{number}"')
        table = html.index("<table", heading)
        assert f'aria-labelledby="strategies-{number}"' in html[heading:table]


def test_an_overdue_measure_is_flagged_with_its_due_date(world: World, sw: StrategyWorld) -> None:
    measure = sw.measure
    measure.start_date = datetime.date(2019, 1, 1)
    measure.end_date = datetime.date(2020, 3, 31)
    measure.status = MeasureStatus.RUNNING
    measure.save()
    client = world.client("state_staff")

    html = _html(client.get(sw.adopted.get_absolute_url()))

    item = html[html.index(f'id="goal-{measure.pk}"') :]
    assert "überfällig seit 31.03.2020" in item  # German by default: a word, not colour alone
    assert "measure-overdue" in item
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "overdue since 03/31/2020" in _html(client.get(sw.adopted.get_absolute_url()))


@pytest.mark.parametrize(
    ("end_date", "status"),
    [
        (datetime.date(2099, 12, 31), MeasureStatus.RUNNING),
        (datetime.date(2020, 3, 31), MeasureStatus.DONE),
        (datetime.date(2020, 3, 31), MeasureStatus.DROPPED),
        (None, MeasureStatus.PLANNED),
    ],
)
def test_a_measure_on_time_or_finished_is_not_overdue(
    world: World, sw: StrategyWorld, end_date: datetime.date | None, status: str
) -> None:
    measure = sw.measure
    measure.start_date = datetime.date(2019, 1, 1)
    measure.end_date = end_date
    measure.status = status
    measure.save()

    html = _html(world.client("state_staff").get(sw.adopted.get_absolute_url()))

    assert not measure.is_overdue
    assert "measure-overdue" not in html


def test_only_measures_can_be_overdue(sw: StrategyWorld) -> None:
    operational = sw.operational
    operational.end_date = datetime.date(2020, 1, 1)
    assert not operational.is_overdue
