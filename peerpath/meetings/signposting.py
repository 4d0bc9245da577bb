"""Where facilitators point people for more help: each organisation's signposting categories
(counted in debriefs) and its local services (shown to its facilitators beside the site-wide
crisis lines, `peerpath.models.CrisisSignposting`).

Every organisation starts with `DEFAULT_SIGNPOSTING_CATEGORIES` when it is set up
(`organisations.setup` sends `organisation_set_up`); its staff edit the list in the admin.
"""

from django.utils.translation import gettext

from peerpath.organisations.models import Organisation
from peerpath.organisations.signals import organisation_set_up

from .models import DEFAULT_SIGNPOSTING_CATEGORIES, LocalService, SignpostingCategory


def give_default_categories(organisation):
    """Give `organisation` the usual signposting categories, if it has none yet."""
    if SignpostingCategory.objects.filter(organisation=organisation).exists():
        return
    SignpostingCategory.objects.bulk_create(
        SignpostingCategory(organisation=organisation, name=gettext(name), sort_order=order)
        for order, name in enumerate(DEFAULT_SIGNPOSTING_CATEGORIES, start=1)
    )


def categories_for(organisation):
    """The categories a debrief of `organisation`'s sessions offers."""
    return SignpostingCategory.objects.filter(organisation=organisation, active=True)


def services_for(organisation):
    """`organisation`'s local services, in its order."""
    return LocalService.objects.filter(organisation=organisation)


def on_organisation_set_up(sender, organisation, **kwargs):
    give_default_categories(organisation)


def connect():
    organisation_set_up.connect(
        on_organisation_set_up,
        sender=Organisation,
        dispatch_uid="peerpath.meetings.signposting.on_organisation_set_up",
    )
