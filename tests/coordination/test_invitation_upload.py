"""The coordinators' invitations admin: the list (scoped, filtered, constant queries), inviting one
address, the upload's editable preview (every kind of problem, fixing a row, all or nothing),
re-sending and withdrawing, and who may reach any of it."""

import pytest
import tablib
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peerpath.coordination import invitations
from peerpath.coordination.models import Cohort, Invitation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = "coordination_invitations:index"
UPLOAD = "coordination_invitations:upload"


@pytest.fixture
def cohort(organisation, runs_programme):
    cohort = Cohort.objects.create(organisation=organisation, name="Spring volunteers")
    cohort.programmes.add(runs_programme)
    return cohort


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def csv_file(text, name="people.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def upload(client, organisation, text, name="people.csv"):
    return client.post(
        reverse(UPLOAD), {"organisation": organisation.pk, "file": csv_file(text, name)}
    )


def preview_data(organisation, rows, **extra):
    """The preview's POST: `rows` as (name, email, cohort, skip) tuples."""
    data = {
        "organisation": organisation.pk,
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        **extra,
    }
    for number, (name, email, cohort, skip) in enumerate(rows):
        data.update(
            {
                f"form-{number}-line": number + 2,
                f"form-{number}-name": name,
                f"form-{number}-email": email,
                f"form-{number}-cohort": cohort,
            }
        )
        if skip:
            data[f"form-{number}-skip"] = "on"
    return data


def problems(response):
    return [form.problems for form in response.context["formset"]]


# --- The upload and its preview -------------------------------------------------------------


def test_the_preview_shows_every_kind_of_problem_and_creates_nothing(
    coordinator_client, organisation, coordinator, cohort, member
):
    invitations.invite(organisation, "invited@example.org", by=coordinator)
    text = "\n".join(
        [
            "name,email,cohort",
            "Ana,ana@example.org,spring VOLUNTEERS",  # ready (cohort matched in any case)
            "Bad,not-an-address,",
            "Dup,ana@example.org,",
            f"Member,{member.email},",
            "Invited,invited@example.org,",
            "Lost,lost@example.org,Autumn",
            "=cmd(),formula@example.org,",
            f"{'x' * 121},long@example.org,",
        ]
    )
    response = upload(coordinator_client, organisation, text)

    assert response.status_code == 400  # not ready to send
    found = problems(response)
    assert found[0] == []
    assert "not a valid e-mail" in found[1][0]
    assert "already in the file" in found[2][0]
    assert "already a member" in found[3][0]
    assert "open invitation" in found[4][0]
    assert "no active cohort called “Autumn”" in found[5][0]
    assert "formula" in found[6][0]
    assert "longer than 120" in found[7][0]
    assert response.context["summary"] == "8 rows: 1 ready, 7 need a fix"
    assert b"Send 1 invitation" not in response.content
    assert Invitation.objects.count() == 1  # only the one made above


def test_fixing_a_row_and_checking_again_then_sending_all_at_once(
    coordinator_client, organisation, cohort, django_capture_on_commit_callbacks
):
    rows = [
        ("Ana", "ana@example.org", "Spring volunteers", False),
        ("Ben", "ben@example", "", False),
        ("Cal", "cal@example.org", "", False),
    ]
    checked = coordinator_client.post(reverse(UPLOAD), preview_data(organisation, rows, check="1"))
    assert checked.context["summary"] == "3 rows: 2 ready, 1 needs a fix"

    rows[1] = ("Ben", "ben@example.org", "", False)
    fixed = coordinator_client.post(reverse(UPLOAD), preview_data(organisation, rows, check="1"))
    assert fixed.status_code == 200
    assert fixed.context["summary"] == "3 rows: 3 ready"
    assert b"Send 3 invitations" in fixed.content
    assert not Invitation.objects.exists()  # checking sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        sent = coordinator_client.post(reverse(UPLOAD), preview_data(organisation, rows, send="1"))

    assert sent.status_code == 302
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "ana@example.org",
        "ben@example.org",
        "cal@example.org",
    }
    assert Invitation.objects.get(email="ana@example.org").cohort == cohort
    assert len(mail.outbox) == 3


def test_a_skipped_row_is_not_checked_nor_sent(coordinator_client, organisation):
    rows = [("Ana", "ana@example.org", "", False), ("Bad", "bad", "", True)]
    response = coordinator_client.post(reverse(UPLOAD), preview_data(organisation, rows, send="1"))
    assert response.status_code == 302
    assert list(Invitation.objects.values_list("email", flat=True)) == ["ana@example.org"]


