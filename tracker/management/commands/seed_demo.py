from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tracker.models import Source
from tracker.roles import EDITOR_GROUP

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "admin"
DEMO_EDITOR = "editor"


class Command(BaseCommand):
    help = (
        "Load the seed fixtures into an empty database, set up the Editor role and, in DEBUG only, "
        "create the local users admin/admin (superuser) and editor/editor (Editor)."
    )

    def handle(self, *args, **options):
        if Source.objects.exists():
            self.stdout.write("Data already present: seed fixtures not loaded again (editors' changes are kept).")
        else:
            call_command("loaddata", "seed.json", verbosity=0)
            self.stdout.write(self.style.SUCCESS("Loaded the seed fixtures."))
        call_command("setup_roles", verbosity=0)
        if not settings.DEBUG:
            return
        user_model = get_user_model()
        if not user_model.objects.filter(username=DEMO_USERNAME).exists():
            user_model.objects.create_superuser(DEMO_USERNAME, "", DEMO_PASSWORD)
            self.stdout.write(f"Created the local admin user {DEMO_USERNAME!r} (password {DEMO_PASSWORD!r}).")
        if not user_model.objects.filter(username=DEMO_EDITOR).exists():
            editor = user_model.objects.create_user(DEMO_EDITOR, "", DEMO_EDITOR, is_staff=True)
            editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
            self.stdout.write(f"Created the local editor {DEMO_EDITOR!r} (password {DEMO_EDITOR!r}).")
