"""The request list: one view for everyone, scoped by visible_to; filters, sorting and pages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from councils.models import Organisation
from funding.models import FundingRequest, Programme
from funding.models import RequestStatus as S
from tests.conftest import World
from tests.factories import RegionFactory
from tests.funding.factories import FundingWorld, funding_world, make_programme
from tests.querycount import assert_constant_queries

LIST_URL = reverse("funding:request_list")


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """The assertions read the English msgids; the portal's default language is German."""
    settings.LANGUAGE_CODE = "en"


def bulk_requests(
    programme: Programme,
    applicant: Organisation,
    count: int,
    *,
    status: str = S.SUBMITTED,
    title: str = "Sammelprojekt",
    requested: Decimal = Decimal("800.00"),
    approved: Decimal | None = None,
    topic: str = "youth",
    **fields: Any,
) -> list[FundingRequest]:
    """Many requests in one insert (the services would take minutes for a thousand)."""
    submitted_at = None if status == S.DRAFT else timezone.now()
    return FundingRequest.objects.bulk_create(
        [
            FundingRequest(
                programme=programme,
                applicant=applicant,
                title=f"{title} {number:04d}",
                status=status,
                topic=topic,
                region=applicant.region,
                total_costs=requested + Decimal("200.00"),
                own_contribution=Decimal("200.00"),
                requested_amount=requested,
                approved_amount=approved,
                submitted_at=submitted_at,
                **fields,
            )
            for number in range(count)
        ],
        batch_size=500,
    )


def get(client: Client, **params: Any) -> Any:
    return client.get(LIST_URL, params)


def titles(response: Any) -> list[str]:
    return [request.title for request, _badge in response.context["rows"]]


def staff_titles(fw: FundingWorld) -> set[str]:
    return {
        fw.submitted.title,
        fw.in_review.title,
        fw.approved.title,
        fw.other_council_request.title,
    }


# Scoping -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_requires_login(world: World) -> None:
    response = world.client("anonymous").get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_it_answers_405_to_a_post(world: World) -> None:
    assert world.client("state_staff").post(LIST_URL).status_code == 405


@pytest.mark.django_db
def test_state_staff_see_every_request_of_their_state_except_drafts(world: World) -> None:
    fw = funding_world(world)
    response = get(world.client("state_staff"))
    assert response.status_code == 200
    assert set(titles(response)) == staff_titles(fw)
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Funding requests of Niedersachsen" in html
    assert reverse("funding:public_list", kwargs={"slug": "niedersachsen"}) in html
    assert reverse("funding:request_create") not in html  # staff do not apply
    assert "<caption>4 funding requests</caption>" in html


@pytest.mark.django_db
def test_a_state_admin_sees_the_same_as_the_staff(world: World) -> None:
    fw = funding_world(world)
    assert set(titles(get(world.client("state_admin")))) == staff_titles(fw)


@pytest.mark.django_db
def test_the_coordinator_sees_the_council_s_requests_with_drafts(world: World) -> None:
    fw = funding_world(world)
    response = get(world.client("coordinator"))
    assert set(titles(response)) == {
        fw.draft.title,
        fw.submitted.title,
        fw.in_review.title,
        fw.approved.title,
    }
    html = response.content.decode()
    assert "Our funding requests" in html and "Präventionsrat Hameln" in html
    assert f'href="{reverse("funding:request_create")}"' in html
    assert reverse("funding:public_list", kwargs={"slug": "niedersachsen"}) not in html


@pytest.mark.django_db
def test_a_member_reads_the_same_list_without_the_new_request_button(world: World) -> None:
    fw = funding_world(world)
    response = get(world.client("member"))
    assert fw.draft.title in titles(response)
    assert reverse("funding:request_create") not in response.content.decode()


@pytest.mark.django_db
def test_another_council_of_the_state_sees_only_its_own(world: World) -> None:
    fw = funding_world(world)
    response = get(world.client("other_council_coordinator"))
    assert titles(response) == [fw.other_council_request.title]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["other_state_admin", "other_state_coordinator"])
def test_another_state_sees_nothing_of_the_first(world: World, role: str) -> None:
    fw = funding_world(world)
    response = get(world.client(role))
    assert titles(response) == [fw.other_state_request.title]
    html = response.content.decode()
    for title in staff_titles(fw) | {fw.draft.title}:
        assert title not in html


