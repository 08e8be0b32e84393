"""List every commitment whose stored state differs from a replay of its events; exit 1 if any does."""

from django.core.management.base import BaseCommand, CommandError

from tracker import history


class Command(BaseCommand):
    help = "Check that every stored state, old value and state period follows from the events (exit 1 if not)."

    def handle(self, *args, **options):
        problems = history.problems()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(
                f"{len(problems)} stored value(s) differ from the replay of the events: "
                "run `manage.py rebuild_history` once the cause is understood."
            )
        self.stdout.write("Every stored state follows from its events.")
