"""Permission-matrix rules of the applicant's side of a funding request and the request page."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from funding.models import Attachment, FundingRequest
from tests.access import LOGIN, Rule, everyone, signed_in
from tests.conftest import World
from tests.funding.factories import funding_world, make_draft


def _other_state_draft(w: World) -> FundingRequest:
    fw = funding_world(w)
    return make_draft(
        fw.other_programme,
        w.other_state_council,
        w.users["other_state_coordinator"],
        title="Entwurf Rostock",
    )


def _attachment(request: FundingRequest) -> Attachment:
    return Attachment.objects.create(
        request=request,
        title="Angebot",
        file=SimpleUploadedFile("angebot.pdf", b"%PDF-1.4 Angebot"),
    )


def _draft_editing() -> dict[str, int]:
    """A draft of the first state's council: only its coordinator edits; readers get 403."""
    return everyone(404, anonymous=LOGIN, platform_admin=403, coordinator=200, member=403)


def _other_draft_editing(status: int = 200) -> dict[str, int]:
    return everyone(404, anonymous=LOGIN, platform_admin=403, other_state_coordinator=status)


def _readers() -> dict[str, int]:
    """A submitted request of the first state's council: its council and the state staff read it."""
    return everyone(
        404,
        anonymous=LOGIN,
        platform_admin=200,
        state_admin=200,
        state_staff=200,
        coordinator=200,
        member=200,
    )


def _other_readers() -> dict[str, int]:
    return everyone(
        404,
        anonymous=LOGIN,
        platform_admin=200,
        other_state_admin=200,
        other_state_coordinator=200,
    )


def _withdrawing() -> dict[str, int]:
    """A submitted request: its readers see the page, only the applicant's coordinator may act."""
    table = _readers()
    table.update(platform_admin=403, state_admin=403, state_staff=403, member=403)
    return table


def _other_withdrawing() -> dict[str, int]:
    table = _other_readers()
    table.update(platform_admin=403, other_state_admin=403)
    return table


ACCESS: dict[str, Rule] = {
    "funding:request_create": Rule(
        own=signed_in(
            403,
            coordinator=200,
            other_council_coordinator=200,
            other_state_coordinator=200,
        ),
    ),
    "funding:request_detail": Rule(
        own=_readers(),
        kwargs=lambda w: {"pk": funding_world(w).submitted.pk},
        other=_other_readers(),
        other_kwargs=lambda w: {"pk": funding_world(w).other_state_request.pk},
    ),
    "funding:request_step": Rule(
        own=_draft_editing(),
        kwargs=lambda w: {"pk": funding_world(w).draft.pk, "step": 1},
        other=_other_draft_editing(),
        other_kwargs=lambda w: {"pk": _other_state_draft(w).pk, "step": 1},
    ),
    "funding:request_financing_check": Rule(
        own=_draft_editing(),
        kwargs=lambda w: {"pk": funding_world(w).draft.pk},
        other=_other_draft_editing(),
        other_kwargs=lambda w: {"pk": _other_state_draft(w).pk},
        method="post",
        data=lambda w: {"tier": "", "own_contribution": "100,00", "third_party_funds": ""},
    ),
    "funding:request_submit": Rule(
        own=everyone(404, anonymous=LOGIN, platform_admin=403, coordinator=302, member=403),
        kwargs=lambda w: {"pk": funding_world(w).draft.pk},
        other=_other_draft_editing(302),
        other_kwargs=lambda w: {"pk": _other_state_draft(w).pk},
        method="post",
    ),
    "funding:request_withdraw": Rule(
        own=_withdrawing(),
        kwargs=lambda w: {"pk": funding_world(w).submitted.pk},
        other=_other_withdrawing(),
        other_kwargs=lambda w: {"pk": funding_world(w).other_state_request.pk},
    ),
    "funding:attachment_download": Rule(
        own=_readers(),
        kwargs=lambda w: {
            "pk": funding_world(w).submitted.pk,
            "attachment_pk": _attachment(funding_world(w).submitted).pk,
        },
        other=_other_readers(),
        other_kwargs=lambda w: {
            "pk": funding_world(w).other_state_request.pk,
            "attachment_pk": _attachment(funding_world(w).other_state_request).pk,
        },
    ),
    "funding:attachment_delete": Rule(
        own=_draft_editing(),
        kwargs=lambda w: {
            "pk": funding_world(w).draft.pk,
            "attachment_pk": _attachment(funding_world(w).draft).pk,
        },
        other=_other_draft_editing(),
        other_kwargs=lambda w: {
            "pk": (draft := _other_state_draft(w)).pk,
            "attachment_pk": _attachment(draft).pk,
        },
    ),
}
