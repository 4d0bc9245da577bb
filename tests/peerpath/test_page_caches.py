"""The cached layout, routes and module bodies follow every change and never mix up learners."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import GroupPagePermission, PageViewRestriction, Site

from peerpath.models import CrisisSignposting, OrganisationSettings
from peerpath.training import progress
from peerpath.training.models import Reflection
from tests.factories import UserFactory
from tests.training.factories import build_index, build_module, build_programme, new_id, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def programme(home_page):
    return build_programme(build_index(home_page))


@pytest.fixture
def module(programme):
    prompt_id = new_id()
    return build_module(
        programme,
        title="Listening",
        body=[
            {"type": "text", "id": new_id(), "value": "<p>Listening comes first.</p>"},
            {
                "type": "reflection",
                "id": prompt_id,
                "value": {"prompt": "When did someone really listen to you?", "guidance": ""},
            },
        ],
    )


def learner_on(programme):
    learner = UserFactory()
    progress.enrol(learner, programme)
    return learner


def page_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


# --- The layout: site, settings and menu --------------------------------------------------------


def test_saved_settings_show_on_the_next_page_view(client, module):
    client.force_login(learner_on(module.programme))
    page_html(client, module.url)
    site = Site.objects.get(is_default_site=True)
    organisation = OrganisationSettings.for_site(site)
    organisation.name = "Riverside Peer Network"
    organisation.save()
    crisis = CrisisSignposting.for_site(site)
    crisis.heading = "Urgent help"
    crisis.save()
    html = page_html(client, module.url)
    assert "Riverside Peer Network" in html and "Urgent help" in html


def test_the_menu_follows_publishing_and_unpublishing(client, home_page, module):
    index = module.get_parent().get_parent().specific
    assert f'href="{index.url}"' in page_html(client, home_page.url)
    index.unpublish()
    assert f'href="{index.url}"' not in page_html(client, home_page.url)
    publish(index)
    index.title = "Courses"
    publish(index)
    assert ">Courses</a>" in page_html(client, home_page.url)


def test_a_warm_page_view_reads_no_site_settings_or_menu(client, home_page):
    client.get(home_page.url)
    with CaptureQueriesContext(connection) as captured:
        page_html(client, home_page.url)
    sql = " ".join(query["sql"] for query in captured)
    for table in (
        "wagtailcore_site",
        "peerpath_organisationsettings",
        "peerpath_crisissignposting",
    ):
        assert table not in sql
    conditions = [query["sql"].partition(" WHERE ")[2] for query in captured]
    assert not [where for where in conditions if "show_in_menus" in where]


# --- Routes ----------------------------------------------------------------------------------------


def test_a_remembered_route_still_answers_with_the_page(client, module):
    client.force_login(learner_on(module.programme))
    first, cold = queries_for(client, module.url)
    second, warm = queries_for(client, module.url)
    assert first.status_code == second.status_code == 200
    assert second.context["page"].pk == module.pk
    assert warm < cold


def test_an_unpublished_page_is_gone_even_when_its_route_was_remembered(client, module):
    client.force_login(learner_on(module.programme))
    page_html(client, module.url)
    module.unpublish()
    assert client.get(module.url).status_code == 404


def test_a_renamed_page_moves_to_its_new_url(client, module):
    client.force_login(learner_on(module.programme))
    old_url = module.url
    page_html(client, old_url)
    module.slug = "listening-well"
    module = publish(module)
    assert client.get(old_url).status_code == 404
    assert page_html(client, module.url)


def test_a_moved_page_moves_to_its_new_url(client, module, programme):
    client.force_login(learner_on(programme))
    other = build_programme(programme.get_parent().specific, title="Other")
    old_url = module.url
    page_html(client, old_url)
    module.move(other, pos="last-child")
    module.refresh_from_db()
    # Wagtail's redirects app answers the old URL, as it does without the route cache.
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == module.url
    assert client.get(module.url).status_code == 200


def test_a_page_made_private_after_its_route_was_remembered_asks_for_a_login(client, module):
    page_html(client, module.url)
    PageViewRestriction.objects.create(page=module, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(module.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_restriction_added_to_an_ancestor_after_the_route_was_remembered_applies(
    client, module, programme
):
    page_html(client, module.url)
    page_html(client, module.url)
    PageViewRestriction.objects.create(page=programme, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(module.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_removed_restriction_opens_the_remembered_page_again(client, module):
    restriction = PageViewRestriction.objects.create(
        page=module, restriction_type=PageViewRestriction.LOGIN
    )
    client.get(module.url)
    assert client.get(module.url).status_code == 302
    restriction.delete()
    assert client.get(module.url).status_code == 200


def test_a_group_restriction_remembered_with_the_route_still_checks_the_visitors_groups(
    client, module
):
    learner = learner_on(module.programme)
    members = Group.objects.create(name="Members")
    restriction = PageViewRestriction.objects.create(
        page=module, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(members)
    client.force_login(learner)
    client.get(module.url)
    assert client.get(module.url).status_code == 302
    learner.groups.add(members)
    assert client.get(module.url).status_code == 200


def test_a_warm_route_reads_no_view_restrictions(client, module):
    client.force_login(learner_on(module.programme))
    page_html(client, module.url)
    page_html(client, module.url)
    with CaptureQueriesContext(connection) as captured:
        page_html(client, module.url)
    assert "wagtailcore_pageviewrestriction" not in " ".join(query["sql"] for query in captured)


def test_only_peerpath_page_types_are_remembered(client, module, settings):
    client.force_login(learner_on(module.programme))
    page_html(client, module.url)
    _response, remembered = queries_for(client, module.url)
    settings.PEERPATH_ROUTE_CACHE_APPS = ["home"]
    cache.clear()
    page_html(client, module.url)
    _response, walked = queries_for(client, module.url)
    # Wagtail's walk: the site root and, per URL segment, the child and its specific page.
    assert walked > remembered


# --- The module body --------------------------------------------------------------------------


def test_a_published_change_to_the_body_shows_at_once(client, module):
    client.force_login(learner_on(module.programme))
    assert "Listening comes first." in page_html(client, module.url)
    module.body = [{"type": "text", "id": new_id(), "value": "<p>Now with silence.</p>"}]
    module = publish(module)
    html = page_html(client, module.url)
    assert "Now with silence." in html and "Listening comes first." not in html


def test_a_draft_is_not_shown_until_it_is_published(client, module):
    client.force_login(learner_on(module.programme))
    page_html(client, module.url)
    module.body = [{"type": "text", "id": new_id(), "value": "<p>Draft words.</p>"}]
    module.save_revision()
    assert "Draft words." not in page_html(client, module.url)


def test_the_preview_shows_the_draft_not_the_cached_body(client, module, staff_user):
    client.force_login(learner_on(module.programme))
    page_html(client, module.url)
    module.body = [{"type": "text", "id": new_id(), "value": "<p>Draft words.</p>"}]
    request = client.get(module.url).wsgi_request
    request.is_preview = True
    context = module.get_context(request)
    assert [html for _block, _reflection, html in context["body_items"]] == ["<p>Draft words.</p>"]


def test_a_changed_link_target_changes_the_cached_body(client, module, programme):
    client.force_login(learner_on(programme))
    linked = build_module(programme, title="Linked", slug="linked")
    module.body = [
        {
            "type": "text",
            "id": new_id(),
            "value": f'<p><a linktype="page" id="{linked.pk}">Read this</a></p>',
        }
    ]
    module = publish(module)
    assert f'href="{linked.url}"' in page_html(client, module.url)
    linked.slug = "linked-renamed"
    linked = publish(linked)
    assert f'href="{linked.url}"' in page_html(client, module.url)


def test_learners_share_the_body_but_never_each_others_reflections(client, module):
    first, second = learner_on(module.programme), learner_on(module.programme)
    prompt_id = next(block.id for block in module.body if block.block_type == "reflection")
    Reflection.objects.create(user=first, module=module, prompt_id=prompt_id, text="My own words")
    client.force_login(first)
    assert "My own words" in page_html(client, module.url)
    client.force_login(second)
    html = page_html(client, module.url)
    assert "Listening comes first." in html
    assert "My own words" not in html


# --- Editors and learners -------------------------------------------------------------------------


def test_learners_get_no_user_bar_and_no_permission_queries(client, module):
    client.force_login(learner_on(module.programme))
    page_html(client, module.url)
    with CaptureQueriesContext(connection) as captured:
        html = page_html(client, module.url)
    assert "wagtail-userbar" not in html
    sql = " ".join(query["sql"] for query in captured)
    assert "grouppagepermission" not in sql and "auth_permission" not in sql


def module_editors(module):
    editors = Group.objects.create(name="Module editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=editors, page=module, permission=Permission.objects.get(codename="change_page")
    )
    return editors


def test_editors_in_a_group_keep_the_user_bar_and_read_locked_modules(client, module):
    editor = UserFactory()
    editor.groups.add(module_editors(module))
    client.force_login(editor)
    html = page_html(client, module.url)
    assert "wagtail-userbar" in html
    assert "You can read this module because you can edit it." in html


def test_a_learner_added_to_an_editors_group_can_edit_at_the_next_request(client, module):
    learner = learner_on(module.programme)
    client.force_login(learner)
    assert "wagtail-userbar" not in page_html(client, module.url)
    module_editors(module).user_set.add(learner)
    response = client.get(module.url)
    assert "wagtail-userbar" in response.content.decode()
    assert response.context["study"].can_edit


def test_an_editor_removed_from_their_group_loses_the_user_bar_at_the_next_request(client, module):
    editors = module_editors(module)
    editor = UserFactory()
    editor.groups.add(editors)
    client.force_login(editor)
    assert "wagtail-userbar" in page_html(client, module.url)
    editor.groups.remove(editors)
    assert "wagtail-userbar" not in page_html(client, module.url)


def test_a_permission_of_ones_own_shows_the_user_bar_at_the_next_request(client, module):
    learner = learner_on(module.programme)
    client.force_login(learner)
    assert "wagtail-userbar" not in page_html(client, module.url)
    learner.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert "wagtail-userbar" in page_html(client, module.url)


def test_the_cached_header_is_never_shown_to_a_signed_in_learner(client, module):
    learner = learner_on(module.programme)
    assert "Log in" in page_html(client, module.programme.url)
    client.force_login(learner)
    html = page_html(client, module.programme.url)
    assert learner.get_full_name() in html and "Log out" in html and "Log in" not in html


def test_the_cached_header_marks_the_current_menu_page_only_on_that_page(client, module):
    index = module.get_parent().get_parent().specific
    current = f'href="{index.url}" aria-current="page"'
    assert current in page_html(client, index.url)
    assert current not in page_html(client, module.programme.url)
