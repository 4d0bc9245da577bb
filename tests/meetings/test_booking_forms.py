"""The booking forms: a first name and an e-mail address or a mobile number, nothing more."""

import pytest

from peerpath.meetings.forms import AccountBookingForm, BookingForm, normalise_mobile


def form(**data):
    data = {"first_name": "Ana", "email": "", "phone": "", "access_needs": "", **data}
    return BookingForm(data)


def test_a_first_name_and_an_email_address_are_enough():
    booking_form = form(email="Ana@Example.org")
    assert booking_form.is_valid()
    assert booking_form.cleaned_data["email"] == "ana@example.org"


def test_a_first_name_and_a_mobile_number_are_enough():
    booking_form = form(phone="07400 123456")
    assert booking_form.is_valid()
    assert booking_form.cleaned_data["phone"] == "+447400123456"


def test_without_any_way_to_reach_them_the_form_asks_for_one():
    booking_form = form()
    assert not booking_form.is_valid()
    assert "Give an e-mail address or a mobile number" in str(booking_form.non_field_errors())


def test_the_first_name_is_required():
    booking_form = form(first_name="   ", email="ana@example.org")
    assert not booking_form.is_valid()
    assert "first_name" in booking_form.errors


def test_an_invalid_email_address_is_a_form_error():
    booking_form = form(email="ana@")
    assert not booking_form.is_valid()
    assert "email" in booking_form.errors


@pytest.mark.parametrize("phone", ["12", "not a number", "+44 7400 12", "0" * 40])
def test_an_invalid_mobile_number_is_a_form_error(phone):
    booking_form = form(phone=phone)
    assert not booking_form.is_valid()
    assert "phone" in booking_form.errors


def test_a_landline_is_refused_because_it_cannot_get_texts():
    booking_form = form(phone="020 7946 0000")
    assert not booking_form.is_valid()
    assert "landline" in str(booking_form.errors["phone"])


def test_international_numbers_are_kept_in_e164():
    assert normalise_mobile("+33 6 12 34 56 78") == "+33612345678"


def test_access_needs_longer_than_the_field_allows_are_refused():
    booking_form = form(email="ana@example.org", access_needs="x" * 501)
    assert not booking_form.is_valid()
    assert "access_needs" in booking_form.errors


def test_the_signed_in_form_asks_only_for_access_needs():
    assert list(AccountBookingForm().fields) == ["access_needs"]
    assert AccountBookingForm({}).is_valid()
