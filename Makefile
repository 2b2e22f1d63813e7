# Bureau — the two commands are `make run` and `make test`.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
CHROMIUM ?= $(shell command -v chromium 2>/dev/null || echo /usr/bin/chromium)
WEB_SRC  := $(shell find frontend/src frontend/public -type f 2>/dev/null) frontend/index.html \
            frontend/vite.config.ts frontend/package.json frontend/tsconfig.json
GO_SRC   := $(shell find . -name '*.go' -not -path './frontend/*' -not -path './e2e/*') \
            $(shell find . -path ./frontend -prune -o -path ./e2e -prune -o \( -name '*.sql' -o -name '*.csv' -o -name '*.conf' -o -name '*.txt' \) -print) go.mod go.sum

.PHONY: run sim build test web vet go-test web-test e2e bench vulncheck check-tools chromium clean fuzz

## run: build everything and serve on :8080 (data in ./data)
run: build
	./bin/bureau serve

## build: the web app and the binary → bin/bureau
build: bin/bureau

bin/bureau: frontend/dist/index.html $(GO_SRC)
	CGO_ENABLED=1 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/bureau .

# devoidc: the stand-alone test identity provider the SSO e2e spec signs in with.
bin/devoidc: $(GO_SRC)
	$(GO) build -o bin/devoidc ./cmd/devoidc

# rpasim: the vendor simulators (UiPath, Blue Prism, Automation Anywhere,
# Power Automate, Robomotion) on local ports, for trying connections and for e2e.
bin/rpasim: $(GO_SRC)
	$(GO) build -o bin/rpasim ./cmd/rpasim

## sim: serve a vendor simulator with sample data, e.g. make sim P=uipath-cloud (P=all: every one)
sim:
	$(GO) run ./cmd/rpasim $(or $(P),all)

web: frontend/dist/index.html

frontend/dist/index.html: frontend/node_modules/.package-lock.json $(WEB_SRC)
	cd frontend && npm run build

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	@command -v npm >/dev/null || { echo "make: npm is missing: install Node.js 20+ and npm"; exit 1; }
	cd frontend && npm ci

e2e/node_modules/.package-lock.json: e2e/package-lock.json
	cd e2e && npm ci

## test: vet, Go tests, web app unit tests, end-to-end tests in Chromium
test: check-tools build vet go-test web-test e2e

check-tools:
	@command -v $(GO) >/dev/null || { echo "make: Go is missing: install Go 1.26 (https://go.dev/dl)"; exit 1; }
	@command -v gcc >/dev/null || { echo "make: gcc is missing (SQLite needs cgo): apt-get install gcc"; exit 1; }
	@command -v npm >/dev/null || { echo "make: npm is missing: install Node.js 20+ and npm"; exit 1; }

vet:
	$(GO) vet ./...

go-test:
	$(GO) test -count=1 ./...

web-test: frontend/node_modules/.package-lock.json
	cd frontend && npm test

e2e: bin/bureau bin/devoidc bin/rpasim e2e/node_modules/.package-lock.json chromium
	cd e2e && BUREAU_BIN=$(CURDIR)/bin/bureau DEVOIDC_BIN=$(CURDIR)/bin/devoidc RPASIM_BIN=$(CURDIR)/bin/rpasim CHROMIUM_PATH=$(CHROMIUM) npm test

# chromium installs Debian's Chromium when it is missing and we are root;
# otherwise it says what to install.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "make: installing Debian's chromium for the end-to-end tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "make: Chromium is missing: install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM=/path/to/chromium"; exit 1; \
	  fi; \
	fi

## bench: Go benchmarks (password hashing, middleware chain, policy), then
## the load script: the real binary over loopback HTTP for 10 s
bench: bin/bureau
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) run ./bench/load -bin bin/bureau -duration 10s -clients 32

## fuzz: run each fuzz target for 30 s
fuzz: frontend/dist/index.html
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime 30s ./server/
	$(GO) test -run '^$$' -fuzz '^FuzzCheckPassword$$' -fuzztime 30s ./auth/
	$(GO) test -run '^$$' -fuzz '^FuzzParseCSV$$' -fuzztime 30s ./people/
	$(GO) test -run '^$$' -fuzz '^FuzzValidate$$' -fuzztime 30s ./slug/
	$(GO) test -run '^$$' -fuzz '^FuzzVerify$$' -fuzztime 30s ./license/

## vulncheck: govulncheck against the offline database in ../shared/vulndb
vulncheck: frontend/dist/index.html
	mkdir -p /tmp/bureau-govulndb && tar xzf ../shared/vulndb/osv.tgz -C /tmp/bureau-govulndb
	$(GO) run golang.org/x/vuln/cmd/govulncheck@v1.9.0 -db file:///tmp/bureau-govulndb/osv ./...

clean:
	rm -rf bin frontend/dist frontend/node_modules e2e/node_modules
