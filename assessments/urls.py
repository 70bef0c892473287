from django.urls import path

from assessments.language import views
from assessments.meetings import views as meeting_views
from assessments.plans import views as plan_views
from assessments.risk.views import assessments as assessment_views
from assessments.risk.views import templates as template_views

urlpatterns = [
    path("language/", views.language_rules, name="language-rules"),
    path("language/check/", views.language_check, name="language-check"),
    path("language/report/", views.language_report, name="language-report"),
    path(
        "cases/<int:pk>/assessments/new/",
        assessment_views.assessment_start,
        name="assessment-start",
    ),
    path("assessments/<int:pk>/", assessment_views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/edit/", assessment_views.assessment_edit, name="assessment-edit"),
    path(
        "assessments/<int:pk>/autosave/",
        assessment_views.assessment_autosave,
        name="assessment-autosave",
    ),
    path(
        "assessments/<int:pk>/my-section/",
        assessment_views.section_edit,
        name="assessment-section",
    ),
    path(
        "assessments/<int:pk>/my-section/autosave/",
        assessment_views.section_autosave,
        name="assessment-section-autosave",
    ),
    path(
        "assessments/<int:pk>/sign-off/",
        assessment_views.assessment_sign_off,
        name="assessment-sign-off",
    ),
    path(
        "assessments/<int:pk>/return/",
        assessment_views.assessment_return,
        name="assessment-return",
    ),
    path("assessment-templates/", template_views.template_list, name="assessment-templates"),
    path(
        "assessment-templates/<int:pk>/",
        template_views.template_detail,
        name="assessment-template",
    ),
    path(
        "assessment-templates/<int:pk>/new-version/",
        template_views.template_new_version,
        name="assessment-template-new-version",
    ),
    path(
        "assessment-templates/<int:pk>/edit/",
        template_views.template_edit,
        name="assessment-template-edit",
    ),
    path(
        "assessment-templates/<int:pk>/publish/",
        template_views.template_publish,
        name="assessment-template-publish",
    ),
    path("meetings/", meeting_views.meetings, name="meetings"),
    path("meetings/new/", meeting_views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path(
        "meetings/<int:pk>/participants/",
        meeting_views.participant_add,
        name="meeting-participant-add",
    ),
    path("meetings/<int:pk>/attendance/", meeting_views.attendance, name="meeting-attendance"),
    path("meetings/<int:pk>/contexts/", meeting_views.contexts, name="meeting-contexts"),
    path("meetings/<int:pk>/cancel/", meeting_views.cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/move/", meeting_views.reschedule, name="meeting-reschedule"),
    path(
        "meetings/<int:pk>/young-people/",
        meeting_views.subject_add,
        name="meeting-young-person-add",
    ),
    path(
        "meetings/<int:pk>/young-people/<int:subject_pk>/remove/",
        meeting_views.subject_remove,
        name="meeting-young-person-remove",
    ),
    path(
        "meetings/<int:pk>/young-people/<int:subject_pk>/minutes/",
        meeting_views.minutes,
        name="meeting-minutes",
    ),
    path(
        "meetings/<int:pk>/young-people/<int:subject_pk>/actions/new/",
        meeting_views.action_add,
        name="meeting-action-add",
    ),
    path(
        "meetings/<int:pk>/distribute/<str:kind>/",
        meeting_views.distribute,
        name="meeting-distribute",
    ),
    path("meetings/<int:pk>/<str:kind>.pdf", meeting_views.meeting_pdf, name="meeting-pdf"),
    path("actions/", plan_views.my_actions, name="my-actions"),
    path("actions/<int:pk>/", plan_views.action_detail, name="action"),
    path("cases/<int:pk>/plan/", plan_views.plan, name="plan"),
    path("cases/<int:pk>/plan/review/", plan_views.plan_review, name="plan-review"),
    path(
        "cases/<int:pk>/plan/versions/<int:number>/",
        plan_views.plan_version,
        name="plan-version",
    ),
]
