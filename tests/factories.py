"""factory-boy factories shared by the whole suite."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from peerpath.accounts.models import Profile

DEFAULT_PASSWORD = "correct-horse-battery-staple"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    """A learner with a profile whose e-mail address is confirmed, as after following the link.

    `UserFactory(email_confirmed=False)` makes one who has not confirmed it yet.
    """

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"learner{n}@example.org")
    username = factory.SelfAttribute("email")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            Profile.objects.get_or_create(
                user=obj, defaults={"certificate_name": f"{obj.first_name} {obj.last_name}"}
            )

    @factory.post_generation
    def email_confirmed(obj, create, extracted, **kwargs):
        # Written directly (not through peerpath.accounts.verification.mark_confirmed) so that making a
        # user never announces a confirmation and issues pending certificates as a side effect.
        if create and obj.email and extracted is not False:
            Profile.objects.filter(user=obj).update(
                verified_email=obj.email.lower(), email_verified_at=timezone.now()
            )


class ContinuingEducationCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerpath_training.ContinuingEducationCategory"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Category {n}")


class ContinuingEducationActivityFactory(factory.django.DjangoModelFactory):
    """A learner's CE activity; `ContinuingEducationActivityFactory(with_evidence=True)` adds a
    small PDF in the private storage, named as the learner's file was."""

    class Meta:
        model = "peerpath_training.ContinuingEducationActivity"

    class Params:
        with_evidence = factory.Trait(
            evidence=factory.django.FileField(
                filename="attendance.pdf", data=b"%PDF-1.4\nattended\n%%EOF\n"
            ),
            evidence_name="attendance.pdf",
        )

    learner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Safeguarding refresher {n}")
    provider = "Riverside Training Co-op"
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    hours = 3
    category = factory.SubFactory(ContinuingEducationCategoryFactory)
