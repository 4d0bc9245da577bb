"""Demo content for certification rules: three more programmes, each modelled on a real public
scheme (under names of our own), and demo people at every stage of them.

- **Recovery Peer Specialist** (RPS), modelled on Pennsylvania's Certified Peer Specialist: 75 hours
  of training ending in a final knowledge check, a code of conduct, valid 24 months with a 60-day
  grace period; each renewal needs 36 continuing-education (CE) hours, at least 3 in Ethics and 24
  in Peer support and recovery. Its optional ethics refresher counts as CE.
- **Peer Wellness Facilitator** (PWF), modelled on Georgia's Certified Peer Specialist: three
  attempts at each knowledge check, all to be passed within 365 days of enrolling; valid 12 months,
  then 90 days "inactive" (lapsed); each renewal needs 12 CE hours (1 in Ethics) and, as for Mental
  Health First Aid instructors, 3 sessions led in the year.
- **Community Peer Practitioner** (CPP), modelled on Texas's Peer Specialist: completing the
  training earns a provisional certificate for 6 months; full certification needs 250 hours of
  supervised practice signed off and, as for WRAP facilitators, 3 co-facilitated sessions; the full
  certificate is valid 24 months, and each renewal needs 20 CE hours (3 in Ethics).

Demo people (password: the demo password, `home.demo.DEMO_PASSWORD`; all e-mail addresses
confirmed). Learners are set up here; certificate holders by `home.demo_certificates`, from `HOLDERS`.

| e-mail | name | stage |
| --- | --- | --- |
| rps.learner@peerpath.example | Dana Whitlock | RPS: enrolled, 2 of 5 required modules done |
| rps.holder@peerpath.example | Priya Castellano | RPS valid, 10 months in: 17 of 36 CE hours |
| rps.renewal@peerpath.example | Tomás Lindqvist | RPS valid, expires within a month: renewal requirements met (can renew) |
| rps.lapsed@peerpath.example | Harper Quinlan | RPS lapsed: expired 20 days ago, in the grace period |
| pwf.learner@peerpath.example | Eli Marchetti | PWF: enrolled, one check passed, one failed once |
| pwf.restart@peerpath.example | Noor Haddad | PWF: enrolled 400 days ago, check window closed (must restart) |
| pwf.holder@peerpath.example | Kai Brennan | PWF valid, 5 months in: 4.5 of 12 CE hours, 1 of 3 sessions led |
| pwf.suspended@peerpath.example | Sasha Novak | PWF suspended, with a reason |
| pwf.expired@peerpath.example | Rowan Achebe | PWF expired: past the 90-day grace period |
| cpp.provisional@peerpath.example | Jordan Ferreira | CPP provisional: 60 of 250 hours signed off, one entry pending, one sent back; 1 of 3 co-facilitated sessions |
| cpp.full@peerpath.example | Leigh Okonkwo | CPP full: 250 hours and 3 co-facilitated sessions done, so the provisional certificate was replaced |
| supervisor@peerpath.example | Marisol Vance | supervises the two CPP people (signs off their practice) |

All dates are relative to the day the demo is first loaded; loading it again changes nothing.
"""

import datetime
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Site

from home.demo import ensure_person
from home.demo_training import (
    CODE_OF_CONDUCT,
    answers,
    complete_module,
    ensure_index,
    sync_programme,
)
from peerpath.training import progress
from peerpath.training.models import (
    Attestation,
    CheckAttempt,
    ContinuingEducationActivity,
    ContinuingEducationCategory,
    Enrolment,
    ModuleProgress,
    ProgrammePage,
    ProgrammeRequirement,
    SupervisedPracticeEntry,
    SupervisorAssignment,
)
from peerpath.training.practice import log_entry

Kind = ProgrammeRequirement.Kind
Stage = ProgrammeRequirement.Stage
Role = ProgrammeRequirement.SessionRole

ETHICS = "Ethics"
RECOVERY = "Peer support and recovery"
TRAUMA = "Trauma-informed practice"
OTHER = "Other"

CATEGORIES = {
    ETHICS: "Boundaries, confidentiality, dual relationships and the code of conduct.",
    RECOVERY: "Recovery-oriented practice, sharing lived experience, group and one-to-one support.",
    TRAUMA: "Understanding trauma and avoiding re-traumatising the people you support.",
    OTHER: "Anything else relevant to the role, such as first aid or working with services.",
}

SUPERVISOR = {"email": "supervisor@peerpath.example", "name": "Marisol Vance"}

# --- Recovery Peer Specialist (modelled on Pennsylvania's Certified Peer Specialist) -------------

RPS_CODE_OF_CONDUCT = """\
<h3>As a Recovery Peer Specialist, I will:</h3>
<ol>
<li><b>Put the person's own recovery first.</b> I will support the goals people choose for \
themselves, not the ones I would choose for them.</li>
<li><b>Use my lived experience for the person I support.</b> I will share my story only when it \
helps them, and never to make the conversation about me.</li>
<li><b>Keep information private.</b> I will share what I learn only as the person agrees, or when \
someone is at serious risk of harm, and I will tell people about that limit at the start.</li>
<li><b>Hold clear boundaries.</b> I will not enter into romantic, financial or other personal \
relationships with the people I support, and I will not accept gifts of more than token value.</li>
<li><b>Stay within my role.</b> I will not diagnose, prescribe or give legal advice, and I will \
help people reach professionals who can.</li>
<li><b>Treat everyone with respect.</b> I will not discriminate, and I will challenge stigma \
wherever I meet it, including in myself.</li>
<li><b>Keep learning.</b> I will complete the continuing education my certificate asks for and \
use supervision honestly.</li>
</ol>
"""

RPS = {
    "slug": "recovery-peer-specialist",
    "title": "Recovery Peer Specialist Certification",
    "credential_name": "Recovery Peer Specialist",
    "credential_code": "RPS",
    "validity_months": 24,
    "grace_period_days": 60,
    "pass_mark": 80,
    "summary": (
        "The full training for paid peer specialists who support adults in their recovery: about "
        "75 hours of study, a final knowledge check and a code of conduct. The certificate lasts "
        "two years; to renew it, keep learning — 36 hours of continuing education in that time."
    ),
    "learning_outcomes": [
        "Describe recovery as a personal journey and the peer specialist's part in it.",
        "Share your own experience of recovery purposefully and safely.",
        "Apply the code of conduct to everyday dilemmas about boundaries and confidentiality.",
        "Support someone to set and work towards goals of their own.",
    ],
    "code_of_conduct": RPS_CODE_OF_CONDUCT,
}

