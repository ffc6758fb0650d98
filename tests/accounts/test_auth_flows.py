"""Sign in, sign out, password reset by email and the profile page."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_and_logout(client):
    user = UserFactory(username="jordan")
    response = client.post(
        reverse("accounts:login"), {"username": "jordan", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_wrong_password_keeps_username(client):
    UserFactory(username="jordan")
    response = client.post(reverse("accounts:login"), {"username": "jordan", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"]["username"].value() == "jordan"
    assert "Please enter a correct username and password" in response.content.decode()


def test_login_refuses_offsite_next(client):
    UserFactory(username="jordan")
    response = client.post(
        reverse("accounts:login") + "?next=//evil.example.net/",
        {"username": "jordan", "password": DEFAULT_PASSWORD, "next": "//evil.example.net/"},
    )
    assert response.status_code == 302
    assert "evil.example.net" not in response["Location"]


def test_password_reset_by_email_end_to_end(client):
    user = UserFactory(email="reset.me@example.com")
    response = client.post(reverse("accounts:password_reset"), {"email": "reset.me@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")


def test_password_reset_for_unknown_email_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_requires_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_profile_updates_display_name(member_client, member):
    response = member_client.post(
        reverse("accounts:profile"), {"display_name": "Printer Pat", "email": member.email}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.get_display_name() == "Printer Pat"


def test_profile_refuses_someone_elses_email(member_client, member):
    other = UserFactory()
    response = member_client.post(
        reverse("accounts:profile"), {"display_name": "X", "email": other.email.upper()}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert response.context["form"]["display_name"].value() == "X"


def test_empty_display_name_falls_back_to_username():
    user = UserFactory.build(username="quietuser", display_name="  ")
    assert user.get_display_name() == "quietuser"
