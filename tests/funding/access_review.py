"""Permission-matrix rules of the state office's check, the review, the decision and letters.

Readers of a first-state request: its state's staff (and platform admins), the applicant
council's members and the assigned reviewer (the NGO representative, only on ``in_review``).
Everyone else gets 404; readers without the role for the action get 403.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from councils.models import Organisation, User
from funding import decisions
from funding.models import Decision, FundingRequest, Letter, LetterKind, Programme
from tests.access import LOGIN, Rule, everyone
from tests.conftest import World
from tests.funding.factories import advance, funding_world, make_draft


def _first(
    status: int,
    *,
    applicant: int = 403,
    reviewer: int = 404,
    staff: int | None = None,
    anonymous: int = LOGIN,
) -> dict[str, int]:
    """A first-state request: staff get ``status``, the applicant council ``applicant``."""
    staff_status = status if staff is None else staff
    return everyone(
        404,
        anonymous=anonymous,
        platform_admin=staff_status,
        state_admin=staff_status,
        state_staff=staff_status,
        coordinator=applicant,
        member=applicant,
        ngo_representative=reviewer,
    )


def _other(status: int, *, applicant: int = 403, anonymous: int = LOGIN) -> dict[str, int]:
    """A second-state request: only its staff act; its council coordinator reads (403)."""
    return everyone(
        404,
        anonymous=anonymous,
        platform_admin=status,
        other_state_admin=status,
        other_state_coordinator=applicant,
    )


def _pk(request: FundingRequest) -> dict[str, Any]:
    return {"pk": request.pk}


def _in_check(
    programme: Programme, applicant: Organisation, coordinator: User, staff: User
) -> FundingRequest:
    return advance(
        make_draft(programme, applicant, coordinator, title="In formaler Prüfung"),
        "formal_check",
        applicant=coordinator,
        staff=staff,
    )


def _first_in_check(w: World) -> dict[str, Any]:
    fw = funding_world(w)
    return _pk(_in_check(fw.programme, w.council, w.users["coordinator"], w.users["state_staff"]))


def _other_in_check(w: World) -> dict[str, Any]:
    fw = funding_world(w)
    return _pk(
        _in_check(
            fw.other_programme,
            w.other_state_council,
            w.users["other_state_coordinator"],
            w.users["other_state_admin"],
        )
    )


def _proposal(
    programme: Programme, applicant: Organisation, coordinator: User, staff: User
) -> FundingRequest:
    """A request above the four-eyes threshold whose approval ``staff`` proposed."""
    request = advance(
        make_draft(
            programme,
            applicant,
            coordinator,
            title="Größeres Projekt",
            costs=Decimal("8000.00"),
            own=Decimal("1000.00"),
            large=True,
        ),
        "review",
        applicant=coordinator,
        staff=staff,
    )
    return decisions.request_decide(request=request, by=staff, decision=Decision.APPROVE)


def _first_proposal(w: World) -> dict[str, Any]:
    fw = funding_world(w)
    return _pk(_proposal(fw.programme, w.council, w.users["coordinator"], w.users["state_staff"]))


def _other_proposal(w: World) -> dict[str, Any]:
    fw = funding_world(w)
    return _pk(
        _proposal(
            fw.other_programme,
            w.other_state_council,
            w.users["other_state_coordinator"],
            w.users["other_state_admin"],
        )
    )


def _letter(request: FundingRequest) -> dict[str, Any]:
    letter = Letter(request=request, kind=LetterKind.APPROVAL)
    letter.file.save("Bescheid.pdf", ContentFile(b"%PDF-1.4 Bescheid"), save=True)
    return {"pk": request.pk, "letter_pk": letter.pk}


def _reviewer_of_in_review(w: World) -> dict[str, Any]:
    return {"pk": funding_world(w).in_review.pk, "user_pk": w.users["ngo_representative"].pk}


ACCESS: dict[str, Rule] = {
    "funding:request_start_check": Rule(
        own=_first(302),
        kwargs=lambda w: _pk(funding_world(w).submitted),
        other=_other(302),
        other_kwargs=lambda w: _pk(funding_world(w).other_state_request),
        method="post",
    ),
    "funding:request_return": Rule(
        own=_first(200),
        kwargs=lambda w: _pk(funding_world(w).submitted),
        other=_other(200),
        other_kwargs=lambda w: _pk(funding_world(w).other_state_request),
    ),
    "funding:request_start_review": Rule(
        own=_first(200),
        kwargs=_first_in_check,
        other=_other(200),
        other_kwargs=_other_in_check,
    ),
    "funding:reviewer_assign": Rule(
        own=_first(200, reviewer=403),
        kwargs=lambda w: _pk(funding_world(w).in_review),
        other=_other(200),
        other_kwargs=_other_in_check,
    ),
    "funding:reviewer_remove": Rule(
        own=_first(200, reviewer=403),
        kwargs=_reviewer_of_in_review,
    ),
    # Only the assigned reviewer votes; staff and the applicant read the request (403).
    "funding:review_form": Rule(
        own=_first(403, reviewer=200),
        kwargs=lambda w: _pk(funding_world(w).in_review),
        other=_other(403),
        other_kwargs=lambda w: _pk(funding_world(w).other_state_request),
    ),
    "funding:comment_add": Rule(
        own=_first(302, reviewer=302),
        kwargs=lambda w: _pk(funding_world(w).in_review),
        other=_other(302),
        other_kwargs=lambda w: _pk(funding_world(w).other_state_request),
        method="post",
        data=lambda w: {"text": "Bitte Kostenplan prüfen."},
    ),
    "funding:request_changes": Rule(
        own=_first(200, reviewer=200),
        kwargs=lambda w: _pk(funding_world(w).in_review),
        other=_other(200),
        other_kwargs=lambda w: _pk(funding_world(w).other_state_request),
    ),
    "funding:request_decide": Rule(
        own=_first(200, reviewer=403),
        kwargs=lambda w: _pk(funding_world(w).in_review),
        other=_other(200),
        other_kwargs=_other_in_check,
    ),
    # The proposer (state_staff, other_state_admin) gets the page with the four-eyes note.
    "funding:request_confirm": Rule(
        own=_first(200),
        kwargs=_first_proposal,
        other=_other(200),
        other_kwargs=_other_proposal,
    ),
    "funding:request_discard": Rule(
        own=_first(200),
        kwargs=_first_proposal,
        other=_other(200),
        other_kwargs=_other_proposal,
    ),
    # Everyone who reads the request: staff and the applicant council's members.
    "funding:letter_download": Rule(
        own=_first(200, applicant=200),
        kwargs=lambda w: _letter(funding_world(w).approved),
        other=_other(200, applicant=200),
        other_kwargs=lambda w: _letter(funding_world(w).other_state_request),
    ),
}
