"""Permission-matrix rules of the request list, its export and the public funded projects."""

from __future__ import annotations

from django.core.files.base import ContentFile

from funding.models import ExportJob, ExportStatus
from tests.access import LOGIN, Rule, everyone, signed_in
from tests.conftest import World
from tests.funding.factories import funding_world


def _job(w: World, role: str, *, done: bool = False) -> ExportJob:
    """An export of the person of the role (with a finished file when done)."""
    funding_world(w)
    state = w.other_state if role.startswith("other_state") else w.state
    job = ExportJob.objects.create(user=w.users[role], state=state, format="csv", query="")
    if done:
        job.file.save("foerderantraege.csv", ContentFile(b"\xef\xbb\xbfTitel\r\n"), save=False)
        job.status, job.total, job.done = ExportStatus.DONE, 0, 0
        job.save()
    return job


def _owner_only(owner: str) -> dict[str, int]:
    """An export answers only its own user; everyone else gets 404, as if it did not exist."""
    return everyone(404, anonymous=LOGIN, **{owner: 200})


ACCESS: dict[str, Rule] = {
    # The funding start page: every role signed in gets its own start (issue 10).
    "funding:start": Rule(own=signed_in(200)),
    # One list for everyone signed in, scoped by FundingRequest.objects.visible_to(user).
    "funding:request_list": Rule(own=signed_in(200)),
    # Everyone may export what they see; the job page follows.
    "funding:export_create": Rule(
        own=signed_in(302),
        method="post",
        data=lambda w: {"format": "csv", "query": ""},
    ),
    "funding:export_detail": Rule(
        own=_owner_only("state_staff"),
        kwargs=lambda w: {"pk": _job(w, "state_staff").pk},
        other=_owner_only("other_state_admin"),
        other_kwargs=lambda w: {"pk": _job(w, "other_state_admin").pk},
    ),
    "funding:export_download": Rule(
        own=_owner_only("state_staff"),
        kwargs=lambda w: {"pk": _job(w, "state_staff", done=True).pk},
        other=_owner_only("other_state_admin"),
        other_kwargs=lambda w: {"pk": _job(w, "other_state_admin", done=True).pk},
    ),
    # Public: anyone, for every active state.
    "funding:public_list": Rule(
        own=everyone(200),
        kwargs=lambda w: {"slug": w.state.slug},
        other=everyone(200),
        other_kwargs=lambda w: {"slug": w.other_state.slug},
    ),
}
