# The commands a user types.  Every target that builds first makes sure
# the Debian packages it needs are installed (scripts/deps.sh).
#
#   make run     build, then run the default scenario into out/
#   make test    build, then every test: format, function-length and
#                clang-tidy checks,
#                ctest in a release build and in an
#                AddressSanitizer + UndefinedBehaviorSanitizer build, the
#                parallel tests under ThreadSanitizer, the fuzz harness
#                smoke run, the format check, and the experiments
#                over MPI ranks in an Open MPI build (build-mpi/)
#   make bench   build, then the benchmarks
#   make deps    install missing packages (apt-get)
#   make build   configure and build into build/ (the CLI is build/strife)

BUILD      ?= build
SAN_BUILD  ?= build-san
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
MPI_BUILD  ?= build-mpi
ARCHER     ?= /usr/lib/llvm-14/lib/libarcher.so
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

.PHONY: all deps deps-build build build-san run test test-release test-san \
        test-tsan test-fuzz test-mpi tidy format format-check function-lengths \
        bench clean

all: build

deps:
	@scripts/deps.sh test

deps-build:
	@scripts/deps.sh build

build: deps-build
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@$(BUILD)/strife run --out out
	@$(BUILD)/strife report out

test: deps
	@$(MAKE) --no-print-directory format-check
	@$(MAKE) --no-print-directory function-lengths
	@$(MAKE) --no-print-directory tidy
	@$(MAKE) --no-print-directory test-release
	@$(MAKE) --no-print-directory test-san
	@$(MAKE) --no-print-directory test-tsan
	@$(MAKE) --no-print-directory test-fuzz
	@$(MAKE) --no-print-directory test-mpi
	@echo "make test: all passed"

test-release: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

build-san: deps
	@cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRIFE_ASAN=ON \
	  -DSTRIFE_UBSAN=ON -DSTRIFE_BENCH=OFF $(CMAKE_ARGS) >/dev/null
	@cmake --build $(SAN_BUILD) -j $(JOBS)

test-san: build-san
	@cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  STRIFE_TEST_SCALE=sanitizer ctest --output-on-failure -j $(JOBS)

# ThreadSanitizer over the tests that run the parallel update on several
# threads, built with clang and LLVM's OpenMP; Archer (an OpenMP tool of
# LLVM) tells TSan about OpenMP's barriers, so only real races are reported.
test-tsan: deps
	@CC=clang cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSTRIFE_TSAN=ON -DSTRIFE_BENCH=OFF $(CMAKE_ARGS) >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS) --target test_epstein test_parallel test_afghan
	@cd $(TSAN_BUILD) && OMP_TOOL_LIBRARIES=$(ARCHER) \
	  TSAN_OPTIONS="halt_on_error=1 ignore_noninstrumented_modules=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  ctest --output-on-failure -R '^(test_epstein|test_parallel|test_afghan)$$'

# Builds the libFuzzer harnesses with clang and runs each for a fixed,
# seeded number of inputs from the corpus.
# $(call fuzz,NAME,MAX_LEN,CORPUS,WORK,LOG): 20,000 inputs of fuzz_NAME
# from a fixed seed, from tests/corpus/CORPUS, with tests/fuzz/NAME.dict.
fuzz = $(FUZZ_BUILD)/tests/fuzz_$(1) -seed=1 -runs=20000 -max_len=$(2) \
  -dict=tests/fuzz/$(1).dict $(FUZZ_BUILD)/$(4) tests/corpus/$(3) \
  >$(FUZZ_BUILD)/$(5) 2>&1 || { tail -40 $(FUZZ_BUILD)/$(5); exit 1; }; \
  echo "fuzz_$(1): 20000 runs, no crash"

test-fuzz: deps
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug \
	  -DSTRIFE_FUZZ=ON -DSTRIFE_BENCH=OFF $(CMAKE_ARGS) >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_scenario fuzz_provinces \
	  fuzz_record
	@mkdir -p $(FUZZ_BUILD)/fuzz-work $(FUZZ_BUILD)/fuzz-work-provinces \
	  $(FUZZ_BUILD)/fuzz-work-record
	@$(call fuzz,scenario,4096,scenario,fuzz-work,fuzz.log)
	@$(call fuzz,provinces,8192,provinces,fuzz-work-provinces,fuzz-provinces.log)
	@$(call fuzz,record,8192,record,fuzz-work-record,fuzz-record.log)

# clang-tidy over the library and the CLI, checks and reasons in .clang-tidy.
tidy: build
	@scripts/tidy.sh $(BUILD)

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

format-check:
	@git ls-files '*.c' '*.h' | xargs -r clang-format --dry-run --Werror
	@echo "clang-format: clean"

# No function of src/ or cli/ over 80 lines.
function-lengths:
	@scripts/function-lengths.sh --max 80

bench: build
	@$(BUILD)/bench/bench_epstein
	@$(BUILD)/bench/bench_afghan
	@$(BUILD)/bench/bench_compare
	@$(BUILD)/bench/bench_serve

clean:
	@rm -rf $(BUILD) $(SAN_BUILD) $(FUZZ_BUILD) out

# Experiments spread over MPI ranks: a build with -DSTRIFE_MPI=ON,
# clang-tidy over the MPI code it compiles in, and the test that runs
# mpirun -np 2 and 3 against one process.
test-mpi: deps
	@cmake -S . -B $(MPI_BUILD) -DCMAKE_BUILD_TYPE=Release -DSTRIFE_MPI=ON \
	  -DSTRIFE_BENCH=OFF $(CMAKE_ARGS) >/dev/null
	@cmake --build $(MPI_BUILD) -j $(JOBS)
	@clang-tidy -p $(MPI_BUILD) --quiet \
	  --extra-arg=-Wno-ignored-optimization-argument \
	  --extra-arg=-Wno-unknown-warning-option src/experiment/mpi.c
	@cd $(MPI_BUILD) && ctest --output-on-failure -R '^test_mpi$$'
