"""Sign-up and profile forms: refuse duplicate emails and weak passwords, keep what was typed."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

User = get_user_model()


def email_is_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    """Emails compare case-insensitively, as mail servers treat them."""
    users = User.objects.filter(email__iexact=email.strip())
    if exclude_pk is not None:
        users = users.exclude(pk=exclude_pk)
    return users.exists()


class SignUpForm(UserCreationForm):
    """Username, email, display name and password, validated by Django's password validators."""

    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send password resets and reply notifications here."),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        required=False,
        help_text=_("Shown on your forum posts. Leave empty to use your username."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "display_name")

    def clean(self):
        if self.data.get("website"):  # the hidden honeypot field: only bots fill it in
            raise forms.ValidationError(_("This sign-up looks automated and was refused."))
        return super().clean()

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email_is_taken(email):
            raise forms.ValidationError(
                _(
                    "An account with this email address already exists. "
                    "Sign in or reset your password."
                )
            )
        return email


class ProfileForm(forms.ModelForm):
    """What a member may change about themselves."""

    class Meta:
        model = User
        fields = ("display_name", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email_is_taken(email, exclude_pk=self.instance.pk):
            raise forms.ValidationError(_("An account with this email address already exists."))
        return email
