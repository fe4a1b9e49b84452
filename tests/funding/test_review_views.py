"""The state office's check, reviewers, votes, comments, changes and the review panel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse

from funding import services
from funding.models import Comment, FundingRequest, Review, StatusChange, Vote
from funding.models import RequestStatus as S
from funding.permissions import is_assigned_reviewer
from funding.views.review import review_panel
from tests.conftest import World
from tests.funding.factories import FundingWorld, advance, funding_world, make_draft
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


def url(name: str, request: FundingRequest, **kwargs: int) -> str:
    return reverse(f"funding:{name}", kwargs={"pk": request.pk, **kwargs})


def reload(request: FundingRequest) -> FundingRequest:
    return FundingRequest.objects.get(pk=request.pk)


def in_check(world: World, fw: FundingWorld) -> FundingRequest:
    return advance(
        make_draft(fw.programme, world.council, world.users["coordinator"], title="Prüffall"),
        "formal_check",
        applicant=world.users["coordinator"],
        staff=world.users["state_staff"],
    )


# The formal check ----------------------------------------------------------------------------


def test_staff_start_the_formal_check(world: World, fw: FundingWorld) -> None:
    response = world.client("state_staff").post(
        url("request_start_check", fw.submitted), follow=True
    )
    assert response.redirect_chain[-1][0] == fw.submitted.get_absolute_url()
    assert "Die formale Prüfung hat begonnen." in response.content.decode()
    assert reload(fw.submitted).status == S.FORMAL_CHECK
    change = StatusChange.objects.filter(request=fw.submitted).last()
    assert change is not None
    assert (change.from_status, change.to_status, change.by) == (
        S.SUBMITTED,
        S.FORMAL_CHECK,
        world.users["state_staff"],
    )


def test_start_check_in_the_wrong_status_says_so(world: World, fw: FundingWorld) -> None:
    response = world.client("state_staff").post(
        url("request_start_check", fw.in_review), follow=True
    )
    assert "Dieser Schritt ist nicht möglich" in response.content.decode()
    assert reload(fw.in_review).status == S.REVIEW


def test_start_check_is_post_only(world: World, fw: FundingWorld) -> None:
    assert (
        world.client("state_staff").get(url("request_start_check", fw.submitted)).status_code == 405
    )


def test_start_check_requires_login(world: World, fw: FundingWorld) -> None:
    response = world.client("anonymous").post(url("request_start_check", fw.submitted))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_the_applicant_cannot_start_the_check(world: World, fw: FundingWorld) -> None:
    assert (
        world.client("coordinator").post(url("request_start_check", fw.submitted)).status_code
        == 403
    )
    assert reload(fw.submitted).status == S.SUBMITTED


def test_staff_of_another_state_get_404(world: World, fw: FundingWorld) -> None:
    response = world.client("other_state_admin").post(url("request_start_check", fw.submitted))
    assert response.status_code == 404


def test_return_needs_a_reason_and_keeps_the_form(world: World, fw: FundingWorld) -> None:
    client = world.client("state_staff")
    response = client.post(url("request_return", fw.submitted), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert reload(fw.submitted).status == S.SUBMITTED


def test_return_sends_the_request_back_with_the_reason(world: World, fw: FundingWorld) -> None:
    client = world.client("state_staff")
    assert client.get(url("request_return", fw.submitted)).status_code == 200
    response = client.post(url("request_return", fw.submitted), {"reason": "Kostenplan fehlt."})
    assert response.status_code == 302
    request = reload(fw.submitted)
    assert request.status == S.RETURNED
    assert StatusChange.objects.filter(request=request, to_status=S.RETURNED).get().reason == (
        "Kostenplan fehlt."
    )


def test_return_of_an_approved_request_is_refused(world: World, fw: FundingWorld) -> None:
    response = world.client("state_staff").get(url("request_return", fw.approved))
    assert response.status_code == 302
    assert reload(fw.approved).status == S.APPROVED


def test_send_to_review_with_reviewers(world: World, fw: FundingWorld) -> None:
    request = in_check(world, fw)
    client = world.client("state_admin")
    page = client.get(url("request_start_review", request))
    choices = {choice.pk for choice in page.context["form"].fields["reviewers"].queryset}
    ngo = world.users["ngo_representative"]
    assert ngo.pk in choices
    assert world.users["coordinator"].pk not in choices  # the applicant council cannot review
    response = client.post(url("request_start_review", request), {"reviewers": [ngo.pk]})
    assert response.status_code == 302
    assert reload(request).status == S.REVIEW
    assert is_assigned_reviewer(ngo, request)


def test_send_to_review_refuses_a_member_of_the_applicant(world: World, fw: FundingWorld) -> None:
    request = in_check(world, fw)
    member = world.users["member"]
    response = world.client("state_admin").post(
        url("request_start_review", request), {"reviewers": [member.pk]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reviewers"]
    assert reload(request).status == S.FORMAL_CHECK


# Reviewers -----------------------------------------------------------------------------------


def test_assign_and_remove_a_reviewer(world: World, fw: FundingWorld) -> None:
    client = world.client("state_admin")
    staff = world.users["state_staff"]
    response = client.post(url("reviewer_assign", fw.in_review), {"reviewer": staff.pk})
    assert response.status_code == 302
    assert is_assigned_reviewer(staff, fw.in_review)
    remove = url("reviewer_remove", fw.in_review, user_pk=staff.pk)
    assert client.get(remove).status_code == 200
    assert client.post(remove).status_code == 302
    assert not is_assigned_reviewer(staff, fw.in_review)


def test_assign_refuses_someone_outside_the_candidates(world: World, fw: FundingWorld) -> None:
    client = world.client("state_admin")
    outsider = world.users["other_state_coordinator"]
    response = client.post(url("reviewer_assign", fw.in_review), {"reviewer": outsider.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["reviewer"]
    assert not is_assigned_reviewer(outsider, fw.in_review)


def test_remove_someone_who_is_no_reviewer_is_404(world: World, fw: FundingWorld) -> None:
    response = world.client("state_admin").get(
        url("reviewer_remove", fw.in_review, user_pk=world.users["member"].pk)
    )
    assert response.status_code == 404


def test_the_reviewer_cannot_manage_reviewers(world: World, fw: FundingWorld) -> None:
    client = world.client("ngo_representative")
    assert client.get(url("reviewer_assign", fw.in_review)).status_code == 403


# Votes ---------------------------------------------------------------------------------------


def test_the_assigned_reviewer_votes(world: World, fw: FundingWorld) -> None:
    client = world.client("ngo_representative")
    page = client.get(url("review_form", fw.in_review))
    assert page.status_code == 200
    assert fw.in_review.title in page.content.decode()
    response = client.post(
        url("review_form", fw.in_review),
        {"vote": Vote.REDUCE, "recommended_amount": "600.00", "comment": "Honorare zu hoch."},
    )
    assert response.status_code == 302
    review = Review.objects.get(request=fw.in_review)
    assert (review.vote, review.recommended_amount, review.round) == (
        Vote.REDUCE,
        Decimal("600.00"),
        fw.in_review.round,
    )
    # A second vote in the same round revises the first.
    client.post(url("review_form", fw.in_review), {"vote": Vote.APPROVE, "comment": "Doch gut."})
    assert Review.objects.filter(request=fw.in_review).get().vote == Vote.APPROVE


def test_a_reduction_without_amount_is_shown_at_the_field(world: World, fw: FundingWorld) -> None:
    response = world.client("ngo_representative").post(
        url("review_form", fw.in_review), {"vote": Vote.REDUCE, "comment": "Zu teuer."}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["recommended_amount"]
    assert form["comment"].value() == "Zu teuer."
    assert not Review.objects.filter(request=fw.in_review).exists()


def test_unassigned_staff_cannot_vote(world: World, fw: FundingWorld) -> None:
    assert world.client("state_staff").get(url("review_form", fw.in_review)).status_code == 403


def test_an_unassigned_outsider_does_not_see_the_request(world: World, fw: FundingWorld) -> None:
    client = world.client("other_council_coordinator")
    assert client.get(url("review_form", fw.in_review)).status_code == 404


def test_voting_outside_the_review_goes_back_to_the_request(world: World, fw: FundingWorld) -> None:
    services.request_return(
        request=fw.in_review, by=world.users["state_staff"], reason="Bitte ergänzen."
    )
    response = world.client("ngo_representative").get(url("review_form", fw.in_review))
    assert response.status_code == 302


def test_review_form_is_get_or_post(world: World, fw: FundingWorld) -> None:
    client = world.client("ngo_representative")
    assert client.delete(url("review_form", fw.in_review)).status_code == 405


# Comments ------------------------------------------------------------------------------------


def test_staff_and_reviewer_comment(world: World, fw: FundingWorld) -> None:
    for role in ("state_staff", "ngo_representative"):
        response = world.client(role).post(
            url("comment_add", fw.in_review), {"text": f"von {role}"}
        )
        assert response.status_code == 302
    assert Comment.objects.filter(request=fw.in_review).count() == 2


def test_an_empty_comment_keeps_the_form(world: World, fw: FundingWorld) -> None:
    response = world.client("state_staff").post(url("comment_add", fw.in_review), {"text": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]


def test_the_applicant_cannot_comment(world: World, fw: FundingWorld) -> None:
    response = world.client("coordinator").post(url("comment_add", fw.in_review), {"text": "Hallo"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


# Changes between submissions -----------------------------------------------------------------


def resubmitted(world: World, fw: FundingWorld) -> FundingRequest:
    """The request in review, returned, retitled and submitted a second time."""
    staff, coordinator = world.users["state_staff"], world.users["coordinator"]
    request = services.request_return(request=fw.in_review, by=staff, reason="Titel schärfen")
    services.request_update(request=request, step=1, title="Mitternachtssport Hameln")
    return services.request_submit(request=reload(request), by=coordinator)


def test_changes_show_an_empty_state_after_one_submission(world: World, fw: FundingWorld) -> None:
    response = world.client("state_staff").get(url("request_changes", fw.in_review))
    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert 'id="no-changes"' in response.content.decode()


def test_changes_since_the_last_submission(world: World, fw: FundingWorld) -> None:
    request = resubmitted(world, fw)
    response = world.client("state_staff").get(url("request_changes", request))
    body = response.content.decode()
    assert response.context["comparison"].round == 2
    assert "Projekt in Begutachtung" in body
    assert "Mitternachtssport Hameln" in body
    again = world.client("state_staff").get(url("request_changes", request) + "?round=2")
    assert again.context["comparison"].previous == 1
    missing = world.client("state_staff").get(url("request_changes", request) + "?round=5")
    assert missing.status_code == 404
    assert (
        world.client("state_staff").get(url("request_changes", request) + "?round=x").status_code
        == 404
    )


def test_the_applicant_does_not_see_the_changes_page(world: World, fw: FundingWorld) -> None:
    assert world.client("coordinator").get(url("request_changes", fw.in_review)).status_code == 403


# The panel on the request's page -------------------------------------------------------------


def panel_for(world: World, role: str, request: FundingRequest) -> object:
    http_request = RequestFactory().get("/")
    http_request.user = world.users[role]
    return review_panel(http_request, request)["review_panel"]


def with_vote_and_comment(world: World, fw: FundingWorld) -> None:
    services.review_save(
        request=fw.in_review,
        reviewer=world.users["ngo_representative"],
        vote=Vote.REJECT,
        comment="Geheimes Votum",
    )
    services.comment_add(
        request=fw.in_review, author=world.users["state_staff"], text="Interne Notiz"
    )


def test_staff_see_actions_votes_and_comments(world: World, fw: FundingWorld) -> None:
    with_vote_and_comment(world, fw)
    panel = panel_for(world, "state_staff", fw.in_review)
    assert panel.is_staff and panel.can_decide and panel.can_return  # type: ignore[attr-defined]
    assert [r.comment for r in panel.current] == ["Geheimes Votum"]  # type: ignore[attr-defined]
    assert [c.text for c in panel.comments] == ["Interne Notiz"]  # type: ignore[attr-defined]
    assert world.users["ngo_representative"] in panel.reviewers  # type: ignore[attr-defined]


def test_the_reviewer_sees_the_vote_link(world: World, fw: FundingWorld) -> None:
    panel = panel_for(world, "ngo_representative", fw.in_review)
    assert panel.can_vote and not panel.is_staff  # type: ignore[attr-defined]


def test_the_applicant_sees_no_internals(world: World, fw: FundingWorld) -> None:
    with_vote_and_comment(world, fw)
    panel = panel_for(world, "coordinator", fw.in_review)
    assert not panel.internals  # type: ignore[attr-defined]
    assert panel.current == [] and panel.comments == [] and panel.reviewers == []  # type: ignore[attr-defined]
    body = world.client("coordinator").get(fw.in_review.get_absolute_url()).content.decode()
    assert "Geheimes Votum" not in body
    assert "Interne Notiz" not in body
    ngo = world.users["ngo_representative"]
    assert (ngo.get_full_name() or ngo.username) not in body
    assert reverse("funding:request_decide", kwargs={"pk": fw.in_review.pk}) not in body


def test_staff_page_shows_the_panel(world: World, fw: FundingWorld) -> None:
    with_vote_and_comment(world, fw)
    body = world.client("state_staff").get(fw.in_review.get_absolute_url()).content.decode()
    assert "Geheimes Votum" in body
    assert "Interne Notiz" in body
    assert reverse("funding:request_decide", kwargs={"pk": fw.in_review.pk}) in body


def test_the_panel_needs_constant_queries(world: World, fw: FundingWorld) -> None:
    staff = world.users["state_staff"]
    counter = {"n": 0}

    def render_panel() -> None:
        panel_for(world, "state_staff", fw.in_review)

    def grow() -> None:
        counter["n"] += 1
        services.reviewer_assign(
            request=fw.in_review, reviewer=world.users["state_admin"], by=staff
        )
        services.review_save(
            request=fw.in_review,
            reviewer=world.users["state_admin"],
            vote=Vote.APPROVE,
            comment="ok",
        )
        for i in range(3):
            services.comment_add(request=fw.in_review, author=staff, text=f"Notiz {i}")

    assert_constant_queries(render_panel, grow)
