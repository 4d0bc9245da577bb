"""Demo content for the training app: the "Peer Support Group Facilitator Foundations" programme.

`load()` is idempotent. Pages are found by slug under their parent and only get a new revision when
their demo content differs from what is stored; block and choice ids are derived from the module
slug and position (UUID5), so re-running produces identical StreamField data and learners'
recorded answers keep pointing at the same questions.

The helpers that build programmes (`sync_programme`, `sync_page`) and study them as a learner would
(`answers`, `complete_module`) also build the certification-rules programmes in
`home.demo_rules`.
"""

import json
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Site

from peerpath.training import progress
from peerpath.training.models import ModulePage, ModuleProgress, ProgrammePage, TrainingIndexPage

NAMESPACE = uuid.UUID("6f1c1f0e-5a0b-4c55-9a57-2d1f3b7c9e10")

# The demo site's learner account (created by the home app's demo, which runs first).
DEMO_LEARNER_EMAIL = "learner@peerpath.example"

INDEX = {
    "slug": "programmes",
    "title": "Training programmes",
    "show_in_menus": True,
    "intro": (
        "<p>Online training for people who facilitate peer support in mental health. Study at "
        "your own pace, check what you have learned as you go, and earn a certificate that "
        "anyone can verify.</p>"
    ),
}

CODE_OF_CONDUCT = """\
<h3>As a peer support facilitator, I will:</h3>
<ol>
<li><b>Listen without judgement.</b> I will give every member the same respect and attention, \
whatever their diagnosis, background or story.</li>
<li><b>Keep the group safe.</b> I will agree ground rules with the group, keep to them, and step \
in calmly when they are broken.</li>
<li><b>Protect confidentiality, honestly.</b> What members share stays in the group, and I will \
explain clearly that I must act if someone is at serious risk of harm.</li>
<li><b>Share my own experience with care.</b> I will share only what helps the group, and never \
to meet my own needs.</li>
<li><b>Keep clear boundaries.</b> I will not give medical, legal or financial advice, lend or \
borrow money, or start relationships that could harm a member or the group.</li>
<li><b>Challenge stigma and discrimination.</b> I will make the group welcoming to everyone and \
will not tolerate discriminatory language or behaviour in it.</li>
<li><b>Signpost to professional help.</b> When someone needs more than peer support can offer, I \
will help them reach it, and in an emergency I will contact the emergency services.</li>
<li><b>Look after myself.</b> I will use supervision and support, and step back when I am not \
well enough to facilitate safely.</li>
</ol>
"""

PROGRAMME = {
    "slug": "peer-support-group-facilitator-foundations",
    "title": "Peer Support Group Facilitator Foundations",
    "credential_name": "Peer Support Group Facilitator",
    "credential_code": "PSGF",
    "validity_months": 24,
    "pass_mark": 75,
    "summary": (
        "Everything you need to start facilitating a peer support group in mental health: what "
        "peer support is and why it helps, the forms it takes, how to keep a group safe, how to "
        "look after your boundaries and yourself, how to challenge stigma, and when to help "
        "someone reach professional support."
    ),
    "learning_outcomes": [
        "Explain what peer support is and how it differs from professional care.",
        "Describe the benefits of peer support and the forms it takes.",
        "Set up and run a group session that feels safe for everyone in it.",
        "Keep healthy personal boundaries and look after your own wellbeing.",
        "Recognise stigma and make your group welcoming to everyone.",
        "Recognise when someone needs professional help and signpost them to it.",
    ],
    "code_of_conduct": CODE_OF_CONDUCT,
}

