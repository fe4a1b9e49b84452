"""Cached fragments (core.fragments): served while nothing they read has changed, renewed at once
by every kind of write, never shared between people, languages or databases."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import translation

from core import fragments
from councils.demo.bulk import insert
from councils.models import Organisation, OrganisationKind, Region, Role, User
from councils.permissions import ACTIVE_MEMBERSHIP_SESSION_KEY
from tests.conftest import World, build_world
from tests.factories import MembershipFactory, OrganisationFactory, RegionFactory
from tests.querycount import count_queries

pytestmark = pytest.mark.postgres  # fragments are cached on PostgreSQL only

TEMPLATE = Template(
    "{% load fragments %}{% fragment 'names' state %}"
    "{% for name in names %}{{ name }};{% endfor %}{% endfragment %}"
)


class Page:
    """Renders the fragment of the names of a state's organisations, counting the renderings."""

    def __init__(self, world: World, user: User) -> None:
        self.world = world
        self.request = RequestFactory().get("/")
        self.request.user = user
        self.computed = 0

    def names(self) -> list[str]:
        self.computed += 1
        return list(
            Organisation.objects.filter(state=self.world.state)
            .order_by("name")
            .values_list("name", flat=True)
        )

    def render(self) -> str:
        context = Context(
            {
                "request": self.request,
                "state": self.world.state,
                "names": fragments.lazy(self.names),
            }
        )
        return TEMPLATE.render(context)


@pytest.fixture
def world(transactional_db: None) -> World:
    return build_world()


@pytest.fixture
def page(world: World) -> Page:
    return Page(world, world.users["state_staff"])


# The parts that need no database --------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ('INSERT INTO "councils_region" ("name") VALUES (%s)', {"councils_region"}),
        ('UPDATE "councils_region" SET "name" = %s WHERE "id" = %s', {"councils_region"}),
        ('DELETE FROM "councils_region" WHERE "id" IN (%s)', {"councils_region"}),
        ('TRUNCATE "councils_region", "funding_payment";', {"councils_region", "funding_payment"}),
        (
            'SELECT "councils_region"."id" FROM "councils_region" WHERE "name" = %s',
            set(),
        ),
        ('UPDATE "councils_user" SET "last_login" = %s WHERE "councils_user"."id" = %s', set()),
        (
            'UPDATE "councils_user" SET "is_active" = %s WHERE "councils_user"."id" = %s',
            {"councils_user"},
        ),
        ('INSERT INTO "no_such_table" ("a") VALUES (%s)', set()),
    ],
)
def test_the_tables_a_statement_writes(sql: str, tables: set[str]) -> None:
    assert fragments.written_tables(sql) == tables


def test_the_tables_a_statement_reads() -> None:
    sql = (
        'SELECT "funding_fundingrequest"."id" FROM "funding_fundingrequest" INNER JOIN '
        '"councils_organisation" ON ("funding_fundingrequest"."applicant_id" = '
        '"councils_organisation"."id") WHERE "councils_organisation"."state_id" = %s'
    )
    assert fragments.read_tables(sql) == {"funding_fundingrequest", "councils_organisation"}


# Served from the cache, renewed by every write --------------------------------------------------


def test_the_second_rendering_comes_from_the_cache(page: Page) -> None:
    first = page.render()
    queries, _ = count_queries(page.render)
    assert page.render() == first
    assert "Präventionsrat Hameln;" in first
    assert page.computed == 1
    assert queries == 0


def _save(world: World, name: str) -> None:
    council = Organisation.objects.get(pk=world.council.pk)
    council.name = name
    council.save()


def _update(world: World, name: str) -> None:
    Organisation.objects.filter(pk=world.council.pk).update(name=name)


def _bulk_create(world: World, name: str) -> None:
    Organisation.objects.bulk_create([Organisation(state=world.state, name=name)])


def _copy(world: World, name: str) -> None:
    insert(Organisation, [Organisation(state=world.state, name=name)], keep_dates=False)


def _raw(world: World, name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            'UPDATE "councils_organisation" SET "name" = %s WHERE "id" = %s',
            [name, world.council.pk],
        )


