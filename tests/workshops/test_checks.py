"""System checks that guard the facilitator-only rule."""

from django.test import override_settings

from peerpath.workshops.checks import check_document_serving


def test_serving_documents_through_django_passes():
    assert check_document_serving(None) == []


@override_settings(WAGTAILDOCS_SERVE_METHOD="direct")
def test_serving_documents_straight_from_storage_is_an_error():
    assert [error.id for error in check_document_serving(None)] == ["peerpath_workshops.E001"]
