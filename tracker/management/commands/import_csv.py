import csv
import io

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
                text = handle.read()
            _check_quotes(text)
            dataset = tablib.Dataset().load(text, format="csv")
        except (OSError, UnicodeDecodeError, tablib.InvalidDimensions, csv.Error) as error:
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


def _where(number: int) -> str:
    """Rows numbered as the admin numbers them (the first after the header is row 1), with the file's line."""
    return f"Row {number} (line {number + 1} of the file)"


def report_problems(result) -> list[str]:
    """Every row error and validation error, by row, naming the field."""
    lines = [f"File: {'; '.join(_messages(error.error))}" for error in result.base_errors]
    for number, errors in result.row_errors():
        lines += [f"{_where(number)}: {error.error}" for error in errors]
    for row in result.invalid_rows:
        for field, messages in row.error_dict.items():
            where = "" if field == "__all__" else f"{field.replace('_', ' ')}: "
            lines += [f"{_where(row.number)}: {where}{message}" for message in messages]
    return lines


def _messages(error) -> list[str]:
    return list(getattr(error, "messages", None) or [str(error)])


def _check_quotes(text: str) -> None:
    """An unclosed quotation mark swallows the rest of the file into one value: say so, with where it opened."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for _row in reader:
            pass
    except csv.Error as error:
        raise csv.Error(
            f'a quoted value that starts on line {reader.line_num} is never closed (a " is missing): {error}'
        ) from error