RPS_MODULES = [
    {
        "slug": "rps-recovery-and-the-peer-role",
        "title": "Recovery and the peer role",
        "summary": "What recovery means to the people who live it, and what a peer specialist "
        "brings that nobody else on a team does.",
        "minutes": 1200,
        "body": [
            (
                "text",
                "<p>A peer specialist is someone with their own experience of mental health "
                "difficulties who is trained to support others through theirs. The role rests on "
                "the idea at the heart of all peer support: a person who has been through "
                "something similar can offer an understanding and empathy that professionals "
                "cannot always give.</p>"
                "<h2>Recovery is personal</h2>"
                "<p>Recovery does not have to mean the end of all symptoms. For many people it "
                "means living a life they value, with or without them. Your job is not to define "
                "recovery for anyone but to help people find what it means for them.</p>"
                "<h2>What you bring to a team</h2>"
                "<p>Working alongside clinicians, you offer emotional, practical and "
                "informational support from a place of equality. Research links peer support "
                "with fewer symptoms, higher self-esteem and better wellbeing, and people who "
                "feel understood are more likely to keep seeking help.</p>",
            ),
            (
                "reflection",
                (
                    "What did recovery mean to you at the start of your own journey, and what "
                    "does it mean now?",
                    "Only you can read your answer.",
                ),
            ),
        ],
        "questions": [
            (
                "Which statement about recovery fits the peer specialist's view of it?",
                "single",
                [
                    ("Each person decides what recovery means for them", True),
                    ("Recovery means having no symptoms at all", False),
                    ("A clinician decides when someone has recovered", False),
                    ("Recovery is the same journey for everyone", False),
                ],
                "Recovery is personal. Peer specialists help people find and pursue their own "
                "idea of a good life.",
            ),
            (
                "What can a peer specialist offer that others on a team may not?",
                "single",
                [
                    ("Understanding rooted in similar lived experience", True),
                    ("A diagnosis", False),
                    ("Prescriptions", False),
                    ("Legal advice", False),
                ],
                "Shared experience is what the role adds. Diagnosis, prescribing and legal "
                "advice belong to other professionals.",
            ),
            (
                "Which kinds of support does a peer specialist give? Select all that apply.",
                "multiple",
                [
                    ("Emotional", True),
                    ("Practical", True),
                    ("Informational", True),
                    ("Clinical treatment", False),
                ],
                "Peers offer emotional, practical and informational help; treatment stays with "
                "clinicians.",
            ),
        ],
    },
    {
        "slug": "rps-sharing-your-story",
        "title": "Sharing your story with purpose",
        "summary": "When telling part of your own story helps someone, when it does not, and how "
        "to keep the focus on them.",
        "minutes": 900,
        "prerequisites": ["rps-recovery-and-the-peer-role"],
        "body": [
            (
                "text",
                "<p>Your story is the tool no one else on the team has. Used well, a short piece "
                "of it tells someone they are not alone and that things can change. Used badly, "
                "it takes the conversation away from them.</p>"
                "<h2>Three questions before you share</h2>"
                "<ol>"
                "<li>Whose needs will this meet: theirs or mine?</li>"
                "<li>Is this the right moment, and the right amount?</li>"
                "<li>Will I be all right afterwards if I share it?</li>"
                "</ol>"
                "<p>Keep it brief, speak about what helped rather than the worst details, and hand "
                "the conversation back with a question.</p>",
            ),
            (
                "key_points",
                (
                    "Key points",
                    [
                        "Share for the other person's benefit, never your own.",
                        "Less is usually more: a sentence can be enough.",
                        "Focus on what helped, not on graphic detail.",
                        "You never have to share anything you are not ready to.",
                    ],
                ),
            ),
        ],
        "questions": [
            (
                "Which is the best reason to share part of your recovery story?",
                "single",
                [
                    ("It may give the person hope or help them feel less alone", True),
                    ("It shows the person you have had it worse", False),
                    ("You need to talk about it today", False),
                    ("It fills a silence", False),
                ],
                "Self-disclosure is for the benefit of the person you support.",
            ),
            (
                "How should a peer specialist usually share their story?",
                "single",
                [
                    ("Briefly, about what helped, then hand the conversation back", True),
                    ("In full detail, so the person knows everything", False),
                    ("Only when asked to by a clinician", False),
                    ("Never, in any circumstances", False),
                ],
                "Short, purposeful sharing keeps the focus on the other person.",
            ),
            (
                "Which questions help you decide whether to share? Select all that apply.",
                "multiple",
                [
                    ("Whose needs will this meet?", True),
                    ("Is this the right moment and amount?", True),
                    ("Will I be all right afterwards?", True),
                    ("Will this make me look experienced?", False),
                ],
                "Purpose, timing and your own wellbeing decide it; impressing people does not.",
            ),
        ],
    },
    {
        "slug": "rps-ethics-and-boundaries",
        "title": "Ethics, boundaries and the code of conduct",
        "summary": "Confidentiality and its limits, dual relationships, gifts, and knowing where "
        "the role ends.",
        "minutes": 1080,
        "prerequisites": ["rps-recovery-and-the-peer-role"],
        "body": [
            (
                "text",
                "<p>Peer work asks you to be open, and openness needs boundaries to stay safe for "
                "everyone. The code of conduct you agree to at the end of this programme sets "
                "them out; this module works through what they mean in practice.</p>"
                "<h2>Confidentiality</h2>"
                "<p>What people tell you stays private, with one limit you explain from the start: "
                "if someone is at serious risk of harm, you will act to keep them safe.</p>"
                "<h2>Dual relationships</h2>"
                "<p>You may meet people you support in other parts of your life. Be friendly, "
                "but do not become their landlord, employer, partner or lender. When a "
                "relationship could blur, talk to your supervisor.</p>"
                "<h2>Knowing where the role ends</h2>"
                "<p>Peer specialists do not diagnose, prescribe or give legal advice. Helping "
                "someone reach professional help when they need it is part of the job, not a "
                "failure of it.</p>",
            ),
            (
                "callout",
                (
                    "important",
                    "When in doubt, ask",
                    "<p>Ethical questions rarely have a tidy answer. Bring them to supervision "
                    "early; it protects you and the people you support.</p>",
                ),
            ),
        ],
        "questions": [
            (
                "Someone you support offers to lend you money until payday. What do you do?",
                "single",
                [
                    ("Thank them and decline: lending money blurs the relationship", True),
                    ("Accept, as long as you pay it back", False),
                    ("Accept and tell no one", False),
                    ("Offer to lend them money instead", False),
                ],
                "Financial arrangements create a dual relationship the code of conduct rules out.",
            ),
            (
                "When may you share what someone told you in confidence?",
                "single",
                [
                    ("When they agree, or when someone is at serious risk of harm", True),
                    ("Whenever a colleague asks", False),
                    ("Never, even if someone's life is at risk", False),
                    ("When it makes a good example for training", False),
                ],
                "Confidentiality has one limit, explained from the start: serious risk of harm.",
            ),
            (
                "Which of these are outside a peer specialist's role? Select all that apply.",
                "multiple",
                [
                    ("Diagnosing a condition", True),
                    ("Advising on medication doses", True),
                    ("Giving legal advice", True),
                    ("Helping someone prepare for a GP appointment", False),
                ],
                "Supporting someone to use professional help is part of the role; giving that "
                "help yourself is not.",
            ),
        ],
    },
    {
        "slug": "rps-supporting-recovery",
        "title": "Supporting recovery in practice",
        "summary": "Goal setting, one-to-one work and groups, and keeping yourself well while "
        "you do it.",
        "minutes": 1200,
        "prerequisites": ["rps-sharing-your-story"],
        "body": [
            (
                "text",
                "<p>Most of a peer specialist's week is spent alongside people: one-to-one, in "
                "groups, and sometimes online. Whatever the setting, the person leads and you "
                "walk with them.</p>"
                "<h2>Goals that belong to the person</h2>"
                "<p>Ask what matters to them, break it into steps they choose, and notice "
                "progress together. A goal you set for someone is a goal they will not own.</p>"
                "<h2>Groups and mentoring</h2>"
                "<p>Support groups let people learn coping strategies from each other and build "
                "friendships that last. One-to-one mentoring offers personal guidance and "
                "encouragement. Many people use both.</p>"
                "<h2>Looking after yourself</h2>"
                "<p>The work draws on your own experience, so it can stir it up. Use supervision, "
                "keep your own support network, and step back when you need to.</p>",
            ),
        ],
        "questions": [
            (
                "Who sets the goals in recovery-oriented peer work?",
                "single",
                [
                    ("The person being supported", True),
                    ("The peer specialist", False),
                    ("The person's family", False),
                    ("The funding body", False),
                ],
                "People own the goals they choose; you help them break them into steps.",
            ),
            (
                "Which of these help a peer specialist stay well? Select all that apply.",
                "multiple",
                [
                    ("Regular supervision", True),
                    ("Their own support network", True),
                    ("Stepping back when unwell", True),
                    ("Working through every evening", False),
                ],
                "Sustainable practice needs support and rest.",
            ),
            (
                "What do support groups offer that one-to-one work may not?",
                "single",
                [
                    ("Learning coping strategies from several people who have been there", True),
                    ("A guaranteed cure", False),
                    ("Clinical assessment", False),
                    ("Nothing: they are the same", False),
                ],
                "Groups pool the experience of many members and build a sense of belonging.",
            ),
        ],
    },
    {
        "slug": "rps-final-knowledge-check",
        "title": "Final knowledge check",
        "summary": "Questions drawn from the whole programme. Pass it, then agree to the code of "
        "conduct to earn your certificate.",
        "minutes": 120,
        "prerequisites": [
            "rps-ethics-and-boundaries",
            "rps-supporting-recovery",
        ],
        "body": [
            (
                "text",
                "<p>This check covers the whole programme. Take your time; you need 80% to "
                "pass, and you can try again if you do not pass the first time.</p>",
            ),
        ],
        "questions": [
            (
                "A person you support wants to stop seeing their care team. What do you do?",
                "single",
                [
                    ("Explore their reasons and help them talk it through with the team", True),
                    ("Tell them they must keep going", False),
                    ("Agree the team is not needed now they have you", False),
                    ("Report them to their doctor without telling them", False),
                ],
                "Respect their choice while helping them make it with full information; you "
                "complement professional care, you do not replace it.",
            ),
            (
                "Which are benefits of peer support? Select all that apply.",
                "multiple",
                [
                    ("Reduced stigma", True),
                    ("New coping strategies", True),
                    ("A sense of belonging", True),
                    ("No further need for any services", False),
                ],
                "Peer support reduces stigma and isolation and spreads ways of coping; it works "
                "alongside services.",
            ),
            (
                "You recognise a new member of your group as your neighbour. What is the best "
                "first step?",
                "single",
                [
                    ("Talk it over with your supervisor and agree how to keep boundaries", True),
                    ("Ask them to leave the group", False),
                    ("Tell the group you know each other", False),
                    ("Ignore it", False),
                ],
                "Possible dual relationships are for supervision, handled with respect for the "
                "member's privacy.",
            ),
            (
                "What must you tell people about confidentiality at the start?",
                "single",
                [
                    ("That you will act if someone is at serious risk of harm", True),
                    ("That everything they say will be shared with the team", False),
                    ("Nothing; it is implied", False),
                    ("That you keep notes of everything they say", False),
                ],
                "People deserve to know the one limit on confidentiality before they share.",
            ),
        ],
    },
    {
        "slug": "rps-ethics-refresher",
        "title": "Refresher: ethical dilemmas in peer work (optional)",
        "summary": "For certified peer specialists: six short dilemmas to keep your ethical "
        "judgement sharp. Completing it counts 1.5 hours of Ethics continuing education.",
        "minutes": 90,
        "required": False,
        "ce_category": ETHICS,
        "body": [
            (
                "text",
                "<p>Certificates are renewed on continuing education, and ethics is a required "
                "part of it. This refresher revisits the hardest parts of the code of conduct "
                "through situations peer specialists really meet.</p>"
                "<ul>"
                "<li>A person you supported years ago invites you to their wedding.</li>"
                "<li>A group member posts about another member online.</li>"
                "<li>Your manager asks you to persuade someone to take medication.</li>"
                "</ul>"
                "<p>For each, ask: what does the person need, what does the code say, and who "
                "should I talk to?</p>",
            ),
            (
                "reflection",
                (
                    "Which of these dilemmas would you find hardest, and why?",
                    "Only you can read your answer.",
                ),
            ),
        ],
        "questions": [
            (
                "Your manager asks you to persuade someone to take their medication. What fits "
                "the peer role?",
                "single",
                [
                    ("Listen to their view and help them discuss it with their prescriber", True),
                    ("Persuade them, since your manager asked", False),
                    ("Tell them to stop taking it", False),
                    ("Refuse to discuss medication at all", False),
                ],
                "Peers support people's own decisions and their conversations with "
                "professionals; they do not advise on medication.",
            ),
            (
                "A group member posts about another member online. What comes first?",
                "single",
                [
                    ("Protect the member's privacy and revisit the group agreement", True),
                    ("Share the post with the group", False),
                    ("Do nothing: it happened outside the group", False),
                    ("Remove both members from the group", False),
                ],
                "Confidentiality is a group agreement; act to protect it and talk it through.",
            ),
            (
                "Who should you talk to about an ethical dilemma?",
                "single",
                [
                    ("Your supervisor", True),
                    ("Other members of the group", False),
                    ("Nobody", False),
                    ("The person's family", False),
                ],
                "Supervision is where dilemmas are worked through safely.",
            ),
        ],
    },
]

