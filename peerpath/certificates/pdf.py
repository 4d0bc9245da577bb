"""Certificates on paper: a Django HTML template and print CSS, rendered by WeasyPrint.

This module turns a certificate's snapshot into PDF bytes and knows nothing of the database;
`render.py` stores the result.

Everything the PDF needs comes from this project or its storage: fonts are bundled static files,
images are read through Django's storage API, and the QR code is drawn as inline SVG. The URL
fetcher refuses anything else, so rendering never touches the network.
"""

import ctypes.util
import datetime
import functools
import logging
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from wagtail.images import get_image_model
from wagtail.images.models import get_rendition_storage
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .design import Orientation, PageSize
from .links import verification_url

logger = logging.getLogger(__name__)

FONTS = {
    "sans": "certificates/fonts/DejaVuSans.ttf",
    "sans_bold": "certificates/fonts/DejaVuSans-Bold.ttf",
    "serif": "certificates/fonts/DejaVuSerif.ttf",
    "serif_bold": "certificates/fonts/DejaVuSerif-Bold.ttf",
}

# The printable height inside the @page margins, so the border frames exactly one page.
SHEET_HEIGHTS = {
    ("A4", "landscape"): "185mm",
    ("A4", "portrait"): "272mm",
    ("letter", "landscape"): "191mm",
    ("letter", "portrait"): "254mm",
}

#: Files of Wagtail image renditions, read from the rendition storage.
RENDITION_SCHEME = "rendition:"


def harfbuzz_subset_available():
    """WeasyPrint embeds whole fonts (megabytes per PDF) without HarfBuzz's subsetter."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


@functools.cache
def _font_files():
    """The bundled fonts' files, found like any other static file — once per process: the
    static-files finders walk every app's folder, and a bulk issue renders thousands of PDFs."""
    files = {}
    for key, path in FONTS.items():
        found = finders.find(path)
        if not found:
            raise FileNotFoundError(f"Bundled font missing: {path}")
        files[key] = Path(found).resolve()
    return files


def font_urls():
    """file:// URLs of the bundled fonts."""
    return {key: path.as_uri() for key, path in _font_files().items()}


class LocalOnlyFetcher(URLFetcher):
    """Lets WeasyPrint read the bundled fonts and files in storage, and nothing else."""

    def __init__(self, **kwargs):
        super().__init__(fail_on_errors=False, **kwargs)
        self.font_dirs = {path.parent for path in _font_files().values()}

    def fetch(self, url, headers=None):
        if url.startswith(RENDITION_SCHEME):
            # Renditions live wherever WAGTAILIMAGES_RENDITION_STORAGE says (public media here).
            name = url.removeprefix(RENDITION_SCHEME)
            with get_rendition_storage().open(name, "rb") as handle:
                body = handle.read()
            mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.parent in self.font_dirs:
                return super().fetch(url, headers)
        raise ValueError(f"Certificates do not load external resources: {url[:80]}")


def verification_qr(certificate):
    """The QR code of the verification URL, as a segno QRCode."""
    return segno.make(verification_url(certificate), error="m", micro=False)


def rendition_url(image, spec):
    """A rendition: URL of a Wagtail image for a PDF, or None when there is no image or its file
    cannot be rendered (the document then goes out without it)."""
    if image is None:
        return None
    try:
        return RENDITION_SCHEME + image.get_rendition(spec).file.name
    # A missing or broken image must not stop a document: storage, Pillow and Wagtail each
    # raise their own kinds of error for a file that is gone or unreadable.
    except Exception:  # noqa: BLE001 — logged below, and the document renders without it
        logger.warning("Image %s could not be rendered for a PDF; leaving it out", image.pk)
        return None


def _image_url(image_id, spec):
    """A rendition: URL for the image with this id, or None if it has gone."""
    if not image_id:
        return None
    return rendition_url(get_image_model().objects.filter(pk=image_id).first(), spec)


def render_html(certificate):
    """The certificate as print-ready HTML, built only from the certificate's snapshot."""
    design = certificate.design
    qr = verification_qr(certificate)
    page_size = design.get("page_size", PageSize.A4)
    orientation = design.get("orientation", Orientation.LANDSCAPE)
    context = {
        "certificate": certificate,
        "design": design,
        "accent": design.get("accent_colour", "#1d5c63"),
        "page_size": page_size,
        "orientation": orientation,
        "sheet_height": SHEET_HEIGHTS.get((page_size, orientation), "185mm"),
        "fonts": font_urls(),
        "logo_url": _image_url(design.get("logo_id"), "max-600x240"),
        "signature_url": _image_url(design.get("signature_image_id"), "max-600x160"),
        "qr_svg": qr.svg_inline(scale=4, border=0, dark="#1f2933", omitsize=True),
        "verify_url": verification_url(certificate),
        "valid_until": (
            certificate.expires_on - datetime.timedelta(days=1) if certificate.expires_on else None
        ),
    }
    return render_to_string("certificates/pdf/certificate.html", context)


def html_to_pdf(html):
    """Render HTML to PDF bytes with the local-only fetcher."""
    return HTML(string=html, url_fetcher=LocalOnlyFetcher(), base_url=None).write_pdf()


def render_pdf(certificate):
    """The certificate's PDF as bytes (not stored)."""
    return html_to_pdf(render_html(certificate))
