"""Every write to assessment templates and assessments (see each module)."""

from assessments.risk.services.assessments import (
    CORE_TEXT_FIELDS,
    WHEN_MAX,
    AssessmentConflict,
    Incomplete,
    assessment_return,
    assessment_save,
    assessment_sign_off,
    assessment_start,
    assessment_submit,
    next_review,
    problems_before_submission,
    section_save,
    suggested_level,
)
from assessments.risk.services.templates import (
    TemplateContent,
    template_content,
    template_new_version,
    template_publish,
    template_update,
)

__all__ = [
    "CORE_TEXT_FIELDS",
    "WHEN_MAX",
    "AssessmentConflict",
    "Incomplete",
    "TemplateContent",
    "assessment_return",
    "assessment_save",
    "assessment_sign_off",
    "assessment_start",
    "assessment_submit",
    "next_review",
    "problems_before_submission",
    "section_save",
    "suggested_level",
    "template_content",
    "template_new_version",
    "template_publish",
    "template_update",
]
