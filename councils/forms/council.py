"""The profile form a council's coordinators keep: what the council tells and what is public."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.uploads import IMAGES, UploadValidator, kinds_label

from ..models import Organisation
from .common import _DateInput


class CouncilProfileForm(forms.ModelForm[Organisation]):
    """Area, founding date, managing office's contact, description, logo and the public flags."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "area",
            "founded_on",
            "description",
            "contact_name",
            "email",
            "phone",
            "website",
            "logo",
            "public_description",
            "public_founded_on",
            "public_chair",
            "public_contact",
            "public_logo",
        ]
        widgets = {
            "founded_on": _DateInput,
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
        }
        labels = {
            "email": _("Contact e-mail (managing office)"),
            "phone": _("Contact phone (managing office)"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        logo = self.fields["logo"]
        logo.validators.append(UploadValidator(IMAGES))
        logo.help_text = _("An image (%(types)s); it is checked by its content.") % {
            "types": kinds_label(IMAGES)
        }
        logo.widget.attrs["accept"] = "image/png,image/jpeg,image/gif,image/webp"
        self.fields["description"].validators.append(MaxLengthValidator(5000))
