"""Permission-matrix rules of the working groups and focus topics of the council spaces.

The first state's council (Hameln) is read by its members and the state's staff and changed by
its coordinator; the group's lead (the member) keeps its meetings and result. The second
state's council (Rostock) answers 404 to the first state and vice versa. Invited experts are
not a role of the matrix: tests/spaces/test_workgroups.py covers them.
"""

from __future__ import annotations

from tests.access import LOGIN, Rule, everyone, signed_in
from tests.spaces.world_workgroups import groups_world

MV = {"other_state_admin": 404, "other_state_coordinator": 404}


def _space(status: int, **overrides: int) -> dict[str, int]:
    """Own council: its members and the state's staff read, the rest of the state 403."""
    table = signed_in(
        403,
        platform_admin=status,
        state_admin=status,
        state_staff=status,
        coordinator=status,
        member=status,
        **MV,
    )
    table.update(overrides)
    return table


def _mv_space(status: int, **overrides: int) -> dict[str, int]:
    """The second state's council: its coordinator and admin read; the first state 404."""
    table = everyone(
        404,
        anonymous=LOGIN,
        platform_admin=status,
        other_state_admin=status,
        other_state_coordinator=status,
    )
    table.update(overrides)
    return table


def _manage(status: int, **overrides: int) -> dict[str, int]:
    return _space(403, coordinator=status, **overrides)


def _mv_manage(status: int, **overrides: int) -> dict[str, int]:
    return _mv_space(403, other_state_coordinator=status, **overrides)


def _council(w: object) -> dict[str, int]:
    return {"council": w.council.pk}  # type: ignore[attr-defined]


def _mv_council(w: object) -> dict[str, int]:
    return {"council": w.other_state_council.pk}  # type: ignore[attr-defined]


def _group(w: object) -> dict[str, int]:
    g = groups_world(w).group  # type: ignore[arg-type]
    return {"council": g.council_id, "pk": g.pk}


def _mv_group(w: object) -> dict[str, int]:
    g = groups_world(w).mv_group  # type: ignore[arg-type]
    return {"council": g.council_id, "pk": g.pk}


def _meeting(w: object) -> dict[str, int]:
    m = groups_world(w).meeting  # type: ignore[arg-type]
    return {"council": m.group.council_id, "pk": m.group_id, "meeting": m.pk}


def _mv_meeting(w: object) -> dict[str, int]:
    m = groups_world(w).mv_meeting  # type: ignore[arg-type]
    return {"council": m.group.council_id, "pk": m.group_id, "meeting": m.pk}


def _expert(w: object) -> dict[str, int]:
    world = groups_world(w)  # type: ignore[arg-type]
    return {**_group(w), "user_pk": world.expert.pk}


def _mv_expert(w: object) -> dict[str, int]:
    world = groups_world(w)  # type: ignore[arg-type]
    return {**_mv_group(w), "user_pk": world.mv_expert.pk}


def _analysis(w: object) -> dict[str, int]:
    a = groups_world(w).analysis  # type: ignore[arg-type]
    return {"council": a.council_id, "pk": a.pk}


def _mv_analysis(w: object) -> dict[str, int]:
    a = groups_world(w).mv_analysis  # type: ignore[arg-type]
    return {"council": a.council_id, "pk": a.pk}


#: The group's lead is the member: they keep meetings and the result.
_WORK = {"member": 200}
_STAFF_PAGE = signed_in(
    403, platform_admin=200, state_admin=200, state_staff=200, other_state_admin=200
)

ACCESS: dict[str, Rule] = {
    "spaces:workgroup_mine": Rule(own=signed_in(200)),
    "spaces:workgroup_list": Rule(
        own=_space(200), kwargs=_council, other=_mv_space(200), other_kwargs=_mv_council
    ),
    "spaces:workgroup_create": Rule(
        own=_manage(200), kwargs=_council, other=_mv_manage(200), other_kwargs=_mv_council
    ),
    "spaces:workgroup_detail": Rule(
        own=_space(200), kwargs=_group, other=_mv_space(200), other_kwargs=_mv_group
    ),
    "spaces:workgroup_edit": Rule(
        own=_manage(200), kwargs=_group, other=_mv_manage(200), other_kwargs=_mv_group
    ),
    "spaces:workgroup_transition": Rule(
        own=_manage(302),
        kwargs=lambda w: {**_group(w), "action": "start"},
        other=_mv_manage(302),
        other_kwargs=lambda w: {**_mv_group(w), "action": "start"},
        method="post",
    ),
    "spaces:workgroup_expert_invite": Rule(
        own=_manage(302),
        kwargs=_group,
        other=_mv_manage(302),
        other_kwargs=_mv_group,
        method="post",
        data=lambda w: {"email": w.users["ngo_representative"].email},
    ),
    "spaces:workgroup_expert_remove": Rule(
        own=_manage(302),
        kwargs=_expert,
        other=_mv_manage(302),
        other_kwargs=_mv_expert,
        method="post",
    ),
    "spaces:workgroup_meeting_create": Rule(
        own=_manage(200, **_WORK), kwargs=_group, other=_mv_manage(200), other_kwargs=_mv_group
    ),
    "spaces:workgroup_meeting_minutes": Rule(
        own=_space(200), kwargs=_meeting, other=_mv_space(200), other_kwargs=_mv_meeting
    ),
    "spaces:workgroup_meeting_delete": Rule(
        own=_manage(200, **_WORK), kwargs=_meeting, other=_mv_manage(200), other_kwargs=_mv_meeting
    ),
    "spaces:workgroup_result": Rule(
        own=_manage(200, **_WORK), kwargs=_group, other=_mv_manage(200), other_kwargs=_mv_group
    ),
    "spaces:workgroup_result_file": Rule(
        own=_space(200), kwargs=_group, other=_mv_space(200), other_kwargs=_mv_group
    ),
    "spaces:topic_overview": Rule(own=_STAFF_PAGE),
    "spaces:topic_catalogue": Rule(own=_STAFF_PAGE),
    "spaces:topic_create": Rule(own=_STAFF_PAGE),
    "spaces:topic_catalogue_seed": Rule(
        own=signed_in(
            403, platform_admin=302, state_admin=302, state_staff=302, other_state_admin=302
        ),
        method="post",
    ),
    "spaces:topic_edit": Rule(
        own=signed_in(403, platform_admin=200, state_admin=200, state_staff=200, **MV),
        kwargs=lambda w: {"pk": groups_world(w).topic.pk},
        other=_mv_space(200, other_state_coordinator=403),
        other_kwargs=lambda w: {"pk": groups_world(w).mv_topic.pk},
    ),
    "spaces:council_topics": Rule(
        own=_space(200), kwargs=_council, other=_mv_space(200), other_kwargs=_mv_council
    ),
    "spaces:council_topics_edit": Rule(
        own=_manage(200), kwargs=_council, other=_mv_manage(200), other_kwargs=_mv_council
    ),
    "spaces:analysis_create": Rule(
        own=_manage(200), kwargs=_council, other=_mv_manage(200), other_kwargs=_mv_council
    ),
    "spaces:analysis_file": Rule(
        own=_space(200), kwargs=_analysis, other=_mv_space(200), other_kwargs=_mv_analysis
    ),
}
