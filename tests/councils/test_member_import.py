"""CSV import of members: every row checked, nothing saved on error, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from councils.models import Invitation, Membership, Role
from tests.conftest import World
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UPLOAD = reverse("councils:member_import")
CONFIRM = reverse("councils:member_import_confirm")
HEADER = "email;first_name;last_name;organisation;role;position;affiliation"


def _file(text: str, *, bom: bool = False) -> SimpleUploadedFile:
    raw = text.encode("utf-8")
    return SimpleUploadedFile("mitglieder.csv", (b"\xef\xbb\xbf" if bom else b"") + raw)


def _upload(world: World, text: str, **kw: Any) -> Any:
    """Upload as the state admin, with English messages so the test can read them."""
    client = world.client("state_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post(UPLOAD, {"file": _file(text, **kw)})


def test_upload_page_and_example(world: World) -> None:
    client = world.client("state_admin")
    assert client.get(UPLOAD).status_code == 200
    example = client.get(reverse("councils:member_import_example"))
    assert example.status_code == 200
    assert example["Content-Type"].startswith("text/csv")
    body = example.content.decode("utf-8-sig")
    assert body.splitlines()[0] == HEADER
    assert world.council.name in body


def test_example_file_imports_cleanly(world: World) -> None:
    client = world.client("state_admin")
    example = client.get(reverse("councils:member_import_example")).content.decode("utf-8-sig")
    response = client.post(UPLOAD, {"file": _file(example)})
    assert response.context["valid"] is True, [r.errors for r in response.context["rows"]]


def test_every_row_is_checked_and_nothing_saved(world: World) -> None:
    member = world.users["member"]
    memberships = Membership.objects.count()
    text = "\n".join(
        [
            HEADER,
            f"neu@example.org;Nina;Neu;{world.council.name};council_member;member;school",
            "kaputt;Karl;Kaputt;Präventionsrat Hameln;council_member;;",
            "x@example.org;X;Y;Präventionsrat Nirgendwo;council_member;;",
            f"ngo@example.org;N;G;{world.ngo.name};council_member;;",
            f"neu@example.org;Nina;Neu;{world.council.name};council_member;member;school",
            f"{member.email};M;M;{world.council.name};council_member;;",
            f"mv@example.org;M;V;{world.other_state_council.name};council_member;;",
        ]
    )
    response = _upload(world, text)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.line for r in rows] == [2, 3, 4, 5, 6, 7, 8]
    assert rows[0].errors == []
    assert any("e-mail" in e for e in rows[1].errors)
    assert any("Unknown organisation" in e for e in rows[2].errors)
    assert any("cannot give the role" in e for e in rows[3].errors)
    assert any("Duplicate" in e for e in rows[4].errors)
    assert any("already a member" in e for e in rows[5].errors)
    # Another state's organisation is unknown to this admin.
    assert any("Unknown organisation" in e for e in rows[6].errors)
    assert response.context["valid"] is False
    assert response.context["error_count"] == 6
    content = response.content.decode()
    assert CONFIRM not in content
    assert 'type="file"' in content
    assert not Invitation.objects.exists()
    assert Membership.objects.count() == memberships
    # Confirming without a clean preview saves nothing either.
    assert world.client("state_admin").post(CONFIRM).status_code == 302
    assert not Invitation.objects.exists()


def test_clean_file_previews_then_saves_on_confirm(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    existing = UserFactory(username="bekannt", email="Bekannt@example.org")
    with translation.override("de"):
        ngo_role_label = str(Role.NGO_REPRESENTATIVE.label)
    text = "\r\n".join(
        [
            "Email,First_Name,Last_Name,Organisation,Role,Position,Affiliation",
            f"neu@example.org,Nina,Neu,{world.council.name.upper()},COUNCIL_MEMBER,Chair,police",
            f"bekannt@example.org,Bea,Kannt,{world.ngo.name},{ngo_role_label},,",
        ]
    )
    client = world.client("state_admin")
    preview = client.post(UPLOAD, {"file": _file(text, bom=True)})
    assert preview.context["valid"] is True, [r.errors for r in preview.context["rows"]]
    assert CONFIRM in preview.content.decode()
    assert not Invitation.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONFIRM)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation, invitation.position) == (
        "neu@example.org",
        world.council,
        "chair",
    )
    assert invitation.affiliation == "police"
    membership = Membership.objects.get(user=existing)
    assert membership.organisation == world.ngo
    assert membership.role == Role.NGO_REPRESENTATIVE
    assert [m.to for m in mail.outbox] == [["neu@example.org"]]
    # The kept file is used once.
    assert client.post(CONFIRM).status_code == 302
    assert Invitation.objects.count() == 1


def test_confirm_checks_again(world: World) -> None:
    text = f"{HEADER}\nneu@example.org;Nina;Neu;{world.council.name};council_member;;"
    client = world.client("state_admin")
    assert client.post(UPLOAD, {"file": _file(text)}).context["valid"] is True
    # Meanwhile the person was invited another way.
    from tests.factories import InvitationFactory

    InvitationFactory(organisation=world.council, email="neu@example.org")
    response = client.post(CONFIRM)
    assert response.status_code == 200
    assert response.context["valid"] is False
    assert Invitation.objects.count() == 1


def test_unreadable_files_give_a_field_error(world: World) -> None:
    latin1 = SimpleUploadedFile("m.csv", "email;organisation;role\nä@x.de;Ä;x".encode("latin-1"))
    response = world.client("state_admin").post(UPLOAD, {"file": latin1})
    assert "file" in response.context["form"].errors
    response = _upload(world, "name;city\nA;B")
    assert "file" in response.context["form"].errors
    response = world.client("state_admin").post(UPLOAD, {})
    assert "file" in response.context["form"].errors


@pytest.mark.parametrize("role", ["state_staff", "coordinator", "member", "ngo_representative"])
def test_import_is_for_admins(world: World, role: str) -> None:
    text = f"{HEADER}\nneu@example.org;Nina;Neu;{world.council.name};council_member;;"
    assert world.client(role).post(UPLOAD, {"file": _file(text)}).status_code == 403
    assert world.client(role).post(CONFIRM).status_code == 403


def test_import_methods(world: World) -> None:
    assert world.client("anonymous").get(UPLOAD).status_code == 302
    assert world.client("state_admin").get(CONFIRM).status_code == 405
