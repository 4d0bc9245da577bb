import pytest
from django.db import connection

from peerpath import sms
from peerpath.certificates import keys
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def sms_outbox():
    """Text messages sent by a test (the test settings keep them in `peerpath.sms.outbox`),
    emptied before each test as pytest-django empties `mail.outbox`."""
    sms.outbox.clear()
    return sms.outbox


@pytest.fixture(scope="session", autouse=True)
def issuer_key():
    """One Open Badges signing key per test process, in the test settings' temporary keys
    folder, made once (as `manage.py issuer_keys create` would)."""
    return keys.signing_key() if keys.published_keys() else keys.create_key()


@pytest.fixture
def home_page(db):
    """The site's HomePage, set up as the demo does (also makes it the default site root)."""
    from home.demo import ensure_home_page

    return ensure_home_page()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need a real PostgreSQL server; on SQLite they are skipped, loudly."""
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL to run it)")
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"
