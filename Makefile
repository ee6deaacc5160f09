# Carepool. `make run` starts the product with demo data; `make test` runs every test.
SHELL := /bin/bash
GO ?= go
export PATH := $(shell $(GO) env GOROOT 2>/dev/null)/bin:$(shell $(GO) env GOPATH 2>/dev/null)/bin:$(PATH)

.PHONY: run build test test-deps test-long bench vet fmt clean
.PHONY: assets check-assets frontend-deps browser-deps mail-deps stripe-deps

# Root installs Debian packages directly; anyone else through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Install Debian packages without asking when root, in CI or not at a terminal; otherwise
# (a person who would be asked for a sudo password) say how.
define apt_install
	if [ -n "$$CI" ] || [ ! -t 0 ] || [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian packages: $(1)"; \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(1); \
	else \
		echo "Missing Debian packages: $(1). Install them with: sudo apt-get install $(1)"; \
	fi
endef

## run: start the server on the embedded store in ./data (demo data on first start)
run:
	$(GO) run ./cmd/carepool serve

## build: build the carepool binary into ./bin
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/carepool ./cmd/carepool

## test: install test dependencies, then vet and run every test with the race detector
test: test-deps vet
	$(GO) test -race -count=1 -timeout 18m ./...

## test-deps: download the Go modules the tests need, Chromium for the browser tests,
## axe-core (npm) for their accessibility checks, mailpit for the email tests and
## stripe-mock for the payment tests
test-deps: browser-deps frontend-deps mail-deps stripe-deps
	$(GO) mod download

## mail-deps: install mailpit, the SMTP server the email tests start, into GOPATH/bin when
## missing (the email tests skip without it, except in CI, where they fail)
MAILPIT_VERSION := v1.27.11
mail-deps:
	@command -v mailpit >/dev/null 2>&1 || $(GO) install github.com/axllent/mailpit@$(MAILPIT_VERSION)

## stripe-deps: install stripe-mock, the Stripe API double the payment tests start, into
## GOPATH/bin when missing (the tests skip without it, except in CI, where they fail)
STRIPE_MOCK_VERSION := v0.203.0
stripe-deps:
	@command -v stripe-mock >/dev/null 2>&1 || $(GO) install github.com/stripe/stripe-mock@$(STRIPE_MOCK_VERSION)

## browser-deps: install Debian's Chromium and chromedriver when missing (the browser
## tests skip without them, except in CI, where they fail)
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
		$(call apt_install,chromium chromium-driver); \
	fi

## frontend-deps: install the pinned npm packages (GOV.UK Frontend, Sass, axe-core) into
## frontend/node_modules, which is git-ignored
frontend-deps: frontend/node_modules/.installed

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then $(call apt_install,nodejs npm); fi
	@if command -v npm >/dev/null 2>&1; then \
		cd frontend && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	elif [ -n "$$CI" ]; then \
		echo "npm is missing: the browser tests need axe-core from npm" >&2; exit 1; \
	else \
		echo "npm is missing, so the browser tests will be skipped"; \
	fi

## assets: compile GOV.UK Frontend's styles with Sass into frontend/static/app.css; the
## output is committed, so `make run` and go:embed need no npm
assets: frontend-deps
	cd frontend && npx --no-install sass --no-source-map --style=compressed --load-path=node_modules \
		--quiet-deps styles/app.scss static/app.css

## check-assets: fail if the committed stylesheet is not what `make assets` builds
check-assets: frontend-deps
	cd frontend && npx --no-install sass --no-source-map --style=compressed --load-path=node_modules \
		--quiet-deps styles/app.scss node_modules/.app.css.check && cmp static/app.css node_modules/.app.css.check

vet:
	$(GO) vet ./...

## test-long: the long versions: more crash cycles and time-boxed fuzzing
test-long: test-deps
	BOLTSTORE_CRASH_CYCLES=200 $(GO) test -race -count=1 -timeout 60m -run Crash ./infra/store/boltstore/
	$(GO) test -run '^$$' -fuzz=FuzzOfferInput -fuzztime=2m ./marketplace/
	$(GO) test -run '^$$' -fuzz=FuzzDecodeJSON -fuzztime=1m ./infra/web/
	$(GO) test -run '^$$' -fuzz=FuzzDecodeFeed -fuzztime=1m ./marketplace/openreferral/
	$(GO) test -run '^$$' -fuzz=FuzzSplit -fuzztime=1m ./pooling/
	$(GO) test -run '^$$' -fuzz=FuzzCounted -fuzztime=1m ./pooling/

## bench: every benchmark (slow: builds 100k-document stores)
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m ./...

fmt:
	gofmt -s -w .

clean:
	rm -rf bin data
