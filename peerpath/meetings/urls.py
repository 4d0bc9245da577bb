"""Sessions' public and facilitator pages, under /groups/ (DESIGN.md: "find a group")."""

from django.urls import path

from . import debrief_views, facilitator_views, feedback_views, quality_views, record_views, views

app_name = "meetings"

urlpatterns = [
    # Public: the finder, a session, booking without an account, calendars.
    path("", views.finder, name="finder"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/book/", views.book, name="book"),
    path("<int:pk>/calendar.ics", views.session_calendar, name="session_calendar"),
    path("workshop/<int:page_id>/calendar.ics", views.workshop_feed, name="workshop_feed"),
    path(
        "organisation/<slug:slug>/calendar.ics", views.organisation_feed, name="organisation_feed"
    ),
    # A booking, through its signed link.
    path("booking/<str:token>/", views.manage_booking, name="booking"),
    path("booking/<str:token>/cancel/", views.cancel_booking, name="cancel"),
    path("booking/<str:token>/calendar.ics", views.booking_calendar, name="booking_calendar"),
    # Attendance: participants check in with the code shown in the room.
    path("<int:pk>/check-in/", facilitator_views.check_in, name="check_in"),
    # Facilitators: their sessions, rosters, attendance.
    path("mine/", facilitator_views.my_sessions, name="mine"),
    path("<int:pk>/roster/", facilitator_views.roster, name="roster"),
    path("<int:pk>/roster/complete/", facilitator_views.complete, name="complete"),
    path("<int:pk>/check-in.svg", facilitator_views.check_in_qr, name="check_in_qr"),
    # Participants' anonymous feedback: the one-time link, or the walk-in code shown in the room.
    path("feedback/", feedback_views.feedback_code, name="feedback_code"),
    path("feedback/thanks/", feedback_views.thanks, name="feedback_thanks"),
    path("feedback/<str:token>/", feedback_views.feedback, name="feedback"),
    path("<int:pk>/feedback.svg", facilitator_views.feedback_qr, name="feedback_qr"),
    # After the session: the lead's debrief.
    path("<int:pk>/debrief/", debrief_views.debrief, name="debrief"),
    # Facilitators: their confirmed record and feedback, in aggregate.
    path("mine/feedback/", quality_views.my_feedback, name="my_feedback"),
    # Facilitators: their facilitation record, confirmed by others.
    path("record/", record_views.my_record, name="record"),
    path("record/<int:pk>/confirm/", record_views.confirm, name="record_confirm"),
    path("record/<int:pk>/dispute/", record_views.dispute, name="record_dispute"),
]
