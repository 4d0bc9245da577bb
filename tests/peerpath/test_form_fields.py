"""Model choice fields refuse ids no integer column holds, instead of a database error."""

import pytest
from django import forms
from django.contrib.auth import get_user_model

from peerpath.form_fields import BIGGEST_ID, ModelChoiceField, ModelMultipleChoiceField

pytestmark = pytest.mark.django_db


class ChooseForm(forms.Form):
    one = ModelChoiceField(queryset=get_user_model().objects.all(), required=False)
    many = ModelMultipleChoiceField(queryset=get_user_model().objects.all(), required=False)


@pytest.mark.parametrize(
    "value",
    [str(BIGGEST_ID + 1), str(-BIGGEST_ID - 2), "9" * 40],
    ids=["just-too-big", "just-too-small", "forty-nines"],
)
def test_ids_out_of_range_are_invalid_choices(value):
    form = ChooseForm(data={"one": value, "many": [value]})
    assert not form.is_valid()
    assert form.errors["one"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert "many" in form.errors


def test_real_ids_and_the_biggest_id_still_work(user):
    form = ChooseForm(data={"one": str(user.pk), "many": [str(user.pk)]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["one"] == user
    assert not ChooseForm(data={"one": str(BIGGEST_ID)}).is_valid()  # no such row, no error
