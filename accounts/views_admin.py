"""Admins help a person with their sign-in: resetting a lost second factor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.web import acting_user
from councils.models import Membership, User
from councils.permissions import get_person_for_admin, states_not_administered

from . import twofactor
from .reauth import reauth_redirect, recently_confirmed


def _reset_refusal(admin: User, person: User) -> str:
    """Why the admin may not reset this person's second factor ('' when they may)."""
    if person.pk == admin.pk:
        return _("You cannot reset your own second factor. If you lost it, ask another admin.")
    if person.is_superuser and not admin.is_superuser:
        return _(
            "This person is a platform admin; only platform admins can reset their second factor."
        )
    foreign_states = states_not_administered(admin, person)
    if foreign_states:
        return _(
            "This person also belongs to the state network %(states)s, which you do not "
            "administer. Ask a platform admin to reset their second factor."
        ) % {"states": ", ".join(foreign_states)}
    return ""


def _members_of(person: User) -> str:
    """The member list, searched for the person."""
    return f"{reverse('councils:member_list')}?{urlencode({'q': person.username})}"


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then delete a person's authenticator and recovery codes (state and platform admins).

    The admin confirms their own password first; the person is signed out, told, and sets the
    second factor up again at the next sign-in when it is mandatory for them.
    """
    admin = acting_user(request)
    person = get_person_for_admin(admin, pk)
    back = _members_of(person)
    refusal = _reset_refusal(admin, person)
    context = {"person": person, "refusal": refusal, "back_url": back}
    if refusal:
        return render(request, "accounts/second_factor_reset.html", context, status=403)
    if not recently_confirmed(request):
        return reauth_redirect(request)
    has_factor = twofactor.has_second_factor(person)
    if request.method == "POST":
        if not has_factor:
            messages.info(request, _("%(person)s has no second factor.") % {"person": person})
            return redirect(back)
        states = Membership.objects.administered_by(admin).filter(user=person)
        twofactor.reset_second_factor(
            person=person,
            by=admin,
            state_ids=sorted(set(states.values_list("organisation__state_id", flat=True))),
        )
        if twofactor.must_use_second_factor(person):
            text = _(
                "The second factor of %(person)s was reset and they were signed out. They must "
                "set it up again at their next sign-in."
            )
        else:
            text = _(
                "The second factor of %(person)s was reset and they were signed out. They can set "
                "it up again on their page “Sign-in and security”."
            )
        messages.success(request, text % {"person": person})
        return redirect(back)
    context["has_factor"] = has_factor
    context["required"] = has_factor and twofactor.must_use_second_factor(person)
    return render(request, "accounts/second_factor_reset.html", context)
