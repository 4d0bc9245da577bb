"""The awards screens in the People menu: the list, one award, and a spreadsheet with its preview
(problems shown beside each row, fix and check again, all awarded together or none); scoped by
`certificates.awards.organisations_awardable_by`."""

import datetime

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peerpath.certificates import awards
from peerpath.certificates.models import Certificate, PriorLearningAward
from tests.certificates.factories import certificate_in_status, make_programme
from tests.factories import UserFactory

from .conftest import make_member

pytestmark = pytest.mark.django_db

INDEX = "coordination_awards:index"
AWARD = "coordination_awards:award"
UPLOAD = "coordination_awards:upload"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = timezone.localdate()
ISSUED = TODAY - datetime.timedelta(days=500)
EXPIRES = TODAY + datetime.timedelta(days=230)


def award_data(organisation, programme, email, **overrides):
    data = {
        "organisation": organisation.pk if organisation else "",
        "email": email,
        "programme": programme.pk,
        "original_issued_on": ISSUED.isoformat(),
        "expires_on": EXPIRES.isoformat(),
        "evidence_note": "County network facilitator course, 2023.",
    }
    data.update(overrides)
    return data


def awarded(holder, programme, organisation, by):
    return awards.award(
        holder,
        programme,
        organisation=organisation,
        original_issued_on=ISSUED,
        expires_on=EXPIRES,
        evidence_note="Earlier certificate seen.",
        by=by,
    )


def csv_file(rows, name="awards.csv"):
    header = "email,programme,issued_on,expires_on,evidence\n"
    body = "".join(",".join(row) + "\n" for row in rows)
    return SimpleUploadedFile(name, (header + body).encode())