def _in_a_transaction(world: World, name: str) -> None:
    with transaction.atomic():
        _update(world, name)
        with transaction.atomic():  # a savepoint
            Region.objects.filter(name="Lüneburg").update(name="Lüneburger Heide")


WRITES = {
    "save": _save,
    "update": _update,
    "bulk_create": _bulk_create,
    "copy": _copy,
    "raw_sql": _raw,
    "transaction": _in_a_transaction,
}


def test_every_kind_of_write_shows_at_once(page: Page, world: World) -> None:
    page.render()
    for kind, write in WRITES.items():
        write(world, f"Rat nach {kind}")
        assert f"Rat nach {kind};" in page.render(), kind
    assert page.computed == 1 + len(WRITES)


def test_a_deleted_row_is_gone_at_once(page: Page, world: World) -> None:
    page.render()
    world.other_council.delete()
    assert "Präventionsrat Lüneburg" not in page.render()


def test_a_rolled_back_write_another_table_and_a_sign_in_keep_the_entry(
    page: Page, world: World
) -> None:
    page.render()
    with pytest.raises(RuntimeError), transaction.atomic():
        _update(world, "Präventionsrat Hameln-Pyrmont")
        raise RuntimeError
    RegionFactory(state=world.state, name="Ems")  # a table the fragment does not read
    Client().force_login(world.users["member"])  # the sign-in time is no change to show
    assert "Präventionsrat Hameln;" in page.render()
    assert page.computed == 1


def test_a_write_in_a_transaction_is_seen_after_the_commit_only(page: Page, world: World) -> None:
    page.render()
    with transaction.atomic():
        _update(world, "Präventionsrat Hameln-Pyrmont")
        # Inside the transaction nothing is cached or served from the cache: it shows its own
        # write, which another connection would not see yet.
        assert "Präventionsrat Hameln-Pyrmont;" in page.render()
        assert page.computed == 2
    assert "Präventionsrat Hameln-Pyrmont;" in page.render()
    assert page.computed == 3
    page.render()
    assert page.computed == 3


def test_one_token_renewal_per_table_and_transaction(world: World) -> None:
    with mock.patch.object(fragments, "_bump", wraps=fragments._bump) as bump:
        with transaction.atomic():
            for number in range(5):
                OrganisationFactory(state=world.state, name=f"Rat {number}")
        tables = [table for call in bump.call_args_list for table in call.args[1]]
    assert tables.count("councils_organisation") == 1


def test_nothing_is_shared_between_people_or_languages(page: Page, world: World) -> None:
    page.render()
    other = Page(world, world.users["state_admin"])
    other.render()
    assert other.computed == 1
    with translation.override("en"):
        page.render()
    assert page.computed == 2


def test_a_fragment_with_a_csrf_token_is_never_kept(world: World) -> None:
    request = RequestFactory().get("/")
    request.user = world.users["state_staff"]
    template = Template(
        "{% load fragments %}{% fragment 'form' %}{% csrf_token %}{% endfragment %}"
    )
    first = template.render(Context({"request": request, "csrf_token": "a" * 64}))
    second = template.render(Context({"request": request, "csrf_token": "b" * 64}))
    assert re.search("a{64}", first)
    assert re.search("b{64}", second)


def test_an_uncached_part_is_rendered_for_every_request(page: Page, world: World) -> None:
    template = Template(
        "{% load fragments %}{% fragment 'form' %}"
        "{% for name in names %}{{ name }};{% endfor %}"
        "<form>{% uncached %}{% csrf_token %}{% enduncached %}</form>{% endfragment %}"
    )

    def render(token: str) -> str:
        context = {"request": page.request, "names": fragments.lazy(page.names)}
        return template.render(Context({**context, "csrf_token": token}))

    first, second = render("a" * 64), render("b" * 64)
    assert re.search("Präventionsrat Lüneburg;<form>.*a{64}", first)
    assert re.search("Präventionsrat Lüneburg;<form>.*b{64}", second)
    assert "a" * 64 not in second
    assert page.computed == 1


def test_what_a_post_shows_is_never_kept(page: Page) -> None:
    page.request = RequestFactory().post("/")
    page.request.user = page.world.users["state_staff"]
    page.render()
    page.render()
    assert page.computed == 2


