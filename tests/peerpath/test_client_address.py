"""Behind the reverse proxy production needs, throttles count by the real client, never by the
proxy: one visitor's failed log-ins cannot lock out another, and a client cannot choose whose
bucket its attempts fall into by sending its own X-Forwarded-For."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from peerpath.net import client_address
from tests.factories import DEFAULT_PASSWORD
from tests.security.settings_modules import production_settings

PROXY = "127.0.0.1"  # gunicorn binds here; every request arrives from the proxy
ALICE = "203.0.113.5"
MALLORY = "198.51.100.7"


@pytest.fixture
def behind_the_production_proxy(settings, monkeypatch):
    """The test site configured as production configures itself, with nothing set for proxies."""
    production = production_settings(monkeypatch)
    settings.PEERPATH_TRUSTED_PROXY_COUNT = getattr(production, "PEERPATH_TRUSTED_PROXY_COUNT", 0)
    settings.PEERPATH_LOGIN_THROTTLE = {"ACCOUNT_FAILURES": 100, "ADDRESS_FAILURES": 3}
    cache.clear()


def log_in(client, username, password, forwarded_for):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_a_client_locked_out_at_login_does_not_lock_out_another(
    behind_the_production_proxy, client, user, other_user, home_page
):
    for _ in range(3):
        log_in(client, other_user.email, "wrong", forwarded_for=MALLORY)
    assert log_in(client, other_user.email, "wrong", forwarded_for=MALLORY).status_code == 429

    response = log_in(client, user.email, DEFAULT_PASSWORD, forwarded_for=ALICE)
    assert response.status_code == 302


def test_a_forged_x_forwarded_for_entry_cannot_pick_another_clients_bucket(
    behind_the_production_proxy, client, user, other_user, home_page
):
    # Mallory claims to be Alice; the proxy appends the address Mallory really connected from.
    forged = f"{ALICE}, {MALLORY}"
    for _ in range(4):
        log_in(client, other_user.email, "wrong", forwarded_for=forged)
    assert log_in(client, other_user.email, "wrong", forwarded_for=MALLORY).status_code == 429

    response = log_in(client, user.email, DEFAULT_PASSWORD, forwarded_for=ALICE)
    assert response.status_code == 302


def test_production_trusts_one_proxy_unless_told_otherwise(monkeypatch):
    assert production_settings(monkeypatch).PEERPATH_TRUSTED_PROXY_COUNT == 1
    two = production_settings(monkeypatch, PEERPATH_TRUSTED_PROXY_COUNT="2")
    assert two.PEERPATH_TRUSTED_PROXY_COUNT == 2


@pytest.mark.parametrize("value", ["one", "-1", "1.5", "²"])
def test_an_invalid_proxy_count_in_the_environment_is_a_clear_configuration_error(
    monkeypatch, value
):
    with pytest.raises(ImproperlyConfigured, match="PEERPATH_TRUSTED_PROXY_COUNT"):
        production_settings(monkeypatch, PEERPATH_TRUSTED_PROXY_COUNT=value)


@pytest.mark.parametrize(
    "forwarded, expected",
    [
        ("203.0.113.5:51234", "203.0.113.5"),
        ("[2001:db8:1:2::7]:443", "2001:db8:1:2::/64"),
    ],
)
def test_a_proxy_that_adds_the_port_still_gives_the_client_address(settings, forwarded, expected):
    settings.PEERPATH_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
