"""What the site sends to other servers: no staff e-mail hashes to Gravatar, and no SMTP
conversation that can hang a worker for ever."""

import pytest
from django.core.mail import get_connection
from django.urls import reverse


@pytest.mark.django_db
def test_the_wagtail_admin_fetches_no_avatar_from_gravatar(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "gravatar" not in response.content.decode().lower()


def test_smtp_gives_up_after_ten_seconds_by_default():
    connection = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert connection.timeout == 10
