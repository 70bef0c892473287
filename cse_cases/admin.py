"""Django admin: how administrators manage areas, agencies, teams and accounts."""

from axes.models import AccessAttempt, AccessFailureLog
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_cases import access, services
from cse_cases.forms import HumanMessagesMixin
from cse_cases.models import Agency, Area, Team, User
from cse_cases.services import accounts
from cse_cases.services.accounts import ACCOUNT_FIELDS


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


class ReadOnly:
    """A screen to look at, never to change: authenticators are removed only
    through an approved request (HarbourUserAdmin.authenticator_remove), since
    removing one and sending a reset link would hand over the account."""

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# Third-party screens administrators need: seeing who has an authenticator
# (its secret stays hidden: OTP_ADMIN_HIDE_SENSITIVE_DATA) and unlocking an
# account after a lockout.
for model, extra in ((TOTPDevice, (ReadOnly,)), (AccessAttempt, ()), (AccessFailureLog, ())):
    original = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(model, type(original.__name__, (*extra, AdministratorsOnly, original), {}))
# The beat schedule (django-celery-beat), which the README promises
# administrators can change at run time: how often the drift engine sweeps,
# when digests go out. Its own admin asks for Django's per-model permission
# rows, which no Harbour account holds; the policy decides here as elsewhere.
for model in (PeriodicTask, IntervalSchedule, CrontabSchedule, SolarSchedule, ClockedSchedule):
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

    def get_readonly_fields(self, request, obj=None):
        # An agency's kind decides what its staff see (police intelligence) and
        # may do (emergency access): an administrator may not turn a charity
        # into a police force. A new kind of agency is a new agency.
        if obj is not None:
            return [*super().get_readonly_fields(request, obj), "kind"]
        return super().get_readonly_fields(request, obj)


@admin.register(Team)
class TeamAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["name", "agency", "supervisor"]
    list_filter = ["agency"]
    search_fields = ["name", "agency__name"]
    list_select_related = ["agency", "supervisor"]
    autocomplete_fields = ["agency", "supervisor"]

    def save_model(self, request, obj, form, change) -> None:
        before = Team.objects.get(pk=obj.pk).supervisor if change and obj.pk else None
        super().save_model(request, obj, form, change)
        accounts.team_supervisor_changed(by=request.user, team=obj, before=before)


class AccountForm(HumanMessagesMixin, forms.ModelForm):
    """Django admin's account form, checked by the accounts service: what an
    administrator may not ask for is refused beside the fields, never saved.

    It has no password field: passwords are set only by their holder, from a
    link Harbour emails them (docs/access.md, "Accounts and administrators").
    """

    by: User  # set by HarbourUserAdmin.get_form: the signed-in administrator

    class Meta:
        model = User
        fields = list(ACCOUNT_FIELDS)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors or self.instance.pk is None:
            return cleaned
        account = User.objects.get(pk=self.instance.pk)
        try:
            services.account_update_check(by=self.by, account=account, data=self.account_data())
        except services.AccountError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, error.message)
        return cleaned

    def account_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in ACCOUNT_FIELDS if f in self.cleaned_data}


class AccountCreateForm(AccountForm):
    class Meta:
        model = User
        fields = [f for f in ACCOUNT_FIELDS if f != "is_active"]


