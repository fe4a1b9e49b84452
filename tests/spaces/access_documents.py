"""Permission-matrix rules of the council documents.

The first state's council is Hameln (its coordinator and member), the second state's Rostock
(the other state's coordinator). The list and downloads follow each document's visibility; only
a council's coordinator keeps its documents; the public pages are for anyone.
"""

from __future__ import annotations

from tests.access import LOGIN, Rule, everyone, signed_in
from tests.conftest import World
from tests.spaces.world_documents import documents_world


def _council(w: World) -> dict[str, int]:
    return {"council": w.council.pk}


def _mv_council(w: World) -> dict[str, int]:
    return {"council": w.other_state_council.pk}


#: Everyone of the first state (and the platform admin) gets the status; the second state 404.
def _first_state(status: int, **overrides: int) -> dict[str, int]:
    return signed_in(status, other_state_admin=404, other_state_coordinator=404, **overrides)


def _second_state(status: int, **overrides: int) -> dict[str, int]:
    table = everyone(
        404,
        anonymous=LOGIN,
        platform_admin=status,
        other_state_admin=status,
        other_state_coordinator=status,
    )
    table.update(overrides)
    return table


#: Keeping documents: the council's coordinator; visible but not theirs: 403.
KEEP = _first_state(403, coordinator=200)
MV_KEEP = _second_state(403, other_state_coordinator=200)

ACCESS: dict[str, Rule] = {
    "spaces:document_list": Rule(
        own=_first_state(200),
        kwargs=_council,
        other=_second_state(200),
        other_kwargs=_mv_council,
    ),
    "spaces:document_upload": Rule(
        own=KEEP, kwargs=_council, other=MV_KEEP, other_kwargs=_mv_council
    ),
    # A document visible to the state network: its people see it, the coordinator keeps it.
    "spaces:document_edit": Rule(
        own=KEEP,
        kwargs=lambda w: {"council": w.council.pk, "pk": documents_world(w).state.pk},
        other=MV_KEEP,
        other_kwargs=lambda w: {
            "council": w.other_state_council.pk,
            "pk": documents_world(w).mv_state.pk,
        },
    ),
    "spaces:document_delete": Rule(
        own=KEEP,
        kwargs=lambda w: {"council": w.council.pk, "pk": documents_world(w).state.pk},
        other=MV_KEEP,
        other_kwargs=lambda w: {
            "council": w.other_state_council.pk,
            "pk": documents_world(w).mv_state.pk,
        },
    ),
    # A members-only document: the council's people (and platform admins as support) only.
    "spaces:document_download": Rule(
        own=everyone(404, anonymous=LOGIN, platform_admin=200, coordinator=200, member=200),
        kwargs=lambda w: {"council": w.council.pk, "pk": documents_world(w).members.pk},
        other=everyone(404, anonymous=LOGIN, platform_admin=200, other_state_coordinator=200),
        other_kwargs=lambda w: {
            "council": w.other_state_council.pk,
            "pk": documents_world(w).mv_members.pk,
        },
    ),
    "spaces:public_document_list": Rule(
        own=everyone(200), kwargs=_council, other=everyone(200), other_kwargs=_mv_council
    ),
    "spaces:public_document_download": Rule(
        own=everyone(200),
        kwargs=lambda w: {"council": w.council.pk, "pk": documents_world(w).public.pk},
        other=everyone(200),
        other_kwargs=lambda w: {
            "council": w.other_state_council.pk,
            "pk": documents_world(w).mv_public.pk,
        },
    ),
}
