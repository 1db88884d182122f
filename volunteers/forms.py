"""Forms a person fills in for themselves: signing in, joining a team by invitation."""

from allauth.account.forms import LoginForm
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from core.phones import VietnamPhoneField

from .models import User


class JoinForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = VietnamPhoneField()
    email = forms.EmailField(label=_("Email (không bắt buộc)"), required=False)
    password1 = forms.CharField(
        label=_("Mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        elif first:
            probe = User(full_name=data.get("full_name", ""), email=data.get("email") or None)
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ClaimForm(forms.Form):
    """The owner of a pre-added account: the code the coordinator handed over, a password."""

    code = forms.CharField(
        label=_("Mã nhận tài khoản"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off"}),
    )
    password1 = forms.CharField(
        label=_("Mật khẩu mới"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        return data


class PhoneOrEmailLoginForm(LoginForm):
    """allauth's login form; the login field takes a phone number or an email, so the phone
    offers saved usernames of either kind rather than only emails."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
