from django.urls import path

from keyplan.plans import views
from keyplan.plans.views import comments, executive_program, meetings, new_offerings

KIND = "<str:kind>"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("accounts/<int:account_pk>/plans/new/", views.plan_create_view, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/status/", views.plan_status_view, name="plan_status"),
    path("plans/<int:pk>/opportunities/", views.plan_opportunity_view, name="plan_opportunity"),
    path("plans/<int:pk>/section/<str:section>/", views.plan_section_view, name="plan_section"),
    path(
        "plans/<int:pk>/ideas/from-whitespace/",
        views.idea_from_whitespace_view,
        name="plan_idea_from_whitespace",
    ),
    path("plans/<int:pk>/ideas/<int:item>/move/", views.idea_move_view, name="plan_idea_move"),
    path(
        "plans/<int:pk>/investments/<int:item>/submit/",
        views.investment_submit_view,
        name="plan_investment_submit",
    ),
    path(
        "plans/<int:pk>/investments/<int:item>/decide/",
        views.investment_decide_view,
        name="plan_investment_decide",
    ),
    # Before the parts' generic routes, which would take "comments" for a kind.
    path("plans/<int:pk>/comments/", comments.comments_view, name="plan_comments"),
    path("plans/<int:pk>/comments/add/", comments.comment_add_view, name="plan_comment_add"),
    path(
        "plans/<int:pk>/comments/<int:item>/edit/",
        comments.comment_edit_view,
        name="plan_comment_edit",
    ),
    path(
        "plans/<int:pk>/comments/<int:item>/delete/",
        comments.comment_delete_view,
        name="plan_comment_delete",
    ),
    path("plans/<int:pk>/mentionable/", comments.mentionable_view, name="plan_mentionable"),
    path(
        "plans/<int:pk>/executive-meetings/new/",
        meetings.meeting_ask_view,
        name="plan_meeting_ask",
    ),
    path(f"plans/<int:pk>/{KIND}/new/", views.element_form_view, name="plan_element_new"),
    path(f"plans/<int:pk>/{KIND}/<int:item>/", views.element_form_view, name="plan_element"),
    path(
        f"plans/<int:pk>/{KIND}/<int:item>/delete/",
        views.element_delete_view,
        name="plan_element_delete",
    ),
    path("notifications/", views.notifications_view, name="notifications"),
    path("plans/<int:pk>/confirm/", views.plan_confirm_view, name="plan_confirm"),
    path("plans/<int:pk>/versions/", views.plan_versions_view, name="plan_versions"),
    path("help/<int:pk>/respond/", views.help_respond_view, name="help_respond"),
    path("new-offerings/", new_offerings.new_offerings_view, name="new_offerings"),
    path("new-offerings/export.csv", new_offerings.new_offerings_csv, name="new_offerings_csv"),
    path(
        "executive-program/",
        executive_program.executive_program_view,
        name="executive_program",
    ),
    path("executive-meetings/<int:pk>/", meetings.meeting_detail_view, name="meeting_detail"),
    path(
        "executive-meetings/<int:pk>/respond/",
        meetings.meeting_respond_view,
        name="meeting_respond",
    ),
    path(
        "executive-meetings/<int:pk>/briefing/",
        meetings.meeting_briefing_view,
        name="meeting_briefing",
    ),
    path(
        "executive-meetings/<int:pk>/briefing.pdf",
        meetings.meeting_briefing_pdf_view,
        name="meeting_briefing_pdf",
    ),
    path("my-work/", views.my_work_view, name="my_work"),
    path("capacity/", views.capacity_view, name="capacity"),
]