def test_a_cache_that_does_not_answer_renders_afresh(page: Page) -> None:
    page.render()
    with mock.patch.object(cache, "get", side_effect=ConnectionError("down")):
        assert "Präventionsrat Hameln;" in page.render()
    assert page.computed == 2


def test_a_token_that_cannot_be_renewed_fails_no_write(world: World) -> None:
    with mock.patch.object(cache, "set_many", side_effect=ConnectionError("down")):
        _update(world, "Präventionsrat Hameln-Pyrmont")
    world.council.refresh_from_db()
    assert world.council.name == "Präventionsrat Hameln-Pyrmont"


# The dashboards -----------------------------------------------------------------------------


def _organisations_figure(html: str) -> int:
    match = re.search(r"Organisation(?:s|en)</dt>\s*<dd[^>]*>(\d+)</dd>", html)
    assert match, "the key figure of the organisations is missing"
    return int(match.group(1))


def _dashboard(client: Client) -> str:
    """The dashboard without the session's CSRF token (the sign-out form's)."""
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())


def test_the_state_dashboard_comes_from_the_cache_and_shows_a_change_at_once(
    world: World,
) -> None:
    client = world.client("state_staff")
    with transaction.atomic():  # never cached: the content's queries all run
        fresh_queries, _ = count_queries(lambda: _dashboard(client))
        fresh = _dashboard(client)
    _dashboard(client)
    cached_queries, _ = count_queries(lambda: _dashboard(client))
    assert _dashboard(client) == fresh
    assert cached_queries < fresh_queries - 5
    assert _organisations_figure(fresh) == 4
    OrganisationFactory(state=world.state, kind=OrganisationKind.NGO, name="Neuer Verband")
    assert _organisations_figure(_dashboard(client)) == 5
    Organisation.objects.filter(name="Neuer Verband").update(is_active=False)
    assert _organisations_figure(_dashboard(client)) == 4


def test_the_council_dashboard_shows_a_renamed_member_at_once(world: World) -> None:
    client = world.client("coordinator")
    _dashboard(client)
    _dashboard(client)
    member = world.users["member"]
    member.first_name, member.last_name = "Frieda", "Neumann"
    member.save()
    assert "Frieda Neumann" in _dashboard(client)


def test_the_dashboard_follows_the_acting_membership(world: World) -> None:
    """A person in two councils sees the dashboard of the one they act for."""
    coordinator = world.users["coordinator"]
    second = MembershipFactory(
        user=coordinator, organisation=world.other_council, role=Role.COUNCIL_MEMBER
    )
    client = world.client("coordinator")
    first = coordinator.memberships.get(organisation=world.council)
    for membership, name in [(first, "Hameln"), (second, "Lüneburg"), (first, "Hameln")]:
        session = client.session
        session[ACTIVE_MEMBERSHIP_SESSION_KEY] = membership.pk
        session.save()
        _dashboard(client)
        assert f"<h1>Präventionsrat {name}</h1>" in _dashboard(client)


def test_a_request_page_from_the_cache_reads_the_request_row_alone(world: World) -> None:
    """A request's page checks access with the request's own row; what its content shows with
    it (programme, applicant, region) is read when the content is rendered, and so is renewed at
    once when it changes."""
    from tests.funding.factories import funding_world

    approved = funding_world(world).approved
    client = world.client("state_staff")
    url = approved.get_absolute_url()

    def page() -> str:
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    with transaction.atomic():  # never cached: the content's queries all run
        fresh_queries, _ = count_queries(page)
    page()
    cached_queries, sql = count_queries(page)
    assert cached_queries < fresh_queries - 5
    access = [q for q in sql if q.startswith('SELECT "funding_fundingrequest"."id"')]
    assert len(access) == 1
    assert '"funding_programme"' not in access[0]
    assert '"councils_organisation"' not in access[0]
    programme = approved.programme
    programme.title = "Landesprogramm Sicherheit im Quartier"
    programme.save()
    assert "Landesprogramm Sicherheit im Quartier" in page()
    council = approved.applicant
    council.name = "Präventionsrat Hameln-Pyrmont"
    council.save()
    assert "Präventionsrat Hameln-Pyrmont" in page()
