"""Sign-up and profile pages; Django's own auth views handle sign-in and password reset."""

import logging

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters

from core.ratelimit import rate_limit

from .forms import ProfileForm, SignUpForm
from .signals import user_signed_up

logger = logging.getLogger(__name__)


SIGNUPS_TOO_FAST = gettext_lazy(
    "Too many sign-ups from your network. Please try again in %(seconds)s seconds."
)


def safe_next_url(request: HttpRequest, default: str) -> str:
    """The ``next`` parameter if it points at this site, otherwise ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@sensitive_post_parameters("password1", "password2")
@rate_limit(
    "signup",
    limit=10,
    seconds=3600,
    message=gettext_lazy(
        "Too many sign-ups from your network. Please try again in %(seconds)s seconds."
    ),
)
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        user_signed_up.send(sender=SignUpForm, user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        logger.info("New account %s signed up", user.pk)
        messages.success(
            request,
            _("Welcome, %(name)s! Your account is ready.") % {"name": user.get_display_name()},
        )
        return redirect(safe_next_url(request, default=reverse("wagtail_serve", args=[""])))
    return render(
        request,
        "accounts/signup.html",
        {
            "form": form,
            "next": safe_next_url(request, default=""),
        },
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
