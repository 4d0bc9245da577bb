"""The Peer Wellness Facilitator programme (PWF), modelled on Georgia's Certified Peer Specialist:
its modules and renewal requirements, and its demo learners and certificate holders.
`home.demo_rules` describes the programme and each person's stage.
"""

from home.demo_rules.common import ETHICS, OTHER, TRAUMA, Kind, Role, Stage
from home.demo_training import CODE_OF_CONDUCT

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

# --- Demo people ---------------------------------------------------------------------------------

# In the shapes `home.demo_rules.LEARNERS` and `home.demo_rules.HOLDERS` describe.
PWF_LEARNERS = [
    ({"email": "pwf.learner@peerpath.example", "name": "Eli Marchetti"}, "PWF", 1, "fail next"),
    ({"email": "pwf.restart@peerpath.example", "name": "Noor Haddad"}, "PWF", 1, "window closed"),
]

PWF_HOLDERS = [
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
]
