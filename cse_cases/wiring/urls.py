from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, re_path, register_converter, reverse
from drf_spectacular.views import SpectacularSwaggerSplitView

from cse_cases import access
from cse_cases.api.views import SchemaView
from cse_cases.views import (
    accounts,
    auth,
    cases,
    contexts,
    errors,
    governance,
    health,
    home,
    missing,
    records,
    search,
    tokens,
)


def _admin_has_permission(request) -> bool:
    return access.may_administer(request.user)


# Django admin is for administrators only, and is entered through Harbour's
# own two-factor sign-in rather than admin's password-only form.
admin.site.has_permission = _admin_has_permission
admin.site.login = login_not_required(
    lambda request, extra_context=None: redirect_to_login(
        request.GET.get("next") or reverse("admin:index"), reverse("sign-in")
    )
)
admin.site.logout = auth.sign_out
admin.site.site_header = "Harbour administration"
admin.site.site_title = "Harbour administration"


class DisruptionTarget:
    """The two things disruption can be against."""

    regex = "person|location"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DisruptionTarget, "disruption_target")

handler400 = "cse_cases.views.errors.bad_request"
handler403 = "cse_cases.views.errors.permission_denied"
handler404 = "cse_cases.views.errors.page_not_found"
handler500 = "cse_cases.views.errors.server_error"

# Swagger UI sets inline styles; allow them on the API docs page only.
# DRF marks its views exempt from LoginRequiredMiddleware (they authenticate for
# themselves); the docs page is for people, so it asks them to sign in.
api_docs = login_required(
    csp_update({"style-src": [SELF, UNSAFE_INLINE], "img-src": [SELF, "data:"]})(
        SpectacularSwaggerSplitView.as_view(url_name="api-schema")
    )
)

urlpatterns = [
    path("", home.home, name="home"),
    path("sign-in/", auth.sign_in, name="sign-in"),
    path("sign-in/code/", auth.sign_in_code, name="sign-in-code"),
    path("sign-in/set-up-two-factor/", auth.sign_in_enrol, name="sign-in-enrol"),
    path("sign-out/", auth.sign_out, name="sign-out"),
    path("signed-out/", auth.signed_out, name="signed-out"),
    path("account/password/", auth.password_change, name="password-change"),
    # Accounts: changes waiting for a second person, an account's own page, and
    # the holder's emailed link to set their password (docs/access.md).
    path("account-changes/", accounts.account_changes, name="account-changes"),
    path("account-changes/<int:pk>/", accounts.account_change, name="account-change"),
    path("accounts/<int:pk>/", accounts.account, name="account"),
    path(
        "account/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirm.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "account/reset/done/",
        accounts.PasswordResetComplete.as_view(),
        name="password-reset-complete",
    ),
    path("account/tokens/", tokens.api_tokens, name="api-tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens.api_token_revoke, name="api-token-revoke"),
    path("account/service-tokens/", tokens.service_tokens, name="service-tokens"),
    path("audit/api-tokens/", tokens.api_token_review, name="api-token-review"),
    path("young-people/", search.search, name="young-people"),
    path("young-people/new/", records.young_person_create, name="young-person-create"),
    path("young-people/emergency-access/", search.break_glass, name="break-glass"),
    path("young-people/<int:pk>/", records.young_person_detail, name="young-person"),
    path("young-people/<int:pk>/edit/", records.young_person_edit, name="young-person-edit"),
    path("young-people/<int:pk>/notes/new/", records.note_add, name="note-add"),
    path("young-people/<int:pk>/chronology/", records.chronology_view, name="chronology"),
    path("cases/<int:pk>/close/", cases.case_close, name="case-close"),
    path("cases/<int:pk>/risk/", cases.case_risk, name="case-risk"),
    path("cases/<int:pk>/team/add/", cases.case_member_add, name="case-member-add"),
    path(
        "cases/<int:pk>/team/<int:member_pk>/remove/",
        cases.case_member_remove,
        name="case-member-remove",
    ),
    path("cases/<int:pk>/share/", cases.case_share, name="case-share"),
    path(
        "possible-duplicates/<int:pk>/resolve/",
        search.possible_duplicate_resolve,
        name="possible-duplicate-resolve",
    ),
    path("young-people/<int:pk>/links/new/", contexts.link_add, name="link-add"),
    path("young-people/<int:pk>/cases/new/", cases.case_open, name="case-open"),
    path("young-people/<int:pk>/merge/", records.young_person_merge, name="young-person-merge"),
    path("audit/", governance.find_record, name="audit-find"),
    path("audit/young-people/<int:pk>/", governance.audit_trail, name="audit-trail"),
    path(
        "audit/young-people/<int:pk>/export.csv",
        governance.audit_trail_export,
        name="audit-trail-export",
    ),
    path("audit/emergency-access/", governance.review_queue, name="break-glass-queue"),
    path("audit/emergency-access/<int:pk>/", governance.review, name="break-glass-review"),
    path("drafts/", records.draft_save, name="draft-save"),
    path("drafts/discard/", records.draft_discard, name="draft-discard"),
    path("persons-of-concern/", contexts.persons_of_concern, name="persons-of-concern"),
    path(
        "persons-of-concern/new/",
        contexts.person_of_concern_create,
        name="person-of-concern-create",
    ),
    path(
        "persons-of-concern/<int:pk>/",
        contexts.person_of_concern_detail,
        name="person-of-concern",
    ),
    path(
        "persons-of-concern/<int:pk>/share/",
        contexts.person_of_concern_share,
        name="person-of-concern-share",
    ),
    path("locations/", contexts.locations, name="locations"),
    path("locations/new/", contexts.location_create, name="location-create"),
    path("locations/<int:pk>/", contexts.location_detail, name="location"),
    path(
        "disruptions/<disruption_target:kind>/<int:pk>/new/",
        contexts.disruption_add,
        name="disruption-add",
    ),
    path(
        "young-people/<int:pk>/missing/new/", missing.episode_create, name="missing-episode-create"
    ),
    path("missing-episodes/<int:pk>/", missing.episode_detail, name="missing-episode"),
    path("missing-episodes/<int:pk>/edit/", missing.episode_edit, name="missing-episode-edit"),
    path(
        "missing-episodes/<int:pk>/return-interview/",
        missing.interview_create,
        name="return-interview-create",
    ),
    path("missing-episodes/import/", missing.missing_import, name="missing-import"),
    path("missing-reviews/<int:pk>/done/", missing.review_done, name="missing-review-done"),
    path("referrals/", include("referrals.urls")),
    path("", include("assessments.urls")),
    path("", include("supervision.urls")),
    path("", include("reports.urls")),
    path("", include("reports.network.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("cse_cases.wiring.api_urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    # Anything else under /api/ answers in the API's error format, not HTML.
    re_path(r"^api/(?P<path>.*)$", errors.api_not_found),
]