@pytest.mark.django_db
def test_an_assigned_reviewer_sees_the_request_to_review(world: World) -> None:
    fw = funding_world(world)
    response = get(world.client("ngo_representative"))
    assert titles(response) == [fw.in_review.title]
    assert "Funding requests for your review" in response.content.decode()


@pytest.mark.django_db
def test_the_platform_admin_sees_every_state(world: World) -> None:
    fw = funding_world(world)
    response = get(world.client("platform_admin"))
    assert set(titles(response)) == staff_titles(fw) | {
        fw.draft.title,
        fw.other_state_request.title,
    }
    assert "Funding requests of all states" in response.content.decode()


@pytest.mark.django_db
def test_the_row_shows_the_columns(world: World) -> None:
    fw = funding_world(world)
    FundingRequest.objects.filter(pk=fw.submitted.pk).update(carrier_name="Sportverein Hameln")
    response = get(world.client("state_staff"), o="title")
    html = response.content.decode().replace("\xa0", " ")
    assert f'href="{fw.submitted.get_absolute_url()}"' in html
    assert "Sportverein Hameln" in html  # the carrier under the council
    assert "Landesprogramm Prävention " + str(fw.programme.year) in html
    assert "Leine-Weser" in html
    assert "Youth crime and youth protection" in html
    assert "€800.00" in html  # the English interface shows English numbers (issue 10)
    assert '<span class="badge text-bg-success">Approved</span>' in html
    assert '<span class="badge text-bg-primary">Submitted</span>' in html
    submitted = timezone.localtime(fw.submitted.submitted_at).date()
    assert submitted.strftime("%m/%d/%Y") in html or submitted.strftime("%d.%m.%Y") in html


# Empty states --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_requests_yet(world: World) -> None:
    response = get(world.client("coordinator"))
    html = response.content.decode()
    assert "There are no funding requests yet." in html
    assert "No funding request matches the filter." not in html
    assert "<table" not in html
    assert 'action="/foerderung/antraege/export/"' not in html  # nothing to export


@pytest.mark.django_db
def test_nothing_matches_the_filter_offers_a_reset(world: World) -> None:
    funding_world(world)
    response = get(world.client("state_staff"), q="Gibtesnicht")
    html = response.content.decode()
    assert "No funding request matches the filter." in html
    assert "There are no funding requests yet." not in html
    assert f'class="alert-link" href="{LIST_URL}"' in html


# Filters -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_sent_empty_shows_everything(world: World) -> None:
    fw = funding_world(world)
    empty = dict.fromkeys(
        ("q", "programme", "year", "region", "applicant", "topic", "amount_min", "amount_max"), ""
    )
    response = get(world.client("state_staff"), submitted_from="", submitted_to="", o="", **empty)
    assert set(titles(response)) == staff_titles(fw)
    assert not response.context["filtered"]


@pytest.mark.django_db
def test_the_status_filter_takes_several_values(world: World) -> None:
    fw = funding_world(world)
    client = world.client("state_staff")
    assert set(titles(client.get(f"{LIST_URL}?status=submitted&status=review"))) == {
        fw.submitted.title,
        fw.other_council_request.title,
        fw.in_review.title,
    }
    # The dashboards link with a single status.
    assert titles(client.get(f"{LIST_URL}?status=approved")) == [fw.approved.title]
    # An unknown status is no valid choice: nothing, and the error at the field.
    response = client.get(f"{LIST_URL}?status=nonsense")
    assert titles(response) == []
    assert "status" in response.context["filter"].errors


@pytest.mark.django_db
def test_the_programme_and_year_filters(world: World) -> None:
    fw = funding_world(world)
    last_year = make_programme(world.state, title="Altprogramm", year=fw.programme.year - 1)
    bulk_requests(last_year, world.council, 2, title="Vorjahr")
    client = world.client("state_staff")
    assert titles(client.get(LIST_URL, {"programme": last_year.pk, "o": "title"})) == [
        "Vorjahr 0000",
        "Vorjahr 0001",
    ]
    assert set(titles(get(client, year=fw.programme.year))) == staff_titles(fw)
    assert set(titles(get(client, year=last_year.year))) == {"Vorjahr 0000", "Vorjahr 0001"}


