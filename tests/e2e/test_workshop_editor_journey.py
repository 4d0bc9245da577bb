"""An organisation's editor publishes a workshop in the Wagtail admin, and only their own.

The admin screens are Wagtail's own, so axe runs on the public workshop page the editor publishes,
not on the admin.
"""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.journeys import PROGRAMME_TITLE, AutosaveWatch, admin_log_in, shell_json

EDITOR = "editor@riverside.example"
ORGANISATION = "Riverside Peer Support"
OTHER_ORGANISATION_WORKSHOP = "one-to-one-mentoring"  # Northside's
TITLE = "Wednesday walking group"


def test_editor_creates_and_publishes_a_workshop(page, live_site, tmp_path):
    route_notes = tmp_path / "walking-route-notes.txt"
    route_notes.write_text("Facilitator only: the route, the benches and the nearest phone box.\n")

    admin_log_in(page, EDITOR)
    page.get_by_role("link", name=re.compile(r"Pages created in")).click()
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(f"Exploring: {ORGANISATION}")
    main.get_by_role("link", name="Add child page").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("New: Workshop")
    autosave = AutosaveWatch(page)

    main.get_by_role("textbox", name="Title*").fill(TITLE)
    main.get_by_role("textbox", name="Summary*").fill(
        "A gentle walk by the river for anyone who finds sitting in a room hard."
    )
    main.get_by_role("combobox", name="Format*").select_option(label="Support group")
    main.get_by_role("combobox", name="Audience*").select_option(label="Open to all adults")
    main.get_by_role("spinbutton", name="Duration (minutes)*").fill("60")

    plan = main.get_by_role("region", name="Session plan")
    plan.get_by_role("button", name="Insert a block").first.click()
    step = plan.get_by_role("region", name="Session step")
    step.get_by_role("spinbutton", name="Minutes*").fill("45")
    step.get_by_role("textbox", name="Title*").fill("Walk and talk")
    step.get_by_role("textbox", name="What participants do*").fill("Walk in pairs and swap over.")
    step.get_by_role("textbox", name="Facilitator notes").fill(
        "Walk at the back and watch for anyone dropping behind."
    )

    protected = main.get_by_role("region", name="Facilitator-only")
    protected.get_by_role("button", name="Choose a page (Training programme)").click()
    page.get_by_role("dialog").get_by_role("link", name=PROGRAMME_TITLE).click()
    expect(protected).to_contain_text(PROGRAMME_TITLE)
    # The protocol's rich-text editor (Draftail) has no label of its own beyond its panel.
    protected.get_by_role("textbox").first.click()
    page.keyboard.type("If anyone is in danger, call the emergency services.")

    protected.get_by_role("button", name="Add Document").click()
    protected.get_by_role("button", name="Choose a document").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("tab", name="Upload").click()
    upload = dialog.get_by_role("tabpanel", name="Upload")
    upload.get_by_role("textbox", name="Title*").fill("Walking route notes")
    upload.get_by_label("File*").set_input_files(route_notes)
    collection = upload.get_by_role("combobox", name="Collection*")
    collection.select_option(
        collection.get_by_role("option", name=re.compile("facilitator only")).get_attribute("value")
    )
    upload.get_by_role("button", name="Upload").click()
    expect(protected.get_by_role("region", name="Document 1")).to_contain_text(
        "Walking route notes"
    )
    screenshot(page, "editor-01-new-workshop")

    # Like an editor reading their work over, let Wagtail's background autosave finish first, so
    # the screenshot and the published page show the same state. (An autosave racing a Publish
    # once ended in a 500 on a database constraint; duplicates are now a form rule instead.)
    autosave.settle()
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    status = page.get_by_role("main").get_by_role("status")
    # Wagtail words it "created and published" when autosave had not yet stored a draft.
    expect(status).to_contain_text(
        re.compile(rf"Page '{re.escape(TITLE)}' (has been|created and) published\.")
    )
    screenshot(page, "editor-02-published")

    recorded = shell_json(
        live_site,
        "import json\n"
        "from peerpath.workshops.models import WorkshopPage\n"
        f"page = WorkshopPage.objects.get(title={TITLE!r})\n"
        "print(json.dumps({'live': page.live,"
        " 'organisation': page.organisation.name,"
        " 'programme': page.programme.title,"
        " 'steps': [[b.value['minutes'], b.value['title']] for b in page.session_plan],"
        " 'materials': [[m.document.title, m.document.collection.name]"
        " for m in page.facilitator_materials.all()]}))",
    )
    assert recorded == {
        "live": True,
        "organisation": ORGANISATION,
        "programme": PROGRAMME_TITLE,
        "steps": [[45, "Walk and talk"]],
        "materials": [["Walking route notes", f"{ORGANISATION} — facilitator only"]],
    }, recorded

    # The public page, as the editor sees it (editors see the facilitator-only parts).
    status.get_by_role("link", name="View live").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    plan_table = page.get_by_role("table")
    expect(plan_table).to_contain_text("Walk and talk")
    expect(plan_table).to_contain_text("Walk at the back")
    facilitators = page.get_by_role("region", name="For facilitators")
    expect(facilitators.get_by_role("link", name="Walking route notes")).to_be_visible()
    assert_accessible(page, "editor-public-workshop")
    screenshot(page, "editor-03-public-workshop")


def northside_state(live_site):
    return shell_json(
        live_site,
        "import json\n"
        "from peerpath.workshops.models import WorkshopIndexPage, WorkshopPage\n"
        "index = WorkshopIndexPage.objects.get(organisation__slug='northside')\n"
        "pages = index.get_descendants(inclusive=True).specific()\n"
        "print(json.dumps({'ids': {'index': index.pk, 'workshop': WorkshopPage.objects.get("
        f"slug={OTHER_ORGANISATION_WORKSHOP!r}).pk}},"
        " 'pages': sorted([p.pk, p.title, p.live, p.latest_revision_id] for p in pages)}))",
    )


def test_editor_cannot_reach_another_organisations_pages(page, live_site):
    before = northside_state(live_site)
    ids = before["ids"]
    admin_log_in(page, EDITOR)

    for url in [
        f"/admin/pages/{ids['workshop']}/edit/",
        f"/admin/pages/{ids['workshop']}/delete/",
        f"/admin/pages/{ids['index']}/add_subpage/",
        f"/admin/pages/add/peerpath_workshops/workshoppage/{ids['index']}/",
    ]:
        response = page.goto(url)
        # Wagtail refuses with a redirect to the dashboard and a message, or a 403.
        refused = response.status == 403 or "/edit/" not in page.url and url not in page.url
        assert refused, (url, response.status, page.url)
        expect(page.get_by_text(re.compile("do not have permission", re.I))).to_be_visible()
    screenshot(page, "editor-04-permission-denied")

    # The other organisation's workshop is not offered to choose from or edit either.
    page.goto("/admin/pages/search/?q=mentoring")
    expect(page.get_by_role("link", name=re.compile("One-to-one peer mentoring"))).to_have_count(0)

    assert northside_state(live_site) == before
