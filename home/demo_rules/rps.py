"""The Recovery Peer Specialist programme (RPS), modelled on Pennsylvania's Certified Peer
Specialist: its code of conduct, modules and renewal requirements, and its demo learner and
certificate holders. `home.demo_rules` describes the programme and each person's stage.
"""

from home.demo_rules.common import ETHICS, OTHER, RECOVERY, TRAUMA, Kind, Role, Stage

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

# --- Demo people ---------------------------------------------------------------------------------

# In the shapes `home.demo_rules.LEARNERS` and `home.demo_rules.HOLDERS` describe.
RPS_LEARNERS = [
    ({"email": "rps.learner@peerpath.example", "name": "Dana Whitlock"}, "RPS", 2, None),
]

RPS_HOLDERS = [
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
]
