"""Organisations for tests, set up as the admin would."""

import factory

from peerpath.organisations.models import Organisation
from peerpath.organisations.setup import set_up_organisation


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation, set up (index page, group, collections) as the admin would."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community Group {n}")
    slug = factory.Sequence(lambda n: f"community-group-{n}")
    safeguarding_contact_name = "Safeguarding lead"
    safeguarding_email = factory.LazyAttribute(lambda o: f"safeguarding@{o.slug}.example")

    @factory.post_generation
    def set_up(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            set_up_organisation(obj)
            obj.refresh_from_db()