def test_sending_with_a_row_still_wrong_creates_nothing(coordinator_client, organisation):
    rows = [("Ana", "ana@example.org", "", False), ("Bad", "bad", "", False)]
    response = coordinator_client.post(reverse(UPLOAD), preview_data(organisation, rows, send="1"))
    assert response.status_code == 400
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_all_rows_skipped_sends_nothing(coordinator_client, organisation):
    rows = [("Ana", "ana@example.org", "", True)]
    response = coordinator_client.post(reverse(UPLOAD), preview_data(organisation, rows, send="1"))
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_an_xlsx_upload_is_read_too(coordinator_client, organisation):
    data = tablib.Dataset(headers=["Name", "E-mail", "Cohort"])
    data.append(["Ana", "ana@example.org", ""])
    file = SimpleUploadedFile("people.xlsx", data.export("xlsx"))
    response = coordinator_client.post(
        reverse(UPLOAD), {"organisation": organisation.pk, "file": file}
    )
    assert response.context["summary"] == "1 row: 1 ready"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,email\n" + "".join(f"P{n},p{n}@example.org\n" for n in range(10_000)), "at most"),
        ("first,last\nAna,Lee\n", "must name the columns"),
        ("", "empty"),
        ("name,email\nJos\xe9,jose@example.org\n".encode("latin-1"), "UTF-8"),
    ],
    ids=["ten-thousand-rows", "wrong-columns", "empty", "not-utf-8"],
)
def test_a_file_that_cannot_be_used_says_why(coordinator_client, organisation, content, message):
    data = content if isinstance(content, bytes) else content.encode()
    response = coordinator_client.post(
        reverse(UPLOAD),
        {"organisation": organisation.pk, "file": SimpleUploadedFile("p.csv", data)},
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert not Invitation.objects.exists()


def test_a_preview_for_another_organisation_is_refused(coordinator_client, other_organisation):
    rows = [("Ana", "ana@example.org", "", False)]
    response = coordinator_client.post(
        reverse(UPLOAD), preview_data(other_organisation, rows, send="1")
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_another_organisations_cohort_is_unknown_in_the_preview(
    coordinator_client, organisation, other_organisation
):
    Cohort.objects.create(organisation=other_organisation, name="Theirs")
    rows = [("Ana", "ana@example.org", "Theirs", False)]
    response = coordinator_client.post(reverse(UPLOAD), preview_data(organisation, rows))
    assert "no active cohort" in problems(response)[0][0]


# --- Inviting one address ---------------------------------------------------------------------


def test_inviting_one_address(coordinator_client, organisation, cohort):
    response = coordinator_client.post(
        reverse("coordination_invitations:invite"),
        {"organisation": organisation.pk, "email": " Ana@Example.org", "cohort": cohort.pk},
    )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "ana@example.org"


def test_an_open_invitation_offers_a_re_send(coordinator_client, organisation, coordinator):
    invitation = invitations.invite(organisation, "ana@example.org", by=coordinator)
    response = coordinator_client.post(
        reverse("coordination_invitations:invite"),
        {"organisation": organisation.pk, "email": "ana@example.org"},
    )
    assert response.status_code == 400
    assert response.context["open_invitation"] == invitation
    assert reverse("coordination_invitations:resend", args=[invitation.pk]).encode() in (
        response.content
    )


def test_the_form_offers_only_the_coordinators_organisations_and_active_cohorts(
    coordinator_client, organisation, other_organisation, cohort
):
    Cohort.objects.create(organisation=other_organisation, name="Theirs")
    Cohort.objects.create(organisation=organisation, name="Old", archived_at=timezone.now())
    form = coordinator_client.get(reverse("coordination_invitations:invite")).context["form"]
    assert list(form.fields["organisation"].queryset) == [organisation]
    assert list(form.fields["cohort"].queryset) == [cohort]
    response = coordinator_client.post(
        reverse("coordination_invitations:invite"),
        {"organisation": other_organisation.pk, "email": "ana@example.org"},
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


# --- The list, re-sending and withdrawing -----------------------------------------------------


def make_invitations(organisation, by, count, start=0):
    for number in range(start, start + count):
        invitations.invite(organisation, f"person{number}@example.org", by=by)


def test_the_list_shows_only_the_coordinators_invitations(
    coordinator_client, organisation, other_organisation, coordinator, other_coordinator
):
    make_invitations(organisation, coordinator, 2)
    invitations.invite(other_organisation, "theirs@example.org", by=other_coordinator)
    response = coordinator_client.get(reverse(INDEX))
    assert {i.email for i in response.context["invitations"]} == {
        "person0@example.org",
        "person1@example.org",
    }


def test_the_list_filters_by_status_and_search(coordinator_client, organisation, coordinator):
    make_invitations(organisation, coordinator, 3)
    invitations.revoke(Invitation.objects.get(email="person1@example.org"), by=coordinator)
    Invitation.objects.filter(email="person2@example.org").update(expires_at=timezone.now())

    def listed(**query):
        response = coordinator_client.get(reverse(INDEX), query)
        return {i.email for i in response.context["invitations"]}

    assert listed(status="pending") == {"person0@example.org"}
    assert listed(status="revoked") == {"person1@example.org"}
    assert listed(status="expired") == {"person2@example.org"}
    assert listed(q="PERSON2") == {"person2@example.org"}


def listing_queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(INDEX))
    return len(captured.captured_queries), response


def test_the_list_takes_the_same_queries_at_any_size(
    coordinator_client, organisation, coordinator, cohort
):
    make_invitations(organisation, coordinator, 2)
    coordinator_client.get(reverse(INDEX))  # warm the session and the site
    small, _response = listing_queries(coordinator_client)
    make_invitations(organisation, coordinator, 30, start=2)
    Invitation.objects.update(cohort=cohort)
    large, response = listing_queries(coordinator_client)
    assert large == small
    assert len(response.context["invitations"]) == 32


def test_re_send_and_withdraw_from_the_list(coordinator_client, organisation, coordinator):
    invitation = invitations.invite(organisation, "ana@example.org", by=coordinator)
    resend = coordinator_client.post(
        reverse("coordination_invitations:resend", args=[invitation.pk])
    )
    assert resend.status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).send_count == 2
    revoke = coordinator_client.post(
        reverse("coordination_invitations:revoke", args=[invitation.pk])
    )
    assert revoke.status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).revoked_by == coordinator