@pytest.mark.django_db
def test_the_region_council_and_topic_filters(world: World) -> None:
    fw = funding_world(world)
    FundingRequest.objects.filter(pk=fw.approved.pk).update(topic="addiction")
    client = world.client("state_staff")
    luneburg_region = world.other_council.region
    assert titles(get(client, region=luneburg_region.pk)) == [fw.other_council_request.title]
    assert titles(get(client, applicant=world.other_council.pk)) == [fw.other_council_request.title]
    assert titles(get(client, topic="addiction")) == [fw.approved.title]


@pytest.mark.django_db
def test_the_amount_filters_read_german_amounts(world: World) -> None:
    fw = funding_world(world)
    FundingRequest.objects.filter(pk=fw.submitted.pk).update(requested_amount=Decimal("1000.00"))
    FundingRequest.objects.filter(pk=fw.in_review.pk).update(requested_amount=Decimal("1500.50"))
    client = world.client("state_staff")
    assert set(titles(get(client, amount_min="1.000,00"))) == {
        fw.submitted.title,
        fw.in_review.title,
    }
    assert titles(get(client, amount_min="1.000,01", amount_max="1500,50")) == [fw.in_review.title]
    assert set(titles(get(client, amount_max="999.99"))) == {
        fw.approved.title,
        fw.other_council_request.title,
    }
    response = get(client, amount_min="viel")
    assert titles(response) == [] and "amount_min" in response.context["filter"].errors


@pytest.mark.django_db
def test_the_submitted_date_filters(world: World) -> None:
    fw = funding_world(world)
    tz = timezone.get_current_timezone()
    day = datetime.date(2024, 3, 10)
    late_evening = datetime.datetime(2024, 3, 10, 23, 30, tzinfo=tz)  # still the 10th in Berlin
    FundingRequest.objects.filter(pk=fw.submitted.pk).update(submitted_at=late_evening)
    FundingRequest.objects.filter(pk=fw.in_review.pk).update(
        submitted_at=late_evening + datetime.timedelta(days=5)
    )
    client = world.client("state_staff")
    assert titles(get(client, submitted_from=day.isoformat(), submitted_to=day.isoformat())) == [
        fw.submitted.title
    ]
    assert set(titles(get(client, submitted_to="2024-03-31"))) == {
        fw.submitted.title,
        fw.in_review.title,
    }
    assert fw.submitted.title not in titles(get(client, submitted_from="2024-03-11"))


@pytest.mark.django_db
def test_the_search_reads_title_carrier_and_council(world: World) -> None:
    fw = funding_world(world)
    FundingRequest.objects.filter(pk=fw.approved.pk).update(carrier_name="Jugendhaus Nord")
    client = world.client("state_staff")
    assert titles(get(client, q="begutachtung")) == [fw.in_review.title]
    assert titles(get(client, q="jugendhaus")) == [fw.approved.title]
    assert titles(get(client, q="Lüneburg")) == [fw.other_council_request.title]
    assert titles(get(client, q="Projekt Bewilligtes")) == [fw.approved.title]  # every word


@pytest.mark.django_db
def test_a_forged_programme_of_another_state_shows_nothing_of_it(world: World) -> None:
    fw = funding_world(world)
    client = world.client("state_staff")
    for params in (
        {"programme": fw.other_programme.pk},
        {"applicant": world.other_state_council.pk},
        {"region": world.other_state_council.region.pk},
    ):
        response = get(client, **params)
        assert titles(response) == []
        assert response.context["filter"].errors
        html = response.content.decode()
        assert "Rostock" not in html and "Landesprogramm MV" not in html


@pytest.mark.django_db
def test_the_choices_hold_only_what_the_user_may_see(world: World) -> None:
    fw = funding_world(world)
    form = get(world.client("other_council_coordinator")).context["filter"].form
    assert list(form.fields["programme"].queryset) == [fw.programme]
    assert list(form.fields["applicant"].queryset) == [world.other_council]
    assert list(form.fields["region"].queryset) == [world.other_council.region]
    assert [value for value, _ in form.fields["year"].choices if value] == [str(fw.programme.year)]


