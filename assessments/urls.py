from django.urls import path

from assessments import assessment_views, template_views, views

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
]
