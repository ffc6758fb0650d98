"""Forms of our own community pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What's wrong with this post?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything the moderators should know? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