@admin.register(User)
class HarbourUserAdmin(AdministratorsOnly, UserAdmin):
    """Accounts, changed only through the accounts service.

    save_model and save_related hand the form's data to the service instead of
    saving the instance and its areas, so a change that gives record access
    waits for a second person whatever screen it came from; an administrator's
    own role and areas are read-only; the password is never editable here.
    """

    form = AccountForm
    add_form = AccountCreateForm
    add_form_template = None
    list_display = ["username", "get_full_name", "email", "role", "agency", "team", "is_active"]
    list_filter = ["role", "agency", "is_active", "is_demo"]
    list_select_related = ["agency", "team"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["agency", "team"]
    filter_horizontal = ["areas"]
    readonly_fields = ["sign_in", "last_login", "date_joined", "is_demo"]
    fieldsets = [
        (None, {"fields": ["username", "sign_in"]}),
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
                    "job_title",
                    "agency",
                    "role",
                    "team",
                    "areas",
                ],
            },
        ),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Accounts are switched off, not deleted: the audit trail and the
        # records keep pointing at the person.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields += ["role", "areas"]
        return fields

    def get_form(self, request: HttpRequest, obj: User | None = None, **kwargs: object):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"by": request.user})

    @admin.display(description="Password and authenticator")
    def sign_in(self, obj: User) -> str:
        if obj.pk is None:
            return ""
        devices = TOTPDevice.objects.filter(user=obj, confirmed=True).count()
        password = "set" if obj.has_usable_password() else "not set yet"
        links = [
            f'<a href="{reverse("admin:auth_user_password_change", args=[obj.pk])}">'
            "Send a password reset link</a>"
        ]
        if devices and obj.pk:
            links.append(
                f'<a href="{reverse("admin:cse_cases_user_authenticator", args=[obj.pk])}">'
                "Ask to remove the authenticator</a>"
            )
        links.append(f'<a href="{reverse("account", args=[obj.pk])}">Account changes</a>')
        return format_html(
            "Password {}; {} authenticator(s). {}",
            password,
            devices,
            mark_safe(" · ".join(links)),  # noqa: S308 - our own links, reverse()d
        )

    def save_model(self, request: HttpRequest, obj: User, form: AccountForm, change: bool) -> None:
        try:
            if change:
                outcome = services.account_update(
                    by=request.user, account=obj, data=form.account_data()
                )
            else:
                outcome = services.account_create(by=request.user, data=form.account_data())
                # Admin goes on to log and show the new account by this instance.
                obj.pk = outcome.account.pk
                obj._state.adding = False
        except services.AccountError as error:
            # The form's clean() checked this moments ago; a change made since
            # by someone else is reported rather than turned into an error page.
            messages.error(request, error.message)
            return
        if outcome.pending is not None:
            messages.warning(
                request,
                "This change gives the account access, so it waits for a second person's "
                "approval (Account changes). The holder and information governance are told.",
            )

    def save_related(
        self, request: HttpRequest, form: AccountForm, formsets: list, change: bool
    ) -> None:
        # Areas were applied (or put to approval) by the service in save_model;
        # form.save_m2m() would set them directly.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_urls(self) -> list:
        return [
            path(
                "<id>/password/",
                self.admin_site.admin_view(self.user_change_password),
                name="auth_user_password_change",
            ),
            path(
                "<id>/authenticator/",
                self.admin_site.admin_view(self.authenticator_remove),
                name="cse_cases_user_authenticator",
            ),
            *super().get_urls(),
        ]

    def _account_or_404(self, request: HttpRequest, id: str) -> User:
        if not self.has_change_permission(request):
            raise PermissionDenied
        account = User.objects.filter(pk=id).first() if str(id).isdigit() else None
        if account is None:
            raise Http404("No such account.")
        return account

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = ""):
        """Replaces Django's "set this person's password" form: an administrator
        may only send the holder a link to set their own."""
        account = self._account_or_404(request, id)
        if request.method == "POST":
            try:
                services.password_reset_send(by=request.user, account=account)
            except services.AccountError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    f"A link to set a new password has been emailed to {account.email}. "
                    "The password stays as it is until they use it.",
                )
            return redirect("admin:cse_cases_user_change", account.pk)
        return TemplateResponse(
            request,
            "accounts/admin_password_reset.html",
            {
                **self.admin_site.each_context(request),
                "title": "Send a password reset link",
                "account": account,
                "opts": self.opts,
            },
        )

    def authenticator_remove(self, request: HttpRequest, id: str):
        """Asks for an authenticator's removal; a second person approves it."""
        account = self._account_or_404(request, id)
        error = ""
        reason = request.POST.get("reason", "") if request.method == "POST" else ""
        if request.method == "POST":
            try:
                change = services.authenticator_removal_request(
                    by=request.user, account=account, reason=reason
                )
            except services.AccountError as refused:
                error = refused.message
            else:
                messages.warning(
                    request,
                    "The removal waits for a second person's approval; the holder and "
                    "information governance have been told.",
                )
                return redirect("account-change", change.pk)
        return TemplateResponse(
            request,
            "accounts/admin_authenticator_remove.html",
            {
                **self.admin_site.each_context(request),
                "title": "Ask to remove the authenticator",
                "account": account,
                "opts": self.opts,
                "error": error,
                "reason": reason,
            },
            status=400 if error else 200,
        )
