"""django-axes: repeated failed sign-ins lock the account and the address; normal use never does."""

import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        "/en/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_five_failures_lock_the_account_with_a_clear_429(client):
    UserFactory(username="jordan")
    for _ in range(4):
        assert sign_in(client, "jordan", "wrong").status_code == 200
    assert sign_in(client, "jordan", "wrong").status_code == 429  # the fifth failure locks
    locked = sign_in(client, "jordan", DEFAULT_PASSWORD)  # even the right password now waits
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The account is locked from any address, not just the one that failed.
    assert sign_in(client, "jordan", DEFAULT_PASSWORD, address="10.9.9.9").status_code == 429


def test_failures_across_accounts_lock_the_address(client):
    UserFactory(username="casey")
    for n in range(5):
        sign_in(client, f"guess{n}", "wrong", address="10.0.0.7")
    assert sign_in(client, "casey", DEFAULT_PASSWORD, address="10.0.0.7").status_code == 429
    assert sign_in(client, "casey", DEFAULT_PASSWORD, address="10.0.0.8").status_code == 302


def test_a_few_typos_then_success_never_locks(client):
    user = UserFactory(username="robin")
    for _round in range(3):
        for _ in range(3):
            assert sign_in(client, "robin", "typo").status_code == 200
        assert sign_in(client, "robin", DEFAULT_PASSWORD).status_code == 302  # resets the count
        client.post("/en/accounts/logout/")
    assert sign_in(client, "robin", DEFAULT_PASSWORD).status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_the_admin_login_is_throttled_too(client):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    for _ in range(5):
        client.post("/admin/login/", {"username": "boss", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "boss", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
