"""Requests for offers: asking, each answer and who may give it, the history, the rating,
double clicks, notifications and the request list."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from councils.models import Role
from exchange import offers as services
from exchange.models import OfferRequest, OfferRequestEvent
from exchange.models import OfferRequestStatus as RS
from notifications.models import Notification
from tests.conftest import World
from tests.exchange.bulk_offers import bulk_offers, bulk_requests
from tests.exchange.factories import today
from tests.exchange.world_offers import OffersWorld, make_offer, offers_world
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

LIST = reverse("exchange:offer_request_list")


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def ow(world: World) -> OffersWorld:
    return offers_world(world)


def _url(name: str, offer_request: OfferRequest) -> str:
    return reverse(f"exchange:offer_request_{name}", kwargs={"pk": offer_request.pk})


def _fresh(offer_request: OfferRequest) -> OfferRequest:
    return OfferRequest.objects.get(pk=offer_request.pk)


def _steps(offer_request: OfferRequest) -> list[tuple[str, str]]:
    return list(
        OfferRequestEvent.objects.filter(request=offer_request)
        .order_by("pk")
        .values_list("from_status", "to_status")
    )


def _notified(kind: str) -> set[str]:
    return set(
        Notification.objects.filter(kind=f"exchange.{kind}").values_list(
            "recipient__username", flat=True
        )
    )


def _in_days(days: int) -> str:
    return (today() + datetime.timedelta(days=days)).isoformat()


# Asking --------------------------------------------------------------------------------------


def test_a_coordinator_asks_and_the_provider_hears_of_it(
    ow: OffersWorld, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("exchange:offer_request_create", kwargs={"pk": ow.offer.pk})
    page = ow.w.client("coordinator").get(url)
    assert page.status_code == 200
    assert f'<option value="{ow.w.council.pk}" selected>' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = ow.w.client("coordinator").post(
            url,
            {
                "council": ow.w.council.pk,
                "wished_date": _in_days(20),
                "group": "Kollegium der Oberschule",
                "note": "Am liebsten mittwochs.",
            },
        )
    offer_request = OfferRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == offer_request.get_absolute_url()
    assert offer_request.status == RS.REQUESTED
    assert offer_request.council == ow.w.council
    assert offer_request.requested_by == ow.coordinator
    assert _steps(offer_request) == [("", RS.REQUESTED)]
    assert _notified("offer_request_new") == {"ngo-representative"}
    notice = Notification.objects.get(kind="exchange.offer_request_new")
    assert notice.url == offer_request.get_absolute_url()
    assert ow.offer.title in notice.subject


def test_a_double_click_sends_one_request(ow: OffersWorld) -> None:
    url = reverse("exchange:offer_request_create", kwargs={"pk": ow.offer.pk})
    data = {"council": ow.w.council.pk, "wished_date": "", "group": "Elternabend", "note": ""}
    client = ow.w.client("coordinator")
    first, second = client.post(url, data), client.post(url, data)
    assert OfferRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_council_the_coordinator_does_not_coordinate_is_refused(ow: OffersWorld) -> None:
    url = reverse("exchange:offer_request_create", kwargs={"pk": ow.offer.pk})
    response = ow.w.client("coordinator").post(
        url, {"council": ow.w.other_council.pk, "group": "Kollegium", "note": ""}
    )
    assert response.status_code == 200
    assert "council" in response.context["form"].errors
    with pytest.raises(ValidationError):
        services.offer_request_create(
            offer=ow.offer, council=ow.w.other_council, by=ow.coordinator, group="Kollegium"
        )
    with pytest.raises(PermissionDenied):
        services.offer_request_create(
            offer=ow.offer, council=ow.w.council, by=ow.w.users["member"], group="Kollegium"
        )
    assert not OfferRequest.objects.exists()


def test_a_council_of_another_state_cannot_ask(ow: OffersWorld) -> None:
    with pytest.raises(ValidationError) as error:
        services.offer_request_create(
            offer=ow.offer,
            council=ow.w.other_state_council,
            by=ow.mv_coordinator,
            group="Kollegium",
        )
    assert "council" in error.value.message_dict


def test_an_unpublished_offer_cannot_be_requested(ow: OffersWorld) -> None:
    url = reverse("exchange:offer_request_create", kwargs={"pk": ow.draft_offer.pk})
    assert ow.w.client("coordinator").get(url).status_code == 404
    with pytest.raises(ValidationError):
        services.offer_request_create(
            offer=ow.draft_offer, council=ow.w.council, by=ow.coordinator, group="Kollegium"
        )


def test_a_past_date_is_refused_and_the_input_kept(ow: OffersWorld) -> None:
    url = reverse("exchange:offer_request_create", kwargs={"pk": ow.offer.pk})
    response = ow.w.client("coordinator").post(
        url,
        {
            "council": ow.w.council.pk,
            "wished_date": _in_days(-3),
            "group": "Kollegium der Oberschule",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "wished_date" in response.context["form"].errors
    assert 'value="Kollegium der Oberschule"' in response.content.decode()
    assert not OfferRequest.objects.exists()


# The provider's answers ----------------------------------------------------------------------


def test_the_provider_accepts_on_the_preferred_date(
    ow: OffersWorld, django_capture_on_commit_callbacks: Any
) -> None:
    offer_request = ow.requested
    with django_capture_on_commit_callbacks(execute=True):
        response = ow.w.client("ngo_representative").post(
            _url("accept", offer_request), {"accept-note": "Wir kommen zu zweit."}
        )
    assert response.status_code == 302
    accepted = _fresh(offer_request)
    assert accepted.status == RS.ACCEPTED
    assert accepted.agreed_date == offer_request.wished_date
    assert _steps(offer_request)[-1] == (RS.REQUESTED, RS.ACCEPTED)
    assert OfferRequestEvent.objects.filter(reason="Wir kommen zu zweit.").exists()
    assert _notified("offer_request_accepted") == {"coordinator"}


def test_proposing_a_date_needs_a_future_date(
    ow: OffersWorld, django_capture_on_commit_callbacks: Any
) -> None:
    offer_request = ow.requested
    client = ow.w.client("ngo_representative")
    for bad in ("", _in_days(0), _in_days(-5)):
        response = client.post(
            _url("propose_date", offer_request), {"proposed_date": bad, "note": "Neuer Termin"}
        )
        assert response.status_code == 200
        assert "proposed_date" in response.context["form"].errors
        assert "Neuer Termin" in response.content.decode()
    assert _fresh(offer_request).status == RS.REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("propose_date", offer_request), {"proposed_date": _in_days(40), "note": ""}
        )
    proposed = _fresh(offer_request)
    assert response.status_code == 302
    assert proposed.status == RS.DATE_PROPOSED
    assert proposed.proposed_date == today() + datetime.timedelta(days=40)
    event = OfferRequestEvent.objects.filter(request=offer_request).order_by("pk").last()
    assert event is not None and event.proposed_date == proposed.proposed_date
    assert _notified("offer_request_date_proposed") == {"coordinator"}


def test_the_council_agrees_to_the_proposed_date(
    ow: OffersWorld, django_capture_on_commit_callbacks: Any
) -> None:
    offer_request = ow.proposed
    with django_capture_on_commit_callbacks(execute=True):
        response = ow.w.client("coordinator").post(_url("accept_proposal", offer_request))
    accepted = _fresh(offer_request)
    assert response.status_code == 302
    assert accepted.status == RS.ACCEPTED
    assert accepted.agreed_date == accepted.proposed_date
    assert _steps(offer_request) == [
        ("", RS.REQUESTED),
        (RS.REQUESTED, RS.DATE_PROPOSED),
        (RS.DATE_PROPOSED, RS.ACCEPTED),
    ]
    assert _notified("offer_request_proposal_accepted") == {"ngo-representative"}


def test_declining_needs_a_reason(ow: OffersWorld, django_capture_on_commit_callbacks: Any) -> None:
    offer_request = ow.requested
    client = ow.w.client("ngo_representative")
    assert client.get(_url("decline", offer_request)).status_code == 200
    response = client.post(_url("decline", offer_request), {"reason": "  "})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("decline", offer_request), {"reason": "Ausgebucht bis Juni."})
    assert _fresh(offer_request).status == RS.DECLINED
    assert _notified("offer_request_declined") == {"coordinator"}
    notice = Notification.objects.get(kind="exchange.offer_request_declined")
    assert notice.body == "Ausgebucht bis Juni."


def test_the_council_withdraws(ow: OffersWorld, django_capture_on_commit_callbacks: Any) -> None:
    offer_request = ow.accepted
    client = ow.w.client("coordinator")
    assert client.get(_url("withdraw", offer_request)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("withdraw", offer_request), {"reason": "Die Schule hat abgesagt."})
    assert _fresh(offer_request).status == RS.WITHDRAWN
    assert _notified("offer_request_withdrawn") == {"ngo-representative"}


@pytest.mark.parametrize("role", ["coordinator", "ngo_representative"])
def test_either_side_finishes_an_accepted_request(
    ow: OffersWorld, role: str, django_capture_on_commit_callbacks: Any
) -> None:
    offer_request = ow.accepted
    with django_capture_on_commit_callbacks(execute=True):
        ow.w.client(role).post(_url("finish", offer_request))
    assert _fresh(offer_request).status == RS.DONE
    other = "ngo-representative" if role == "coordinator" else "coordinator"
    assert _notified("offer_request_done") == {other}


def test_a_request_is_finished_only_once_accepted(ow: OffersWorld) -> None:
    offer_request = ow.requested
    response = ow.w.client("ngo_representative").post(_url("finish", offer_request))
    assert response.status_code == 302
    assert _fresh(offer_request).status == RS.REQUESTED
    with pytest.raises(ValidationError):
        services.offer_request_finish(offer_request=offer_request, by=ow.ngo_rep)


# Who may answer ------------------------------------------------------------------------------


def test_each_side_gives_only_its_own_answers(ow: OffersWorld) -> None:
    requested, proposed = ow.requested, ow.proposed
    with pytest.raises(PermissionDenied):
        services.offer_request_accept(offer_request=requested, by=ow.coordinator)
    with pytest.raises(PermissionDenied):
        services.offer_request_decline(offer_request=requested, by=ow.coordinator, reason="x")
    with pytest.raises(PermissionDenied):
        services.offer_request_accept_proposal(offer_request=proposed, by=ow.ngo_rep)
    with pytest.raises(PermissionDenied):
        services.offer_request_withdraw(offer_request=requested, by=ow.ngo_rep)
    with pytest.raises(PermissionDenied):
        services.offer_request_withdraw(offer_request=requested, by=ow.w.users["member"])
    with pytest.raises(PermissionDenied):
        services.offer_request_accept(offer_request=requested, by=ow.w.users["state_staff"])
    assert _fresh(requested).status == RS.REQUESTED


def test_another_ngo_does_not_see_the_request(ow: OffersWorld) -> None:
    client = Client()
    client.force_login(ow.other_ngo_rep)
    assert client.get(ow.requested.get_absolute_url()).status_code == 404
    assert client.post(_url("accept", ow.requested)).status_code == 404
    with pytest.raises(PermissionDenied):
        services.offer_request_accept(offer_request=ow.requested, by=ow.other_ngo_rep)


def test_the_state_office_answers_for_its_own_offers(ow: OffersWorld) -> None:
    staff = ow.w.users["state_staff"]
    offer = make_offer(staff, ow.w.office, title="Beratung Regionalanalyse", statewide=True)
    offer_request = ow.ask(offer, group="Lenkungsgruppe")
    admin = ow.w.users["state_admin"]
    services.offer_request_accept(offer_request=offer_request, by=admin)
    assert _fresh(offer_request).status == RS.ACCEPTED


# Double clicks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "role", "data", "request_name", "status"),
    [
        ("accept", "ngo_representative", {}, "requested", RS.ACCEPTED),
        ("decline", "ngo_representative", {"reason": "Ausgebucht"}, "requested", RS.DECLINED),
        ("accept_proposal", "coordinator", {}, "proposed", RS.ACCEPTED),
        ("withdraw", "coordinator", {"reason": ""}, "requested", RS.WITHDRAWN),
        ("finish", "coordinator", {}, "accepted", RS.DONE),
        ("rate", "coordinator", {"rating": "4", "comment": "Gut"}, "done", RS.DONE),
    ],
)
def test_a_double_click_acts_once(
    ow: OffersWorld,
    step: str,
    role: str,
    data: dict[str, str],
    request_name: str,
    status: str,
) -> None:
    offer_request = getattr(ow, request_name)
    before = OfferRequestEvent.objects.filter(request=offer_request).count()
    client = ow.w.client(role)
    first = client.post(_url(step, offer_request), data)
    second = client.post(_url(step, offer_request), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == offer_request.get_absolute_url()
    assert _fresh(offer_request).status == status
    assert OfferRequestEvent.objects.filter(request=offer_request).count() == before + 1


def test_the_same_proposal_twice_is_recorded_once(ow: OffersWorld) -> None:
    offer_request = ow.requested
    client = ow.w.client("ngo_representative")
    data = {"proposed_date": _in_days(50), "note": ""}
    client.post(_url("propose_date", offer_request), data)
    client.post(_url("propose_date", offer_request), data)
    assert _steps(offer_request).count((RS.REQUESTED, RS.DATE_PROPOSED)) == 1
    assert len(_steps(offer_request)) == 2
    client.post(_url("propose_date", offer_request), {"proposed_date": _in_days(60), "note": ""})
    assert _steps(offer_request)[-1] == (RS.DATE_PROPOSED, RS.DATE_PROPOSED)


# Rating --------------------------------------------------------------------------------------


def test_a_finished_request_is_rated_once(
    ow: OffersWorld, django_capture_on_commit_callbacks: Any
) -> None:
    offer_request = ow.done
    client = ow.w.client("coordinator")
    assert client.get(_url("rate", offer_request)).status_code == 200
    response = client.post(_url("rate", offer_request), {"rating": "7", "comment": "Super"})
    assert response.status_code == 200
    assert "rating" in response.context["form"].errors
    assert "Super" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("rate", offer_request), {"rating": "5", "comment": "Sehr hilfreich."})
    rated = _fresh(offer_request)
    assert (rated.rating, rated.rating_comment) == (5, "Sehr hilfreich.")
    assert _notified("offer_request_rated") == {"ngo-representative"}
    again = client.post(_url("rate", offer_request), {"rating": "1", "comment": "Doch nicht"})
    assert again.status_code == 302
    assert _fresh(offer_request).rating == 5
    with pytest.raises(ValidationError):
        services.offer_request_rate(offer_request=offer_request, by=ow.coordinator, rating=2)
    page = client.get(offer_request.get_absolute_url()).content.decode()
    assert "5 of 5" in page
    assert _url("rate", offer_request) not in page


def test_only_the_requesting_council_rates_a_finished_request(ow: OffersWorld) -> None:
    with pytest.raises(ValidationError):
        services.offer_request_rate(offer_request=ow.accepted, by=ow.coordinator, rating=4)
    with pytest.raises(PermissionDenied):
        services.offer_request_rate(offer_request=ow.done, by=ow.ngo_rep, rating=5)
    with pytest.raises(ValidationError):
        services.offer_request_rate(offer_request=ow.done, by=ow.coordinator, rating=0)
    assert ow.w.client("ngo_representative").get(_url("rate", ow.done)).status_code == 403
    assert ow.w.client("member").get(_url("rate", ow.done)).status_code == 403


# The request's page --------------------------------------------------------------------------


def _history_rows(response: Any) -> list[tuple[str, str]]:
    return [(e.from_status, e.to_status) for e in response.context["events"]]


def test_both_sides_see_the_full_history(ow: OffersWorld) -> None:
    offer_request = ow.proposed
    services.offer_request_accept_proposal(offer_request=offer_request, by=ow.coordinator)
    services.offer_request_finish(offer_request=offer_request, by=ow.ngo_rep)
    services.offer_request_rate(
        offer_request=offer_request, by=ow.coordinator, rating=4, comment="Gern wieder."
    )
    expected = [
        ("", RS.REQUESTED),
        (RS.REQUESTED, RS.DATE_PROPOSED),
        (RS.DATE_PROPOSED, RS.ACCEPTED),
        (RS.ACCEPTED, RS.DONE),
        (RS.DONE, RS.DONE),
    ]
    for role in ("coordinator", "member", "ngo_representative", "state_staff"):
        response = ow.w.client(role).get(offer_request.get_absolute_url())
        assert response.status_code == 200
        assert _history_rows(response) == expected
        body = response.content.decode()
        assert "Am Wunschtermin sind wir ausgebucht." in body
        assert "Rated: 4 of 5" in body


@pytest.mark.parametrize(
    ("role", "request_name", "expected"),
    [
        ("ngo_representative", "requested", {"accept", "propose_date", "decline"}),
        ("coordinator", "requested", {"withdraw"}),
        ("member", "requested", set()),
        ("state_staff", "requested", set()),
        ("ngo_representative", "proposed", {"propose_date", "decline"}),
        ("coordinator", "proposed", {"accept_proposal", "withdraw"}),
        ("ngo_representative", "accepted", {"finish"}),
        ("coordinator", "accepted", {"finish", "withdraw"}),
        ("coordinator", "done", {"rate"}),
        ("ngo_representative", "done", set()),
    ],
)
def test_the_page_offers_the_steps_that_fit_the_viewer(
    ow: OffersWorld, role: str, request_name: str, expected: set[str]
) -> None:
    offer_request = getattr(ow, request_name)
    response = ow.w.client(role).get(offer_request.get_absolute_url())
    assert set(response.context["actions"]) == expected
    body = response.content.decode()
    for step in ("accept", "propose_date", "decline", "accept_proposal", "withdraw", "finish"):
        assert (_url(step, offer_request) in body) == (step in expected)


# The list ------------------------------------------------------------------------------------


def _listed(client: Client, query: str = "") -> set[int]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return {offer_request.pk for offer_request, _badge in response.context["rows"]}


def test_the_list_shows_each_viewer_their_part(ow: OffersWorld) -> None:
    mine = {ow.requested.pk, ow.proposed.pk, ow.accepted.pk, ow.done.pk}
    other_council = ow.w.other_council
    other_coordinator = ow.w.users["other_council_coordinator"]
    staff_offer = make_offer(
        ow.w.users["state_staff"], ow.w.office, title="Regionalanalyse", statewide=True
    )
    theirs, _created = services.offer_request_create(
        offer=staff_offer, council=other_council, by=other_coordinator, group="Lenkungsgruppe"
    )
    mv = ow.mv_requested
    assert _listed(ow.w.client("coordinator")) == mine
    assert _listed(ow.w.client("member")) == mine
    assert _listed(ow.w.client("ngo_representative")) == mine
    assert _listed(ow.w.client("other_council_coordinator")) == {theirs.pk}
    assert _listed(ow.w.client("state_staff")) == mine | {theirs.pk}
    assert _listed(ow.w.client("other_state_coordinator")) == {mv.pk}
    assert _listed(ow.w.client("platform_admin")) == mine | {theirs.pk, mv.pk}


def test_the_list_filters(ow: OffersWorld) -> None:
    requested, proposed, done = ow.requested, ow.proposed, ow.done
    client = ow.w.client("coordinator")
    assert _listed(client, "status=requested") == {requested.pk}
    assert _listed(client, "status=requested&status=done") == {requested.pk, done.pk}
    assert _listed(client, "q=Elternabend") == {proposed.pk}
    assert _listed(client, f"offer={ow.offer.pk}&status=date_proposed") == {proposed.pk}
    assert _listed(client, "side=received") == set()
    assert _listed(client, "side=made") == {requested.pk, proposed.pk, done.pk}
    assert _listed(ow.w.client("ngo_representative"), "side=received") == {
        requested.pk,
        proposed.pk,
        done.pk,
    }
    assert _listed(client, f"offer={ow.mv_offer.pk}") == set()  # not one of theirs: nothing
    assert _listed(client, "status=unknown") == set()


def test_the_list_keeps_its_queries_from_10_to_1000_requests(ow: OffersWorld) -> None:
    councils = [ow.w.council]
    for _n in range(3):
        council = OrganisationFactory(state=ow.w.state, region=ow.other_region)
        MembershipFactory(user=UserFactory(), organisation=council, role=Role.COUNCIL_COORDINATOR)
        councils.append(council)
    regions = [ow.region, ow.other_region]
    bulk_requests(bulk_offers(ow.w.ngo, regions, 10), councils)
    clients = {role: ow.w.client(role) for role in ("state_staff", "ngo_representative")}
    url = f"{LIST}?status=requested&o=-created"

    def pages() -> list[int]:
        return [count_queries(lambda c=c: c.get(url))[0] for c in clients.values()]

    pages()  # warm the sessions and content types
    before = pages()
    bulk_requests(bulk_offers(ow.w.ngo, regions, 990, start=10), councils)
    assert pages() == before
    response = clients["state_staff"].get(LIST)
    assert response.context["page"].paginator.count == 1000
    assert len(response.context["rows"]) == 25
