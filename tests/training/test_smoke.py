import pytest

pytestmark = pytest.mark.django_db


def test_question_and_choice_ids_survive_a_save(check_module):
    from peerpath.training.models import ModulePage

    reloaded = ModulePage.objects.get(pk=check_module.pk)
    first = reloaded.check_questions[0]
    assert first.id == check_module.check_questions[0].id
    ids = [item.id for item in first.value["choices"].bound_blocks]
    assert all(ids) and len(set(ids)) == 2
    again = ModulePage.objects.get(pk=check_module.pk)
    assert [item.id for item in again.check_questions[0].value["choices"].bound_blocks] == ids
