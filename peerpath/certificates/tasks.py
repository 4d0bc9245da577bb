"""Background work for certificates, run by the tasks framework Wagtail uses (django_tasks).

Jobs carry ids only, never names or e-mail addresses: a queue (Redis) is no place for personal
data, and the job reads what it needs when it runs.
"""

import logging

from django_tasks import task

from .models import Certificate
from .render import store_pdf

logger = logging.getLogger(__name__)


@task()
def render_certificate_pdf(certificate_id):
    """Render and store a certificate's PDF, once. Safe to retry and to run twice."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None or certificate.pdf:
        return None
    try:
        store_pdf(certificate)
    except Exception:
        logger.exception("Could not render the PDF of certificate %s", certificate_id)
        raise
    return certificate.pdf.name


def enqueue_render(certificate_id):
    """Queue the rendering of a certificate's PDF. A queue that refuses the job (Redis down) is
    logged, not raised: the caller's work is done, the download page asks again, and
    `issue_owed_certificates` renders whatever is still missing."""
    try:
        render_certificate_pdf.enqueue(certificate_id)
    except Exception:
        logger.exception("Could not queue the PDF of certificate %s", certificate_id)
