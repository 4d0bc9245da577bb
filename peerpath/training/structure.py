"""A programme's structure, cached: what every learner's progress is measured against.

The published modules of a programme (in order, with what the progress tracker needs of each: title,
URL, required or not, estimated minutes, whether it has a knowledge check, pass mark, attempt limit,
prerequisites) and its current code-of-conduct version are the same for every learner and change
only when an editor publishes, unpublishes, moves or deletes the programme or one of its modules.
Loading them costs four queries whose building costs more than running them, so they are cached as
plain, picklable values per programme and content generation (`peerpath.caching.PAGES`, started
anew by every page save, move and delete, every new code-of-conduct version and every change of
prerequisites, which `training.receivers` announces) and layout generation (a site's hostname
changes module URLs).

Nothing here decides anything: `training.progress` reads the structure and applies its rules.
"""

from __future__ import annotations

import dataclasses
import functools
import operator

from django.core.cache import cache
from django.db.models import Q

from peerpath import caching

from .models import CodeOfConductVersion, ModulePage, ProgrammePage


@dataclasses.dataclass(frozen=True, eq=False)
class ModuleOutline:
    """A published module as its programme lists it: everything but its body and questions.

    Stands in for the `ModulePage` in a learner's `ModuleStatus` (and, like a model instance, equals
    whatever stands for the same module); templates link to it with `url`.
    """

    pk: int
    title: str
    slug: str
    url: str
    summary: str
    is_required: bool
    estimated_minutes: int
    has_check: bool
    check_pass_mark: int | None
    check_attempt_limit: int | None
    prerequisite_ids: tuple[int, ...]
    # Only published modules are outlined.
    live: bool = True

    @property
    def id(self):
        return self.pk

    def __eq__(self, other):
        if isinstance(other, ModuleOutline | ModulePage):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self):
        return hash(self.pk)

    def pass_mark_for(self, programme):
        """The pass mark (%) of this module's check: its own, or the programme's default."""
        return self.check_pass_mark or programme.pass_mark


@dataclasses.dataclass(frozen=True)
class ProgrammeStructure:
    """A programme, its published modules in the editors' order and its current code of conduct."""

    programme: ProgrammePage
    modules: tuple[ModuleOutline, ...]
    conduct: CodeOfConductVersion | None


# The attribute a programme that came with its structure carries it in.
MEMO = "peerpath_structure"


def _cache_key(path, tokens):
    return f"peerpath:training:structure:{':'.join(map(str, tokens))}:{path}"


def _build(programmes):
    """Load the structures of `programmes` (ProgrammePage instances) in three queries."""
    in_programmes = functools.reduce(
        operator.or_,
        (Q(path__startswith=p.path, depth=p.depth + 1) for p in programmes),
    )
    modules = list(ModulePage.objects.live().filter(in_programmes).defer("body").order_by("path"))
    prerequisites = {}
    edges = ModulePage.prerequisites.through.objects.filter(
        from_modulepage_id__in=[module.pk for module in modules]
    ).values_list("from_modulepage_id", "to_modulepage_id")
    for module_id, prerequisite_id in edges.order_by("pk"):
        prerequisites.setdefault(module_id, []).append(prerequisite_id)
    conduct = {}
    for version in CodeOfConductVersion.objects.filter(
        programme_id__in=[programme.pk for programme in programmes]
    ).order_by("programme_id", "version"):
        conduct[version.programme_id] = version
    outlines = {programme.path: [] for programme in programmes}
    for module in modules:
        outlines[module.path[: -module.steplen]].append(
            ModuleOutline(
                pk=module.pk,
                title=module.title,
                slug=module.slug,
                url=module.get_url(),
                summary=module.summary,
                is_required=module.is_required,
                estimated_minutes=module.estimated_minutes,
                has_check=module.has_check,
                check_pass_mark=module.check_pass_mark,
                check_attempt_limit=module.check_attempt_limit,
                prerequisite_ids=tuple(prerequisites.get(module.pk, ())),
            )
        )
    return {
        programme.path: ProgrammeStructure(
            programme=programme,
            modules=tuple(outlines[programme.path]),
            conduct=conduct.get(programme.pk),
        )
        for programme in programmes
    }


def structures_for(programmes, request=None):
    """The `ProgrammeStructure` of each of `programmes`, keyed by programme id.

    Cached ones cost one cache read in all; the others are loaded together (four queries) and
    cached. A programme that came from `structure_of_module` carries its structure already.
    """
    structures, missing = {}, {}
    for programme in programmes:
        known = getattr(programme, MEMO, None)
        if known is not None:
            structures[programme.pk] = known
        else:
            missing[programme.path] = programme.pk
    for path, found in _structures_at(list(missing), request).items():
        structures[missing[path]] = found
    return structures


def structure_of_module(module, request=None):
    """The `ProgrammeStructure` of the programme `module` belongs to, or None if it has none."""
    if not module.path:
        return None
    parent_path = module.path[: -module.steplen]
    found = _structures_at([parent_path], request).get(parent_path)
    if found is not None:
        setattr(found.programme, MEMO, found)
    return found


def _structures_at(paths, request):
    if not paths:
        return {}
    tokens = caching.generations(request, caching.PAGES, caching.LAYOUT)
    keys = {path: _cache_key(path, tokens) for path in paths}
    found = cache.get_many(keys.values())
    structures = {path: found[key] for path, key in keys.items() if key in found}
    missing = [path for path in paths if path not in structures]
    if missing:
        programmes = list(ProgrammePage.objects.filter(path__in=missing))
        built = _build(programmes) if programmes else {}
        cache.set_many({keys[path]: value for path, value in built.items()}, caching.TIMEOUT)
        structures.update(built)
    return structures
