from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class SiteUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ("display_name",)}))
    list_display = ("username", "email", "display_name", "is_staff")
