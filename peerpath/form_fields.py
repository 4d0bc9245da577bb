"""Form fields that choose rows by id, safe with any id a client sends.

Django's model choice fields look up whatever was posted. An id beyond the database's integer
range (9223372036854775808, say) makes SQLite raise OverflowError while binding it: a 500 instead
of "Select a valid choice". These fields refuse such ids as invalid choices before any query;
every PeerPath form that chooses a row uses them.
"""

from django import forms
from django.core.exceptions import ValidationError

#: The largest id a 64-bit integer column holds (SQLite and PostgreSQL bigint alike).
BIGGEST_ID = 2**63 - 1


def _out_of_range(value):
    """Whether `value` is a whole number no integer column can hold."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False  # not a number at all: Django's own check answers it
    return not -BIGGEST_ID - 1 <= number <= BIGGEST_ID


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)[:40]},
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        for item in value if isinstance(value, list | tuple) else []:
            if _out_of_range(item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(item)[:40]},
                )
        return super().clean(value)
