from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tracker.models import Source

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "admin"


class Command(BaseCommand):
    help = "Load the seed fixtures into an empty database and, in DEBUG only, create the local admin user."

    def handle(self, *args, **options):
        if Source.objects.exists():
            self.stdout.write("Data already present: seed fixtures not loaded again (editors' changes are kept).")
        else:
            call_command("loaddata", "seed.json", verbosity=0)
            self.stdout.write(self.style.SUCCESS("Loaded the seed fixtures."))
        if not settings.DEBUG:
            return
        user_model = get_user_model()
        if not user_model.objects.filter(username=DEMO_USERNAME).exists():
            user_model.objects.create_superuser(DEMO_USERNAME, "", DEMO_PASSWORD)
            self.stdout.write(f"Created the local admin user {DEMO_USERNAME!r} (password {DEMO_PASSWORD!r}).")
