from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tracker.accounts.models import AuditEvent, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "language"]
    list_filter = ["language", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    filter_horizontal = ["countries"]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    fields = ["organisation", "countries", "language"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["countries"]


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, on whose add page an NGO user is made in one go: name, address,
    password, role (group) and organisation (the membership inline)."""

    inlines = [MembershipInline]
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username", "email", "usable_password", "password1", "password2", "groups",
                ),
            },
        ),
    )
    add_form_template = "admin/auth/user/add_with_membership_form.html"
    list_select_related = ["membership__organisation"]
    list_display = ["username", "email", "organisation", "is_staff", "is_active"]

    @admin.display(description=_("organisation"), ordering="membership__organisation__name")
    def organisation(self, user: User) -> str:
        membership = getattr(user, "membership", None)
        return str(membership.organisation) if membership else ""


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read-only for everyone, superusers included: tracker.accounts.audit writes
    it."""

    list_display = ["created", "kind", "username", "ip_address", "detail"]
    list_filter = ["kind", "created"]
    search_fields = ["username", "ip_address", "detail"]
    date_hierarchy = "created"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