RPS_REQUIREMENTS = [
    (Stage.RENEWAL, Kind.CE_HOURS, 36, Role.ANY, None),
    (Stage.RENEWAL, Kind.CE_HOURS, 3, Role.ANY, ETHICS),
    (Stage.RENEWAL, Kind.CE_HOURS, 24, Role.ANY, RECOVERY),
]

# --- Peer Wellness Facilitator (modelled on Georgia's Certified Peer Specialist) -----------------

PWF = {
    "slug": "peer-wellness-facilitator",
    "title": "Peer Wellness Facilitator Training",
    "credential_name": "Peer Wellness Facilitator",
    "credential_code": "PWF",
    "validity_months": 12,
    "grace_period_days": 90,
    "check_window_days": 365,
    "pass_mark": 80,
    "summary": (
        "Training to lead peer wellness groups. Each knowledge check allows three attempts, and "
        "all must be passed within a year of enrolling. The certificate lasts a year; it stays "
        "renewable for 90 days after that. Renewal asks for 12 hours of continuing education and "
        "three groups you led during the year."
    ),
    "learning_outcomes": [
        "Explain whole-person wellness and how peer groups support it.",
        "Plan and lead a peer wellness group session on your own.",
        "Recognise when someone needs more than the group and signpost them.",
    ],
    "code_of_conduct": CODE_OF_CONDUCT,
}

