"""Continuing education: the learner's page (logging, evidence checks, totals, paging, deleting),
the protected evidence download, the administrators' categories and listing, and the
personal-data hooks."""

import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from home.demo import ensure_home_page
from peerpath.accounts.privacy import erase_account
from peerpath.organisations.models import OrganisationMembership
from peerpath.organisations.setup import add_editor
from peerpath.training import privacy
from peerpath.training.continuing_views import clean_evidence_name
from peerpath.training.models import (
    ContinuingEducationActivity,
    ContinuingEducationCategory,
    ProgrammeRequirement,
)
from tests.certificates.factories import make_programme
from tests.factories import (
    ContinuingEducationActivityFactory,
    ContinuingEducationCategoryFactory,
    UserFactory,
)
from tests.workshops.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("training:ce_activities")
TODAY = timezone.localdate()
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture
def ethics():
    return ContinuingEducationCategoryFactory(name="Ethics")


@pytest.fixture
def learner_client(client, user):
    client.force_login(user)
    return client


def entry(category, /, **overrides):
    data = {
        "title": "Boundaries in peer work",
        "provider": "Open Minds Network",
        "date": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "hours": "2.5",
        "category": str(category.pk),
    }
    data.update(overrides)
    return data


def upload(name="certificate.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


def private_files():
    storage = storages["private"]
    found = []

    def walk(path):
        folders, files = storage.listdir(path)
        found.extend(f"{path}/{name}" if path else name for name in files)
        for folder in folders:
            walk(f"{path}/{folder}" if path else folder)

    if storage.exists("evidence"):
        walk("evidence")
    return set(found)


def evidence_url(activity):
    return reverse("training:ce_evidence", args=[activity.pk])


# Logging an activity.


def test_the_page_needs_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_learner_logs_an_activity_with_evidence(learner_client, user, ethics):
    response = learner_client.post(PAGE, entry(ethics, evidence=upload("My certificate.pdf")))
    assert response.status_code == 302
    activity = ContinuingEducationActivity.objects.get()
    assert (activity.learner, activity.hours, activity.category) == (user, Decimal("2.5"), ethics)
    assert activity.evidence_name == "My certificate.pdf"
    # Stored under an unguessable name in the private storage, not under the learner's.
    assert activity.evidence.name.startswith(f"evidence/{user.pk}/")
    assert "certificate" not in activity.evidence.name
    assert storages["private"].exists(activity.evidence.name)
    page = learner_client.get(PAGE).content.decode()
    assert "Activity logged" in page
    assert evidence_url(activity) in page


def test_evidence_is_optional(learner_client, ethics):
    assert learner_client.post(PAGE, entry(ethics)).status_code == 302
    activity = ContinuingEducationActivity.objects.get()
    assert not activity.evidence and activity.evidence_name == ""


@pytest.mark.parametrize(
    "name, content", [("scan.png", PNG), ("photo.JPG", JPEG), ("photo.jpeg", JPEG)]
)
def test_png_and_jpeg_evidence_is_accepted(learner_client, ethics, name, content):
    assert (
        learner_client.post(PAGE, entry(ethics, evidence=upload(name, content))).status_code == 302
    )
    assert ContinuingEducationActivity.objects.get().evidence_name == name


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"date": (TODAY + datetime.timedelta(days=1)).isoformat()}, "has not happened yet"),
        ({"date": "31/02/2026"}, "Enter a valid date"),
        ({"date": "99999-01-01"}, "Enter a valid date"),
        ({"date": ""}, "This field is required"),
        ({"hours": "0"}, "greater than or equal to 0.5"),
        ({"hours": "-3"}, "greater than or equal to 0.5"),
        ({"hours": "100.5"}, "less than or equal to 100"),
        ({"hours": "99999999999999999999"}, "no more than 4 digits"),
        ({"hours": "1.25"}, "decimal place"),
        ({"hours": "NaN"}, "Enter a number"),
        ({"hours": "lots"}, "Enter a number"),
        ({"category": ""}, "This field is required"),
        ({"category": "999999999999999999999"}, "Choose a category from the list"),
        ({"category": "ethics"}, "Choose a category from the list"),
        ({"title": ""}, "This field is required"),
        ({"provider": "x" * 500}, "at most 120 characters"),
    ],
)
def test_bad_activities_are_refused_with_a_message(learner_client, ethics, overrides, message):
    response = learner_client.post(PAGE, entry(ethics, **overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not ContinuingEducationActivity.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("notes.docx", b"PK\x03\x04 word document", "Upload a PDF, PNG or JPEG"),
        ("page.html", b"<html><script>alert(1)</script>", "Upload a PDF, PNG or JPEG"),
        ("no-extension", PDF, "Upload a PDF, PNG or JPEG"),
        ("certificate.pdf", b"<html><script>alert(1)</script>", "not the PDF, PNG or JPEG"),
        ("certificate.pdf", PNG, "not the PDF, PNG or JPEG"),
        ("photo.png", JPEG, "not the PDF, PNG or JPEG"),
        ("empty.pdf", b"", "The submitted file is empty"),
        ("huge.pdf", PDF + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_kept(
    learner_client, ethics, name, content, message
):
    files_before = private_files()
    response = learner_client.post(PAGE, entry(ethics, evidence=upload(name, content)))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ContinuingEducationActivity.objects.exists()
    assert private_files() == files_before


def test_evidence_of_exactly_5_mb_is_accepted(learner_client, ethics):
    content = PDF + b"0" * (5 * 1024 * 1024 - len(PDF))
    assert (
        learner_client.post(PAGE, entry(ethics, evidence=upload("big.pdf", content))).status_code
        == 302
    )


def test_a_long_file_name_is_shortened_and_keeps_its_extension(learner_client, ethics):
    name = "Certificate of attendance " + "x" * 200 + ".PDF"
    learner_client.post(PAGE, entry(ethics, evidence=upload(name)))
    stored = ContinuingEducationActivity.objects.get().evidence_name
    assert len(stored) == 120
    assert stored.startswith("Certificate of attendance xxx") and stored.endswith("x.PDF")


@pytest.mark.parametrize(
    "original, cleaned",
    [
        ("C:\\Users\\sam\\Desktop\\cert.pdf", "cert.pdf"),
        ("../../etc/cert.pdf", "cert.pdf"),
        ("line\r\nbreak\x00.pdf", "linebreak.pdf"),
        ("  spaced   out  .png", "spaced out.png"),
        ("...hidden.pdf", "hidden.pdf"),
        (".pdf", "evidence.pdf"),
        ("Zertifikat für Ethik.pdf", "Zertifikat für Ethik.pdf"),
    ],
)
def test_the_original_file_name_is_cleaned(original, cleaned):
    assert clean_evidence_name(original) == cleaned


def test_without_categories_the_page_asks_the_administrators(learner_client):
    page = learner_client.get(PAGE).content.decode()
    assert "have not set any up yet" in page
    assert 'name="title"' not in page


# The list.


def test_the_empty_state_explains_what_counts_and_why_to_keep_evidence(learner_client, ethics):
    page = learner_client.get(PAGE).content.decode()
    assert "You have not logged any continuing education yet" in page
    assert "What counts" in page and "Why keep evidence" in page


def test_only_the_learners_own_activities_are_listed(learner_client, user, ethics):
    ContinuingEducationActivityFactory(learner=user, title="Mine", category=ethics)
    ContinuingEducationActivityFactory(title="Someone else's", category=ethics)
    page = learner_client.get(PAGE).content.decode()
    assert "Mine" in page and "Someone else&#x27;s" not in page


def test_activities_are_newest_first_twenty_to_a_page(learner_client, user, ethics):
    for days in range(25):
        ContinuingEducationActivityFactory(
            learner=user,
            category=ethics,
            title=f"Activity {days:02d} days ago",
            date=TODAY - datetime.timedelta(days=days),
        )
    first = learner_client.get(PAGE).context["activities"]
    assert [a.title for a in first][:2] == ["Activity 00 days ago", "Activity 01 days ago"]
    assert len(first) == 20 and first.paginator.num_pages == 2
    second = learner_client.get(PAGE, {"page": 2}).context["activities"]
    assert [a.title for a in second][-1] == "Activity 24 days ago"


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "9" * 40, "1.5", ""])
def test_bad_page_numbers_show_a_page(learner_client, user, ethics, page):
    ContinuingEducationActivityFactory(learner=user, category=ethics)
    response = learner_client.get(PAGE, {"page": page})
    assert response.status_code == 200


def test_hours_are_totalled_per_category(learner_client, user, ethics):
    safeguarding = ContinuingEducationCategoryFactory(name="Safeguarding")
    ContinuingEducationActivityFactory(learner=user, category=ethics, hours=Decimal("1.5"))
    ContinuingEducationActivityFactory(learner=user, category=ethics, hours=Decimal("2"))
    ContinuingEducationActivityFactory(learner=user, category=safeguarding, hours=Decimal("6"))
    ContinuingEducationActivityFactory(category=ethics, hours=Decimal("50"))  # someone else's
    context = learner_client.get(PAGE).context
    assert [(row["category__name"], row["hours"]) for row in context["per_category"]] == [
        ("Ethics", Decimal("3.5")),
        ("Safeguarding", Decimal("6")),
    ]
    assert context["total_hours"] == Decimal("9.5")


def test_the_page_needs_the_same_queries_for_one_activity_or_many(learner_client, user, ethics):
    ContinuingEducationActivityFactory(learner=user, category=ethics)
    learner_client.get(PAGE)  # the first request of a site creates its settings rows
    with CaptureQueriesContext(connection) as one:
        learner_client.get(PAGE)
    for _ in range(15):
        ContinuingEducationActivityFactory(learner=user, with_evidence=True)
    with CaptureQueriesContext(connection) as many:
        learner_client.get(PAGE)
    assert len(many) == len(one)


def test_other_methods_are_not_allowed(learner_client):
    assert learner_client.put(PAGE).status_code == 405
    assert learner_client.delete(PAGE).status_code == 405


# Deleting.


def test_delete_asks_first_then_deletes_the_activity_and_its_file(
    learner_client, user, django_capture_on_commit_callbacks
):
    activity = ContinuingEducationActivityFactory(learner=user, with_evidence=True)
    stored = activity.evidence.name
    url = reverse("training:ce_delete", args=[activity.pk])
    page = learner_client.get(url)
    assert page.status_code == 200 and "Delete this activity?" in page.content.decode()
    assert ContinuingEducationActivity.objects.filter(pk=activity.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post(url)
    assert response.status_code == 302 and response["Location"] == PAGE
    assert not ContinuingEducationActivity.objects.exists()
    assert not storages["private"].exists(stored)


def test_someone_elses_activity_cannot_be_deleted(learner_client):
    activity = ContinuingEducationActivityFactory(with_evidence=True)
    url = reverse("training:ce_delete", args=[activity.pk])
    assert learner_client.get(url).status_code == 404
    assert learner_client.post(url).status_code == 404
    assert ContinuingEducationActivity.objects.filter(pk=activity.pk).exists()
    assert storages["private"].exists(activity.evidence.name)


@pytest.mark.parametrize("activity_id", [0, 999999, 2**63, 10**30])
def test_deleting_an_unknown_activity_is_a_404(learner_client, activity_id):
    url = reverse("training:ce_delete", args=[activity_id])
    assert learner_client.post(url).status_code == 404


def test_delete_needs_get_or_post(learner_client, user):
    activity = ContinuingEducationActivityFactory(learner=user)
    url = reverse("training:ce_delete", args=[activity.pk])
    assert learner_client.put(url).status_code == 405
    assert learner_client.delete(url).status_code == 405
    assert ContinuingEducationActivity.objects.filter(pk=activity.pk).exists()


# The evidence download.


def test_the_learner_downloads_their_evidence_as_an_attachment(learner_client, user):
    activity = ContinuingEducationActivityFactory(learner=user, with_evidence=True)
    response = learner_client.get(evidence_url(activity))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="attendance.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_download_keeps_a_non_ascii_file_name(learner_client, ethics):
    learner_client.post(PAGE, entry(ethics, evidence=upload("Zertifikat für Ethik.png", PNG)))
    response = learner_client.get(evidence_url(ContinuingEducationActivity.objects.get()))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''Zertifikat")


@pytest.mark.parametrize(
    "visitor",
    [
        {},
        {"is_staff": True},
        # The permission without staff status is not enough either.
        {"permission": "view_continuingeducationactivity"},
    ],
)
def test_nobody_else_learns_the_evidence_exists(client, visitor):
    activity = ContinuingEducationActivityFactory(with_evidence=True)
    permission = visitor.pop("permission", None)
    visitor = UserFactory(**visitor)
    if permission:
        visitor.user_permissions.add(Permission.objects.get(codename=permission))
    client.force_login(visitor)
    missing = reverse("training:ce_evidence", args=[activity.pk + 1000])
    assert client.get(evidence_url(activity)).status_code == 404
    assert client.get(missing).status_code == 404


def test_staff_allowed_to_view_activities_download_evidence(client):
    organisation = OrganisationFactory()
    activity = ContinuingEducationActivityFactory(with_evidence=True)
    OrganisationMembership.objects.create(user=activity.learner, organisation=organisation)
    reviewers = Group.objects.create(name="Renewal reviewers")
    reviewers.permissions.add(Permission.objects.get(codename="view_continuingeducationactivity"))
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(reviewers)
    add_editor(organisation, reviewer)
    client.force_login(reviewer)
    response = client.get(evidence_url(activity))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_an_activity_without_evidence_or_with_its_file_gone_is_a_404(learner_client, user):
    without = ContinuingEducationActivityFactory(learner=user)
    assert learner_client.get(evidence_url(without)).status_code == 404
    gone = ContinuingEducationActivityFactory(learner=user, with_evidence=True)
    storages["private"].delete(gone.evidence.name)
    assert learner_client.get(evidence_url(gone)).status_code == 404


@pytest.mark.parametrize("activity_id", [0, 2**63, 10**30])
def test_unknown_evidence_ids_are_a_404(learner_client, activity_id):
    response = learner_client.get(reverse("training:ce_evidence", args=[activity_id]))
    assert response.status_code == 404


def test_evidence_needs_login_and_get(client, user):
    activity = ContinuingEducationActivityFactory(learner=user, with_evidence=True)
    assert client.get(evidence_url(activity)).status_code == 302
    client.force_login(user)
    assert client.post(evidence_url(activity)).status_code == 405


# The administrators' screens.


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


CATEGORY_URL = "wagtailsnippets_peerpath_training_continuingeducationcategory:{}"


def test_administrators_add_categories(admin_client):
    response = admin_client.post(
        reverse(CATEGORY_URL.format("add")), {"name": "Ethics", "description": "Codes, consent"}
    )
    assert response.status_code == 302
    assert ContinuingEducationCategory.objects.get().name == "Ethics"


@pytest.mark.parametrize("name", ["Ethics", "ethics", "  ETHICS "])
def test_a_category_name_is_unique_with_a_clear_error(admin_client, ethics, name):
    response = admin_client.post(reverse(CATEGORY_URL.format("add")), {"name": name})
    assert response.status_code == 200
    assert "There is already a category called “Ethics”" in response.content.decode()
    assert ContinuingEducationCategory.objects.count() == 1


def test_a_category_in_use_is_not_deleted_and_the_admin_says_why(admin_client, ethics):
    ContinuingEducationActivityFactory(category=ethics)
    url = reverse(CATEGORY_URL.format("delete"), args=[ethics.pk])
    for method in (admin_client.get, admin_client.post):
        response = method(url, follow=True)
        assert response.status_code == 200
        assert "Ethics cannot be deleted" in response.content.decode()
    assert ContinuingEducationCategory.objects.filter(pk=ethics.pk).exists()


def test_a_category_a_requirement_counts_is_not_deleted(admin_client, ethics):
    programme = make_programme(ensure_home_page())
    ProgrammeRequirement.objects.create(
        programme=programme, kind="ce_hours", minimum=Decimal("6"), category=ethics
    )
    response = admin_client.post(reverse(CATEGORY_URL.format("delete"), args=[ethics.pk]))
    assert response.status_code == 302
    assert ContinuingEducationCategory.objects.filter(pk=ethics.pk).exists()


def test_bulk_deleting_categories_in_use_is_refused_with_a_message(admin_client, ethics):
    unused = ContinuingEducationCategoryFactory(name="Unused")
    ContinuingEducationActivityFactory(category=ethics)
    url = reverse(
        "wagtail_bulk_action", args=["peerpath_training", "continuingeducationcategory", "delete"]
    )
    response = admin_client.post(f"{url}?id={ethics.pk}&id={unused.pk}", follow=True)
    assert response.status_code == 200
    assert "Ethics cannot be deleted" in response.content.decode()
    assert ContinuingEducationCategory.objects.count() == 2


def test_an_unused_category_is_deleted(admin_client):
    unused = ContinuingEducationCategoryFactory(name="Unused")
    response = admin_client.post(reverse(CATEGORY_URL.format("delete"), args=[unused.pk]))
    assert response.status_code == 302
    assert not ContinuingEducationCategory.objects.exists()


def test_the_admin_lists_activities_with_a_link_to_the_protected_evidence(admin_client):
    learner = UserFactory(first_name="Robin", last_name="Okafor", email="robin@example.org")
    activity = ContinuingEducationActivityFactory(
        learner=learner, title="Grief and loss", with_evidence=True
    )
    page = admin_client.get(reverse("ce_activities:index")).content.decode()
    assert "Grief and loss" in page and "Robin Okafor" in page
    assert f'href="{evidence_url(activity)}"' in page
    assert "attendance.pdf" in page


@pytest.mark.parametrize("query", ["Robin Okafor", "okafor", "robin@example", "grief"])
def test_the_admin_searches_activities_by_learner_and_title(admin_client, query):
    learner = UserFactory(first_name="Robin", last_name="Okafor", email="robin@example.org")
    ContinuingEducationActivityFactory(learner=learner, title="Grief and loss")
    ContinuingEducationActivityFactory(title="Motivational interviewing")
    response = admin_client.get(reverse("ce_activities:index"), {"q": query})
    titles = [activity.title for activity in response.context["object_list"]]
    assert titles == ["Grief and loss"]


def test_the_admin_filters_activities_by_category_and_date(admin_client, ethics):
    ContinuingEducationActivityFactory(category=ethics, title="In range", date=TODAY)
    ContinuingEducationActivityFactory(
        category=ethics, title="Too old", date=TODAY - datetime.timedelta(days=400)
    )
    ContinuingEducationActivityFactory(title="Other category", date=TODAY)
    since = (TODAY - datetime.timedelta(days=30)).isoformat()
    response = admin_client.get(
        reverse("ce_activities:index"), {"category": ethics.pk, "date_after": since}
    )
    assert [a.title for a in response.context["object_list"]] == ["In range"]


@pytest.mark.parametrize(
    "params", [{"category": "x"}, {"date_after": "not a date"}, {"p": "abc"}, {"ordering": "evil"}]
)
def test_bad_admin_filters_do_not_fail(admin_client, params):
    ContinuingEducationActivityFactory()
    assert admin_client.get(reverse("ce_activities:index"), params).status_code == 200


def test_nobody_adds_edits_or_deletes_activities_in_the_admin(admin_client):
    activity = ContinuingEducationActivityFactory()
    home = reverse("wagtailadmin_home")
    for url in (
        reverse("ce_activities:add"),
        reverse("ce_activities:edit", args=[activity.pk]),
        reverse("ce_activities:delete", args=[activity.pk]),
    ):
        assert admin_client.get(url)["Location"] == home, url
        assert admin_client.post(url)["Location"] == home, url
    assert ContinuingEducationActivity.objects.filter(pk=activity.pk).exists()


def test_staff_with_the_view_permission_see_the_listing(client):
    organisation = OrganisationFactory()
    activity = ContinuingEducationActivityFactory(title="Grief and loss")
    OrganisationMembership.objects.create(user=activity.learner, organisation=organisation)
    reviewer = UserFactory(is_staff=True)
    add_editor(organisation, reviewer)
    reviewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_continuingeducationactivity"),
    )
    client.force_login(reviewer)
    response = client.get(reverse("ce_activities:index"))
    assert response.status_code == 200 and "Grief and loss" in response.content.decode()


# Personal data.


def test_activities_and_evidence_files_are_exported(user, ethics):
    with_file = ContinuingEducationActivityFactory(
        learner=user, category=ethics, with_evidence=True
    )
    without = ContinuingEducationActivityFactory(
        learner=user, category=ethics, date=TODAY - datetime.timedelta(days=30)
    )
    ContinuingEducationActivityFactory(with_evidence=True)  # someone else's
    contribution = privacy.export_personal_data(user)
    records = contribution["data"]["continuing_education"]
    assert [r["title"] for r in records] == [without.title, with_file.title]
    assert records[0]["evidence_file"] is None
    assert records[1]["category"] == "Ethics" and records[1]["hours"] == "3.0"
    name = f"continuing_education/{with_file.pk}-attendance.pdf"
    assert records[1]["evidence_file"] == name
    assert contribution["files"] == [(name, b"%PDF-1.4\nattended\n%%EOF\n")]


def test_an_evidence_file_that_has_gone_is_listed_but_not_exported(user):
    activity = ContinuingEducationActivityFactory(learner=user, with_evidence=True)
    storages["private"].delete(activity.evidence.name)
    contribution = privacy.export_personal_data(user)
    (record,) = contribution["data"]["continuing_education"]
    assert record["evidence_name"] == "attendance.pdf" and record["evidence_file"] is None
    assert contribution["files"] == []


def test_the_export_archive_holds_the_evidence(learner_client, user):
    activity = ContinuingEducationActivityFactory(learner=user, with_evidence=True)
    response = learner_client.post(reverse("accounts:my_data"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    name = f"continuing_education/{activity.pk}-attendance.pdf"
    assert archive.read(name).startswith(b"%PDF")
    data = json.loads(archive.read("data.json"))
    assert data["continuing_education"][0]["evidence_file"] == name


def test_erasure_deletes_activities_and_their_files(user, django_capture_on_commit_callbacks):
    mine = ContinuingEducationActivityFactory(learner=user, with_evidence=True)
    ContinuingEducationActivityFactory(learner=user)
    theirs = ContinuingEducationActivityFactory(with_evidence=True)
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(user)
    assert list(ContinuingEducationActivity.objects.all()) == [theirs]
    assert not storages["private"].exists(mine.evidence.name)
    assert storages["private"].exists(theirs.evidence.name)
    assert ContinuingEducationCategory.objects.exists()  # the categories are not personal


def test_a_rolled_back_erasure_keeps_the_files(user, django_capture_on_commit_callbacks):
    from django.db import transaction

    activity = ContinuingEducationActivityFactory(learner=user, with_evidence=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            privacy.erase_personal_data(user)
            raise RuntimeError("something later in the erasure failed")
    assert callbacks == []
    assert ContinuingEducationActivity.objects.filter(pk=activity.pk).exists()
    assert storages["private"].exists(activity.evidence.name)


def test_deleting_the_account_in_the_admin_removes_evidence_files(
    user, django_capture_on_commit_callbacks
):
    activity = ContinuingEducationActivityFactory(learner=user, with_evidence=True)
    storage, name = activity.evidence.storage, activity.evidence.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        user.delete()  # what the Wagtail users admin does
    assert not storage.exists(name)


def test_a_rolled_back_deletion_keeps_the_evidence_file(user):
    from django.db import transaction

    activity = ContinuingEducationActivityFactory(learner=user, with_evidence=True)
    storage, name = activity.evidence.storage, activity.evidence.name
    try:
        with transaction.atomic():
            activity.delete()
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert storage.exists(name)


def test_the_export_records_restarts(user, home_page):
    from peerpath.training.models import Enrolment
    from peerpath.training.privacy import export_personal_data
    from tests.certificates.factories import make_programme

    Enrolment.objects.create(
        user=user, programme=make_programme(home_page, code="XPRT"), restart_count=1
    )
    (row,) = export_personal_data(user)["data"]["enrolments"]
    assert row["restart_count"] == 1 and "restarted_at" in row


def test_without_a_private_storage_evidence_goes_beside_media_root_not_under_it(settings, tmp_path):
    from pathlib import Path

    from peerpath.training.models import fallback_private_storage, private_storage

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {k: v for k, v in settings.STORAGES.items() if k != "private"}
    del settings.PRIVATE_MEDIA_ROOT
    fallback_private_storage.cache_clear()
    try:
        storage = private_storage()
        assert Path(storage.location) == tmp_path / "private-media"
    finally:
        fallback_private_storage.cache_clear()
