"""Sign-up keeps what was typed and says clearly what is wrong."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "username": "newcustomer",
    "email": "new.customer@example.com",
    "display_name": "Ana from Tbilisi",
    "password1": "printer-ink-is-pricey-42",
    "password2": "printer-ink-is-pricey-42",
}


def signup(client, **overrides):
    return client.post(reverse("accounts:signup"), {**GOOD, **overrides})


def test_signup_creates_account_and_signs_in(client):
    response = signup(client)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newcustomer")
    assert user.email == "new.customer@example.com"
    assert user.get_display_name() == "Ana from Tbilisi"
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_duplicate_email_is_refused_case_insensitively_and_form_keeps_input(client):
    UserFactory(email="new.customer@example.com")
    response = signup(client, email="New.Customer@Example.com")
    assert response.status_code == 200
    assert "An account with this email address already exists" in response.content.decode()
    form = response.context["form"]
    assert form["username"].value() == "newcustomer"
    assert form["display_name"].value() == "Ana from Tbilisi"
    assert not get_user_model().objects.filter(username="newcustomer").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("84736291047", "entirely numeric"),
        ("newcustomer1", "too similar"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(client, password, message):
    response = signup(client, password1=password, password2=password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"]["email"].value() == GOOD["email"]


def test_mismatched_passwords(client):
    response = signup(client, password2="something-else-entirely")
    assert "match" in response.context["form"].errors["password2"][0]


def test_signup_next_parameter_stays_on_site(client):
    response = signup(client, next="https://evil.example.net/phish")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_signup_lands_on_the_help_center_in_the_readers_language(client):
    response = client.post("/fa/accounts/signup/", GOOD)
    assert response["Location"] == "/fa/"
    assert client.get(response["Location"]).status_code == 200


def test_signup_next_parameter_is_followed_when_local(client):
    response = signup(client, next="/en/community/")
    assert response["Location"] == "/en/community/"


def test_signup_page_is_translated(client):
    response = client.get("/fa/accounts/signup/")
    assert response.status_code == 200
    assert 'lang="fa"' in response.content.decode()
