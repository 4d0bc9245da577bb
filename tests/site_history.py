"""Wagtail 8.0's Site history report cannot run on SQLite under Django 6.1: its union of every
log model's entries raises "ORDER BY not allowed in subqueries of compound statements" for any
user, superusers included (seen on Wagtail 8.0.1 / Django 6.1.3, with no PeerPath code in the
query's ordering). Tests that open the report skip there; the scoping they check is the same
`viewable_by_user` that other tests call directly on every leg, and the report itself is tested on
Django 5.2 (SQLite) and on PostgreSQL."""

import django
import pytest
from django.db import connection

report_runs_here = pytest.mark.skipif(
    django.VERSION >= (6, 1) and not connection.features.supports_slicing_ordering_in_compound,
    reason="Wagtail 8.0's Site history report fails on SQLite under Django 6.1 (upstream)",
)
