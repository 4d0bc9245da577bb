"""Audit entries about learners, scoped to the organisations of whoever reads them.

The organisation-scope rule itself lives in `organisations.scope`, above the apps whose log entry
models use this manager (accounts, training, certificates). So that those apps need not import
upwards, the rule reaches this module as a *provider*: the organisations app registers its
`scope_learners` with `register_learner_scope` in its `AppConfig.ready()`. Without a provider,
superusers still see every entry and everyone else sees none (fail closed).
"""

from wagtail.models import BaseLogEntryManager

#: The registered provider: `scope(queryset, user, user_field)` -> the rows `user` may see.
learner_scope = {"provider": None}


def register_learner_scope(scope):
    """Make `scope(queryset, user, user_field)` the rule that narrows learners' audit entries."""
    learner_scope["provider"] = scope


def scope_learner_entries(queryset, user, user_field):
    """Rows of `queryset` about learners `user` may see, by the registered provider (none without
    one)."""
    provider = learner_scope["provider"]
    if provider is None:
        return queryset.none()
    return provider(queryset, user, user_field=user_field)


class LearnerLogEntryManager(BaseLogEntryManager):
    """The manager of a Wagtail log entry model whose entries are each about one learner.

    Wagtail's Site history report, its filters and its exports list what `viewable_by_user`
    returns; Wagtail's own rule is "any permission on the model", which would show every
    learner's entries to every organisation's staff. Here superusers see all, staff with
    `view_permission` see the entries about learners of their organisations, anyone else none.
    Subclasses set `learner_field` (the path from an entry to the learner, e.g.
    "certificate__holder") and `view_permission` ("app_label.codename").
    """

    learner_field = None
    view_permission = None

    def viewable_by_user(self, user):
        if user.is_superuser:
            return self.all()
        if not (user.is_active and user.has_perm(self.view_permission)):
            return self.none()
        return scope_learner_entries(self.all(), user, self.learner_field)
