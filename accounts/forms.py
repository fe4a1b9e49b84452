"""Forms of sign-in and security: login, code, password confirmation, e-mail change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from councils.models import User

from . import twofactor

#: The longest username that reaches the authentication (and axes' 255-character column).
USERNAME_MAX_LENGTH = 150


class LoginForm(AuthenticationForm):
    """Django's login form with the username capped before anything records it."""

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        field: Any = self.fields["username"]
        field.max_length = USERNAME_MAX_LENGTH
        field.widget.attrs["maxlength"] = str(USERNAME_MAX_LENGTH)
        # Django sets max_length after the field is built, so it never validates it.
        field.validators.append(MaxLengthValidator(USERNAME_MAX_LENGTH))
        self.fields["password"].validators.append(MaxLengthValidator(4096))


class CodeForm(forms.Form):
    """The six-digit code of the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device: Any = None

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        throttled = twofactor.is_throttled(self.user)
        self.device = twofactor.verify(self.user, code)
        if self.device is None and throttled:
            raise forms.ValidationError(
                _("Too many wrong codes. Please wait a moment and try again."), code="throttled"
            )
        if self.device is None:
            raise forms.ValidationError(
                _("This code is not valid. Please check it and try again."), code="invalid"
            )
        return code


class SetupForm(forms.Form):
    """The first code from the newly set-up app, proving it works."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


class ConfirmPasswordForm(forms.Form):
    """The password again (and the code when a second factor is on) before a sensitive change."""

    password = forms.CharField(
        label=_("Password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user
        self.needs_code = twofactor.has_second_factor(user)
        if self.needs_code:
            self.fields["code"] = forms.CharField(
                label=_("Code"),
                max_length=32,
                help_text=_("From your authenticator app, or a recovery code."),
                widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            # Through authenticate(), so wrong passwords count towards the lockout.
            found = authenticate(self.request, username=self.user.username, password=password)
            if found is None or found.pk != self.user.pk:
                self.add_error("password", _("The password is not correct."))
                return data
        code = data.get("code")
        if self.needs_code and code and twofactor.verify(self.user, code) is None:
            self.add_error("code", _("This code is not valid. Please check it and try again."))
        return data


class EmailChangeForm(forms.ModelForm[User]):
    """The person's own e-mail address."""

    class Meta:
        model = get_user_model()
        fields = ["email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        email: Any = self.fields["email"]
        email.max_length = 254

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        taken = (
            get_user_model()
            .objects.filter(email__iexact=email, is_active=True)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if taken:
            raise forms.ValidationError(
                _("Another account already uses this address."), code="taken"
            )
        return email
