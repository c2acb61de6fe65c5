# referat: `make run` and `make test` are the two commands (see README.md).
# Everything else here is a step of those two.

SHELL := /bin/bash
BUILD := build
ASAN := build-asan
FUZZ := build-fuzz

# Debian 12 packages the build and the tests need; installed when missing (groff-base and
# systemd: the install test checks the manual and verifies the units).
DEB_BUILD := gcc make meson ninja-build pkg-config python3 libsqlite3-dev sqlite3 \
	libjansson-dev libmd4c-dev libmd4c-html0-dev libstemmer-dev libmicrohttpd-dev \
	libical-dev libsodium-dev libxml2-dev libpq-dev libpoppler-glib-dev libmagic-dev \
	libcurl4-openssl-dev zlib1g-dev libpango1.0-dev libcairo2-dev fonts-dejavu-core # pango/cairo: the PDF writer (issue 10, pdf)
DEB_TEST := clang libclang-rt-14-dev chromium groff-base systemd libcairo2-dev \
	python3-aiosmtpd python3-icalendar openssl \
	qpdf poppler-utils # the PDF proof: qpdf --check, pdftotext (issue 10, pdf)
# Node.js for the browser tests: Debian's packages unless a node with npm is already there.
DEB_NODE := nodejs npm
DEB_BENCH := wrk nginx valgrind

# `make install`: PREFIX and DESTDIR as usual; with DESTDIR nothing needs root (no user is
# made, no service started: docs/deploy.md says how).
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man/man1
UNITDIR = $(PREFIX)/lib/systemd/system
SYSUSERSDIR = $(PREFIX)/lib/sysusers.d

.PHONY: run test deps deps-test build asan fuzz-build browser-deps clean bench install \
	install-files

run: deps build
	@bash scripts/run-demo.sh $(BUILD)/src/cli/referat

test: deps deps-test build asan fuzz-build browser-deps
	@bash tests/run.sh

deps:
	@bash scripts/deps.sh $(DEB_BUILD)

deps-test:
	@bash scripts/deps.sh $(DEB_TEST)

build:
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD) >/dev/null
	@ninja -C $(BUILD) >/dev/null

asan:
	@test -f $(ASAN)/build.ninja || meson setup $(ASAN) -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debug >/dev/null
	@ninja -C $(ASAN) >/dev/null

fuzz-build:
	@test -f $(FUZZ)/build.ninja || CC=clang meson setup $(FUZZ) -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	@ninja -C $(FUZZ) tests/fuzz/fuzz_md tests/fuzz/fuzz_txt tests/fuzz/fuzz_json tests/fuzz/fuzz_url \
		tests/fuzz/fuzz_query tests/fuzz/fuzz_meeting_txt tests/fuzz/fuzz_meeting_html \
		tests/fuzz/fuzz_meeting_pdf tests/fuzz/fuzz_library >/dev/null

browser-deps:
	@command -v npm >/dev/null || bash scripts/deps.sh $(DEB_NODE)
	@if [ -f tests/browser/package.json ] && [ ! -d tests/browser/node_modules ]; then \
		cd tests/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null; fi

install: build install-files

install-files:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(SYSUSERSDIR)
	install -m 0755 $(BUILD)/src/cli/referat $(DESTDIR)$(BINDIR)/referat
	install -m 0644 docs/referat.1 $(DESTDIR)$(MANDIR)/referat.1
	for u in referat.service referat-backup.service referat-remind.service; do \
		sed 's|@BINDIR@|$(BINDIR)|g' dist/$$u.in >$(DESTDIR)$(UNITDIR)/$$u && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; done
	install -m 0644 dist/referat-backup.timer $(DESTDIR)$(UNITDIR)/referat-backup.timer
	# ---- issue 10, remind: the daily reminders ----
	install -m 0644 dist/referat-remind.timer $(DESTDIR)$(UNITDIR)/referat-remind.timer
	install -m 0644 dist/referat.sysusers $(DESTDIR)$(SYSUSERSDIR)/referat.conf

bench: deps build
	@bash scripts/deps.sh $(DEB_BENCH)
	@bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ) demo
