"""The "Was this article helpful?" form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FeedbackReason


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Was this article helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose Yes or No."),
            "invalid_choice": _("Choose Yes or No."),
        },
    )
    reason = forms.ChoiceField(
        label=_("What went wrong?"),
        choices=[("", _("Choose a reason (optional)")), *FeedbackReason.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the listed reasons.")},
    )
    comment = forms.CharField(
        label=_("Tell us more (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == FeedbackReason.OTHER and not data.get("comment", "").strip():
            self.add_error("comment", _("Tell us what went wrong so we can fix it."))
        return data