PWF_MODULES = [
    {
        "slug": "pwf-whole-person-wellness",
        "title": "Whole-person wellness",
        "summary": "Wellness as more than the absence of illness, and how peer groups help "
        "people look after it.",
        "minutes": 180,
        "attempt_limit": 3,
        "body": [
            (
                "text",
                "<p>Wellness is about the whole of a person's life: sleep, movement, friendships, "
                "purpose, money, and mental health. A wellness group gives people a regular "
                "place to notice how they are doing and to learn from others what helps.</p>"
                "<p>Members of a good group feel heard without judgement, pick up coping "
                "strategies from each other, and build connections that carry on between "
                "sessions.</p>",
            ),
            (
                "callout",
                (
                    "tip",
                    "Three attempts",
                    "<p>Each knowledge check in this programme allows three attempts. Read the "
                    "explanations after each one before you try again.</p>",
                ),
            ),
        ],
        "questions": [
            (
                "Which areas of life does whole-person wellness include? Select all that apply.",
                "multiple",
                [
                    ("Friendships and connection", True),
                    ("Sleep and physical activity", True),
                    ("Purpose and meaning", True),
                    ("Only psychiatric symptoms", False),
                ],
                "Wellness takes in the whole of someone's life, not just symptoms.",
            ),
            (
                "What do members of a good wellness group gain from each other?",
                "single",
                [
                    ("Coping strategies and connection", True),
                    ("Diagnoses", False),
                    ("Prescriptions", False),
                    ("Legal advice", False),
                ],
                "Peers share what has worked for them and build lasting connections.",
            ),
            (
                "How do you pass this programme's knowledge checks?",
                "single",
                [
                    ("Score 80% within three attempts and within a year of enrolling", True),
                    ("Attend every group session", False),
                    ("Answer at least one question correctly", False),
                    ("There is no time limit or attempt limit", False),
                ],
                "Each check allows three attempts, and all must be passed within 365 days.",
            ),
        ],
    },
    {
        "slug": "pwf-leading-a-group",
        "title": "Leading a wellness group",
        "summary": "Opening, holding and closing a session on your own: agreements, turn-taking "
        "and endings.",
        "minutes": 240,
        "attempt_limit": 3,
        "prerequisites": ["pwf-whole-person-wellness"],
        "body": [
            (
                "text",
                "<p>A well-run group feels safe because the facilitator quietly holds its "
                "shape. Open by welcoming people and reminding the group of its agreements, "
                "such as confidentiality, listening without interrupting, and the right to "
                "pass.</p>"
                "<p>During the session, make room for quieter members and gently bring the "
                "conversation back if one voice takes over. Challenge stigmatising language "
                "calmly: the group should be welcoming to everyone.</p>"
                "<p>Close on time, with a short round of what people are taking away, and stay "
                "for a few minutes afterwards for anyone who needs a word.</p>",
            ),
            (
                "reflection",
                (
                    "How would you bring the conversation back from a member who talks over "
                    "others, without shaming them?",
                    "Only you can read your answer.",
                ),
            ),
        ],
        "questions": [
            (
                "What should open every session?",
                "single",
                [
                    ("A welcome and a reminder of the group agreements", True),
                    ("A test of what members remember", False),
                    ("Your own story in full", False),
                    ("A list of members' diagnoses", False),
                ],
                "Agreements, repeated each time, make the group feel safe.",
            ),
            (
                "A member uses a stigmatising term about another condition. What do you do?",
                "single",
                [
                    ("Calmly name it and remind the group it welcomes everyone", True),
                    ("Ignore it to avoid conflict", False),
                    ("Ask the member to leave at once", False),
                    ("Agree, to keep them on side", False),
                ],
                "Stigma inside a group drives people away; address it calmly and clearly.",
            ),
            (
                "Which habits help quieter members take part? Select all that apply.",
                "multiple",
                [
                    ("Inviting contributions without pressure", True),
                    ("Keeping the right to pass", True),
                    ("Gently limiting anyone who dominates", True),
                    ("Asking them to share first every time", False),
                ],
                "Invitation, choice and balance help everyone take part.",
            ),
        ],
    },
    {
        "slug": "pwf-more-than-the-group",
        "title": "When someone needs more than the group",
        "summary": "Noticing when peer support is not enough, signposting well, and what to do in "
        "an emergency.",
        "minutes": 180,
        "attempt_limit": 3,
        "prerequisites": ["pwf-leading-a-group"],
        "body": [
            (
                "text",
                "<p>Peer support works best alongside professional help. Part of leading a group "
                "is noticing when someone needs more than it can give: talk of harming "
                "themselves, a steady decline, or questions only a professional should answer.</p>"
                "<p>Speak to them privately, say what you have noticed, and offer specific "
                "options with help to make the first contact. If someone is in immediate "
                "danger, call the emergency services; their safety comes before "
                "confidentiality.</p>",
            ),
        ],
        "questions": [
            (
                "A member says they plan to end their life tonight. What do you do?",
                "single",
                [
                    ("Call the emergency services and stay with them if safe", True),
                    ("Wait until next week's session", False),
                    ("Keep it confidential", False),
                    ("Change the subject", False),
                ],
                "Immediate danger is an emergency; safety comes before confidentiality.",
            ),
            (
                "What makes signposting effective?",
                "single",
                [
                    ("Specific options and help to make the first contact", True),
                    ("A long list of websites", False),
                    ("Telling them the group cannot help", False),
                    ("Choosing their treatment for them", False),
                ],
                "Practical, specific help makes it more likely the person reaches support.",
            ),
            (
                "Which signs suggest someone needs professional help? Select all that apply.",
                "multiple",
                [
                    ("Talking about harming themselves", True),
                    ("A steady decline in coping", True),
                    ("Questions about changing medication", True),
                    ("Wanting to talk about a hard week", False),
                ],
                "Risk, decline and medical questions call for professionals; a hard week is what "
                "the group is for.",
            ),
        ],
    },
]

