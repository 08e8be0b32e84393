# The README's two commands: `make run` and `make test`. Each sets up what it needs on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Python 3.13 (see .python-version): on PATH, or where pyenv keeps it.
PYTHON313 := $(shell command -v python3.13 2>/dev/null || ls $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.13.0/bin/python 2>/dev/null)
TEST_ENV := SECRET_KEY=test-only-not-secret DEBUG=0 SECURE_SSL_REDIRECT=0 CONN_MAX_AGE=0

.PHONY: run test test-fast lint install chromium fonts checkers gettext messages clean serve

$(PY):
	@test -n "$(PYTHON313)" || { echo "Python 3.13 not found: install it (pyenv install 3.13.0)"; exit 1; }
	$(PYTHON313) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(VENV)/.installed

# Serve the seeded tracker on SQLite at http://127.0.0.1:8000/ (admin: /admin/, users admin/admin and editor/editor).
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$${PORT:-8000}

# Production: migrate, collect static files, set up the Editor role, then gunicorn (gunicorn.conf.py), with the
# settings from the environment: SECRET_KEY, DATABASE_URL, REDIS_URL, ALLOWED_HOSTS… (docs/deploy.md).
serve: install
	bin/start

# Debian's Chromium drives the browser tests (Playwright cannot download its own browser here).
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

# A CJK font for the Japanese social cards (tracker/embeds.py): Debian's fonts-noto-cjk (Noto Sans CJK, SIL Open Font
# Licence), kept up to date by the system instead of a 20 MB font file in the repository.
fonts:
	@test -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	  else echo "Install Debian's CJK fonts for the Japanese social cards: sudo apt-get install fonts-noto-cjk"; exit 1; fi; }

# GNU gettext (xgettext, msgfmt): the translations' completeness test runs makemessages and compilemessages. `make run`
# does not need it: the compiled catalogue (locale/ja/LC_MESSAGES/django.mo) is committed.
gettext:
	@command -v msgfmt >/dev/null && command -v xgettext >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else echo "Install GNU gettext: sudo apt-get install gettext"; exit 1; fi; }

# Update the Japanese catalogue from the code and templates, then compile it (README, "Translations"). Which files
# makemessages reads is set in tracker/management/commands/makemessages.py, for the completeness test too.
messages: install gettext
	DEBUG=1 $(PY) manage.py makemessages -l ja
	DEBUG=1 $(PY) manage.py compilemessages -l ja --ignore=.venv --ignore=node_modules

# The page checkers (package.json, pinned in package-lock.json): axe-core for accessibility, run in Chromium, and
# vnu.jar (the Nu Html Checker) for HTML validity, run with Java 17. Install scripts are skipped: vnu-jar's would
# download a Java of its own, and the jar itself ships in the package.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "Install Node.js and npm: sudo apt-get install nodejs npm"; exit 1; fi; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

checkers: node_modules/.installed
	@command -v java >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	  else echo "Install Java 17 for the HTML checker: sudo apt-get install openjdk-17-jre-headless"; exit 1; fi; }

# Lint and types: ruff (lint, then formatting) and mypy with django-stubs (mypy.ini). `make test` runs it first.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(VENV)/bin/mypy

# The whole test suite, on SQLite by default or on the database DATABASE_URL names. SKIP_LINT=1 leaves out `make lint`
# (.ci/run lints once, then runs the suite on two databases).
test: install chromium fonts checkers gettext
	@if [ -z "$(SKIP_LINT)" ]; then $(MAKE) --no-print-directory lint; fi
	$(TEST_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

# The quick loop while coding: no browser, no drills, no page checkers, nothing marked slow (pytest.ini's markers).
test-fast: install fonts
	$(TEST_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(TEST_ENV) $(PY) -m pytest -m "not browser and not drill and not slow" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 .pytest_cache
