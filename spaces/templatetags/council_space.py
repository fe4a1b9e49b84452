"""Template tags that link other apps' pages into a council's space without importing spaces."""

from __future__ import annotations

from typing import Any

from django import template

from councils.models import Organisation

from ..dashboard import CouncilSections, council_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def council_space_sections(
    context: dict[str, Any], organisation: Organisation | None
) -> CouncilSections | None:
    """The council's space sections the signed-in user may open, with their numbers."""
    request = context.get("request")
    if organisation is None or request is None:
        return None
    return council_sections(organisation, request.user)
