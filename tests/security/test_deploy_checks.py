"""`manage.py check --deploy` is clean for the production settings with their environment, and
warns about configurations that would quietly undo a protection."""

import pytest
from django.core.checks import run_checks

from tests.security.settings_modules import manage

pytestmark = pytest.mark.django_db


def deploy_check_ids():
    return {message.id for message in run_checks(include_deployment_checks=True)}


def test_production_deploy_check_is_clean_and_warns_when_no_proxy_is_trusted():
    clean = manage("check", "--deploy", "--fail-level", "WARNING")
    assert clean.returncode == 0, clean.stdout + clean.stderr

    no_proxy = manage("check", "--deploy", PEERPATH_TRUSTED_PROXY_COUNT="0")
    assert "peerpath.W001" in no_proxy.stdout + no_proxy.stderr


def test_an_invalid_environment_value_stops_the_site_with_a_clear_message():
    result = manage("check", EMAIL_TIMEOUT="soon")
    assert result.returncode != 0
    assert "ImproperlyConfigured: EMAIL_TIMEOUT must be a whole number" in result.stderr


@pytest.mark.parametrize(
    "proxy_settings",
    [
        {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},
        {"USE_X_FORWARDED_HOST": True},
    ],
)
def test_a_proxy_header_without_a_trusted_proxy_is_a_deploy_warning(settings, proxy_settings):
    for name, value in proxy_settings.items():
        setattr(settings, name, value)
    settings.PEERPATH_TRUSTED_PROXY_COUNT = 0
    assert "peerpath.W001" in deploy_check_ids()
    settings.PEERPATH_TRUSTED_PROXY_COUNT = 1
    assert "peerpath.W001" not in deploy_check_ids()


@pytest.mark.parametrize("value", ["1", -1, True, None])
def test_a_proxy_count_that_is_not_a_whole_number_fails_the_system_check(settings, value):
    settings.PEERPATH_TRUSTED_PROXY_COUNT = value
    assert "peerpath.E001" in {message.id for message in run_checks()}


def test_gravatar_is_a_deploy_warning(settings):
    assert "peerpath.W002" not in deploy_check_ids()
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = "//www.gravatar.com/avatar"
    assert "peerpath.W002" in deploy_check_ids()
    del settings.WAGTAIL_GRAVATAR_PROVIDER_URL  # Wagtail's default is Gravatar
    assert "peerpath.W002" in deploy_check_ids()


def test_documents_and_certificate_pdfs_reachable_from_media_url_are_a_deploy_warning(settings):
    assert "peerpath.W003" not in deploy_check_ids()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    assert "peerpath.W003" in deploy_check_ids()