# Each module: slug, title, summary, minutes, required, prerequisites (slugs), body and questions.
# Body items are (block type, value); questions are (prompt, kind, [(choice, correct)], why).
MODULES = [
    {
        "slug": "welcome",
        "title": "Welcome: how this training works",
        "summary": "How the programme is organised, how to get the most from it, and how to look "
        "after yourself while you study.",
        "minutes": 10,
        "body": [
            (
                "text",
                "<p>Welcome, and thank you for choosing to support others. Peer support groups "
                "do their best work when they are led by facilitators who are trained and "
                "supported, and this programme is the first step.</p>"
                "<h2>How the programme works</h2>"
                "<p>There are nine short modules, eight of them required. Most end with a "
                "knowledge check of four questions; you pass with 75% or more, and you can try "
                "again as often as you need. After each check you will see which answers were "
                "right and why.</p>"
                "<p>Some modules build on earlier ones, so they open once you have completed "
                "those. One module, on keeping a group going, is optional.</p>"
                "<p>When you have completed every required module, you read and agree to the "
                "facilitators' code of conduct. That completes the programme and earns your "
                "certificate.</p>",
            ),
            (
                "key_points",
                (
                    "Before you start",
                    [
                        "Work at your own pace; your progress is saved as you go.",
                        "Reflection questions are private: only you can read your answers.",
                        "Your certificate is valid for two years, then you renew it.",
                    ],
                ),
            ),
            (
                "callout",
                (
                    "important",
                    "Look after yourself while you study",
                    "<p>Some topics may bring back difficult memories. Take breaks when you "
                    "need them. If you are struggling, talk to someone you trust, and if you "
                    "are in danger use the help lines at the bottom of every page.</p>",
                ),
            ),
        ],
        "questions": [],
    },
    {
        "slug": "what-peer-support-is",
        "title": "What peer support is",
        "summary": "People with shared experience helping one another: what peer support "
        "means in mental health, and what makes it different from professional care.",
        "minutes": 25,
        "body": [
            (
                "text",
                "<p>Peer support in mental health is people with shared experiences and "
                "challenges coming together to help one another. The help can be emotional "
                "(being listened to and understood), practical (ideas for getting through the "
                "week) or informational (knowing what services exist and how they work).</p>"
                "<h2>Why shared experience matters</h2>"
                "<p>Peer support rests on a simple idea: someone who has been through something "
                "similar can offer a kind of understanding and empathy that professionals, "
                "however skilled, may not always be able to give. Hearing “me too” from "
                "someone who has lived it can be a powerful relief.</p>"
                "<p>Peer support does not replace professional care. It sits alongside it, and "
                "part of a facilitator's job is knowing where one ends and the other begins.</p>"
                "<h2>The forms it takes</h2>"
                "<p>Peer support happens in support groups, in one-to-one mentoring and in "
                "online forums. Support groups are the most common form: they bring together "
                "people who share a diagnosis or similar struggles, so members discover they "
                "are not alone and learn from each other's ways of coping.</p>",
            ),
            (
                "reflection",
                (
                    "Think of a time someone who had “been there” helped you. What did they do "
                    "or say that made a difference?",
                    "A few sentences are enough. Only you can read your answer.",
                ),
            ),
            (
                "key_points",
                (
                    "Key points",
                    [
                        "Peer support is mutual help between people with shared experience.",
                        "It offers emotional, practical and informational support.",
                        "It complements professional care; it does not replace it.",
                        "Support groups, mentoring and online forums are common forms.",
                    ],
                ),
            ),
        ],
        "questions": [
            (
                "Which description best fits peer support in mental health?",
                "single",
                [
                    ("People with shared experiences helping one another", True),
                    ("A clinician treating a patient's diagnosed condition", False),
                    ("Friends and family taking over someone's responsibilities", False),
                    ("An online directory of mental health services", False),
                ],
                "Peer support is mutual help between people who share experiences and "
                "challenges. Clinical treatment is a different, professional relationship.",
            ),
            (
                "Which kinds of help does peer support offer? Select all that apply.",
                "multiple",
                [
                    ("Emotional support", True),
                    ("Practical support", True),
                    ("Informational support", True),
                    ("Prescribing medication", False),
                ],
                "Peers offer emotional, practical and informational help. Prescribing belongs "
                "to qualified professionals, and peers should never advise on medication.",
            ),
            (
                "What can a peer offer that a professional may not always be able to?",
                "single",
                [
                    ("Understanding that comes from having been through something similar", True),
                    ("A formal diagnosis", False),
                    ("A guaranteed cure", False),
                    ("Advice that overrides a doctor's", False),
                ],
                "Shared lived experience brings a particular kind of empathy. Diagnosis and "
                "treatment remain the work of professionals, and nobody can promise a cure.",
            ),
            (
                "How does peer support relate to professional mental health care?",
                "single",
                [
                    ("It works alongside professional care", True),
                    ("It replaces professional care once someone joins a group", False),
                    ("It is only for people who have finished treatment", False),
                    ("It should be kept secret from professionals", False),
                ],
                "Peer support complements professional care. Members can use both, and "
                "facilitators help people reach professional help when they need it.",
            ),
        ],
    },
    {
        "slug": "benefits-of-peer-support",
        "title": "The benefits of peer support",
        "summary": "Why people come back to peer support: empathy, new ways of coping, less "
        "stigma, better wellbeing and lasting connection.",
        "minutes": 20,
        "prerequisites": ["what-peer-support-is"],
        "body": [
            (
                "text",
                "<p>Peer support benefits the people who take part and the wider mental health "
                "community. Knowing these benefits helps you explain to new members what a "
                "group can offer, and notice when your group is delivering them.</p>"
                "<h2>Five benefits</h2>"
                "<ol>"
                "<li><b>Empathy and understanding.</b> A good group is a safe space to share "
                "and be heard without judgement, and members grow in empathy for each "
                "other.</li>"
                "<li><b>Coping strategies.</b> Members pick up new ways of coping from people "
                "who have faced similar challenges, and build a stronger support system.</li>"
                "<li><b>Less stigma.</b> Talking openly about mental health challenges the "
                "stigma around it, which can encourage more people to seek help.</li>"
                "<li><b>Better mental health.</b> Research has linked peer support with fewer "
                "symptoms, higher self-esteem and better overall wellbeing.</li>"
                "<li><b>Connection.</b> Members build a network of friends and allies who "
                "understand, which brings ongoing support and a sense of belonging.</li>"
                "</ol>",
            ),
            (
                "callout",
                (
                    "tip",
                    "Benefits depend on the group being run well",
                    "<p>None of these benefits is automatic. They come from groups that feel "
                    "safe, welcoming and well facilitated, which is what the rest of this "
                    "programme is about.</p>",
                ),
            ),
        ],
        "questions": [
            (
                "Which of these are benefits of peer support? Select all that apply.",
                "multiple",
                [
                    ("Learning new coping strategies from others", True),
                    ("A sense of belonging and connection", True),
                    ("Reduced stigma around mental health", True),
                    ("No longer needing any professional help", False),
                ],
                "Coping strategies, connection and reduced stigma are all benefits. Peer support "
                "complements professional help; it does not make it unnecessary.",
            ),
            (
                "How can peer support help reduce the stigma of mental health conditions?",
                "single",
                [
                    ("By people discussing mental health openly", True),
                    ("By keeping members' conditions hidden from each other", False),
                    ("By only admitting people without a diagnosis", False),
                    ("By avoiding the words “mental health”", False),
                ],
                "Open conversation challenges stigma, and less stigma can encourage more people "
                "to seek help and support.",
            ),
            (
                "Which outcomes has research linked with peer support?",
                "single",
                [
                    ("Reduced symptoms, higher self-esteem and better wellbeing", True),
                    ("A guaranteed end to all symptoms", False),
                    ("No measurable difference at all", False),
                    ("Worse outcomes for most participants", False),
                ],
                "Studies have found improved mental health outcomes, including fewer symptoms "
                "and better self-esteem and wellbeing. No approach guarantees a cure.",
            ),
            (
                "A member says they feel misunderstood by everyone around them. Which benefit "
                "of a peer group speaks most directly to that?",
                "single",
                [
                    ("Being heard without judgement by people who understand", True),
                    ("Getting a diagnosis quickly", False),
                    ("Being told to think more positively", False),
                    ("Receiving financial advice", False),
                ],
                "Feeling understood is at the heart of peer support: a safe space to share and "
                "be heard without judgement by people with similar experiences.",
            ),
        ],
    },
    {
        "slug": "types-of-peer-support",
        "title": "Types of peer support",
        "summary": "Support groups, one-to-one mentoring, online forums, and workshops and "
        "training: how each works and who it suits.",
        "minutes": 20,
        "prerequisites": ["what-peer-support-is"],
        "body": [
            (
                "text",
                "<p>Peer support comes in several forms. Knowing them helps you suggest the "
                "right one when a group is not what someone needs.</p>"
                "<h2>Support groups</h2>"
                "<p>The most common form. People with similar experiences meet to share their "
                "stories, offer each other ideas and give emotional support. This programme "
                "prepares you to facilitate them.</p>"
                "<h2>One-to-one mentoring</h2>"
                "<p>Someone is paired with a mentor who has had similar experiences and who "
                "offers personal support, guidance and encouragement. It can suit people who "
                "find groups daunting.</p>"
                "<h2>Online forums</h2>"
                "<p>Online spaces let people connect, share and ask for advice from home. They "
                "can reach people who cannot travel or who are not ready to meet in person.</p>"
                "<h2>Workshops and training</h2>"
                "<p>Events where people build skills and understand their condition better, "
                "while meeting others in a similar position.</p>",
            ),
            (
                "key_points",
                (
                    "Key points",
                    [
                        "Support groups are the most common form of peer support.",
                        "Mentoring pairs one person with a peer who has been there.",
                        "Online forums connect people from the comfort of home.",
                        "Workshops combine learning skills with meeting others.",
                    ],
                ),
            ),
        ],
        "questions": [
            (
                "What is the most common form of peer support?",
                "single",
                [
                    ("Support groups", True),
                    ("Online forums", False),
                    ("One-to-one mentoring", False),
                    ("Workshops", False),
                ],
                "Support groups, where people with similar experiences meet to share and "
                "support each other, are the most common form.",
            ),
            (
                "Someone finds groups overwhelming but would like support from a person who "
                "has been through something similar. What might suit them best?",
                "single",
                [
                    ("One-to-one mentoring", True),
                    ("A large workshop", False),
                    ("Nothing: peer support is only for groups", False),
                    ("Waiting until they feel ready for a group", False),
                ],
                "Mentoring pairs someone with a peer for personal support, guidance and "
                "encouragement, which can suit people who find groups daunting.",
            ),
            (
                "What is a particular strength of online forums?",
                "single",
                [
                    ("People can connect and seek advice from the comfort of home", True),
                    ("They guarantee that every piece of advice is accurate", False),
                    ("They replace the need for any other support", False),
                    ("They are moderated by doctors", False),
                ],
                "Online forums let people connect from home. Advice shared online still needs "
                "care, and forums are not a substitute for professional help.",
            ),
            (
                "Which statements about workshops and training are true? Select all that apply.",
                "multiple",
                [
                    ("They help people develop new skills", True),
                    ("They can deepen understanding of a condition", True),
                    ("They offer chances to connect with others", True),
                    ("They are a form of clinical treatment", False),
                ],
                "Workshops build skills and understanding while bringing people together. They "
                "are a form of peer support, not clinical treatment.",
            ),
        ],
    },
    {
        "slug": "running-a-group-safely",
        "title": "Running a group safely",
        "summary": "Ground rules, confidentiality and its limits, welcoming new members, "
        "sharing the time fairly, and what to do when a session gets difficult.",
        "minutes": 35,
        "prerequisites": ["types-of-peer-support"],
        "body": [
            (
                "text",
                "<p>Not every peer support programme is run well. The difference between a "
                "group that helps and one that harms is often the facilitator: groups work "
                "best when they are well run, well supported and led by trained people.</p>"
                "<h2>Agree ground rules together</h2>"
                "<p>At the first session, and whenever someone new joins, agree a short set of "
                "group agreements: what is said in the group stays in the group; one person "
                "speaks at a time; we listen without judging; nobody has to share; we do not "
                "give medical advice. Write them down and come back to them when needed.</p>"
                "<h2>Be honest about confidentiality</h2>"
                "<p>Explain at the start that you keep what is shared private, with one "
                "exception: if someone is at serious risk of harm, you will act to keep them "
                "or others safe. Never promise confidentiality you cannot keep.</p>"
                "<h2>Share the space</h2>"
                "<p>Give everyone a chance to speak and nobody a duty to. Gently bring the group "
                "back when one voice dominates, and check in with people who are quiet, without "
                "putting them on the spot.</p>"
                "<h2>When things get difficult</h2>"
                "<p>If someone becomes very distressed, stay calm, slow things down and offer "
                "them a break, with someone they trust if possible. Follow up afterwards. If "
                "anyone is in immediate danger, call the emergency services.</p>",
            ),
            (
                "callout",
                (
                    "important",
                    "Plan for safety before the first session",
                    "<p>Know the emergency number and the local crisis services for where your "
                    "group meets, have a co-facilitator or someone you can call, and know who "
                    "supports you after a hard session.</p>",
                ),
            ),
            (
                "reflection",
                (
                    "Which group agreement do you think matters most for the group you will "
                    "run, and how will you introduce it?",
                    "",
                ),
            ),
        ],
        "questions": [
            (
                "When should a group agree its ground rules?",
                "single",
                [
                    ("At the first session, and revisit them when new people join", True),
                    ("Only after a problem has happened", False),
                    ("Never: rules make groups feel formal", False),
                    ("The facilitator decides them privately", False),
                ],
                "Agreeing ground rules together at the start, and revisiting them, gives "
                "everyone a shared sense of how the group keeps itself safe.",
            ),
            (
                "What should you tell a group about confidentiality?",
                "single",
                [
                    (
                        "What is shared stays private, unless someone is at serious risk of harm",
                        True,
                    ),
                    ("Everything said is always kept secret, whatever happens", False),
                    ("Nothing said in the group is private", False),
                    ("Confidentiality is not worth mentioning", False),
                ],
                "Be honest about the one limit: you must act if someone is at serious risk. "
                "Promising total secrecy is a promise you may not be able to keep.",
            ),
            (
                "One member speaks for most of each session. What is a good response?",
                "single",
                [
                    ("Acknowledge them and gently open the space to others", True),
                    ("Ask them to leave the group", False),
                    ("Say nothing: it is not your place", False),
                    ("Criticise them in front of the group", False),
                ],
                "A fair share of time is part of a safe group. Acknowledge the speaker and "
                "invite others in, kindly and without shaming anyone.",
            ),
            (
                "Which of these help keep a group safe? Select all that apply.",
                "multiple",
                [
                    ("Trained facilitators", True),
                    ("Agreed ground rules", True),
                    ("Knowing local crisis services before the first session", True),
                    ("Requiring everyone to share something each week", False),
                ],
                "Training, agreements and a safety plan all help. Nobody should have to share: "
                "pressure to speak can make a group feel unsafe.",
            ),
        ],
    },
    {
        "slug": "boundaries-and-self-care",
        "title": "Boundaries and self-care",
        "summary": "Peer support asks people to be open and vulnerable. How to keep healthy "
        "boundaries, share your story with care, and look after yourself.",
        "minutes": 30,
        "prerequisites": ["what-peer-support-is"],
        "body": [
            (
                "text",
                "<p>Peer support asks people to be open and even vulnerable, and that can be "
                "hard. Clear personal boundaries protect members, the group and you.</p>"
                "<h2>What boundaries look like</h2>"
                "<ul>"
                "<li>Be clear about your role: you are a peer and a facilitator, not a "
                "therapist, doctor or rescuer.</li>"
                "<li>Agree when and how members can contact you, and keep to it.</li>"
                "<li>Do not lend or borrow money, or give medical, legal or financial "
                "advice.</li>"
                "<li>Share your own experience only when it helps the group, and never so that "
                "the group ends up looking after you.</li>"
                "</ul>"
                "<h2>Looking after yourself</h2>"
                "<p>Hearing other people's pain can stir up your own. Notice the signs that you "
                "need a rest, such as dreading sessions, sleeping badly or feeling "
                "responsible for everyone. Use supervision or a debrief after sessions, and "
                "seek professional help for yourself when you need it. Stepping back for a "
                "while is a responsible choice, not a failure.</p>",
            ),
            (
                "reflection",
                (
                    "What are your early warning signs that you need a break, and who will "
                    "you talk to when you notice them?",
                    "Only you can read this. Be as honest as you like.",
                ),
            ),
            (
                "key_points",
                (
                    "Key points",
                    [
                        "Boundaries protect members, the group and you.",
                        "Share your experience only when it helps the group.",
                        "Know your warning signs and use supervision.",
                        "Seeking professional help for yourself is part of the job.",
                    ],
                ),
            ),
        ],
        "questions": [
            (
                "Why do boundaries matter so much in peer support?",
                "single",
                [
                    ("Peer support asks people to be open and vulnerable", True),
                    ("They keep members at a distance from each other", False),
                    ("They make the facilitator the expert", False),
                    ("They are a legal formality only", False),
                ],
                "Because people open up, clear boundaries keep that openness safe for "
                "everyone, facilitator included.",
            ),
            (
                "When is it right to share your own experience in the group?",
                "single",
                [
                    ("When it helps the group and is shared with care", True),
                    ("Whenever you need support yourself", False),
                    ("Never, under any circumstances", False),
                    ("Only to show you have had it worse", False),
                ],
                "Sharing lived experience is part of peer support, but its purpose is the "
                "group's benefit, not meeting your own needs.",
            ),
            (
                "Which of these are healthy boundaries for a facilitator? Select all that apply.",
                "multiple",
                [
                    ("Agreeing when and how members can contact you", True),
                    ("Not lending money to members", True),
                    ("Not giving medical advice", True),
                    ("Being available to every member at any hour", False),
                ],
                "Clear contact arrangements and staying out of money and medical advice are "
                "healthy boundaries. Being always available leads to burnout.",
            ),
            (
                "You have been dreading sessions and sleeping badly. What should you do?",
                "single",
                [
                    ("Talk to your supervisor and consider stepping back for a while", True),
                    ("Keep going without telling anyone", False),
                    ("Share your problems with the group instead of facilitating", False),
                    ("Stop answering messages without explanation", False),
                ],
                "These are warning signs. Use your support, and if needed step back "
                "responsibly. Seeking help for yourself is part of good practice.",
            ),
        ],
    },
    {
        "slug": "stigma-and-inclusion",
        "title": "Stigma and inclusion",
        "summary": "Stigma and discrimination can happen inside peer support groups too. How to "
        "recognise them and make your group welcoming to everyone.",
        "minutes": 25,
        "body": [
            (
                "text",
                "<p>Peer support can help reduce the stigma around mental health. But people "
                "can still meet stigma and discrimination inside a group, and that can stop "
                "them asking for help or coming back.</p>"
                "<h2>What it can look like</h2>"
                "<ul>"
                "<li>Ranking conditions, as if some diagnoses were more “real” or more "
                "acceptable than others.</li>"
                "<li>Jokes or labels that belittle people.</li>"
                "<li>Assumptions about someone because of their age, ethnicity, faith, "
                "gender, sexuality, disability or background.</li>"
                "<li>A group that only ever feels comfortable for its longest-standing "
                "members.</li>"
                "</ul>"
                "<h2>Making the group welcoming</h2>"
                "<p>Use person-first, respectful language and model it. Include respect in the "
                "group agreements and address breaches promptly and calmly, in the moment or "
                "privately afterwards. Think about access: the venue, the time, the cost of "
                "getting there, and whether an online option would help people who cannot "
                "attend in person.</p>",
            ),
            (
                "reflection",
                (
                    "Who might find it hard to join your group, and what could you change to "
                    "make them feel welcome?",
                    "",
                ),
            ),
        ],
        "questions": [
            (
                "Can stigma and discrimination happen inside a peer support group?",
                "single",
                [
                    ("Yes, and it can stop people seeking help", True),
                    ("No, shared experience prevents it", False),
                    ("Only in online groups", False),
                    ("Only if the facilitator is untrained", False),
                ],
                "Shared experience does not make a group immune. Stigma inside a group can "
                "stop people from seeking the help and support they need.",
            ),
            (
                "A member jokes that another member's diagnosis “isn't a real illness”. What "
                "is the best response?",
                "single",
                [
                    ("Calmly point back to the group's agreement on respect", True),
                    ("Laugh along to keep the mood light", False),
                    ("Ignore it and move on", False),
                    ("Ask the other member to justify their diagnosis", False),
                ],
                "Address it promptly and calmly, referring to the agreement everyone made. "
                "Letting it pass tells the group that such comments are acceptable.",
            ),
            (
                "Which of these make a group more inclusive? Select all that apply.",
                "multiple",
                [
                    ("Using respectful, person-first language", True),
                    ("Choosing an accessible venue and time", True),
                    ("Offering an online option where possible", True),
                    ("Keeping the group for long-standing members only", False),
                ],
                "Language, access and flexible formats all widen who can take part. A closed "
                "circle of regulars makes newcomers feel unwelcome.",
            ),
            (
                "How does open discussion in peer support affect stigma more widely?",
                "single",
                [
                    ("It helps reduce stigma, encouraging more people to seek help", True),
                    ("It increases stigma by drawing attention to conditions", False),
                    ("It has no effect on stigma", False),
                    ("It only matters to professionals", False),
                ],
                "Talking openly about mental health challenges stigma, which can encourage more "
                "people to seek help and support.",
            ),
        ],
    },
    {
        "slug": "signposting-to-professional-help",
        "title": "When and how to signpost to professional help",
        "summary": "Recognising when someone needs more than peer support can offer, helping "
        "them reach it, and what to do in an emergency.",
        "minutes": 30,
        "prerequisites": ["running-a-group-safely"],
        "body": [
            (
                "text",
                "<p>Peer support is powerful, and it has limits. Part of facilitating well is "
                "recognising when someone needs professional help, and helping them get it.</p>"
                "<h2>Signs someone may need more support</h2>"
                "<ul>"
                "<li>They talk about wanting to die, harming themselves or harming someone "
                "else.</li>"
                "<li>Their mental health is getting steadily worse, or they cannot cope with "
                "daily life.</li>"
                "<li>They describe symptoms that are new, severe or frightening to them.</li>"
                "<li>They ask for advice that only a professional should give, for example "
                "about medication.</li>"
                "</ul>"
                "<h2>How to signpost well</h2>"
                "<p>Talk privately and kindly. Say what you have noticed and ask what they "
                "think would help. Share specific options, such as their GP or doctor, their "
                "care team, a crisis line or a local service, and offer to help them make the "
                "first contact. Afterwards, check in with them and debrief with your "
                "supervisor.</p>"
                "<h2>In an emergency</h2>"
                "<p>If someone is in immediate danger, call the emergency services. Stay with "
                "them if it is safe to do so. Their safety comes before confidentiality.</p>",
            ),
            (
                "callout",
                (
                    "important",
                    "Know your local services",
                    "<p>Before you run a group, write down the emergency number, the crisis "
                    "lines and the local services for where you meet. The help lines at the "
                    "bottom of every page on this site are a start.</p>",
                ),
            ),
            (
                "key_points",
                (
                    "Key points",
                    [
                        "Peer support has limits; knowing them is part of the role.",
                        "Signpost privately, kindly and specifically, then follow up.",
                        "In an emergency, call the emergency services.",
                        "Safety comes before confidentiality.",
                    ],
                ),
            ),
        ],
        "questions": [
            (
                "A member says they have been thinking about ending their life and has a plan "
                "for tonight. What should you do?",
                "single",
                [
                    ("Treat it as an emergency: call the emergency services", True),
                    ("Suggest they mention it at next week's session", False),
                    ("Keep it confidential as the group agreed", False),
                    ("Change the subject to avoid upsetting the group", False),
                ],
                "Immediate danger is an emergency. Call the emergency services and stay with "
                "them if it is safe. Safety comes before confidentiality.",
            ),
            (
                "Which of these suggest someone may need professional help? Select all that apply.",
                "multiple",
                [
                    ("Talking about harming themselves", True),
                    ("Struggling more and more to cope with daily life", True),
                    ("Asking whether to stop taking their medication", True),
                    ("Having a hard week and wanting to talk about it", False),
                ],
                "Risk of harm, steady decline and medical questions all call for professional "
                "help. A hard week shared with the group is what peer support is for.",
            ),
            (
                "What makes signposting effective?",
                "single",
                [
                    ("Specific options, help with first contact, and a follow-up", True),
                    ("Telling the person the group can no longer help them", False),
                    ("Giving them a long list of websites and leaving it there", False),
                    ("Deciding for them which treatment they need", False),
                ],
                "Good signposting is private, kind and specific, offers practical help to make "
                "contact, and checks in afterwards.",
            ),
            (
                "A member asks you whether to change their medication dose. How do you respond?",
                "single",
                [
                    ("Encourage them to speak to their doctor or pharmacist", True),
                    ("Share what worked for you", False),
                    ("Tell them to stop taking it if it makes them feel bad", False),
                    ("Ask the group to vote on it", False),
                ],
                "Medication questions are for professionals. Peers can listen and help the "
                "person prepare for that conversation, but must not advise.",
            ),
        ],
    },
    {
        "slug": "keeping-a-group-going",
        "title": "Keeping a group going (optional)",
        "summary": "Peer support needs resources to last: funding, a place to meet, trained "
        "people and support for facilitators.",
        "minutes": 15,
        "required": False,
        "body": [
            (
                "text",
                "<p>Peer support programmes succeed when they have what they need: funding, "
                "a suitable place to meet, trained staff or volunteers, and support for the "
                "people who run them.</p>"
                "<h2>Planning for the long term</h2>"
                "<ul>"
                "<li>Share the load: train a co-facilitator so the group does not depend on "
                "one person.</li>"
                "<li>Find out what your organisation, local council or charities can offer in "
                "funding, rooms or training.</li>"
                "<li>Keep simple records of attendance and feedback; they help you make the "
                "case for resources.</li>"
                "<li>Make sure facilitators have regular supervision or a debrief.</li>"
                "</ul>",
            ),
        ],
        "questions": [
            (
                "Which resources help a peer support programme succeed? Select all that apply.",
                "multiple",
                [
                    ("Adequate funding", True),
                    ("Trained staff or volunteers", True),
                    ("Support for facilitators", True),
                    ("A single facilitator who never takes a break", False),
                ],
                "Funding, trained people and facilitator support help programmes last. "
                "Relying on one person who never rests puts the group and them at risk.",
            ),
            (
                "Why train a co-facilitator?",
                "single",
                [
                    ("So the group does not depend on one person", True),
                    ("So you can stop attending altogether", False),
                    ("To have someone to blame if things go wrong", False),
                    ("Because groups are not allowed to have one facilitator", False),
                ],
                "Sharing the role keeps the group going when one facilitator is unwell or "
                "away, and gives each facilitator support.",
            ),
            (
                "How can simple attendance and feedback records help a group?",
                "single",
                [
                    ("They help make the case for funding and resources", True),
                    ("They let you share members' stories outside the group", False),
                    ("They replace the need for ground rules", False),
                    ("They are needed to diagnose members", False),
                ],
                "Anonymous numbers and feedback show the value of the group to funders. "
                "Members' stories stay confidential.",
            ),
            (
                "Where might a group find rooms, funding or training?",
                "single",
                [
                    ("Its organisation, the local council or charities", True),
                    ("Only from members' own pockets", False),
                    ("Nowhere: groups must be self-funded", False),
                    ("From selling members' contact details", False),
                ],
                "Organisations, councils and charities often support peer groups with rooms, "
                "grants or training. Members' details are never for sale.",
            ),
        ],
    },
]


