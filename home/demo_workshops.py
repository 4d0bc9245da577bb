"""Demo content for workshops: two organisations, their editors, four workshops and documents.

Idempotent: organisations and editors are refreshed, and workshops and documents are created only
when missing, so running `load_demo` again changes nothing an editor has done since.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from weasyprint import HTML

from home.demo import ensure_person
from peerpath.organisations.models import Organisation
from peerpath.organisations.setup import add_editor, set_up_organisation
from peerpath.training.models import ProgrammePage
from peerpath.workshops.models import WorkshopPage

ORGANISATIONS = [
    {
        "slug": "riverside",
        "name": "Riverside Peer Support",
        "website": "https://riverside.example",
        "about": (
            "A volunteer-led charity running peer support groups for adults living with anxiety, "
            "low mood and loneliness in the river towns. Every group is led by two trained "
            "facilitators who have their own lived experience."
        ),
        "safeguarding_contact_name": "Dana Whitfield, safeguarding lead",
        "safeguarding_email": "safeguarding@riverside.example",
        "safeguarding_phone": "01632 960 123",
        "editor": {"email": "editor@riverside.example", "name": "Rowan Hughes"},
    },
    {
        "slug": "northside",
        "name": "Northside Wellbeing Collective",
        "website": "https://northside.example",
        "about": (
            "A peer-run collective offering one-to-one mentoring for young adults and an online "
            "group for carers, so that people can find support from home."
        ),
        "safeguarding_contact_name": "Kofi Mensah, safeguarding lead",
        "safeguarding_email": "safeguarding@northside.example",
        "safeguarding_phone": "",
        "editor": {"email": "editor@northside.example", "name": "Amara Okafor"},
    },
]


def _step(minutes, title, activity, notes):
    return {
        "type": "step",
        "value": {
            "minutes": minutes,
            "title": title,
            "participant_activity": activity,
            "facilitator_notes": notes,
        },
    }


def _items(kind, texts):
    return [{"type": kind, "value": text} for text in texts]


# Documents: (title, file type, text). Participant ones are public; facilitator ones are filed in
# the organisation's facilitator-only collection and linked as facilitator materials.
DOCUMENTS = {
    "agreements-card": (
        "Group agreements card",
        "pdf",
        "Our group agreements\n"
        "What is shared in the group stays in the group.\n"
        "One person speaks at a time; everyone may pass.\n"
        "We talk about our own experience and do not give orders.\n"
        "We can leave the room at any time and come back when ready.",
    ),
    "coping-swap": (
        "Coping strategies swap sheet",
        "txt",
        "Coping strategies swap sheet\n\n"
        "Write down one thing that helped you this month, however small. At the end of the "
        "session we swap sheets, so everyone leaves with an idea from someone who has been there.",
    ),
    "warning-signs": (
        "Warning signs and responses",
        "pdf",
        "Facilitator only: warning signs and responses\n"
        "Someone talks about having no way out, or being a burden: stay calm, ask directly about "
        "suicide, and follow the crisis steps.\n"
        "Someone is very withdrawn: offer a quiet word at the break, not in front of the group.\n"
        "Someone dominates: thank them, and bring the round back to the next person.",
    ),
    "boundaries-worksheet": (
        "My boundaries worksheet",
        "txt",
        "My boundaries worksheet\n\n"
        "1. Things I am happy to offer as a peer supporter.\n"
        "2. Things I will not do (for example, lend money or be on call at night).\n"
        "3. Signs that I am running on empty.\n"
        "4. Three things that restore me.",
    ),
    "debrief-guide": (
        "Facilitator debrief guide",
        "txt",
        "Facilitator only: debrief guide\n\n"
        "After every session, co-facilitators spend ten minutes together: what went well, what "
        "was hard, is anyone we are worried about, and does anything need passing to the "
        "safeguarding lead today.",
    ),
    "mentoring-agreement": (
        "Mentoring agreement",
        "pdf",
        "Mentoring agreement\n"
        "We meet for up to six sessions of one hour.\n"
        "Your mentor shares their experience when it helps you, and is not a therapist.\n"
        "What you say stays between you, unless someone is at risk of serious harm.",
    ),
    "mentor-supervision": (
        "Mentor supervision checklist",
        "txt",
        "Facilitator only: mentor supervision checklist\n\n"
        "Bring to supervision: any disclosure of risk, any request outside the agreement, any "
        "session that left you unsettled, and your own wellbeing score for the month.",
    ),
    "online-etiquette": (
        "Online group guide for members",
        "txt",
        "Online group guide for members\n\n"
        "Find a private spot if you can. Cameras are optional. Use the raise-hand button to speak. "
        "If you need to leave suddenly, send the host a message so we know you are safe.",
    ),
    "online-safety": (
        "Online safety: when someone goes quiet",
        "pdf",
        "Facilitator only: when someone goes quiet online\n"
        "If a member who seemed distressed leaves the call or stops responding, the co-host sends "
        "a private message straight away. If there is no reply within five minutes and you have "
        "reason to fear for their safety, use the emergency contact they gave at sign-up.",
    ),
}

WORKSHOPS = [
    {
        "organisation": "riverside",
        "slug": "tuesday-evening-group",
        "title": "Tuesday evening peer support group",
        "summary": (
            "A weekly group for adults living with anxiety or low mood: a place to be heard "
            "without judgement and to swap what helps."
        ),
        "format": WorkshopPage.Format.SUPPORT_GROUP,
        "audience": WorkshopPage.Audience.LIVED_EXPERIENCE,
        "duration_minutes": 90,
        "group_size_min": 4,
        "group_size_max": 12,
        "content_notes": (
            "Members may talk about depression, anxiety, self-harm and thoughts of suicide."
        ),
        "objectives": _items(
            "objective",
            [
                "Feel less alone by meeting people who understand from the inside.",
                "Pick up coping strategies that have worked for others.",
                "Build friendships that carry on between sessions.",
            ],
        ),
        "session_plan": [
            _step(
                10,
                "Arrival and welcome",
                "Tea, name badges and a chance to settle in.",
                "One facilitator greets at the door; the other watches the room for anyone new "
                "or hesitant and sits with them.",
            ),
            _step(
                15,
                "Check-in round",
                "Each person says their name and one word for their week. Anyone may pass.",
                "Model a short, honest answer first. If someone's word worries you (for example "
                "'hopeless'), note it and check in privately at the break.",
            ),
            _step(
                45,
                "Open sharing",
                "Members take turns to talk about what is on their mind; others listen.",
                "Keep the focus on lived experience, not advice. If someone mentions thoughts of "
                "suicide, acknowledge it calmly and follow the crisis steps; do not move on.",
            ),
            _step(
                15,
                "Coping strategies swap",
                "Everyone shares one thing that helped this week, however small.",
                "Gently challenge anything unsafe (for example drinking to cope) without shaming.",
            ),
            _step(
                5,
                "Closing round",
                "One thing each person will take away.",
                "Remind everyone of the crisis numbers in the handout. Debrief together afterwards.",
            ),
        ],
        "group_agreements": _items(
            "agreement",
            [
                "What is shared in the group stays in the group.",
                "One person speaks at a time, and anyone may pass.",
                "We share our own experience rather than tell others what to do.",
                "We respect that everyone's struggles are different and none is too small.",
            ],
        ),
        "safety_protocol": (
            "<p>If anyone is at immediate risk, one facilitator stays with them while the other "
            "calls the emergency services.</p><ol><li>Ask directly and calmly whether they are "
            "thinking about suicide.</li><li>Do not leave them alone; move to a quiet room with "
            "their agreement.</li><li>Agree a safety plan: who they will contact tonight and "
            "which crisis line they will call.</li><li>Tell the safeguarding lead the same "
            "day.</li></ol>"
        ),
        "participant_documents": ["agreements-card", "coping-swap"],
        "facilitator_documents": ["warning-signs", "debrief-guide"],
    },
    {
        "organisation": "riverside",
        "slug": "boundaries-and-self-care",
        "title": "Boundaries and self-care for peer supporters",
        "summary": (
            "A half-day workshop on holding personal boundaries, noticing burnout early and "
            "knowing when to point someone towards professional help."
        ),
        "format": WorkshopPage.Format.WORKSHOP,
        "audience": WorkshopPage.Audience.FACILITATORS,
        "duration_minutes": 150,
        "group_size_min": 6,
        "group_size_max": 16,
        "content_notes": "Includes discussion of burnout and of supporting people in crisis.",
        "objectives": _items(
            "objective",
            [
                "Name what you can and cannot offer as a peer supporter.",
                "Spot your own early signs of running on empty.",
                "Practise saying no kindly and signposting to professional help.",
            ],
        ),
        "session_plan": [
            _step(
                20,
                "Why boundaries matter",
                "Short talk and a show of hands: who has said yes when they meant no?",
                "Peer support asks people to be open and vulnerable; frame boundaries as what "
                "keeps that safe, not as distance.",
            ),
            _step(
                40,
                "My boundaries worksheet",
                "Participants complete the worksheet, then compare notes in pairs.",
                "Some participants may disclose that they are struggling; offer a one-to-one "
                "follow-up rather than exploring it in the pair.",
            ),
            _step(
                15,
                "Break",
                "Tea and a stretch.",
                "",
            ),
            _step(
                50,
                "Saying no, kindly",
                "Role-play in threes: a request that goes too far, a kind refusal, a signpost.",
                "Use the scenario cards only. Stop any role-play that starts to mirror a real "
                "situation for the person playing it.",
            ),
            _step(
                20,
                "My self-care plan",
                "Each person writes three things that restore them and one early warning sign.",
                "Close on strengths. Remind supporters that seeking help for themselves is part "
                "of the role.",
            ),
        ],
        "group_agreements": _items(
            "agreement",
            [
                "Examples stay anonymous: no names or identifying details.",
                "Take a break whenever you need one.",
            ],
        ),
        "safety_protocol": (
            "<p>If a participant becomes distressed, pause the activity, offer them a quiet "
            "space with one facilitator, and agree together whether they rejoin. If they "
            "disclose a risk to themselves or others, follow the organisation's crisis steps "
            "and inform the safeguarding lead the same day.</p>"
        ),
        "participant_documents": ["boundaries-worksheet"],
        "facilitator_documents": ["debrief-guide"],
    },
    {
        "organisation": "northside",
        "slug": "one-to-one-mentoring",
        "title": "One-to-one peer mentoring: session guide",
        "summary": (
            "A guide for hour-long mentoring sessions that pair a young adult with a mentor who "
            "has lived through something similar."
        ),
        "format": WorkshopPage.Format.MENTORING,
        "audience": WorkshopPage.Audience.YOUNG_PEOPLE,
        "duration_minutes": 60,
        "group_size_min": 1,
        "group_size_max": 1,
        "content_notes": "",
        "objectives": _items(
            "objective",
            [
                "Offer personal support, guidance and encouragement from someone who gets it.",
                "Agree one small, realistic goal for the coming week.",
            ],
        ),
        "session_plan": [
            _step(
                10,
                "How has the week been?",
                "An open catch-up on what went well and what was hard.",
                "Listen for changes in sleep, eating or contact with friends since last time.",
            ),
            _step(
                30,
                "Focus topic",
                "The mentee chooses what to talk about; the mentor shares their own experience "
                "where it helps.",
                "Share your story only in service of theirs, and briefly. You are a peer, not a "
                "therapist: if they need clinical help, say so and help them find it.",
            ),
            _step(
                15,
                "Small goal",
                "Together, agree one small step for the week ahead.",
                "Keep it achievable. Note the goal in the mentoring record, not the details.",
            ),
            _step(
                5,
                "Close",
                "Confirm the next meeting.",
                "If anything raised concern, contact the safeguarding lead before the end of the "
                "day.",
            ),
        ],
        "group_agreements": _items(
            "agreement",
            [
                "We meet in a public place or online, never at home.",
                "We keep to time and let each other know about changes.",
                "What is said stays between us unless someone is at risk of serious harm.",
            ],
        ),
        "safety_protocol": (
            "<p>Mentors never handle a crisis alone. If the mentee is at immediate risk, call "
            "the emergency services and stay with them. Otherwise, agree who they will contact "
            "today, give them the crisis numbers, and ring the safeguarding lead as soon as "
            "the session ends.</p>"
        ),
        "participant_documents": ["mentoring-agreement"],
        "facilitator_documents": ["mentor-supervision"],
    },
    {
        "organisation": "northside",
        "slug": "thursday-online-group",
        "title": "Thursday online group for carers",
        "summary": (
            "A weekly video group for people caring for someone with a mental health condition, "
            "joined from the comfort of home."
        ),
        "format": WorkshopPage.Format.ONLINE_GROUP,
        "audience": WorkshopPage.Audience.CARERS,
        "duration_minutes": 75,
        "group_size_min": 3,
        "group_size_max": 10,
        "content_notes": "Carers may talk about a loved one's crisis, hospital stays or suicide.",
        "objectives": _items(
            "objective",
            [
                "Connect with other carers without leaving home.",
                "Share practical tips for looking after yourself while caring.",
            ],
        ),
        "session_plan": [
            _step(
                10,
                "Joining and tech check",
                "Members join, test sound and say hello in the chat.",
                "The co-host admits people from the waiting room only if they are on the list.",
            ),
            _step(
                10,
                "Check-in",
                "One word for the week, spoken or typed in the chat.",
                "Watch the chat as well as the faces; some carers only type.",
            ),
            _step(
                40,
                "Sharing",
                "Members talk about how caring is going and what support they have found.",
                "If a member's camera goes off and they stop responding after distressing news, "
                "the co-host follows the 'when someone goes quiet' sheet.",
            ),
            _step(
                10,
                "Closing round",
                "One thing each person will do for themselves this week.",
                "Post the crisis numbers in the chat before ending the call.",
            ),
        ],
        "group_agreements": _items(
            "agreement",
            [
                "No recording or screenshots.",
                "Join from somewhere private if you can; headphones help.",
                "Cameras are optional; kindness is not.",
            ],
        ),
        "safety_protocol": (
            "<p>Every session has a host and a co-host. Members give an emergency contact and "
            "their town when they sign up. If someone may be at risk, the co-host contacts "
            "them privately at once; if you cannot reach them and fear for their safety, call "
            "the emergency services for their area and then the safeguarding lead.</p>"
        ),
        "participant_documents": ["online-etiquette"],
        "facilitator_documents": ["online-safety"],
    },
]


def ensure_editor(spec, organisation):
    """Create or refresh an organisation's demo editor."""
    user = ensure_person(spec)
    add_editor(organisation, user)
    return user


