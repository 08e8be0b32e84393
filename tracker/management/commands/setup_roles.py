from django.core.management.base import BaseCommand

from tracker.roles import EDITOR_GROUP, sync_editor_group


class Command(BaseCommand):
    help = f"Create the {EDITOR_GROUP!r} group with exactly the permissions data entry needs (safe to run again)."

    def handle(self, *args, **options):
        group = sync_editor_group()
        self.stdout.write(f"{EDITOR_GROUP} group: {group.permissions.count()} permissions.")