def _id(*parts):
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


def body_blocks(slug, items):
    """A module body's StreamField data from (block type, value) pairs; ids derive from `slug`."""
    blocks = []
    for position, (block_type, value) in enumerate(items):
        if block_type == "key_points":
            title, points = value
            value = {"title": title, "points": points}
        elif block_type == "callout":
            tone, title, text = value
            value = {"tone": tone, "title": title, "text": text}
        elif block_type == "reflection":
            prompt, guidance = value
            value = {"prompt": prompt, "guidance": guidance}
        blocks.append({"type": block_type, "id": _id(slug, "body", position), "value": value})
    return blocks


def _shuffled(choices, slug, number):
    """Rotate the choices by a fixed amount so the right answer is not always first."""
    turn = (number * 3 + len(slug)) % len(choices)
    return choices[turn:] + choices[:turn]


def question_blocks(slug, questions):
    """A knowledge check's StreamField data from (prompt, kind, [(choice, correct)], why)."""
    return [
        {
            "type": "question",
            "id": _id(slug, "question", number),
            "value": {
                "prompt": prompt,
                "kind": kind,
                "choices": _shuffled(
                    [
                        {
                            "type": "item",
                            "id": _id(slug, "question", number, "choice", position),
                            "value": {"text": text, "is_correct": correct},
                        }
                        for position, (text, correct) in enumerate(choices)
                    ],
                    slug,
                    number,
                ),
                "explanation": explanation,
            },
        }
        for number, (prompt, kind, choices, explanation) in enumerate(questions)
    ]


