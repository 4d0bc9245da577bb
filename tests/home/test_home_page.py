import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from peerpath.models import CrisisSignposting


class TestHomePageTree(WagtailPageTestCase):
    def test_home_page_can_be_created_under_the_root(self):
        self.assertCanCreateAt(Page, HomePage)

    def test_home_page_cannot_be_nested_under_another_home_page(self):
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_home_page_is_renderable_and_previewable(self):
        from home.demo import ensure_home_page

        home = ensure_home_page()
        self.assertPageIsRenderable(home)
        from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

        self.assertPageIsPreviewable(
            home,
            post_data=nested_form_data(
                {
                    "title": "Preview of the home page",
                    "slug": "home",
                    "intro": "Shown before publishing",
                    "body": streamfield([("paragraph", rich_text("<p>Draft text</p>"))]),
                }
            ),
        )


@pytest.mark.django_db
def test_home_page_renders_intro_body_and_crisis_footer(client, home_page):
    from wagtail.models import Site

    from home.demo import ensure_settings

    ensure_settings(Site.objects.get(is_default_site=True))
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert home_page.intro in html
    assert "Why peer support" in html
    assert 'href="#main"' in html, "skip link"
    assert "Need help now?" in html
    assert "116 123" in html


@pytest.mark.django_db
def test_crisis_signposting_edited_in_settings_shows_on_every_page(client, home_page):
    from wagtail.models import Site

    crisis = CrisisSignposting.for_site(Site.objects.get(is_default_site=True))
    crisis.heading = "Urgent help for group members"
    crisis.save()
    for url in ["/", "/accounts/login/", "/accounts/signup/", "/no-such-page/"]:
        assert "Urgent help for group members" in client.get(url).content.decode(), url


@pytest.mark.django_db
def test_unknown_url_shows_404_page_in_site_design(client, home_page):
    response = client.get("/this/does/not/exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "peerpath/css/peerpath.css" in html


def test_pages_link_no_external_assets(client, db, home_page):
    html = client.get("/").content.decode()
    for marker in ["https://cdn", "//fonts.googleapis", "unpkg.com", "jsdelivr"]:
        assert marker not in html
