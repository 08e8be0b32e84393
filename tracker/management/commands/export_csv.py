from django.core.management.base import BaseCommand

from tracker.resources import RESOURCES


class Command(BaseCommand):
    help = "Write commitments or status updates as CSV, in the format import_csv and the admin's import read back."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=sorted(RESOURCES))
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, what, output=None, **options):
        data = RESOURCES[what]().export().csv
        if output:
            with open(output, "w", encoding="utf-8", newline="") as file:
                file.write(data)
        else:
            self.stdout.write(data, ending="")
