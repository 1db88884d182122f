from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import AccountClaim, Membership, RoleInvitation, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["area", "team"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "phone", "email", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    search_fields = ["full_name", "phone", "email"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["full_name", "phone", "email", "password", "preferred_language"]}),
        (_("Quyền"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Thời điểm"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["full_name", "phone", "email", "password1", "password2"]}),
    ]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "ward", "residential_group", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "ward__name"]
    autocomplete_fields = ["ward", "residential_group"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "area", "team", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__full_name", "user__phone", "area__name"]
    autocomplete_fields = ["user", "area", "team"]


@admin.register(RoleInvitation)
class RoleInvitationAdmin(admin.ModelAdmin):
    """Roles offered to existing accounts: accepted by their owner once signed in."""

    list_display = ["user", "role", "area", "team", "created_by", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["user__full_name", "user__phone", "area__name"]
    autocomplete_fields = ["user", "area", "team"]
    readonly_fields = ["created_by", "accepted_at", "declined_at"]


@admin.register(AccountClaim)
class AccountClaimAdmin(admin.ModelAdmin):
    """One-time claim codes: only their hash is kept, so there is nothing here to read out."""

    list_display = ["user", "created_by", "created_at", "expires_at", "used_at"]
    search_fields = ["user__full_name", "user__phone"]
    readonly_fields = ["user", "created_by", "expires_at", "used_at"]
    exclude = ["code_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made by a coordinator's button, which shows the code once
