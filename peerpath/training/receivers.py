"""Everything the training app does when something it depends on changes, connected in
`TrainingConfig.ready()`:

- a module saved (in a way that changes which modules count), deleted or moved: the programme's
  enrolment summaries are recomputed (`progress.refresh_summaries`);
- a new code-of-conduct version or a change of prerequisites: cached programme structures
  (`training.structure`) are out of date, so the page content generation starts anew. Both are
  written after the page's own save announced its change;
- a continuing-education activity logged: it may complete the learner's requirements for full
  certification (`requirements.announce_full_certification`).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import post_page_move

from peerpath import caching

from .models import CodeOfConductVersion, ContinuingEducationActivity, ModulePage
from .progress import refresh_programme_of
from .requirements import announce_full_certification

# Fields whose change alters which modules count towards a programme.
STRUCTURE_FIELDS = {"live", "is_required", "path", "depth"}


def module_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or STRUCTURE_FIELDS & set(update_fields):
        refresh_programme_of(instance)


def module_deleted(sender, instance, **kwargs):
    refresh_programme_of(instance)


def module_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    if issubclass(sender, ModulePage):
        for parent in {parent_page_before.path, parent_page_after.path}:
            refresh_programme_of(instance, parent_path=parent)


def conduct_changed(sender, **kwargs):
    caching.bump_now_and_on_commit(caching.PAGES)


def prerequisites_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        caching.bump_now_and_on_commit(caching.PAGES)


def activity_logged(sender, instance, created, **kwargs):
    if created:
        announce_full_certification(instance.learner)


def connect():
    post_save.connect(
        module_saved, sender=ModulePage, dispatch_uid="peerpath_training.module_saved"
    )
    post_delete.connect(
        module_deleted, sender=ModulePage, dispatch_uid="peerpath_training.module_deleted"
    )
    post_page_move.connect(module_moved, dispatch_uid="peerpath_training.module_moved")
    post_save.connect(
        conduct_changed,
        sender=CodeOfConductVersion,
        dispatch_uid="peerpath.training.structure.conduct",
    )
    post_delete.connect(
        conduct_changed,
        sender=CodeOfConductVersion,
        dispatch_uid="peerpath.training.structure.conduct_gone",
    )
    m2m_changed.connect(
        prerequisites_changed,
        sender=ModulePage.prerequisites.through,
        dispatch_uid="peerpath.training.structure.prerequisites",
    )
    post_save.connect(
        activity_logged,
        sender=ContinuingEducationActivity,
        dispatch_uid="peerpath_training.ce_activity_logged",
    )
