"""manage.py generate_scale_data: a deterministic synthetic dataset at scale (see _scale_data.py beside it)."""

import time

from django.core.management.base import BaseCommand, CommandError

from tracker import history
from tracker.management.commands import _scale_data as scale_data


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic dataset: by default 10,000 commitments, 100,000 status updates, "
        "50,000 quotes, 5,000 sources (3–8 KB of text each) and 250 actors. Same seed, same data. "
        "Refuses to run on a database that already holds tracker data unless --flush (delete it first) or "
        "--append (add to it) is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply every default count by this factor (e.g. 0.01 for 100 commitments).",
        )
        for name, default in scale_data.DEFAULTS.items():
            parser.add_argument(
                f"--{name}", type=int, default=None, help=f"How many {name} (default {default} × scale)."
            )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--flush",
            action="store_true",
            help="Delete every tracker row and its history first (users and groups are kept).",
        )
        mode.add_argument(
            "--append",
            action="store_true",
            help="Add to the data already there (existing actors with the same slug are reused).",
        )

    def handle(self, *args, scale, seed, flush, append, verbosity, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        explicit = {name: options[name] for name in scale_data.DEFAULTS}
        if any(value is not None and value < 0 for value in explicit.values()):
            raise CommandError("Counts cannot be negative.")
        counts = scale_data.Counts.scaled(scale, **explicit)
        existing = scale_data.tracker_rows()
        if existing and not (flush or append):
            raise CommandError(
                f"The database already holds {existing} tracker rows: pass --flush to delete them first, "
                "or --append to add to them."
            )
        started = time.monotonic()
        if flush and existing:
            scale_data.flush()
            if verbosity:
                self.stdout.write(f"Deleted {existing} tracker rows and their history.")
        log = (lambda message: self.stdout.write(f"  {message}")) if verbosity > 1 else (lambda message: None)
        totals = scale_data.Generator(counts, seed, log=log).run()
        log("Replaying every history into stored states")
        history.rebuild_all()
        if verbosity:
            made = ", ".join(f"{count} {name}" for name, count in totals.items())
            self.stdout.write(
                self.style.SUCCESS(f"Generated {made} (seed {seed}) in {time.monotonic() - started:.1f} s.")
            )