def preview_data(response):
    """The preview's form as a browser would submit it (so it can be edited and resubmitted)."""
    formset = response.context["formset"]
    data = {
        "organisation": response.context["organisation"].pk,
        "form-TOTAL_FORMS": str(formset.total_form_count()),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for number, form in enumerate(formset.forms):
        for name in ["line", "email", "programme", "issued_on", "expires_on", "evidence"]:
            data[f"form-{number}-{name}"] = form[name].value() or ""
        if form["skip"].value():
            data[f"form-{number}-skip"] = "on"
    return data


# --- Who may come in ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [INDEX, AWARD, UPLOAD])
def test_editors_and_learners_are_refused_and_anonymous_sent_to_log_in(client, editor, member, url):
    client.force_login(editor)
    assert client.get(reverse(url)).status_code in (302, 403)
    client.force_login(member)
    assert client.get(reverse(url)).status_code in (302, 403)
    client.logout()
    response = client.get(reverse(url))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_people_menu_offers_prior_learning_to_coordinators(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(INDEX) in html


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_own_awards_only(
    client,
    coordinator,
    other_coordinator,
    organisation,
    other_organisation,
    member,
    other_member,
    runs_programme,
):
    ours = awarded(member, runs_programme, organisation, coordinator)
    theirs = awarded(other_member, runs_programme, other_organisation, other_coordinator)
    client.force_login(coordinator)
    html = client.get(reverse(INDEX)).content.decode()
    assert ours.number in html and "Valid" in html and member.email in html
    assert theirs.number not in html and other_member.email not in html


def test_search_by_email_or_number(client, coordinator, organisation, runs_programme):
    first = awarded(
        make_member(organisation, email="ann@x.example"), runs_programme, organisation, coordinator
    )
    second = awarded(
        make_member(organisation, email="bob@x.example"), runs_programme, organisation, coordinator
    )
    client.force_login(coordinator)
    html = client.get(reverse(INDEX), {"q": "ann@"}).content.decode()
    assert first.number in html and second.number not in html
    html = client.get(reverse(INDEX), {"q": second.number}).content.decode()
    assert second.number in html and first.number not in html


def test_the_list_costs_the_same_queries_for_2_or_8_awards(
    client, coordinator, organisation, runs_programme
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(INDEX)).status_code == 200
        return len(queries)

    client.force_login(coordinator)
    for _ in range(2):
        awarded(make_member(organisation), runs_programme, organisation, coordinator)
    small = count()
    for _ in range(6):
        awarded(make_member(organisation), runs_programme, organisation, coordinator)
    assert count() == small


# --- One award ----------------------------------------------------------------------------------


def test_awarding_one_certificate_with_an_evidence_file(
    client, coordinator, organisation, member, runs_programme, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    data = award_data(organisation, runs_programme, member.email.upper())
    data["evidence_file"] = SimpleUploadedFile("old.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(AWARD), data)
    assert response.status_code == 302
    certificate = Certificate.objects.get(holder=member)
    assert timezone.localdate(certificate.issued_at) == ISSUED
    assert certificate.expires_on == EXPIRES and certificate.pdf
    award = certificate.prior_learning_award
    assert award.awarded_by == coordinator and award.evidence_file.name.endswith(".pdf")
    html = client.get(reverse(INDEX)).content.decode()
    assert certificate.number in html
    assert reverse("certificates_admin:evidence", args=[certificate.pk]) in html
    assert (
        client.get(reverse("certificates_admin:evidence", args=[certificate.pk])).status_code == 200
    )


def test_a_file_that_only_pretends_to_be_a_pdf_is_refused(
    client, coordinator, organisation, member, runs_programme
):
    client.force_login(coordinator)
    data = award_data(organisation, runs_programme, member.email)
    data["evidence_file"] = SimpleUploadedFile("scan.pdf", b"<html>not a pdf</html>")
    response = client.post(reverse(AWARD), data)
    assert response.status_code == 400
    assert "must be a PDF, JPG or PNG" in response.content.decode()
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"expires_on": (ISSUED - datetime.timedelta(days=1)).isoformat()}, "after the original"),
        ({"original_issued_on": (TODAY + datetime.timedelta(days=3)).isoformat()}, "in the future"),
        ({"evidence_note": ""}, "This field is required"),
        ({"email": "nobody@riverside.example"}, "No member of Riverside"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_awarded(
    client, coordinator, organisation, member, runs_programme, overrides, message
):
    client.force_login(coordinator)
    data = award_data(organisation, runs_programme, member.email)
    data.update(overrides)
    response = client.post(reverse(AWARD), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PriorLearningAward.objects.exists()


def test_a_programme_the_organisation_does_not_run_is_refused(
    client, coordinator, organisation, member, runs_programme, home_page
):
    elsewhere = make_programme(home_page, title="One-to-One Peer Mentor", code="OPM")
    client.force_login(coordinator)
    response = client.post(reverse(AWARD), award_data(organisation, elsewhere, member.email))
    assert response.status_code == 400
    assert not Certificate.objects.exists()


def test_a_coordinator_of_b_cannot_award_to_a_member_of_a_nor_see_the_certificate(
    client,
    other_coordinator,
    coordinator,
    organisation,
    other_organisation,
    member,
    runs_programme,
):
    client.force_login(other_coordinator)
    # Choosing A is not a choice; choosing B with A's member finds no such member.
    response = client.post(reverse(AWARD), award_data(organisation, runs_programme, member.email))
    assert response.status_code == 400
    response = client.post(
        reverse(AWARD), award_data(other_organisation, runs_programme, member.email)
    )
    assert response.status_code == 400 and "No member of Northside" in response.content.decode()
    assert not Certificate.objects.exists()
    certificate = awarded(member, runs_programme, organisation, coordinator)
    assert certificate.number not in client.get(reverse(INDEX)).content.decode()
    inspect = reverse("certificates_admin:inspect", args=[certificate.pk])
    assert client.get(inspect).status_code == 404


# --- A list, its preview, fix and check again ---------------------------------------------------


@pytest.fixture
def certified(organisation, runs_programme):
    user = make_member(organisation, email="already@riverside.example")
    certificate_in_status(user, runs_programme, "valid")
    return user


def test_the_preview_shows_each_rows_problems_and_awards_nothing(
    client, coordinator, organisation, member, other_member, certified, runs_programme
):
    fresh = [make_member(organisation, email=f"fresh{n}@riverside.example").email for n in range(5)]
    rows = [
        [member.email, "PSGF", ISSUED.isoformat(), EXPIRES.isoformat(), "Course 2023"],
        ["nobody@riverside.example", "PSGF", ISSUED.isoformat(), EXPIRES.isoformat(), "x"],
        [other_member.email, "PSGF", ISSUED.isoformat(), EXPIRES.isoformat(), "x"],
        [fresh[0], "Gardening", ISSUED.isoformat(), EXPIRES.isoformat(), "x"],
        [fresh[1], "PSGF", "31/02/2024", EXPIRES.isoformat(), "x"],
        [
            fresh[2],
            "PSGF",
            ISSUED.isoformat(),
            (ISSUED - datetime.timedelta(days=9)).isoformat(),
            "x",
        ],
        [certified.email, "PSGF", ISSUED.isoformat(), EXPIRES.isoformat(), "x"],
        [member.email, "psgf", ISSUED.isoformat(), EXPIRES.isoformat(), "again"],
        [fresh[3], "PSGF", ISSUED.isoformat(), EXPIRES.isoformat(), "=HYPERLINK(1)"],
        [fresh[4], "PSGF", ISSUED.isoformat(), EXPIRES.isoformat(), ""],
    ]
    client.force_login(coordinator)
    response = client.post(
        reverse(UPLOAD), {"organisation": organisation.pk, "file": csv_file(rows)}
    )
    assert response.status_code == 400
    problems = [form.problems for form in response.context["formset"].forms]
    assert problems[0] == []
    assert "No member of Riverside" in problems[1][0]
    assert "No member of Riverside" in problems[2][0]
    assert "is not a programme" in problems[3][0]
    assert "is not a date" in problems[4][0]
    assert any("after the original issue date" in p for p in problems[5])
    assert any("already hold certificate" in p for p in problems[6])
    assert "same person and programme as line 2" in problems[7][0]
    assert any("formula" in p for p in problems[8])
    assert any("Describe the evidence" in p for p in problems[9])
    html = response.content.decode()
    assert "Check again" in html and 'name="award"' not in html
    # Pressing "Award" anyway awards nothing.
    data = preview_data(response)
    data["award"] = "1"
    response = client.post(reverse(UPLOAD), data)
    assert response.status_code == 400
    assert not PriorLearningAward.objects.exists()


def test_fix_skip_check_again_then_award_all_at_once(
    client,
    coordinator,
    organisation,
    member,
    runs_programme,
    django_capture_on_commit_callbacks,
):
    second = make_member(organisation, email="second@riverside.example")
    rows = [
        [
            member.email,
            "Peer Support Group Facilitator",
            ISSUED.strftime("%d/%m/%Y"),
            EXPIRES.isoformat(),
            "Course 2023",
        ],
        [second.email, "PSGF", ISSUED.isoformat(), "soon", "Course 2022"],
        ["typo@riverside.example", "PSGF", ISSUED.isoformat(), EXPIRES.isoformat(), "x"],
    ]
    client.force_login(coordinator)
    response = client.post(
        reverse(UPLOAD), {"organisation": organisation.pk, "file": csv_file(rows)}
    )
    data = preview_data(response)
    data["form-1-expires_on"] = EXPIRES.strftime("%d/%m/%Y")
    data["form-2-skip"] = "on"
    response = client.post(reverse(UPLOAD), {**data, "check": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Award 2 certificates" in html
    assert not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(UPLOAD), {**preview_data(response), "award": "1"})
    assert response.status_code == 302
    certificates = Certificate.objects.filter(prior_learning_award__organisation=organisation)
    assert certificates.count() == 2
    assert all(certificate.pdf for certificate in certificates)
    assert {c.expires_on for c in certificates} == {EXPIRES}


def test_one_refusal_at_the_last_moment_awards_none(
    client, coordinator, organisation, member, runs_programme
):
    second = make_member(organisation, email="second@riverside.example")
    rows = [
        [member.email, "PSGF", ISSUED.isoformat(), EXPIRES.isoformat(), "Course"],
        [second.email, "PSGF", ISSUED.isoformat(), EXPIRES.isoformat(), "Course"],
    ]
    client.force_login(coordinator)
    response = client.post(
        reverse(UPLOAD), {"organisation": organisation.pk, "file": csv_file(rows)}
    )
    data = preview_data(response)
    # Meanwhile the second person is certified by completing the programme.
    certificate_in_status(second, runs_programme, "valid")
    response = client.post(reverse(UPLOAD), {**data, "award": "1"})
    assert response.status_code == 400
    assert not PriorLearningAward.objects.exists()


def test_an_xlsx_list_is_read_too(client, coordinator, organisation, member, runs_programme):
    dataset = tablib.Dataset(headers=["E-mail", "Programme", "Issued on", "Expires on", "Evidence"])
    dataset.append([member.email, "PSGF", ISSUED.isoformat(), EXPIRES.isoformat(), "Course"])
    upload = SimpleUploadedFile("awards.xlsx", dataset.export("xlsx"))
    client.force_login(coordinator)
    response = client.post(reverse(UPLOAD), {"organisation": organisation.pk, "file": upload})
    assert response.status_code == 200
    assert response.context["formset"].ready


def test_a_file_with_the_wrong_columns_is_explained(client, coordinator, organisation):
    upload = SimpleUploadedFile("awards.csv", b"name,phone\nAnn,123\n")
    client.force_login(coordinator)
    response = client.post(reverse(UPLOAD), {"organisation": organisation.pk, "file": upload})
    assert response.status_code == 400
    assert "The first row must name the columns" in response.content.decode()


def test_a_preview_for_another_organisation_is_refused(
    client, other_coordinator, organisation, member, runs_programme
):
    client.force_login(other_coordinator)
    data = {
        "organisation": organisation.pk,
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-email": member.email,
        "form-0-programme": "PSGF",
        "form-0-issued_on": ISSUED.isoformat(),
        "form-0-expires_on": EXPIRES.isoformat(),
        "form-0-evidence": "x",
        "award": "1",
    }
    # Wagtail turns the refusal into a redirect with a message.
    assert client.post(reverse(UPLOAD), data).status_code in (302, 403)
    assert not PriorLearningAward.objects.exists()


def test_a_superuser_may_award_for_no_organisation(client, staff_user, runs_programme):
    holder = UserFactory(email="independent@example.org")
    client.force_login(staff_user)
    response = client.post(reverse(AWARD), award_data(None, runs_programme, holder.email))
    assert response.status_code == 302
    assert PriorLearningAward.objects.get().organisation is None
