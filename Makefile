# mailsetup — build, run and test. `make run` opens the window, `make test` runs every check.
export PATH := /usr/local/go/bin:$(PATH)
export LANG := C.UTF-8
export LC_ALL := C.UTF-8

BIN      := bin/mailsetup
# The same program with -tags testhooks: it reaches the test bed's servers on
# their high ports (internal/testhooks). Tests, screenshots and benchmarks
# drive it; the release binary has no such hook.
TESTBIN  := bin/mailsetup-testhooks
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X mailsetup/cli.Version=$(VERSION) -X mailsetup/probe.ClientVersion=$(VERSION)

# Windows. The installer and the .exe's version sheet want a numeric
# version: FyneApp.toml's Version and Build (VERSION stays the text shown).
APP_VERSION := $(shell sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\([0-9.]*\)".*/\1/p' FyneApp.toml)
APP_BUILD   := $(shell sed -n 's/^[[:space:]]*Build[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' FyneApp.toml)
WINBIN      := bin/mailsetup.exe
# The testhooks build for Windows: make test runs it under Wine against the test bed.
WINTESTBIN  := bin/mailsetup-testhooks.exe
WINMSI      := bin/mailsetup-$(APP_VERSION).msi
WINZIP      := bin/mailsetup-$(APP_VERSION)-windows-amd64.zip
WINGO       := CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc $(GO)

# Debian packages: to build the window, and the real servers and clients the tests talk to.
BUILD_DEBS := gcc pkg-config libgl1-mesa-dev xorg-dev
TEST_DEBS  := $(BUILD_DEBS) xvfb xauth x11-utils xdotool imagemagick fonts-noto-cjk \
	dovecot-core dovecot-pop3d dovecot-imapd dovecot-submissiond \
	msmtp mpop fetchmail getmail6 mutt neomutt libxml2-utils gcc-mingw-w64-x86-64 openssl \
	wine wine64 fonts-wine msitools wixl zip

.PHONY: run build build-testhooks test deps-build deps-test fmt-check vet unit smoke windows windows-testhooks \
	winres windows-packages package package-windows screenshots screenshots-windows bench fuzz fuzz-smoke reliability clean

run: deps-build build
	./$(BIN)

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .

build-testhooks:
	$(GO) build -trimpath -tags testhooks -ldflags '$(LDFLAGS)' -o $(TESTBIN) .

deps-build:
	@scripts/debs.sh $(BUILD_DEBS)

deps-test:
	@scripts/debs.sh $(TEST_DEBS)

test: deps-test fmt-check vet build build-testhooks windows windows-testhooks windows-packages unit smoke fuzz-smoke
	@echo "make test: all checks passed"

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# The contract tests drive the binaries built above instead of building their
# own; the Windows tests run the .exe files under Wine and inspect the MSI.
unit:
	MAILSETUP_BIN=$(CURDIR)/$(TESTBIN) MAILSETUP_RELEASE_BIN=$(CURDIR)/$(BIN) \
	MAILSETUP_WIN_BIN=$(CURDIR)/$(WINTESTBIN) MAILSETUP_WIN_RELEASE_BIN=$(CURDIR)/$(WINBIN) \
	MAILSETUP_MSI=$(CURDIR)/$(WINMSI) MAILSETUP_WIN_ZIP=$(CURDIR)/$(WINZIP) MAILSETUP_MSI_VERSION=$(APP_VERSION) \
		$(GO) test -race -count=1 -timeout 15m ./...

smoke: build
	scripts/smoke.sh $(BIN)

# Most Outlook and Foxmail users are on Windows: keep the Windows build working.
# -H windowsgui: no console window flashes up when the window opens.
windows: winres
	$(WINGO) build -trimpath -ldflags '$(LDFLAGS) -H windowsgui' -o $(WINBIN) .

windows-testhooks: winres
	$(WINGO) build -trimpath -tags testhooks -ldflags '$(LDFLAGS) -H windowsgui' -o $(WINTESTBIN) .

# The .exe's icon, version sheet and manifest, linked in by go build.
winres:
	GO=$(GO) scripts/winres.sh rsrc_windows_amd64.syso $(APP_VERSION) $(APP_BUILD) $(VERSION)

# The per-user installer and the portable zip (docs/windows.md).
windows-packages: windows
	GO=$(GO) scripts/package-windows.sh $(WINBIN) $(APP_VERSION) bin

package: deps-build
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.4 package -os linux -release
package-windows: deps-test windows-packages

screenshots: deps-test build-testhooks
	scripts/screenshots.sh $(TESTBIN)

# The Windows build's window under Wine and Xvfb: docs/screenshots/windows-wine*.png.
screenshots-windows: deps-test windows-testhooks
	scripts/screenshot-windows.sh $(WINTESTBIN)

# Time to a recommendation, to a verified login and to a rejected password at RTT 0, 50 and 200 ms
# against the test bed; writes docs/performance.md. BENCH_ARGS go to perfbench (-h lists them).
bench: build build-testhooks
	GO=$(GO) scripts/bench.sh $(BIN) -test-bin $(TESTBIN) $(BENCH_ARGS)

# Every Go fuzz target for 60 s each; a crasher lands in PACKAGE/testdata/fuzz/.
fuzz:
	scripts/fuzz.sh 60s

# A few seconds of real fuzzing per target (go test alone replays the seeds).
fuzz-smoke:
	scripts/fuzz.sh 3s

# Robustness as measured facts: the fault matrix, the secrets hunt through
# the real binary and the 200-domain load, rewritten into docs/reliability.md.
reliability:
	$(GO) test -count=1 -timeout 10m ./internal/reliability -args -write $(CURDIR)/docs/reliability.md

clean:
	rm -rf bin rsrc_windows_amd64.syso
