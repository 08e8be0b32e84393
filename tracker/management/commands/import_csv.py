import tablib
from django.core.management.base import BaseCommand, CommandError

from tracker.resources import RESOURCES


class Command(BaseCommand):
    help = (
        "Import commitments or status updates from CSV (new rows and updates). All or nothing: "
        "if any row is invalid, nothing is saved and every problem is listed by line."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=sorted(RESOURCES))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, save nothing.")

    def handle(self, *args, what, file, dry_run=False, **options):
        try:
            with open(file, encoding="utf-8-sig", newline="") as handle:
                dataset = tablib.Dataset().load(handle.read(), format="csv")
        except (OSError, UnicodeDecodeError, tablib.InvalidDimensions) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        result = RESOURCES[what]().import_data(dataset, dry_run=dry_run, raise_errors=False, use_transactions=True)
        problems = report_problems(result)
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"{len(problems)} problem(s): nothing was imported.")
        totals = result.totals
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb}: {totals['new']} new, {totals['update']} updated, {totals['skip']} unchanged.")


def report_problems(result) -> list[str]:
    """Every row error and validation error, by CSV line (the header is line 1)."""
    lines = [f"File: {error.error}" for error in result.base_errors]
    for number, errors in result.row_errors():
        lines += [f"Line {number + 1}: {error.error}" for error in errors]
    for row in result.invalid_rows:
        for field, messages in row.error_dict.items():
            where = "" if field == "__all__" else f"{field}: "
            lines += [f"Line {row.number + 1}: {where}{message}" for message in messages]
    return lines
