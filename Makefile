# tact - build, test, demo, bench, install.  A plain Makefile: every lib/*.c
# and lib/SUBSYSTEM/*.c goes into one static library, every tools/*.c becomes bin/tact-NAME, every
# tests/unit/test_*.c becomes a cmocka test program.  Nothing here needs to
# be edited to add a module, a tool or a unit test.

CC      = gcc
PREFIX ?= /usr/local
BUILD  ?= build
BIN    ?= bin
WARN    = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
OPT    ?= -O2 -g
CFLAGS_EXTRA ?=
CFLAGS  = -std=c11 $(OPT) $(WARN) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(CFLAGS_EXTRA)
CPPFLAGS = -Ilib -Itools/cli -MMD -MP
LDLIBS  = -lcsv -lgsl -lgslcblas -lm -lpthread
LDFLAGS_EXTRA ?=

# Debian packages: to build, to run the demo, to run the suite.
BUILD_PACKAGES = gcc make libgsl-dev libcsv-dev gnuplot-nox
TEST_PACKAGES  = $(BUILD_PACKAGES) libcmocka-dev valgrind chromium python3-numpy
# The bench's peers (mk/bench.sh) and /usr/bin/time.
BENCH_PACKAGES = datamash miller python3-pandas r-cran-data.table sqlite3 time

