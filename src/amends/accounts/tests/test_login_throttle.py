"""Logins are throttled per account and per address (django-axes): 200 wrong passwords then the right one no
longer signs in (issue 17, finding 7)."""

from django.test import Client, override_settings

from amends.assembly.testing import PASSWORD


def sign_in(client: Client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


@override_settings(AXES_FAILURE_LIMIT=5)
def test_after_five_wrong_passwords_even_the_right_one_is_refused(world):
    client = Client()
    for _ in range(4):
        assert sign_in(client, "handler", "wrong").status_code == 200  # the form again, with its error
    assert sign_in(client, "handler", "wrong").status_code == 429  # the fifth locks
    locked = sign_in(client, "handler", PASSWORD)
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    # From another address the account is still locked; another account from the first address too.
    assert sign_in(Client(), "handler", PASSWORD, address="198.51.100.20").status_code == 429
    assert sign_in(Client(), "supervisor", PASSWORD).status_code == 429


@override_settings(AXES_FAILURE_LIMIT=5)
def test_a_right_password_before_the_limit_signs_in_and_resets_the_count(world):
    client = Client()
    for _ in range(4):
        sign_in(client, "handler", "wrong")
    assert sign_in(client, "handler", PASSWORD).status_code == 302
    for _ in range(4):
        sign_in(Client(), "handler", "wrong", address="192.0.2.99")
    assert sign_in(Client(), "handler", PASSWORD, address="192.0.2.99").status_code == 302
