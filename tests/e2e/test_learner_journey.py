"""A newcomer becomes a certified facilitator in a real browser: on a desktop and on a phone.

Sign up, enrol, study every module (failing one knowledge check once, then passing it), agree to
the code of conduct, confirm the e-mail address from the link the site sent, find the certificate
on My training, download its PDF and open the link to share, which says **Valid**. axe runs on every kind of page the learner sees on the way.
"""

from tests.e2e.journeys import CREDENTIAL, demo_modules, learner_journey, recorded_learner

FAILED_ONCE = "what-peer-support-is"


def check_recorded(live_site, journey):
    recorded = recorded_learner(live_site, journey.email, FAILED_ONCE)
    module = next(module for module in demo_modules() if module.slug == FAILED_ONCE)
    first_score = round(100 / len(module.questions))
    assert recorded["attempts"] == [[first_score, False], [100, True]], recorded
    assert recorded["completed_modules"] == len(demo_modules()), recorded
    assert recorded["enrolment_completed"], recorded
    assert recorded["attestations"] == 1, recorded
    [(holder, status, code)] = recorded["certificates"]
    assert (holder, status) == (journey.name, "valid"), recorded
    assert journey.verification_url.endswith(f"/certificates/verify/{code}/"), (
        journey.verification_url,
        code,
    )
    assert CREDENTIAL in journey.pdf_text


def test_learner_earns_and_verifies_a_certificate(page, live_site):
    journey = learner_journey(
        page, live_site, name="Robin Ashe", email="robin.ashe@example.org", prefix="learner"
    )
    check_recorded(live_site, journey)


def test_learner_journey_on_a_phone(phone_page, live_site):
    journey = learner_journey(
        phone_page,
        live_site,
        name="Kai Moreno",
        email="kai.moreno@example.org",
        prefix="learner-phone",
    )
    check_recorded(live_site, journey)