PWF_REQUIREMENTS = [
    (Stage.RENEWAL, Kind.CE_HOURS, 12, Role.ANY, None),
    (Stage.RENEWAL, Kind.CE_HOURS, 1, Role.ANY, ETHICS),
    (Stage.RENEWAL, Kind.SESSIONS, 3, Role.LED, None),
]

# --- Community Peer Practitioner (modelled on Texas's Peer Specialist) ---------------------------

CPP = {
    "slug": "community-peer-practitioner",
    "title": "Community Peer Practitioner: Supervised Pathway",
    "credential_name": "Community Peer Practitioner",
    "credential_code": "CPP",
    "validity_months": 24,
    "provisional_validity_months": 6,
    "pass_mark": 80,
    "summary": (
        "A pathway in two stages. Completing the training earns a provisional certificate for six "
        "months, in which you practise under a supervisor: 250 hours signed off and three "
        "co-facilitated sessions earn the full certificate, valid for two years. Renewal asks for "
        "20 hours of continuing education, three of them in ethics."
    ),
    "learning_outcomes": [
        "Explain how the provisional and full stages of certification work.",
        "Use supervision to learn from your practice.",
        "Co-facilitate a peer support group alongside an experienced facilitator.",
    ],
    "code_of_conduct": CODE_OF_CONDUCT,
}

