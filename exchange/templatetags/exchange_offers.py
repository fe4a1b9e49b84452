"""Template tags of the offer pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import ObjectDoesNotExist

from councils.permissions import is_state_staff

from ..models import Offer, OfferedResource
from ..permissions import is_ngo_representative, is_provider_member

register = template.Library()


def _offer_of(resource: OfferedResource) -> Offer | None:
    try:
        return resource.offer
    except ObjectDoesNotExist:
        return None


@register.simple_tag(takes_context=True)
def resource_offer(context: Any, resource: OfferedResource) -> dict[str, Any]:
    """What a report's resource offers the viewer: turning it into an offer, or the offer.

    Reads only the user's cached memberships and the resource's report and offer, so a report
    that prefetches its resources with their offer costs no query per resource.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_create": False, "offer": None}
    report = resource.report
    offer = _offer_of(resource)
    representative = is_ngo_representative(user, report.ngo_id)
    if offer is not None:
        visible = (
            offer.is_active
            or is_provider_member(user, offer.provider_id)
            or is_state_staff(user, offer.state_id)
        )
        return {"can_create": False, "offer": offer if visible else None}
    return {"can_create": representative and report.is_published, "offer": None}
