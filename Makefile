# Carepool. `make run` starts the product with demo data; `make test` runs every test.
SHELL := /bin/bash
GO ?= go
export PATH := $(shell $(GO) env GOROOT 2>/dev/null)/bin:$(shell $(GO) env GOPATH 2>/dev/null)/bin:$(PATH)

.PHONY: run build test test-deps test-long bench vet fmt clean

## run: start the server on the embedded store in ./data (demo data on first start)
run:
	$(GO) run ./cmd/carepool serve

## build: build the carepool binary into ./bin
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/carepool ./cmd/carepool

## test: install test dependencies, then vet and run every test with the race detector
test: test-deps vet
	$(GO) test -race -count=1 -timeout 18m ./...

## test-deps: download the Go modules the tests need
test-deps:
	$(GO) mod download

vet:
	$(GO) vet ./...

## test-long: the long versions: more crash cycles and time-boxed fuzzing
test-long: test-deps
	CRASH_CYCLES=200 $(GO) test -race -count=1 -timeout 60m -run 'Crash' ./infra/store/boltstore/
	$(GO) test -run '^$$' -fuzz=FuzzOfferInput -fuzztime=2m ./marketplace/
	$(GO) test -run '^$$' -fuzz=FuzzDecodeJSON -fuzztime=1m ./infra/web/

## bench: every benchmark (slow: builds 100k-document stores)
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m ./...

fmt:
	gofmt -s -w .

clean:
	rm -rf bin data