# File names stay unique across lib/ and its subsystem folders: ar keeps
# members by base name.
LIB_SRC   := $(sort $(wildcard lib/*.c lib/*/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB_A     := $(BUILD)/libtact.a
CLI_SRC   := $(sort $(wildcard tools/cli/*.c))
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
TOOL_SRC  := $(sort $(wildcard tools/*.c))
TOOLS     := $(TOOL_SRC:tools/%.c=$(BIN)/tact-%)
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNITS     := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
MANPAGES  := $(sort $(wildcard man/*.[157]))

.PHONY: all deps deps-test test test-unit test-cli test-sanitize test-valgrind fuzz fuzz-build demo bench bench-apply install clean
.SUFFIXES:
# Keep object files between builds (they are intermediate in the pattern
# rules, which make would otherwise delete after each link).
.SECONDARY:

all: $(TOOLS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB_A): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN)/tact-%: $(BUILD)/tools/%.o $(CLI_OBJ) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS_EXTRA) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS_EXTRA) -o $@ $^ -lcmocka $(LDLIBS)

deps:
	@sh mk/deps.sh $(BUILD_PACKAGES)

deps-test:
	@sh mk/deps.sh $(TEST_PACKAGES)

# The whole suite: unit tests and command-line cases on the normal build,
# then both again under AddressSanitizer + UndefinedBehaviorSanitizer.
# Builds run one job per core (CI calls plain "make test"); the tests
# themselves spread over the cores in tests/run-unit.sh and tests/cli/run.sh.
JOBS := $(shell nproc 2>/dev/null || echo 1)
test: deps-test
	@$(MAKE) --no-print-directory -j$(JOBS) all $(UNITS)
	@$(MAKE) --no-print-directory test-unit test-cli
	@$(MAKE) --no-print-directory test-sql
	@$(MAKE) --no-print-directory test-sanitize
	@$(MAKE) --no-print-directory test-valgrind
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30 FUZZ_LEAK_EXPORTS=0
	@echo "tact: all tests passed"

test-unit: $(UNITS) $(TOOLS)
	@sh tests/run-unit.sh $(UNITS)

# The randomized suppression check (tests/privacy/leaks.py): LEAK_EXPORTS
# random exports here (and STRICT_LEAK_EXPORTS with --privacy strict, the
# linked tables of issue 15 item 12), FUZZ_LEAK_EXPORTS of each under make
# fuzz.
LEAK_EXPORTS ?= 200
STRICT_LEAK_EXPORTS ?= 60
test-cli: $(TOOLS)
	@sh tests/cli/run.sh $(BIN)
	@/usr/bin/python3 tests/privacy/leaks.py $(BIN) $(LEAK_EXPORTS)
	@/usr/bin/python3 tests/privacy/leaks.py $(BIN) $(STRICT_LEAK_EXPORTS) 15 --strict

# tact-sql's statement on real engines, against tact-summarize and
# tact-compare on the export: PostgreSQL (a private server in a temporary
# directory, stopped and removed at the end), DuckDB and ClickHouse (chdb)
# embedded in Node.js, npm packages installed into build/npm when missing.
NPM_ENGINES = @duckdb/node-api@1.5.6-r.1 chdb@3.4.0
test-sql: $(TOOLS) npm-engines
	@sh mk/deps.sh postgresql
	@sh tests/sql/postgres-roundtrip.sh $(BIN)
	@sh tests/sql/engines.sh $(BIN) build/npm

npm-engines:
	@sh tests/sql/install-engines.sh build/npm $(NPM_ENGINES)

SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# Left out under the sanitizers: simulations that check coverage and
# agreement over hundreds of random draws (figures, not memory: the same
# code runs there on every other case), 3 of the 4 minutes they would take.
SAN_SKIP = compare-sessions-coverage frontier-coverage \
	compare-verdict-agrees-interval frontier-agree-random
test-sanitize:
	@$(MAKE) --no-print-directory BUILD=build/san BIN=build/san/bin OPT="-O1 -g" \
	    CFLAGS_EXTRA="$(SAN_FLAGS)" LDFLAGS_EXTRA="$(SAN_FLAGS)" -j$(JOBS) \
	    $(UNITS:$(BUILD)/%=build/san/%) \
	    $(TOOLS:$(BIN)/%=build/san/bin/%)
	@$(MAKE) --no-print-directory BUILD=build/san BIN=build/san/bin OPT="-O1 -g" \
	    CFLAGS_EXTRA="$(SAN_FLAGS)" LDFLAGS_EXTRA="$(SAN_FLAGS)" LEAK_EXPORTS=50 STRICT_LEAK_EXPORTS=20 \
	    TACT_CLI_SKIP="$(SAN_SKIP)" test-unit test-cli

# Command-line cases with every tool under valgrind (no error, no leak,
# no read of uninitialised memory, which ASan does not see).  The whole
# suite would take far too long there: every tool on good input, and a few
# bad inputs and faults per reader and writer (the sanitizer run covers
# every case).
VALGRIND_CASES = \
	summarize-small summarize-small-table agree-clean-european-stdin-shards \
	compare-margin power-plan-rate power-segments frontier-table \
	frontier-json simulate-deterministic sql-postgres dose-categorical \
	dose-control-only intent-rule-apply intent-train-rules intent-apply-bytes \
	plot-forest-svg plot-stdout report-replaces-previous validate-small-cells \
	validate-summary \
	bad-csv-unterminated-quote-mid-file bad-csv-ragged-short \
	bad-csv-cr-only-intent-apply bad-csv-nul-in-quoted-field \
	bad-csv-ragged-report bad-after-closing-quote \
	bad-type-value-inf bad-type-unit-empty bad-type-skip-bad-counts \
	bad-summary-nan-sum bad-summary-duplicate-group bad-merge-different-roles \
	bad-single-arm-dose bad-wide-10000-columns bad-labels-frontier-json \
	bad-count-2p53-merged bad-value-1e308-summarize \
	bad-option-intent-bad-rule bad-option-plot-not-compare-output \
	fault-full-disk-merge fault-full-disk-intent-apply fault-readonly-report \
	fault-truncated-mid-quoted-field fault-file-size-limit-intent
test-valgrind: $(TOOLS)
	@TACT_VALGRIND=1 sh tests/cli/run.sh $(BIN) $(VALGRIND_CASES)

# libFuzzer harnesses (tests/fuzz/fuzz_*.c) over a clang build of the
# library with ASan + UBSan; each runs FUZZ_SECONDS from its seed corpus
# (tests/fuzz/corpus/NAME); new inputs and crashes go under build/fuzz.
FUZZ_SECONDS ?= 60
FUZZ_LEAK_EXPORTS ?= 10000
FUZZ_SRC   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_FLAGS  = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
fuzz:
	@sh mk/deps.sh $(BUILD_PACKAGES) clang libclang-rt-14-dev
	@$(MAKE) --no-print-directory CC=clang BUILD=build/fuzz OPT="-O1 -g" \
	    CFLAGS_EXTRA="$(FUZZ_FLAGS)" -j$(JOBS) fuzz-build
	@sh tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
	@if [ $(FUZZ_LEAK_EXPORTS) -gt 0 ]; then $(MAKE) --no-print-directory all && \
	    /usr/bin/python3 tests/privacy/leaks.py $(BIN) $(FUZZ_LEAK_EXPORTS) && \
	    /usr/bin/python3 tests/privacy/leaks.py $(BIN) $(FUZZ_LEAK_EXPORTS) 15 --strict; fi

fuzz-build: $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/%)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_A)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB_A) $(LDLIBS)

demo: deps all
	@sh mk/demo.sh $(BIN)

bench: deps all
	@sh mk/deps.sh $(BENCH_PACKAGES)
	@sh mk/bench.sh $(BIN)

# The bench's engines in Node.js (DuckDB, Polars), into build/npm when
# missing (mk/bench.sh installs them too; versions pinned there).
.PHONY: bench-engines
bench-engines:
	@sh mk/bench.sh --engines

# tact-intent apply against tact-summarize on the same columns (mk/bench-apply.sh).
bench-apply: all
	@sh mk/deps.sh time
	@sh mk/bench-apply.sh $(BIN)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin/
	for page in $(MANPAGES); do \
	    section=$${page##*.}; \
	    install -m 644 $$page $(DESTDIR)$(PREFIX)/share/man/man$$section/; \
	done

clean:
	rm -rf build bin

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
