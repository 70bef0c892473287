"""Risk assessment and template URLs."""

from django.urls import path

from assessments.risk.views import assessments, templates

urlpatterns = [
    path(
        "cases/<int:pk>/assessments/new/",
        assessments.assessment_start,
        name="assessment-start",
    ),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/edit/", assessments.assessment_edit, name="assessment-edit"),
    path(
        "assessments/<int:pk>/autosave/",
        assessments.assessment_autosave,
        name="assessment-autosave",
    ),
    path(
        "assessments/<int:pk>/my-section/",
        assessments.section_edit,
        name="assessment-section",
    ),
    path(
        "assessments/<int:pk>/my-section/autosave/",
        assessments.section_autosave,
        name="assessment-section-autosave",
    ),
    path(
        "assessments/<int:pk>/sign-off/",
        assessments.assessment_sign_off,
        name="assessment-sign-off",
    ),
    path(
        "assessments/<int:pk>/return/",
        assessments.assessment_return,
        name="assessment-return",
    ),
    path("assessment-templates/", templates.template_list, name="assessment-templates"),
    path(
        "assessment-templates/<int:pk>/",
        templates.template_detail,
        name="assessment-template",
    ),
    path(
        "assessment-templates/<int:pk>/new-version/",
        templates.template_new_version,
        name="assessment-template-new-version",
    ),
    path(
        "assessment-templates/<int:pk>/edit/",
        templates.template_edit,
        name="assessment-template-edit",
    ),
    path(
        "assessment-templates/<int:pk>/publish/",
        templates.template_publish,
        name="assessment-template-publish",
    ),
]
