"""Least privilege: no role is preselected, and a role must fit its organisation's kind."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from councils.forms import InvitationForm, MembershipForm
from councils.models import (
    ROLES_BY_KIND,
    Invitation,
    Membership,
    OrganisationKind,
    Role,
    role_choices,
    role_fits,
)
from tests.conftest import World
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("councils:invitation_create")


def test_the_rule_is_one_table() -> None:
    assert role_fits(OrganisationKind.STATE_OFFICE, Role.STATE_ADMIN)
    assert not role_fits(OrganisationKind.MUNICIPAL_COUNCIL, Role.STATE_ADMIN)
    assert not role_fits(OrganisationKind.NGO, Role.COUNCIL_COORDINATOR)
    assert role_fits(OrganisationKind.NGO, Role.NGO_REPRESENTATIVE)
    assert not role_fits("unknown", Role.STATE_STAFF)
    grouped = role_choices()
    assert grouped[0][0] == ""
    assert [len(options) for _label, options in grouped[1:]] == [
        len(roles) for roles in ROLES_BY_KIND.values()
    ]


def test_invitation_form_preselects_no_role(world: World) -> None:
    response = world.client("state_admin").get(CREATE)
    assert response.status_code == 200
    form = response.context["form"]
    assert not form["role"].value()
    html = response.content.decode()
    role_select = html.split('name="role"', 1)[1].split("</select>", 1)[0]
    # The first option (what a browser shows when nothing is selected) is the empty one.
    assert role_select.split("<option", 1)[1].lstrip().startswith('value=""')
    assert " selected" not in role_select.replace('value="" selected', "")
    # Grouped by the kind of organisation that gives the role.
    assert "<optgroup" in role_select


def test_invitation_without_a_role_is_refused(world: World) -> None:
    response = world.client("state_admin").post(
        CREATE,
        {
            "email": "neu@example.org",
            "organisation": world.council.pk,
            "role": "",
            "position": "member",
            "affiliation": "other",
        },
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("organisation", "role"),
    [
        ("council", Role.STATE_ADMIN),
        ("ngo", Role.STATE_STAFF),
        ("office", Role.COUNCIL_COORDINATOR),
        ("council", Role.NGO_REPRESENTATIVE),
    ],
)
def test_forged_combination_is_refused_at_the_field_in_german(
    world: World, organisation: str, role: str
) -> None:
    org = getattr(world, organisation)
    client = world.client("state_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    response = client.post(
        CREATE,
        {
            "email": "neu@example.org",
            "organisation": org.pk,
            "role": role,
            "position": "member",
            "affiliation": "other",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["role"]
    assert any("kann die Rolle" in e and org.name in e for e in errors), errors
    assert not Invitation.objects.exists()


def test_fixed_organisation_offers_only_its_roles_and_ignores_a_posted_one(
    world: World,
) -> None:
    url = f"{CREATE}?organisation={world.council.pk}"
    client = world.client("state_admin")
    response = client.get(url)
    form = response.context["form"]
    offered = [value for value, _label in form.fields["role"].choices if value]
    assert offered == [Role.COUNCIL_COORDINATOR, Role.COUNCIL_MEMBER]
    assert form.fields["organisation"].disabled
    # A forged organisation in the POST is ignored: the fixed one is used and judged.
    response = client.post(
        url,
        {
            "email": "neu@example.org",
            "organisation": world.office.pk,
            "role": Role.STATE_ADMIN,
            "position": "member",
            "affiliation": "other",
        },
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_organisation_of_another_state_is_not_fixed(world: World) -> None:
    form = InvitationForm(user=world.users["state_admin"])
    url = f"{CREATE}?organisation={world.other_state_council.pk}"
    response = world.client("state_admin").get(url)
    assert not response.context["form"].fields["organisation"].disabled
    assert form.fields["role"].choices == response.context["form"].fields["role"].choices


def test_membership_edit_offers_empty_choice_and_refuses_forgery(world: World) -> None:
    seat = Membership.objects.get(user=world.users["member"])
    form = MembershipForm(instance=seat)
    assert [v for v, _ in form.fields["role"].choices] == [
        "",
        Role.COUNCIL_COORDINATOR,
        Role.COUNCIL_MEMBER,
    ]
    with translation.override("de"):
        form = MembershipForm(
            {
                "role": Role.STATE_ADMIN,
                "position": "member",
                "affiliation": "other",
                "start_date": seat.start_date.isoformat(),
            },
            instance=seat,
        )
        assert not form.is_valid()
        assert any("kann die Rolle" in e for e in form.errors["role"])


def test_membership_form_with_errors_has_no_hidden_copy_of_the_start_date(world: World) -> None:
    """Django gives a field's hidden initial copy the visible field's aria-describedby, which a
    hidden input must not have; the form edits a saved membership and needs no such copy."""
    seat = Membership.objects.get(user=world.users["member"])
    form = MembershipForm({"role": Role.COUNCIL_MEMBER, "start_date": ""}, instance=seat)
    assert not form.is_valid()
    html = str(form)
    assert 'aria-describedby="id_start_date_error"' in html  # the visible field keeps it
    assert "initial-start_date" not in html


def test_model_validation_refuses_a_role_that_does_not_fit(world: World) -> None:
    """Django's admin and every ModelForm run full_clean: the same rule applies there."""
    seat = Membership(user=UserFactory(), organisation=world.council, role=Role.STATE_ADMIN)
    with pytest.raises(ValidationError) as error:
        seat.full_clean()
    assert "role" in error.value.message_dict
    invitation = Invitation(
        email="x@example.org",
        organisation=world.ngo,
        role=Role.STATE_STAFF,
        token_hash="x" * 64,
        expires_at=Invitation.default_expiry(),
    )
    with pytest.raises(ValidationError) as error:
        invitation.full_clean(exclude=["invited_by"])
    assert "role" in error.value.message_dict