CPP_MODULES = [
    {
        "slug": "cpp-the-pathway",
        "title": "How the supervised pathway works",
        "summary": "The provisional certificate, your supervisor, and what earns the full one.",
        "minutes": 60,
        "body": [
            (
                "text",
                "<p>Peer support programmes do best when they are led by trained facilitators "
                "who are themselves well supported. That is why this pathway has two stages.</p>"
                "<p>When you complete the training and agree to the code of conduct, you receive "
                "a <b>provisional certificate</b>, valid for six months. During that time you "
                "practise with a named supervisor and log your hours; your supervisor signs "
                "each entry off, or sends it back with a comment.</p>"
                "<p>Once 250 hours are signed off and you have co-facilitated three sessions, "
                "your provisional certificate is replaced by a <b>full certificate</b>, valid "
                "for two years.</p>",
            ),
            (
                "key_points",
                (
                    "Key points",
                    [
                        "Provisional certificate: six months.",
                        "250 supervised hours, signed off by your supervisor.",
                        "Three sessions co-facilitated with an experienced facilitator.",
                        "Full certificate: two years, then renewal.",
                    ],
                ),
            ),
        ],
        "questions": [],
    },
    {
        "slug": "cpp-using-supervision",
        "title": "Using supervision well",
        "summary": "What supervision is for, how to log practice your supervisor can sign off, "
        "and what to do when an entry is sent back.",
        "minutes": 300,
        "prerequisites": ["cpp-the-pathway"],
        "body": [
            (
                "text",
                "<p>Supervision is not an inspection. It is a regular, protected space to think "
                "about your work: what went well, what was hard, where your boundaries were "
                "tested, and when you needed to signpost someone to professional help.</p>"
                "<h2>Logging practice</h2>"
                "<p>For each entry, say what you did and with whom (without identifying anyone), "
                "so your supervisor can recognise the work. An entry that is sent back comes with "
                "a comment; log a corrected entry if there is one to log.</p>",
            ),
            (
                "reflection",
                (
                    "What would you like to get from supervision in your first month?",
                    "Only you can read your answer.",
                ),
            ),
        ],
        "questions": [
            (
                "What is supervision for?",
                "single",
                [
                    ("Reflecting on your practice with support", True),
                    ("Catching you out", False),
                    ("Replacing your training", False),
                    ("Sharing members' details", False),
                ],
                "Supervision is a supportive space to learn from your work.",
            ),
            (
                "What should a practice log entry say? Select all that apply.",
                "multiple",
                [
                    ("What you did", True),
                    ("How long it took", True),
                    ("The kind of setting, without identifying anyone", True),
                    ("Members' full names and diagnoses", False),
                ],
                "Enough for your supervisor to recognise the work, and nothing that identifies "
                "the people you support.",
            ),
            (
                "Your supervisor sends an entry back. What happens to its hours?",
                "single",
                [
                    ("They do not count; log a corrected entry if there is one to log", True),
                    ("They count anyway", False),
                    ("They count double next time", False),
                    ("Your certificate is revoked", False),
                ],
                "Only signed-off hours count towards full certification.",
            ),
        ],
    },
    {
        "slug": "cpp-co-facilitating",
        "title": "Co-facilitating your first groups",
        "summary": "Sharing a group with an experienced facilitator: planning, dividing the work "
        "and debriefing.",
        "minutes": 240,
        "prerequisites": ["cpp-using-supervision"],
        "body": [
            (
                "text",
                "<p>Co-facilitating lets you learn the craft of running a group with someone "
                "beside you. Plan the session together: who opens, who keeps time, who watches "
                "for members who are struggling.</p>"
                "<p>Afterwards, debrief for ten minutes: what worked, what you would change, and "
                "anything that needs following up. Log each session in your facilitation log "
                "with your co-facilitator's name; three of them count towards your full "
                "certificate.</p>",
            ),
        ],
        "questions": [
            (
                "What should co-facilitators agree before a session? Select all that apply.",
                "multiple",
                [
                    ("Who opens the session", True),
                    ("Who keeps time", True),
                    ("Who watches for members who are struggling", True),
                    ("Which member to ignore", False),
                ],
                "Dividing the roles in advance keeps the session safe and smooth.",
            ),
            (
                "How do co-facilitated sessions count towards full certification?",
                "single",
                [
                    ("Logged with the co-facilitator's name, three are needed", True),
                    ("They do not count", False),
                    ("Only if the co-facilitator is a doctor", False),
                    ("One is enough", False),
                ],
                "The facilitation log records the co-facilitator; three sessions are needed.",
            ),
            (
                "What is a debrief for?",
                "single",
                [
                    ("Learning from the session and following up on concerns", True),
                    ("Discussing members' private lives", False),
                    ("Deciding who was the better facilitator", False),
                    ("Nothing; it is optional paperwork", False),
                ],
                "A short debrief turns each session into learning and catches follow-ups.",
            ),
        ],
    },
]

CPP_REQUIREMENTS = [
    (Stage.FULL, Kind.SUPERVISED_HOURS, 250, Role.ANY, None),
    (Stage.FULL, Kind.SESSIONS, 3, Role.CO_FACILITATED, None),
    (Stage.RENEWAL, Kind.CE_HOURS, 20, Role.ANY, None),
    (Stage.RENEWAL, Kind.CE_HOURS, 3, Role.ANY, ETHICS),
]

PROGRAMMES = [
    (RPS, RPS_MODULES, RPS_REQUIREMENTS),
    (PWF, PWF_MODULES, PWF_REQUIREMENTS),
    (CPP, CPP_MODULES, CPP_REQUIREMENTS),
]

# --- Demo people ---------------------------------------------------------------------------------

# Learners: (person, programme code, required modules completed in order, then what else).
LEARNERS = [
    ({"email": "rps.learner@peerpath.example", "name": "Dana Whitlock"}, "RPS", 2, None),
    ({"email": "pwf.learner@peerpath.example", "name": "Eli Marchetti"}, "PWF", 1, "fail next"),
    ({"email": "pwf.restart@peerpath.example", "name": "Noor Haddad"}, "PWF", 1, "window closed"),
]

#: Enrolled this many days ago, so the PWF learner's 365-day check window has closed.
WINDOW_CLOSED_DAYS = 400

