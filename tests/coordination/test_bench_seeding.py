"""The benchmark seeding makes what it says (bench/seeding.py), at a small size: the coordination
benchmark's figures are only as good as the data it builds."""

import pytest
from django.db.models import Count

from bench.seeding import ORGANISATIONS, seed_cohorts, seed_learners
from peerpath.coordination.models import Cohort, CohortMember
from peerpath.organisations import roles
from peerpath.organisations.models import OrganisationMembership

pytestmark = pytest.mark.django_db


def test_learners_are_spread_over_the_organisations_named_ones_first(home_page):
    summary = seed_learners(40, organisations=6, largest_share=0.5)
    organisations = summary["organisations"]
    assert [o.name for o in organisations[:3]] == ORGANISATIONS
    assert len({o.pk for o in organisations}) == 6
    assert (summary["learners"], summary["progress"]) == (40, 480)
    sizes = dict(OrganisationMembership.objects.values_list("organisation").annotate(n=Count("pk")))
    assert sum(sizes.values()) == 40
    # The first organisation is the large one the benchmark's coordinator looks after.
    assert sizes[organisations[0].pk] == max(sizes.values())


def test_the_default_stays_three_organisations(home_page):
    summary = seed_learners(10)
    assert [o.name for o in summary["organisations"]] == ORGANISATIONS


def test_cohorts_coordinators_and_the_programme_run_by_every_organisation(home_page):
    organisations = seed_learners(60, organisations=4)["organisations"]
    summary = seed_cohorts(organisations, per_organisation=2, members=10, coordinators=2)

    programme = summary["programme"]
    assert set(programme.organisations.all()) == set(organisations)
    for organisation in organisations:
        cohorts = summary["cohorts"][organisation.pk]
        assert [c.name for c in cohorts] == ["Cohort 1", "Cohort 2"]
        assert [c.memberships.count() for c in cohorts] == [10, 5]
        assert list(cohorts[0].programmes.all()) == [programme]
    # Members are the organisation's own.
    for member in CohortMember.objects.select_related("cohort"):
        assert OrganisationMembership.objects.filter(
            user_id=member.user_id, organisation_id=member.cohort.organisation_id
        ).exists()
    coordinators = summary["coordinators"]
    assert list(coordinators) == [organisations[0].pk, organisations[1].pk]
    for organisation in organisations[:2]:
        assert list(roles.holders(organisation, roles.Role.COORDINATOR)) == [
            coordinators[organisation.pk]
        ]

    # A second call numbers on.
    again = seed_cohorts(organisations[:1], per_organisation=1, members=3, coordinators=1)
    assert [c.name for c in again["cohorts"][organisations[0].pk]] == ["Cohort 3"]
    assert Cohort.objects.filter(organisation=organisations[0]).count() == 3
