"""The site's user: Django's user plus a public display name and a unique email."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A customer, community member, expert or editor.

    The display name is what the forum shows on posts, so people need not expose their username.
    """

    email = models.EmailField(_("email address"))
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        blank=True,
        help_text=_("Shown on your forum posts. Leave empty to use your username."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                condition=~models.Q(email=""),
                violation_error_message=_("An account with this email address already exists."),
            ),
        ]

    def get_display_name(self) -> str:
        return self.display_name.strip() or self.get_username()

    def __str__(self) -> str:
        return self.get_display_name()
