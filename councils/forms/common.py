"""Widgets and mixins shared by the forms of the membership part."""

from __future__ import annotations

from typing import Any

from django import forms

from ..models import Region


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RegionChoiceMixin:
    """Shows the state beside a region when the user keeps several states."""

    show_state = False

    def _region_label(self, region: Region) -> str:
        return f"{region.name} ({region.state.name})" if self.show_state else region.name