# Certificate holders, set up by `home.demo_certificates` (it issues the certificates; the records
# come from `record_holder_activity`). `issued`: (months, days) before today. `ce`: (days ago,
# category, hours, activity, provider). `sessions`: (days ago, co-facilitator or "" if led,
# minutes, participants, group). `practice`: signed-off entries (count, hours each, from days ago,
# to days ago), then single pending and sent-back entries. `refresher`: days ago. `then`: a
# lifecycle step after issue.
HOLDERS = [
    {
        "person": {"email": "rps.holder@peerpath.example", "name": "Priya Castellano"},
        "programme": "RPS",
        "issued": (10, 0),
        "expect": "valid",
        "ce": [
            (250, ETHICS, "2", "Boundaries in peer work (webinar)", "Keystone Peer Network"),
            (180, RECOVERY, "6", "Recovery planning workshop", "Riverside Recovery College"),
            (120, TRAUMA, "3", "Trauma-informed conversations", "Millbrook Health Trust"),
            (60, RECOVERY, "6", "Annual peer support conference", "Peer Futures"),
        ],
        "sessions": [
            (90, "", 90, 7, "Tuesday recovery group (Harbour Street)"),
            (30, "Owen Pryce", 90, 9, "Tuesday recovery group (Harbour Street)"),
        ],
    },
    {
        "person": {"email": "rps.renewal@peerpath.example", "name": "Tomás Lindqvist"},
        "programme": "RPS",
        "issued": (23, 0),
        "expect": "valid",
        "refresher": 100,
        "ce": [
            (600, ETHICS, "2", "Confidentiality and its limits", "Keystone Peer Network"),
            (500, RECOVERY, "8", "Wellness recovery planning", "Riverside Recovery College"),
            (400, RECOVERY, "10", "Peer mentoring masterclass", "Peer Futures"),
            (300, TRAUMA, "6", "Trauma-informed practice, level 2", "Millbrook Health Trust"),
            (200, OTHER, "3", "Mental health first aid", "Millbrook Health Trust"),
            (80, RECOVERY, "6", "Annual peer support conference", "Peer Futures"),
        ],
    },
    {
        "person": {"email": "rps.lapsed@peerpath.example", "name": "Harper Quinlan"},
        "programme": "RPS",
        "issued": (24, 20),
        "expect": "lapsed",
        "ce": [
            (500, RECOVERY, "8", "Recovery planning workshop", "Riverside Recovery College"),
            (300, OTHER, "2", "Working with housing services", "Millbrook Council"),
        ],
    },
    {
        "person": {"email": "pwf.holder@peerpath.example", "name": "Kai Brennan"},
        "programme": "PWF",
        "issued": (5, 0),
        "expect": "valid",
        "ce": [
            (120, ETHICS, "1", "Ethics for group facilitators", "Keystone Peer Network"),
            (90, TRAUMA, "2", "Trauma-informed groups", "Millbrook Health Trust"),
            (40, OTHER, "1.5", "Suicide awareness", "Millbrook Health Trust"),
        ],
        "sessions": [
            (100, "", 90, 8, "Wellness café (Northside Library)"),
            (50, "Grace Adeyemi", 90, 10, "Wellness café (Northside Library)"),
        ],
    },
    {
        "person": {"email": "pwf.suspended@peerpath.example", "name": "Sasha Novak"},
        "programme": "PWF",
        "issued": (4, 0),
        "expect": "suspended",
        "then": "suspend",
    },
    {
        "person": {"email": "pwf.expired@peerpath.example", "name": "Rowan Achebe"},
        "programme": "PWF",
        "issued": (12, 120),
        "expect": "expired",
    },
    {
        "person": {"email": "cpp.provisional@peerpath.example", "name": "Jordan Ferreira"},
        "programme": "CPP",
        "issued": (3, 0),
        "expect": "provisional",
        "supervisor": True,
        "practice": {
            "signed_off": (8, "7.5", 80, 20),
            "pending": (5, "6", "Peer support drop-in at the day centre, morning shift."),
            "sent_back": (
                12,
                "4",
                "Shadowed.",
                "Please say what you did during the session itself, not only that you were "
                "there, so I can recognise the work I am signing off.",
            ),
        },
        "sessions": [(15, "Marisol Vance", 90, 6, "Thursday peer support group (Eastgate)")],
    },
    {
        "person": {"email": "cpp.full@peerpath.example", "name": "Leigh Okonkwo"},
        "programme": "CPP",
        "issued": (5, 20),
        "expect": "valid",
        "supervisor": True,
        "practice": {"signed_off": (25, "10", 165, 10)},
        "sessions": [
            (120, "Marisol Vance", 90, 7, "Thursday peer support group (Eastgate)"),
            (90, "Marisol Vance", 90, 8, "Thursday peer support group (Eastgate)"),
            (60, "Owen Pryce", 120, 11, "Saturday recovery café (Eastgate)"),
        ],
        "then": "confirm full",
    },
]


def _days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def ensure_categories():
    """The continuing-education categories the demo programmes count hours in, by name."""
    categories = {}
    for name, description in CATEGORIES.items():
        categories[name], _created = ContinuingEducationCategory.objects.get_or_create(
            name=name, defaults={"description": description}
        )
    return categories


def ensure_programmes(index):
    """The three programmes with their modules and requirements; returns them by credential code."""
    categories = ensure_categories()
    programmes = {}
    for spec, module_specs, requirement_specs in PROGRAMMES:
        module_specs = [
            {**module, "ce_category": categories[module["ce_category"]]}
            if module.get("ce_category")
            else module
            for module in module_specs
        ]
        requirements = [
            ProgrammeRequirement(
                stage=stage,
                kind=kind,
                minimum=Decimal(minimum),
                session_role=role,
                category=categories[category] if category else None,
                sort_order=position,
            )
            for position, (stage, kind, minimum, role, category) in enumerate(requirement_specs)
        ]
        programme, _modules = sync_programme(index, spec, module_specs, requirements)
        programmes[spec["credential_code"]] = programme
    return programmes


def _required_modules(programme):
    return list(programme.modules().filter(is_required=True))


def ensure_learner(person, programme, done, then):
    """A learner part-way through `programme`, who studied as the site records it (`progress`)."""
    user = ensure_person(person)
    enrolment, created = progress.enrol(user, programme)
    if not created:
        return user
    modules = _required_modules(programme)
    for module in modules[:done]:
        complete_module(user, module)
    if then == "fail next":
        module = modules[done]
        progress.submit_check(user, module, answers(module, correct=False), 1)
    elif then == "window closed":
        _move_back(user, programme, enrolment, datetime.timedelta(days=WINDOW_CLOSED_DAYS))
    return user


def _move_back(user, programme, enrolment, delta):
    """Date the learner's enrolment and study `delta` earlier. `progress` stamps every record with
    the current time and has no parameter for another, so the demo moves the stamps here."""
    modules = programme.modules().values("pk")
    Enrolment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=F("enrolled_at") - delta, last_activity_at=F("last_activity_at") - delta
    )
    ModuleProgress.objects.filter(user=user, module__in=modules).update(
        started_at=F("started_at") - delta, completed_at=F("completed_at") - delta
    )
    CheckAttempt.objects.filter(user=user, module__in=modules).update(
        submitted_at=F("submitted_at") - delta
    )
    progress.refresh_summaries(programme, Enrolment.objects.filter(pk=enrolment.pk))


