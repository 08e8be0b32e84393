"""The Editor role: exactly what data entry needs. Administration (users, groups) stays with superusers."""

from django.contrib.auth.models import Group, Permission

EDITOR_GROUP = "Editor"

# model → actions. Nothing here deletes a source, a commitment, an actor or a quote: data is never lost by
# an editor. Status updates can be deleted (latest first, giving the old values back) and links undone.
EDITOR_PERMISSIONS = {
    "actor": ("add", "change", "view"),
    "source": ("add", "change", "view"),
    "commitment": ("add", "change", "view"),
    "commitmentlink": ("add", "change", "delete", "view"),
    "quote": ("add", "change", "view"),
    "statusupdate": ("add", "change", "delete", "view"),
    "reading": ("add", "change", "delete", "view"),
    "reviewcheck": ("add", "change", "view"),
}


def editor_permission_codenames() -> set[str]:
    return {f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions}


def sync_editor_group() -> Group:
    """Create the Editor group, or put its permissions back to exactly these."""
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label="tracker", codename__in=editor_permission_codenames()
    )
    group.permissions.set(permissions)
    return group