def test_admin_membership_form_refuses_a_role_that_does_not_fit(world: World) -> None:
    request = RequestFactory().get("/")
    request.user = world.users["platform_admin"]
    form_class = site._registry[Membership].get_form(request)
    person = UserFactory()
    form = form_class(
        {
            "user": person.pk,
            "organisation": world.ngo.pk,
            "role": Role.STATE_ADMIN,
            "position": "member",
            "affiliation": "other",
            "start_date": "2026-01-01",
        }
    )
    assert not form.is_valid()
    assert "role" in form.errors


def _upload(world: World, text: str) -> object:
    client = world.client("state_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    upload = SimpleUploadedFile("m.csv", text.encode())
    return client.post(reverse("councils:member_import"), {"file": upload})


def test_import_row_with_a_role_not_fitting_is_an_error_of_that_row(world: World) -> None:
    text = "\n".join(
        [
            "email;first_name;last_name;organisation;role;position;affiliation",
            f"a@example.org;A;A;{world.council.name};council_member;;",
            f"b@example.org;B;B;{world.council.name};state_admin;;",
        ]
    )
    response = _upload(world, text)
    rows = response.context["rows"]  # type: ignore[attr-defined]
    assert rows[0].errors == []
    assert any("kann die Rolle" in e for e in rows[1].errors)
    assert not Invitation.objects.exists()


def test_import_preview_shows_role_names_not_codes(world: World) -> None:
    text = "\n".join(
        [
            "email;first_name;last_name;organisation;role;position;affiliation",
            f"a@example.org;A;A;{world.council.name};council_coordinator;;",
            f"b@example.org;B;B;{world.ngo.name};ngo_representative;;",
        ]
    )
    response = _upload(world, text)
    html = response.content.decode()  # type: ignore[attr-defined]
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    with translation.override("de"):
        assert f"<td>{Role.COUNCIL_COORDINATOR.label}</td>" in table
        assert f"<td>{Role.NGO_REPRESENTATIVE.label}</td>" in table
    assert "council_coordinator" not in table
    assert "ngo_representative" not in table


def test_the_kind_of_an_organisation_with_council_seats_cannot_become_an_ngo(
    world: World,
) -> None:
    """Else the council's coordinator would keep a role an NGO cannot give."""
    url = reverse("councils:organisation_edit", kwargs={"pk": world.council.pk})
    data = {
        "kind": OrganisationKind.NGO,
        "name": world.council.name,
        "region": world.council.region_id,
        "is_active": "on",
    }
    client = world.client("state_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    world.council.refresh_from_db()
    assert world.council.kind == OrganisationKind.MUNICIPAL_COUNCIL
    # Once the seats have ended, the kind may change.
    Membership.objects.filter(organisation=world.council).update(end_date=timezone.localdate())
    assert client.post(url, data).status_code == 302
    world.council.refresh_from_db()
    assert world.council.kind == OrganisationKind.NGO