def _record_module_completed(user, module, enrolment, at):
    row, _created = ModuleProgress.objects.get_or_create(
        user=user, module=module, defaults={"enrolment": enrolment}
    )
    if module.has_check:
        attempt, _created = CheckAttempt.objects.get_or_create(
            user=user,
            module=module,
            number=1,
            defaults={"answers": answers(module), "score": 100, "passed": True},
        )
        CheckAttempt.objects.filter(pk=attempt.pk).update(submitted_at=at)
    ModuleProgress.objects.filter(pk=row.pk).update(
        started_at=at - datetime.timedelta(hours=2),
        completed_at=at,
        attempts=1 if module.has_check else 0,
        best_score=100 if module.has_check else None,
    )


def record_completed_training(user, programme, completed_at, refresher_days_ago=None):
    """The holder's enrolment, modules and agreement to the code of conduct, as if they had
    completed the programme at `completed_at` (and, optionally, its refresher module later).

    Written directly rather than through `progress`: completing a programme there is announced,
    and the certificates app would issue a certificate dated today; the demo issues each holder's
    certificate from these dates instead (`home.demo_certificates`).
    """
    enrolment, created = progress.enrol(user, programme)
    if not created:
        return enrolment
    modules = _required_modules(programme)
    started = completed_at - datetime.timedelta(days=7 * len(modules))
    for position, module in enumerate(modules, start=1):
        at = started + (completed_at - started) * position / (len(modules) + 1)
        _record_module_completed(user, module, enrolment, at)
    if refresher_days_ago is not None:
        refresher = programme.modules().filter(ce_category__isnull=False).first()
        _record_module_completed(user, refresher, enrolment, _at(_days_ago(refresher_days_ago)))
    attestation, _created = Attestation.objects.get_or_create(
        user=user, conduct_version=programme.current_code_of_conduct
    )
    Attestation.objects.filter(pk=attestation.pk).update(agreed_at=completed_at)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=started, completed_at=completed_at, last_activity_at=completed_at
    )
    progress.refresh_summaries(programme, Enrolment.objects.filter(pk=enrolment.pk))
    return enrolment


def ensure_supervisor():
    """The demo supervisor account (a learner account with supervisees, not staff)."""
    return ensure_person(SUPERVISOR)


def record_holder_activity(user, programme, holder):
    """What a holder did after their certificate was issued (`HOLDERS` entry): continuing
    education, sessions in the facilitation log, supervised practice with its decisions.

    Call it once, when the holder's certificate is first issued: what it records counts towards
    full certification and renewal from then on.
    """
    categories = {category.name: category for category in ContinuingEducationCategory.objects.all()}
    for days, category, hours, title, provider in holder.get("ce", []):
        ContinuingEducationActivity.objects.create(
            learner=user,
            title=title,
            provider=provider,
            date=_days_ago(days),
            hours=Decimal(hours),
            category=categories[category],
        )
    _log_sessions(user, holder.get("sessions", []))
    practice = holder.get("practice")
    if practice:
        _record_practice(user, programme, practice)


def _log_sessions(user, sessions):
    if not sessions or not apps.is_installed("peerpath.workshops"):
        return
    # The demo workshops unlock with the Foundations certificate, so these sessions name their
    # group without a workshop page, as entries do once their workshop is deleted.
    FacilitationLogEntry = apps.get_model("peerpath_workshops", "FacilitationLogEntry")
    for days, co_facilitator, minutes, participants, title in sessions:
        FacilitationLogEntry.objects.create(
            facilitator=user,
            workshop=None,
            workshop_title=title,
            date=_days_ago(days),
            minutes=minutes,
            participants=participants,
            co_facilitator=co_facilitator,
        )


def _record_practice(user, programme, practice):
    """Supervised practice entries and the supervisor's decisions, dated in the past.

    `practice.sign_off` and `send_back` stamp the decision with the current time, so the demo
    writes the decisions it backdates directly; the pending entry is logged as learners log one.
    """
    supervisor = ensure_supervisor()
    SupervisorAssignment.objects.get_or_create(supervisor=supervisor, learner=user)
    Status = SupervisedPracticeEntry.Status
    entries = []
    count, hours, first, last = practice["signed_off"]
    for number in range(count):
        day = _days_ago(first - (first - last) * number // max(count - 1, 1))
        entries.append(
            SupervisedPracticeEntry(
                learner=user,
                programme=programme,
                date=day,
                hours=Decimal(hours),
                description="Peer support shift at the community wellbeing hub: drop-in "
                "conversations and one-to-one support, debriefed with my supervisor.",
                status=Status.SIGNED_OFF,
                reviewed_by=supervisor,
                reviewed_at=_at(day + datetime.timedelta(days=2), hour=16),
            )
        )
    if "sent_back" in practice:
        days, hours, description, comment = practice["sent_back"]
        entries.append(
            SupervisedPracticeEntry(
                learner=user,
                programme=programme,
                date=_days_ago(days),
                hours=Decimal(hours),
                description=description,
                status=Status.SENT_BACK,
                reviewed_by=supervisor,
                reviewed_at=_at(_days_ago(days - 2), hour=16),
                comment=comment,
            )
        )
    SupervisedPracticeEntry.objects.bulk_create(entries)
    if "pending" in practice:
        days, hours, description = practice["pending"]
        log_entry(
            user, programme, date=_days_ago(days), hours=Decimal(hours), description=description
        )


def programmes_by_code():
    return {
        programme.credential_code: programme
        for programme in ProgrammePage.objects.filter(
            credential_code__in=[spec["credential_code"] for spec, _m, _r in PROGRAMMES]
        ).specific()
    }


@transaction.atomic
def load(stdout=None):
    """Create or refresh the three rules programmes and their learners. Safe to run repeatedly;
    certificate holders are `home.demo_certificates`'s."""
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    programmes = ensure_programmes(ensure_index(site.root_page.specific))
    for person, code, done, then in LEARNERS:
        ensure_learner(person, programmes[code], done, then)
    if stdout is not None:
        for person, code, done, then in LEARNERS:
            stage = {
                None: f"{done} required modules done",
                "fail next": f"{done} required module done, the next check failed once",
                "window closed": f"enrolled {WINDOW_CLOSED_DAYS} days ago: check window closed",
            }[then]
            stdout.write(f"  learner ({code}, {stage}): {person['email']}")
    return programmes
