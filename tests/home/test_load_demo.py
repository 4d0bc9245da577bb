import pytest
from django.apps import apps
from django.core.management import call_command


def snapshot():
    """Row counts of every PeerPath and Wagtail page model: what load_demo must not duplicate."""
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in {
            "home",
            "accounts",
            "training",
            "certificates",
            "workshops",
            "wagtailcore",
            "wagtaildocs",
            "auth",
        }:
            counts[model._meta.label] = model.objects.count()
    return counts


@pytest.mark.django_db
def test_load_demo_twice_leaves_the_same_content():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    first = snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert snapshot() == first
    assert first["home.HomePage"] == 1


@pytest.mark.django_db
def test_demo_accounts_can_log_in(client):
    from home.demo import DEMO_PASSWORD, DEMO_USERS

    call_command("load_demo", stdout=open("/dev/null", "w"))
    for spec in DEMO_USERS.values():
        assert client.login(username=spec["email"], password=DEMO_PASSWORD)
        client.logout()