def ensure_organisation(spec):
    """Create or refresh a demo organisation and set it up."""
    fields = {key: value for key, value in spec.items() if key not in {"slug", "editor"}}
    organisation, _created = Organisation.objects.update_or_create(
        slug=spec["slug"], defaults=fields
    )
    set_up_organisation(organisation)
    organisation.refresh_from_db()
    ensure_editor(spec["editor"], organisation)
    return organisation


def _file_content(kind, text):
    if kind == "pdf":
        paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines())
        return HTML(string=f"<html><body>{paragraphs}</body></html>").write_pdf()
    return text.encode()


def ensure_document(key, collection):
    """A demo document in `collection`, created only if none with its title is there."""
    title, kind, text = DOCUMENTS[key]
    Document = get_document_model()
    document = Document.objects.filter(title=title, collection=collection).first()
    if document is None:
        document = Document(title=title, collection=collection)
        document.file.save(f"{key}.{kind}", ContentFile(_file_content(kind, text)), save=False)
        document.save()
    return document


def ensure_workshop(spec, organisations, programme):
    """Create and publish a demo workshop unless its index already has one with that slug."""
    organisation = organisations[spec["organisation"]]
    index = organisation.index_page
    existing = WorkshopPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if existing is not None:
        if existing.programme_id is None and programme is not None:
            # The training demo may have arrived since the first run.
            existing.programme = programme
            existing.save_revision().publish()
        return existing
    fields = {
        key: value
        for key, value in spec.items()
        if key not in {"organisation", "participant_documents", "facilitator_documents"}
    }
    workshop = WorkshopPage(programme=programme, **fields)
    for key in spec["participant_documents"]:
        workshop.participant_materials.add(
            workshop.participant_materials.model(
                document=ensure_document(key, organisation.collection)
            )
        )
    for key in spec["facilitator_documents"]:
        workshop.facilitator_materials.add(
            workshop.facilitator_materials.model(
                document=ensure_document(key, organisation.facilitator_collection)
            )
        )
    index.add_child(instance=workshop)
    workshop.save_revision().publish()
    return workshop


@transaction.atomic
def load(stdout=None):
    organisations = {spec["slug"]: ensure_organisation(spec) for spec in ORGANISATIONS}
    programme = ProgrammePage.objects.filter(credential_code="PSGF").order_by("pk").first()
    if programme is None and stdout is not None:
        stdout.write("  workshops: no PSGF programme yet, so workshops name no programme")
    for spec in WORKSHOPS:
        ensure_workshop(spec, organisations, programme)
    if stdout is not None:
        editors = ", ".join(spec["editor"]["email"] for spec in ORGANISATIONS)
        stdout.write(f"  workshops: organisation editors {editors}")
    return organisations
