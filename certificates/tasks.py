"""Background work for certificates, run by the tasks framework Wagtail uses (django_tasks)."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def render_certificate_pdf(certificate_id):
    """Render and store a certificate's PDF, once. Safe to retry and to run twice."""
    from .models import Certificate
    from .render import store_pdf

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None or certificate.pdf:
        return None
    try:
        store_pdf(certificate)
    except Exception:
        logger.exception("Could not render the PDF of certificate %s", certificate.number)
        raise
    return certificate.pdf.name
