"""Keyboard only: a learner answers and submits a knowledge check without touching a mouse.

Tab moves between controls, Space ticks a checkbox or selects the focused radio button, Enter
submits. A group of radio buttons is one Tab stop in every browser, so, as anyone using a keyboard
does, the arrow keys move the selection inside a group.
"""

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.journeys import (
    demo_module,
    log_in,
    main,
    open_module,
    open_programme,
    shell_json,
)

LEARNER = "learner@peerpath.example"  # the demo learner has finished the first two modules
MODULE = "benefits-of-peer-support"


def is_focused(locator):
    return locator.evaluate("element => element === document.activeElement")


def active_element(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, type: e.type || '', name: e.name || '', id: e.id || '',"
        " text: (e.textContent || '').trim()}; }"
    )


def tab_to(page, reached, limit=150):
    """Press Tab until `reached(active element)` is true; fail if it never is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = active_element(page)
        if reached(element):
            return element
    raise AssertionError(f"Tab never reached the control; last focused: {element}")


def choose_by_keyboard(page, module):
    """Select the right answer(s) to every question with Tab, Space and the arrow keys."""
    inputs = page.locator("form.check-form").locator("input[type=radio], input[type=checkbox]")
    right = {text for question in module.questions for text in question.right}
    targets = []
    for index in range(inputs.count()):
        choice = inputs.nth(index)
        label = page.locator(f"label[for='{choice.get_attribute('id')}']").inner_text().strip()
        if label in right:
            targets.append(choice)
    assert len(targets) == len(right), "every right answer is on the page once"

    for target in targets:
        kind = target.get_attribute("type")
        name = target.get_attribute("name")
        target_id = target.get_attribute("id")
        if kind == "checkbox":
            tab_to(page, lambda element, target_id=target_id: element["id"] == target_id)
            page.keyboard.press("Space")
        else:
            tab_to(page, lambda element, name=name: element["name"] == name)
            for _ in range(8):
                if is_focused(target):
                    break
                page.keyboard.press("ArrowDown")
            assert is_focused(target), f"arrow keys never reached {target_id}"
            if not target.is_checked():
                page.keyboard.press("Space")
        expect(target).to_be_checked()


def test_knowledge_check_by_keyboard_alone(page, live_site):
    module = demo_module(MODULE)
    log_in(page, LEARNER)
    open_programme(page)
    open_module(page, module)
    expect(page.get_by_role("button", name="Submit answers")).to_be_visible()

    # Start from the top of the page, as a keyboard user arriving on it does.
    page.reload()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert is_focused(skip), active_element(page)
    page.keyboard.press("Enter")
    assert is_focused(main(page)), active_element(page)

    choose_by_keyboard(page, module)
    screenshot(page, "keyboard-01-answers-chosen")
    tab_to(
        page,
        lambda element: element["tag"] == "BUTTON" and element["text"] == "Submit answers",
    )
    page.keyboard.press("Enter")

    result = page.get_by_role("region", name="Your result (attempt 1)")
    expect(result).to_contain_text("Passed")
    expect(result).to_contain_text(
        f"You answered {len(module.questions)} of {len(module.questions)} questions correctly"
    )
    assert_accessible(page, "keyboard-check-result")
    screenshot(page, "keyboard-02-result")

    recorded = shell_json(
        live_site,
        "import json\n"
        "from peerpath.training.models import CheckAttempt\n"
        "print(json.dumps(list(CheckAttempt.objects.filter(user__email="
        f"{LEARNER!r}, module__slug={MODULE!r}).values_list('number', 'score', 'passed'))))",
    )
    assert recorded == [[1, 100, True]], recorded
