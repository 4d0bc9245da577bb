"""Signals the training app sends. Other apps (certificates) subscribe in their AppConfig.ready()."""

from django.dispatch import Signal

# Sent once per completion, after the transaction that recorded it commits.
# sender: ProgrammePage; kwargs: enrolment (Enrolment), user, programme (ProgrammePage),
# completed_at (datetime).
programme_completed = Signal()

# Sent when a learner's signed-off practice completes the programme's requirements for full
# certification, after the transaction that recorded it commits.
# sender: ProgrammePage; kwargs: user, programme (ProgrammePage).
full_certification_requirements_met = Signal()
