"""Replay every commitment's events and store the results: current states, old → new values, state periods."""

import time

from django.core.management.base import BaseCommand

from tracker import history


class Command(BaseCommand):
    help = "Rebuild every commitment's derived history (current state, old values, state periods) from its events."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = history.rebuild_all()
        self.stdout.write(f"Rebuilt the history of {count} commitments in {time.perf_counter() - started:.1f} s.")
