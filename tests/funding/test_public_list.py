"""The public list of a state's funded projects: anonymous, funded only, nothing internal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from funding.models import FundingRequest
from funding.models import RequestStatus as S
from tests.conftest import World
from tests.funding.factories import funding_world, make_programme
from tests.funding.test_lists import bulk_requests
from tests.querycount import assert_constant_queries


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def url(slug: str = "niedersachsen") -> str:
    return reverse("funding:public_list", kwargs={"slug": slug})


def titles(response: Any) -> list[str]:
    return [project["title"] for project in response.context["page"].object_list]


def html_of(response: Any) -> str:
    return response.content.decode().replace("\xa0", " ")


@pytest.mark.django_db
def test_anyone_sees_the_funded_projects_of_the_state(world: World) -> None:
    fw = funding_world(world)
    FundingRequest.objects.filter(pk=fw.approved.pk).update(approved_amount=Decimal("600.00"))
    response = Client().get(url())
    assert response.status_code == 200
    assert titles(response) == [fw.approved.title]
    html = html_of(response)
    assert html.count("<h1") == 1 and "Funded projects in Niedersachsen" in html
    assert "Präventionsrat Hameln" in html and str(fw.programme.year) in html
    assert "€600.00" in html
    assert "1 funded project, €600.00 granted in total." in html


@pytest.mark.django_db
def test_nothing_internal_is_shown(world: World) -> None:
    fw = funding_world(world)
    FundingRequest.objects.filter(pk=fw.approved.pk).update(
        approved_amount=Decimal("600.00"), carrier_name="Geheimer Träger"
    )
    bulk_requests(fw.programme, world.council, 1, status=S.REJECTED, title="Abgelehnt")
    bulk_requests(fw.programme, world.council, 1, status=S.WITHDRAWN, title="Zurückgezogen")
    html = html_of(Client().get(url()))
    for hidden in (
        fw.draft.title,
        fw.submitted.title,
        fw.in_review.title,
        fw.other_council_request.title,
        "Abgelehnt",
        "Zurückgezogen",
        "800,00 €",  # the amount requested
        "Geheimer Träger",
        fw.approved.get_absolute_url(),
    ):
        assert hidden not in html
    for person in world.users.values():
        assert person.username not in html
        if person.get_full_name():
            assert person.get_full_name() not in html


@pytest.mark.django_db
def test_the_rows_carry_only_public_fields(world: World) -> None:
    funding_world(world)
    (row,) = Client().get(url()).context["page"].object_list
    assert set(row) == {"pk", "title", "approved_amount", "council", "year"}


@pytest.mark.django_db
def test_every_funded_status_is_listed(world: World) -> None:
    fw = funding_world(world)
    funded = [S.PAYMENT_REQUESTED, S.PAID, S.PROOF_SUBMITTED, S.REPAYMENT_DEMANDED, S.CLOSED]
    for status in funded:
        bulk_requests(
            fw.programme, world.council, 1, status=status, title=status, approved=Decimal("1.00")
        )
    assert len(titles(Client().get(url()))) == len(funded) + 1


@pytest.mark.django_db
def test_another_state_s_projects_are_not_listed(world: World) -> None:
    fw = funding_world(world)
    bulk_requests(
        fw.other_programme,
        world.other_state_council,
        1,
        status=S.APPROVED,
        approved=Decimal("500.00"),
    )
    assert "Sammelprojekt 0000" not in html_of(Client().get(url()))
    assert titles(Client().get(url("mecklenburg-vorpommern"))) == ["Sammelprojekt 0000"]


@pytest.mark.django_db
def test_an_unknown_or_inactive_state_is_404(world: World) -> None:
    assert Client().get(url("atlantis")).status_code == 404
    world.other_state.is_active = False
    world.other_state.save(update_fields=["is_active"])
    assert Client().get(url("mecklenburg-vorpommern")).status_code == 404


@pytest.mark.django_db
def test_it_answers_405_to_a_post(world: World) -> None:
    assert Client().post(url()).status_code == 405


@pytest.mark.django_db
def test_it_filters_by_year_and_council(world: World) -> None:
    fw = funding_world(world)
    old = make_programme(world.state, title="Altprogramm", year=fw.programme.year - 2)
    bulk_requests(
        old, world.other_council, 2, status=S.CLOSED, approved=Decimal("300.00"), title="Alt"
    )
    client = Client()
    assert titles(client.get(url(), {"year": old.year, "o": "title"})) == ["Alt 0000", "Alt 0001"]
    assert titles(client.get(url(), {"year": fw.programme.year})) == [fw.approved.title]
    assert titles(client.get(url(), {"council": world.council.pk})) == [fw.approved.title]
    response = client.get(url(), {"council": world.other_council.pk})
    assert len(titles(response)) == 2
    assert "2 funded projects, €600.00 granted in total." in html_of(response)
    form = response.context["filter"].form
    assert [c for c, _ in form.fields["year"].choices if c] == [
        str(fw.programme.year),
        str(old.year),
    ]
    assert set(form.fields["council"].queryset) == {world.council, world.other_council}


@pytest.mark.django_db
def test_a_council_of_another_state_is_no_valid_filter(world: World) -> None:
    fw = funding_world(world)
    bulk_requests(
        fw.other_programme,
        world.other_state_council,
        1,
        status=S.APPROVED,
        approved=Decimal("500.00"),
    )
    response = Client().get(url(), {"council": world.other_state_council.pk})
    assert titles(response) == []
    assert response.context["filter"].errors
    html = html_of(response)
    assert "No funded project matches the filter." in html and "Sammelprojekt" not in html


@pytest.mark.django_db
def test_it_sorts(world: World) -> None:
    fw = funding_world(world)
    old = make_programme(world.state, title="Altprogramm", year=fw.programme.year - 1)
    bulk_requests(
        old, world.other_council, 1, status=S.PAID, approved=Decimal("100.00"), title="Billig"
    )
    bulk_requests(
        fw.programme,
        world.other_council,
        1,
        status=S.PAID,
        approved=Decimal("700.00"),
        title="Mittel",
    )
    client = Client()

    def order(key: str) -> list[str]:
        return titles(client.get(url(), {"o": key}))

    assert order("title") == sorted([fw.approved.title, "Billig 0000", "Mittel 0000"])
    assert order("-amount") == [fw.approved.title, "Mittel 0000", "Billig 0000"]
    assert order("amount") == ["Billig 0000", "Mittel 0000", fw.approved.title]
    assert order("year")[0] == "Billig 0000"
    assert order("-year")[-1] == "Billig 0000"
    assert order("council")[0] == fw.approved.title  # Hameln before Lüneburg
    assert order("-council")[-1] == fw.approved.title
    # The default: the newest year first.
    assert titles(client.get(url()))[-1] == "Billig 0000"


@pytest.mark.django_db
def test_it_pages_by_25_and_sums_every_page(world: World) -> None:
    fw = funding_world(world)
    bulk_requests(
        fw.programme,
        world.council,
        29,
        status=S.APPROVED,
        approved=Decimal("100.00"),
        title="Seite",
    )
    client = Client()
    first = client.get(url(), {"o": "title"})
    assert len(titles(first)) == 25
    html = html_of(first)
    assert "30 funded projects, €3,700.00 granted in total." in html  # 29 × 100 + 800
    assert "?o=title&amp;page=2" in html
    second = client.get(url(), {"o": "title", "page": 2})
    assert len(titles(second)) == 5
    assert set(titles(first)).isdisjoint(titles(second))
    assert "€3,700.00" in html_of(second)


@pytest.mark.django_db
def test_no_funded_project_yet(world: World) -> None:
    html = html_of(Client().get(url()))
    assert "No project of this state has been funded yet." in html
    assert "0 funded projects, €0.00 granted in total." in html


@pytest.mark.django_db
def test_the_directory_and_the_staff_s_list_link_to_it(world: World) -> None:
    directory = Client().get(reverse("directory_state", kwargs={"slug": "niedersachsen"}))
    assert f'href="{url()}"' in directory.content.decode()
    staff_list = world.client("state_staff").get(reverse("funding:request_list"))
    assert f'href="{url()}"' in staff_list.content.decode()


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_rows(world: World) -> None:
    fw = funding_world(world)
    bulk_requests(
        fw.programme, world.council, 9, status=S.APPROVED, approved=Decimal("100.00")
    )  # 10
    old = make_programme(world.state, title="Altprogramm", year=fw.programme.year - 1)
    client = Client()

    def grow() -> None:
        bulk_requests(
            fw.programme, world.council, 495, status=S.PAID, approved=Decimal("100.00"), title="A"
        )
        bulk_requests(
            old, world.other_council, 495, status=S.CLOSED, approved=Decimal("100.00"), title="B"
        )

    def load() -> None:
        assert client.get(url(), {"o": "-amount"}).status_code == 200

    assert FundingRequest.objects.funded().filter(programme__state=world.state).count() == 10
    assert_constant_queries(load, grow, max_queries=8)
    assert FundingRequest.objects.funded().filter(programme__state=world.state).count() == 1000
