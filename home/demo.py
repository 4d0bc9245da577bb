"""Demo content for the home app: the home page, site settings and the demo accounts.

Every function here is idempotent: running it again updates what it made instead of duplicating it.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Page, Site

from peerpath.accounts.models import Profile
from peerpath.accounts.verification import mark_confirmed
from peerpath.models import CrisisSignposting, OrganisationSettings

from .models import HomePage

DEMO_PASSWORD = "peerpath-demo-2026"  # noqa: S105 - printed by the README's demo command on purpose

DEMO_USERS = {
    "admin": {
        "email": "admin@peerpath.example",
        "name": "Alex Morgan",
        "is_staff": True,
        "is_superuser": True,
    },
    "learner": {"email": "learner@peerpath.example", "name": "Sam Rivera"},
}

HOME_INTRO = (
    "Training and certification for people who run peer support in mental health: "
    "learn online, show what you know, and let anyone check that you are qualified."
)

HOME_BODY = [
    {"type": "heading", "value": {"text": "Why peer support", "level": "h2"}},
    {
        "type": "paragraph",
        "value": (
            "<p>Peer support brings together people who share an experience of mental health "
            "difficulties so they can offer each other emotional, practical and informational help. "
            "Someone who has been there can offer a kind of understanding that a professional "
            "sometimes cannot.</p>"
            "<p>It happens in support groups, in one-to-one mentoring, in online spaces and in "
            "workshops. People who take part often describe feeling less alone, picking up new ways "
            "of coping, and building friendships that last beyond the group.</p>"
        ),
    },
    {"type": "heading", "value": {"text": "Why trained facilitators matter", "level": "h2"}},
    {
        "type": "paragraph",
        "value": (
            "<p>Not every peer support programme is run well. Groups do best when they are led by "
            "trained facilitators who keep the space safe, hold clear personal boundaries, challenge "
            "stigma inside the group, and know when someone needs professional help.</p>"
        ),
    },
    {
        "type": "features",
        "value": {
            "items": [
                {
                    "title": "Learn",
                    "text": "Work through short training modules at your own pace and check "
                    "what you have learned as you go.",
                    "link": None,
                },
                {
                    "title": "Get certified",
                    "text": "Agree to the facilitators' code of conduct and receive a certificate "
                    "with a code that anyone can verify.",
                    "link": None,
                },
                {
                    "title": "Facilitate",
                    "text": "Certified facilitators open session plans, facilitator notes and "
                    "safety protocols for the groups they run.",
                    "link": None,
                },
            ]
        },
    },
    {
        "type": "callout",
        "value": {
            "tone": "important",
            "title": "PeerPath is not a crisis service",
            "text": "<p>If you or someone you support is in danger, use the help lines at the "
            "bottom of every page.</p>",
        },
    },
]

CRISIS_LINKS = [
    {
        "type": "link",
        "value": {
            "label": "Emergency services",
            "url": "",
            "phone": "999",
            "note": "Demo number (UK). Replace with the emergency number where your groups meet.",
        },
    },
    {
        "type": "link",
        "value": {
            "label": "Samaritans (UK and Ireland, 24 hours)",
            "url": "https://www.samaritans.org/",
            "phone": "116 123",
            "note": "",
        },
    },
    {
        "type": "link",
        "value": {
            "label": "988 Suicide & Crisis Lifeline (US)",
            "url": "https://988lifeline.org/",
            "phone": "988",
            "note": "",
        },
    },
]


def ensure_person(spec, password=DEMO_PASSWORD):
    """Create or refresh a demo account (`spec`: email, name, optional is_staff/is_superuser)
    and the name printed on its certificates. Every app's demo loader makes its people with this."""
    User = get_user_model()
    first, _sep, last = spec["name"].partition(" ")
    user, created = User.objects.update_or_create(
        username=spec["email"],
        defaults={
            "email": spec["email"],
            "first_name": first,
            "last_name": last,
            "is_staff": spec.get("is_staff", False),
            "is_superuser": spec.get("is_superuser", False),
            "is_active": True,
        },
    )
    if created or not user.has_usable_password():
        # Hashing is deliberately slow (~0.4 s): only for new accounts, so a second load is quick
        # and a password someone changed is left alone.
        user.set_password(password)
        user.save(update_fields=["password"])
    Profile.objects.update_or_create(user=user, defaults={"certificate_name": spec["name"]})
    # Demo addresses cannot receive mail; treat them as confirmed so certificates can be issued.
    mark_confirmed(user)
    return user


def ensure_user(key, password=DEMO_PASSWORD):
    """Create or refresh one of the site's own demo accounts (see DEMO_USERS)."""
    return ensure_person(DEMO_USERS[key], password)


def ensure_home_page():
    """Make a HomePage the root of the default site, replacing Wagtail's welcome page.

    Creates the page only when there is none, so re-running never overwrites an editor's work.
    """
    root = Page.get_first_root_node()
    home = HomePage.objects.child_of(root).first()
    placeholders = [
        page
        for page in Page.objects.child_of(root).filter(depth=2)
        if page.specific_class is Page and not page.get_children().exists()
    ]
    for page in placeholders:
        # Free the "home" slug; the page goes once the site points at the real home page.
        Page.objects.filter(pk=page.pk).update(slug=f"welcome-{page.pk}")
    if home is None:
        home = HomePage(title="Peer support, done well", slug="home", intro=HOME_INTRO)
        home.body = HOME_BODY
        root.add_child(instance=home)
        home.save_revision().publish()
    # An existing home page is left as editors made it.

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="PeerPath",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "PeerPath"
        site.save()

    # Wagtail's placeholder welcome page has no purpose once the home page exists.
    for page in placeholders:
        Page.objects.get(pk=page.pk).delete()
    return HomePage.objects.get(pk=home.pk)


def ensure_settings(site):
    organisation = OrganisationSettings.for_site(site)
    organisation.name = "PeerPath Demo Network"
    organisation.website = ""
    organisation.contact_email = "training@peerpath.example"
    organisation.about = (
        "A demonstration network of community peer-support groups that trains and certifies its "
        "volunteer facilitators with PeerPath."
    )
    organisation.save()

    crisis = CrisisSignposting.for_site(site)
    crisis.heading = "Need help now?"
    crisis.text = (
        "<p>PeerPath is a training site, not a crisis service. If you or someone you are "
        "supporting is in immediate danger, call your local emergency number now.</p>"
    )
    crisis.links = CRISIS_LINKS
    crisis.save()


@transaction.atomic
def load(stdout=None):
    home = ensure_home_page()
    ensure_settings(Site.objects.get(is_default_site=True))
    ensure_user("admin")
    ensure_user("learner")
    return home