def answers(module, correct=True):
    """Answers to the module's knowledge check, keyed as `progress.submit_check` takes them:
    the right ones, or (correct=False) one wrong choice per question."""
    return {
        block.id: [
            item.id
            for item in block.value["choices"].bound_blocks
            if item.value["is_correct"] is correct
        ][: None if correct else 1]
        for block in module.check_questions
    }


def _stored(page, name):
    """A field's value in a comparable form (StreamFields as their JSON)."""
    field = page._meta.get_field(name)
    value = getattr(page, name)
    if hasattr(field, "stream_block"):
        return json.dumps(field.get_prep_value(value), sort_keys=True, default=str)
    return value


def _wanted(page, name, value):
    field = page._meta.get_field(name)
    if hasattr(field, "stream_block"):
        return json.dumps(field.get_prep_value(field.to_python(value)), sort_keys=True, default=str)
    return value


def _requirement_rows(requirements):
    return [
        (
            r.stage,
            r.kind,
            Decimal(r.minimum),
            r.session_role,
            r.count_self_reported,
            r.category_id,
        )
        for r in requirements
    ]


def sync_page(parent, model, slug, fields, prerequisites=None, requirements=None):
    """Create the page under `parent`, or update it if its demo content changed; else leave it.

    `prerequisites` (modules) and `requirements` (unsaved `ProgrammeRequirement`s, in order) are
    compared as sets and lists of their values; None leaves them alone.
    """
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        if prerequisites is not None:
            page.prerequisites = prerequisites
        if requirements is not None:
            page.requirements = requirements
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    changed = [
        name for name, value in fields.items() if _stored(page, name) != _wanted(page, name, value)
    ]
    for name in changed:
        setattr(page, name, fields[name])
    if prerequisites is not None:
        current = set(page.prerequisites.values_list("pk", flat=True))
        if current != {prerequisite.pk for prerequisite in prerequisites}:
            page.prerequisites = prerequisites
            changed.append("prerequisites")
    if requirements is not None:
        current = _requirement_rows(page.requirements.order_by("sort_order"))
        if current != _requirement_rows(requirements):
            page.requirements = requirements
            changed.append("requirements")
    if changed or not page.live:
        page.save_revision().publish()
    return page