# Sorting -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_sorts_by_every_column(world: World) -> None:
    fw = funding_world(world)
    FundingRequest.objects.filter(pk=fw.submitted.pk).update(
        requested_amount=Decimal("900.00"), submitted_at=timezone.now() - datetime.timedelta(1)
    )
    FundingRequest.objects.filter(pk=fw.in_review.pk).update(requested_amount=Decimal("100.00"))
    extra = make_programme(world.state, title="Aaa-Programm")
    (early,) = bulk_requests(extra, world.other_council, 1, title="Zuletzt")
    FundingRequest.objects.filter(pk=early.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=30)
    )
    client = world.client("state_staff")

    def order(key: str) -> list[str]:
        return titles(get(client, o=key))

    every = sorted(staff_titles(fw) | {"Zuletzt 0000"})
    assert order("title") == every
    assert order("-title") == every[::-1]
    assert order("council")[-2:] == sorted([fw.other_council_request.title, "Zuletzt 0000"])
    assert order("programme")[0] == "Zuletzt 0000"
    assert order("requested")[0] == fw.in_review.title
    assert order("-requested")[0] == fw.submitted.title
    assert order("approved")[0] == fw.approved.title  # the only amount; empty ones last
    assert order("-approved")[0] == fw.approved.title
    assert order("submitted")[0] == "Zuletzt 0000"
    assert order("-submitted")[-1] == "Zuletzt 0000"
    # Status in the order of the workflow: submitted, in review, approved.
    by_status = order("status")
    assert by_status.index(fw.submitted.title) < by_status.index(fw.in_review.title)
    assert by_status.index(fw.in_review.title) < by_status.index(fw.approved.title)
    assert order("-status")[0] == fw.approved.title
    response = get(client, o="secret_field")
    assert titles(response) == [] and "o" in response.context["filter"].errors


# Pages ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_pages_by_25_and_keeps_the_filter(world: World) -> None:
    fw = funding_world(world)
    bulk_requests(fw.programme, world.other_council, 30, title="Seite")
    client = world.client("state_staff")
    first = client.get(f"{LIST_URL}?q=Seite&status=submitted&o=title")
    assert len(titles(first)) == 25
    html = first.content.decode()
    assert "Page 1 of 2" in html
    next_link = "?q=Seite&amp;status=submitted&amp;o=title&amp;page=2"
    assert next_link in html
    second = client.get(f"{LIST_URL}?q=Seite&status=submitted&o=title&page=2")
    assert titles(second) == [f"Seite {n:04d}" for n in range(25, 30)]
    assert set(titles(first)).isdisjoint(titles(second))


@pytest.mark.django_db
def test_the_export_form_carries_the_filter_without_the_page(world: World) -> None:
    funding_world(world)
    response = world.client("state_staff").get(f"{LIST_URL}?status=submitted&o=-title&page=1")
    html = response.content.decode()
    assert f'action="{reverse("funding:export_create")}"' in html
    query = urlencode([("status", "submitted"), ("o", "-title")]).replace("&", "&amp;")
    assert f'name="query" value="{query}"' in html
    assert '<option value="csv">' in html and '<option value="xlsx">' in html


# Queries -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["state_staff", "coordinator"])
def test_the_query_count_does_not_grow_with_the_rows(world: World, role: str) -> None:
    fw = funding_world(world)
    region = RegionFactory(state=world.state, name="Weser-Ems")
    oldenburg = Organisation.objects.create(
        state=world.state, kind="municipal_council", name="Präventionsrat Oldenburg", region=region
    )
    bulk_requests(fw.programme, world.council, 6, title="Anfang")  # 10 for both roles
    client = world.client(role)
    # The staff's thousand come from two councils and programmes, the coordinator's all from one.
    second_council = oldenburg if role == "state_staff" else world.council
    second_programme = make_programme(world.state, title="Zweites Programm")

    def grow() -> None:
        bulk_requests(fw.programme, world.council, 495, title="Viele")
        bulk_requests(second_programme, second_council, 495, title="Andere")

    def load() -> None:
        response = client.get(LIST_URL, {"o": "-submitted", "status": ["submitted", "draft"]})
        assert response.status_code == 200

    assert FundingRequest.objects.visible_to(world.users[role]).count() == 10
    assert_constant_queries(load, grow, max_queries=15)
    assert FundingRequest.objects.visible_to(world.users[role]).count() == 1000
