# Two commands matter on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_DIR := .demo
STAMP := $(VENV)/.installed


.PHONY: test-mysql dist loadtest gettext extract_translations compile_translations
.PHONY: help demo test lint typecheck importlint pytest bench compat upgrade chromium clean

help:
	@echo "make demo   - the provider on 127.0.0.1:$(PORT), its built-in LMS on http://localhost:$(PORT)/lms/"
	@echo "make test   - ruff, mypy, import-linter and the whole pytest suite"
	@echo "make test-mysql - migrations and the whole suite on MariaDB (strict mode, private socket)"
	@echo "make dist   - build the sdist and wheel into dist/"
	@echo "make extract_translations / compile_translations - update / compile the message catalogs"
	@echo "make bench  - launch (provider vs stock pylti1p3), grade passback and relaunch benchmarks"
	@echo "make loadtest - 500 first launches from 8 threads against a running make demo"
	@echo "make compat - the suite on Python 3.12 + Django 4.2 (PYTHON312=/path/to/python3.12)"

$(STAMP): requirements/test.txt setup.cfg tutor_plugins/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade 'pip<26'
	$(BIN)/pip install -q -r requirements/test.txt
	$(BIN)/pip install -q --no-deps -e . -e tutor_plugins
	touch $(STAMP)

# Debian's Chromium: Playwright drives it by path, never downloading a browser of its own.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
	  || echo "WARNING: could not install chromium; the browser test will fail"; }

demo: $(STAMP)
	mkdir -p $(DEMO_DIR)
	DJANGO_SETTINGS_MODULE=demo.settings $(BIN)/python demo/manage.py migrate --noinput -v 0
	DJANGO_SETTINGS_MODULE=demo.settings $(BIN)/python demo/manage.py demo_seed --base-url http://127.0.0.1:$(PORT) --lms-url http://localhost:$(PORT)
	DJANGO_SETTINGS_MODULE=demo.settings $(BIN)/python demo/manage.py demo_serve --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests demo bench tutor_plugins
	$(BIN)/ruff format --check src tests demo bench tutor_plugins

typecheck: $(STAMP)
	$(BIN)/mypy src/lti_1p3_provider
	$(BIN)/mypy demo

importlint: $(STAMP)
	PYTHONPATH=src $(BIN)/lint-imports

pytest: $(STAMP) chromium gettext
	$(BIN)/pytest -q

# GNU gettext (xgettext, msgmerge, msgfmt): Django's makemessages and compilemessages use it.
gettext:
	@command -v xgettext >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1 || { \
	  echo "installing Debian gettext for the translation catalogs"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext) >/dev/null \
	  || echo "WARNING: could not install gettext; the catalog test will fail"; }

# OEP-58: conf/locale/en holds the source catalog openedx-translations pulls; the bundled
# es_419 catalog is merged with it (translations kept) and compiled for the wheel.
LOCALE_PKG := src/lti_1p3_provider
extract_translations: $(STAMP) gettext
	cd $(LOCALE_PKG) && ../../$(BIN)/django-admin makemessages -l en -l es_419 -d django \
	  --no-obsolete --add-location file --ignore 'migrations/*' -v 0

compile_translations: $(STAMP) gettext
	cd $(LOCALE_PKG) && ../../$(BIN)/django-admin compilemessages -l es_419 -v 0

test: lint typecheck importlint pytest

# Open edX runs MySQL in strict mode: the same suite on Debian's MariaDB, started on a socket.
test-mysql: $(STAMP) chromium gettext
	./scripts/test-mysql

# The sdist and the wheel (built from it) in dist/; what the Tutor plugin and PyPI install.
dist: $(STAMP)
	rm -rf dist build
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m build --no-isolation --outdir dist .
	@ls -l dist

bench: $(STAMP)
	PYTHONPATH=.:src $(BIN)/python -m bench.launches
	PYTHONPATH=.:src $(BIN)/python -m bench.passback
	BENCH_PLATFORM_DELAY_MS=50 PYTHONPATH=.:src $(BIN)/python -m bench.passback
	PYTHONPATH=.:src $(BIN)/python -m bench.relaunches

# Against a running `make demo` (LOADTEST_URL, LOADTEST_LAUNCHES, LOADTEST_THREADS override).
loadtest: $(STAMP)
	PYTHONPATH=.:src $(BIN)/python -m bench.loadtest

# The other supported corner: Python 3.12 with Django 4.2 (make test covers 3.11 + Django 5.2).
PYTHON312 ?= python3.12
compat: chromium
	test -x .venv-compat/bin/python || $(PYTHON312) -m venv .venv-compat
	.venv-compat/bin/pip install -q -r requirements/test.txt
	.venv-compat/bin/pip install -q 'Django>=4.2,<5.0' 'djangorestframework>=3.14,<3.16'
	.venv-compat/bin/pip install -q --no-deps -e . -e tutor_plugins
	.venv-compat/bin/python -c "import django, sys; print(sys.version.split()[0], django.get_version())"
	.venv-compat/bin/pytest -q

upgrade: $(STAMP)
	for f in base demo test; do \
	  $(BIN)/pip-compile -q --upgrade --no-emit-index-url --strip-extras --allow-unsafe \
	    -o requirements/$$f.txt requirements/$$f.in; done

clean:
	rm -rf $(VENV) $(DEMO_DIR) build dist src/*.egg-info .mysql