def ensure_index(home):
    """The programmes index under the home page."""
    return sync_page(
        home,
        TrainingIndexPage,
        INDEX["slug"],
        {key: value for key, value in INDEX.items() if key != "slug"},
    )


def sync_programme(index, spec, module_specs, requirements=None):
    """A programme (`spec`: its fields, learning outcomes as strings) and its modules, in order.

    Module specs: slug, title, summary, minutes, body, questions, and optionally required,
    prerequisites (slugs of earlier modules), attempt_limit and ce_category (a category: the
    module is a refresher that counts as continuing education). Returns (programme, modules by
    slug).
    """
    fields = {key: value for key, value in spec.items() if key != "slug"}
    fields["learning_outcomes"] = [
        {"type": "outcome", "id": _id(spec["slug"], "outcome", number), "value": outcome}
        for number, outcome in enumerate(spec["learning_outcomes"])
    ]
    programme = sync_page(index, ProgrammePage, spec["slug"], fields, requirements=requirements)
    modules = {}
    for module in module_specs:
        module_fields = {
            "title": module["title"],
            "summary": module["summary"],
            "estimated_minutes": module["minutes"],
            "is_required": module.get("required", True),
            "check_attempt_limit": module.get("attempt_limit"),
            "ce_category": module.get("ce_category"),
            "body": body_blocks(module["slug"], module["body"]),
            "check_questions": question_blocks(module["slug"], module["questions"]),
        }
        prerequisites = [modules[slug] for slug in module.get("prerequisites", [])]
        modules[module["slug"]] = sync_page(
            programme, ModulePage, module["slug"], module_fields, prerequisites=prerequisites
        )
    return ProgrammePage.objects.get(pk=programme.pk), modules


