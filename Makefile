# cnopt - national compute-network optimiser.  One GNU Makefile.
#
# Targets
#   make            build ./cnopt (release: -O2 -g) and write the bundled year's tables
#                   (models/china-2024-year/*.csv, ~45 MB, not committed) from
#                   tools/make-china-year.py
#   make run        install missing packages, build, solve the bundled national scenario
#   make test       install missing packages, build, run every test (tests/run.sh)
#   make deps       install missing Debian packages only (tools/setup-deps.sh)
#   make bench      benchmarks (not tests): tables in docs/benchmarks.md
#   make report     figures and report.html of the bundled scenario's result (tools/cnopt-report)
#   make fuzz       a time-boxed libFuzzer session (tools/fuzz.sh; FUZZ_SECONDS=60)
#   make memcheck   a small end-to-end solve under valgrind (tools/memcheck.sh)
#   make test-slurm the real-Slurm tests on a private single-node cluster (tests/slurm/)
#   make clean      remove build output
#
# Settings (make VAR=value)
#   DEBUG=1         AddressSanitizer + UndefinedBehaviorSanitizer build in build/debug/
#                   (binary build/debug/cnopt; ./cnopt stays the release build)
#   V=1             print full commands
#   BUILD=dir BIN=path  object directory and binary (parallel builds of one tree)
#   CC=...          C compiler (default gcc); MPI comes from pkg-config ompi-c
#   SCENARIO=...    scenario of `make run` (default models/china-2024/scenario.yaml)
#   OUT=...         result file of `make run` (default results/china-2024.h5)
#   NP=...          MPI ranks of `make run` (default 1)
#
# Layout (dependencies point one way): base/ -> core/ -> io/ -> solver/ -> cli/
#   base/   errors, logging, hashing, MPI helpers
#   core/   in-memory model, derived data (routes, windows), results
#   io/     CSV/YAML readers and validation, generator, HDF5 writer/reader
#   solver/ LP build, GLPK adapter, decomposition
#   cli/    the cnopt command and its subcommands

CC      ?= gcc
ifeq ($(CC),cc)
CC      := gcc
endif
PKGS    := ompi-c hdf5-openmpi yaml-0.1
GIT_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

ifeq ($(DEBUG),1)
BUILD   ?= build/debug
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
BIN     ?= $(BUILD)/cnopt
else
BUILD   ?= build/release
OPT     := -O2 -g
BIN     ?= cnopt
endif

CFLAGS  ?=
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic $(OPT) \
           -DCN_GIT_COMMIT='"$(GIT_COMMIT)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhdf5_hl -lglpk -lcsv -lmetis -lcrypto -lm
LDFLAGS += $(OPT)

ifeq ($(V),1)
Q :=
else
Q := @
endif

LIB_SRC := $(sort $(wildcard base/*.c core/*.c io/*.c solver/*.c)) \
           $(filter-out cli/main.c,$(sort $(wildcard cli/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/cli/main.o
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_HELPER_OBJ := $(BUILD)/tests/unit/testutil.o

SCENARIO ?= models/china-2024/scenario.yaml
OUT      ?= results/china-2024.h5
NP       ?= 1

# The bundled year (model 1.1): tables written by a committed, deterministic
# script (stdlib only; /usr/bin/python3, the Debian interpreter).  demand.csv is
# written last, so it stands for the whole set.
YEAR_DIR := models/china-2024-year
YEAR_CSV := $(YEAR_DIR)/demand.csv

.SECONDARY:
.PHONY: all deps run test test-unit bench report fuzz memcheck test-slurm clean
all: $(BIN) $(YEAR_CSV)

$(YEAR_CSV): tools/make-china-year.py tools/make-china-model.py
	@echo "  GEN     $(YEAR_DIR)"
	$(Q)/usr/bin/python3 tools/make-china-year.py --out $(YEAR_DIR) >/dev/null

$(BIN): $(LIB_OBJ) $(MAIN_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(TEST_HELPER_OBJ) $(LIB_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs cmocka 2>/dev/null)

tests: $(TEST_BIN)

deps:
	@tools/setup-deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@tools/run-bundled.sh "$(SCENARIO)" "$(OUT)" "$(NP)"

test: deps
	@tools/setup-deps.sh --slurm --report --robust
	@$(MAKE) --no-print-directory all tests
	@$(MAKE) --no-print-directory DEBUG=1 all tests
	@tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@tools/bench.sh

report: deps
	@tools/setup-deps.sh --report
	@$(MAKE) --no-print-directory run
	@tools/cnopt-report $(OUT) -o results/report

fuzz: deps
	@tools/setup-deps.sh --robust
	@tools/fuzz.sh

memcheck: deps
	@tools/setup-deps.sh --robust
	@$(MAKE) --no-print-directory all
	@tools/memcheck.sh

test-slurm: deps
	@tools/setup-deps.sh --slurm
	@$(MAKE) --no-print-directory all
	@CN_TEST_ONLY=slurm/ tests/run.sh

clean:
	rm -rf build cnopt

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%.d)
