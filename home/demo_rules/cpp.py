"""The Community Peer Practitioner programme (CPP), modelled on Texas's Peer Specialist: its
modules and its full-certification and renewal requirements, and its demo certificate holders
(supervised by `common.SUPERVISOR`). `home.demo_rules` describes the programme and each
person's stage.
"""

from home.demo_rules.common import ETHICS, Kind, Role, Stage
from home.demo_training import CODE_OF_CONDUCT

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

# --- Demo people ---------------------------------------------------------------------------------

# In the shape `home.demo_rules.HOLDERS` describes.
CPP_HOLDERS = [
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