def ensure_programme(home):
    """The programmes index under the home page and the Foundations programme with its modules."""
    return sync_programme(ensure_index(home), PROGRAMME, MODULES)


def complete_module(user, module):
    """The learner completes the module as they would on the site (passing its knowledge check at
    their next attempt, or marking it complete), unless they already have."""
    row = ModuleProgress.objects.filter(user=user, module=module).first()
    if row is not None and row.completed_at is not None:
        return
    if module.has_check:
        progress.submit_check(user, module, answers(module), (row.attempts if row else 0) + 1)
    else:
        progress.mark_module_complete(user, module)


def ensure_learner_progress(programme, modules):
    """The demo learner is enrolled and has finished the first two modules."""
    learner = get_user_model().objects.filter(email=DEMO_LEARNER_EMAIL).first()
    if learner is None:
        return
    progress.enrol(learner, programme)
    complete_module(learner, modules["welcome"])
    complete_module(learner, modules["what-peer-support-is"])


@transaction.atomic
def load(stdout=None):
    """Create or refresh the training demo content. Safe to run repeatedly."""
    # The training app is installable without the demo site's `home` app: it builds under the
    # default site's root page, which the home demo makes its HomePage.
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    programme, modules = ensure_programme(site.root_page.specific)
    ensure_learner_progress(programme, modules)
    return programme