def test_bulk_withdraw(coordinator_client, organisation, coordinator):
    make_invitations(organisation, coordinator, 3)
    chosen = list(Invitation.objects.order_by("pk").values_list("pk", flat=True)[:2])
    response = coordinator_client.post(
        reverse("coordination_invitations:bulk"), {"action": "revoke", "selected": chosen}
    )
    assert response.status_code == 302
    assert set(
        Invitation.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True)
    ) == set(chosen)


def test_a_get_changes_nothing(coordinator_client, organisation, coordinator):
    invitation = invitations.invite(organisation, "ana@example.org", by=coordinator)
    response = coordinator_client.get(
        reverse("coordination_invitations:revoke", args=[invitation.pk])
    )
    assert response.status_code == 405
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


# --- Who may --------------------------------------------------------------------------------


def test_another_organisations_invitation_is_a_404(
    client, other_coordinator, organisation, coordinator
):
    invitation = invitations.invite(organisation, "ana@example.org", by=coordinator)
    client.force_login(other_coordinator)
    for name in ("resend", "revoke"):
        response = client.post(reverse(f"coordination_invitations:{name}", args=[invitation.pk]))
        assert response.status_code == 404
    bulk = client.post(
        reverse("coordination_invitations:bulk"), {"action": "revoke", "selected": [invitation.pk]}
    )
    assert bulk.status_code == 302  # "tick at least one": theirs is not among the choices
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
    listing = client.get(reverse(INDEX))
    assert listing.context["invitations"] == []


URLS = [
    ("get", INDEX),
    ("get", "coordination_invitations:invite"),
    ("get", UPLOAD),
    ("post", "coordination_invitations:bulk"),
]


@pytest.mark.parametrize(("method", "name"), URLS)
@pytest.mark.parametrize("who", ["editor", "safeguarding_lead", "learner"])
def test_people_who_do_not_coordinate_are_refused(client, request, method, name, who):
    user = UserFactory() if who == "learner" else request.getfixturevalue(who)
    client.force_login(user)
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302
    if who == "learner":  # no admin access at all
        assert "login" in response["Location"]
    else:  # Wagtail's permission denial: back to the dashboard, with a message
        assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize(("method", "name"), URLS)
def test_anonymous_visitors_are_sent_to_log_in(client, method, name):
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_superuser_sees_every_organisation(
    client, staff_user, organisation, coordinator, other_organisation, other_coordinator
):
    invitations.invite(organisation, "a@example.org", by=coordinator)
    invitations.invite(other_organisation, "b@example.org", by=other_coordinator)
    client.force_login(staff_user)
    assert len(client.get(reverse(INDEX)).context["invitations"]) == 2


def test_the_people_menu_lists_invitations_for_coordinators(coordinator_client):
    response = coordinator_client.get(reverse("wagtailadmin_home"))
    assert reverse(INDEX).encode() in response.content


def test_the_summary_counts_skipped_rows(coordinator_client, organisation):
    rows = [("Ana", "ana@example.org", "", False), ("B", "b", "", True), ("C", "c", "", False)]
    response = coordinator_client.post(reverse(UPLOAD), preview_data(organisation, rows))
    assert response.context["summary"] == "3 rows: 1 ready, 1 needs a fix, 1 skipped"
