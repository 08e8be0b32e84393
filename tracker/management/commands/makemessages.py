"""Django's makemessages, with this project's options built in: `manage.py makemessages -l ja` (or `make messages`)
always reads the same files and writes the catalogue the same way, for people and for the completeness test
(tracker/tests/test_translations.py) alike."""

from django.core.management.commands import makemessages

# Not ours to translate: the tools, installed packages, collected static files, and the admin's templates (the
# admin is the editors' tool, in English).
IGNORED = [
    ".venv",
    "node_modules",
    "staticfiles",
    "bench",
    "scripts",
    "templates/admin/*",
    "templates/simple_history/*",
]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *IGNORED]
        # One message per line, no file references: a change to the code does not rewrite the whole catalogue.
        options["no_wrap"] = True
        options["no_location"] = True
        return super().handle(*args, **options)
