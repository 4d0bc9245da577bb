"""Form data for posting workshop pages through the Wagtail admin, as a browser would."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def workshop_form_data(
    programme, *, publish=True, safety_protocol="Call the crisis line.", **fields
):
    data = {
        "title": "Boundaries and self-care",
        "slug": "boundaries-and-self-care",
        "summary": "A workshop on saying no kindly.",
        "content_notes": "",
        "format": "workshop",
        "audience": "facilitators",
        "duration_minutes": 120,
        "group_size_min": 4,
        "group_size_max": 14,
        "objectives": streamfield([]),
        "session_plan": streamfield(
            [
                (
                    "step",
                    {
                        "minutes": 30,
                        "title": "Where are my limits?",
                        "participant_activity": "Pairs map what drains and restores them.",
                        "facilitator_notes": "Keep examples general.",
                    },
                )
            ]
        ),
        "group_agreements": streamfield([]),
        "fidelity_checklist": streamfield([]),
        "participant_materials": inline_formset([]),
        "facilitator_materials": inline_formset([]),
        "programme": programme.pk if programme else "",
        "safety_protocol": rich_text(safety_protocol),
        "seo_title": "",
        "search_description": "",
    }
    data.update(fields)
    if publish:
        data["action-publish"] = "action-publish"
    return nested_form_data(data)
