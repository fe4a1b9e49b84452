"""Form widgets shared by the apps."""

from __future__ import annotations

from django import forms

__all__ = ["ListSelect"]


class ListSelect(forms.Select):
    """A select that renders its options in one template (no include per option).

    The HTML is Django's own; a filter with hundreds of options (the programmes of all
    states for a platform admin) renders in a fraction of the time.
    """

    template_name = "core/widgets/select.html"
