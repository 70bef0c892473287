"""Django admin: how administrators manage areas, agencies, teams and accounts."""

from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_cases import access
from cse_cases.models import Agency, Area, Team, User


class AdministratorsOnly:
    """Admin permissions come from the access policy, not from Django's per-model
    permission rows: an administrator manages everything registered here, and
    nobody else manages anything."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.may_administer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return access.may_administer(request.user)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return access.may_administer(request.user)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return access.may_administer(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return access.may_administer(request.user)


# Third-party screens administrators need: removing a lost authenticator (its
# secret stays hidden: OTP_ADMIN_HIDE_SENSITIVE_DATA) and unlocking an account
# after a lockout.
for model in (TOTPDevice, AccessAttempt, AccessFailureLog):
    original = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(model, type(original.__name__, (AdministratorsOnly, original), {}))
# API tokens (cse_cases.ApiToken) have no admin screen: they are listed and
# revoked on the token pages (cse_cases/views/tokens.py), which show no key.
# Harbour's roles replace Django's groups.
admin.site.unregister(Group)


@admin.register(Area)
class AreaAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["name", "code", "nation"]
    list_filter = ["nation"]
    search_fields = ["name", "code"]


@admin.register(Agency)
class AgencyAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active", "areas"]
    search_fields = ["name"]
    filter_horizontal = ["areas"]


@admin.register(Team)
class TeamAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["name", "agency", "supervisor"]
    list_filter = ["agency"]
    search_fields = ["name", "agency__name"]
    list_select_related = ["agency", "supervisor"]
    autocomplete_fields = ["agency", "supervisor"]


@admin.register(User)
class HarbourUserAdmin(AdministratorsOnly, UserAdmin):
    list_display = ["username", "get_full_name", "email", "role", "agency", "team", "is_active"]
    list_filter = ["role", "agency", "is_active", "is_demo"]
    list_select_related = ["agency", "team"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["agency", "team"]
    filter_horizontal = ["areas"]
    readonly_fields = ["last_login", "date_joined", "is_demo"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "email", "job_title"]}),
        ("Work", {"fields": ["agency", "role", "team", "areas"]}),
        ("Status", {"fields": ["is_active", "is_demo", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "agency",
                    "role",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
