# Entry points for building, running and testing cellflow. See README.md.

BUILD       ?= build
ASAN_BUILD  ?= build-asan
FUZZ_BUILD  ?= build-fuzz
JOBS        ?= 2
PREFIX      ?= /usr/local
FUZZ_SECONDS ?= 60

CMAKE_GEN := -G Ninja
# The shared oracles and notebook corpus, beside the checkout unless CELLFLOW_SHARED_DIR says.
SHARED    := $(or $(CELLFLOW_SHARED_DIR),../shared)
STDLIB_PY := import sysconfig; print(sysconfig.get_paths()["stdlib"])
CELLFLOW  := $(BUILD)/cellflow
FORMAT_DIRS := $(wildcard lexer parser ir passes driver tests bench)

# The stamp name carries a hash of scripts/setup.sh, so editing the script re-runs it once and an
# unchanged script costs nothing.
SETUP_HASH  := $(shell sha256sum scripts/setup.sh | cut -c1-16)
SETUP_STAMP := $(BUILD)/.setup-$(SETUP_HASH).stamp

.PHONY: setup build run test install bench compare-peers fuzz fuzz-notebook fuzz-analyze asan format clean

setup: $(SETUP_STAMP)

$(SETUP_STAMP): scripts/setup.sh
	bash scripts/setup.sh
	@mkdir -p $(BUILD)
	@rm -f $(BUILD)/.setup-*.stamp
	@touch $@

build: setup
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j$(JOBS)

# Analyze the shipped examples; findings are the point, so they do not fail the target.
run: build
	$(CELLFLOW) check --exit-zero examples/

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# The program into $(PREFIX)/bin (for pre-commit and CI jobs that run `cellflow` from PATH).
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# The stdlib and the corpus cells are located here and passed to the benchmark; the cells are
# re-extracted on every run (a second or two), so a changed corpus is never benchmarked stale.
bench: build
	@if [ -d "$(SHARED)/corpus" ]; then \
	  python3 bench/extract_cells.py "$(SHARED)/corpus" $(BUILD)/bench/cells; \
	else \
	  echo "bench: no corpus at $(SHARED)/corpus, the *_Cells benchmarks are skipped"; \
	  rm -rf $(BUILD)/bench/cells; \
	fi
	CELLFLOW_BENCH_STDLIB="$${CELLFLOW_BENCH_STDLIB:-$$(python3 -c '$(STDLIB_PY)')}" \
	  CELLFLOW_BENCH_CELLS=$(BUILD)/bench/cells $(BUILD)/bench/cellflow_bench
	bash bench/parse_vs_cpython.sh $(BUILD)/bench/parse_files
	bash bench/read_vs_python.sh $(BUILD)

# cellflow against pyflakes and ruff's WebAssembly build on the corpus (bench/compare_peers.sh).
# Kept out of `bench`: it takes about a minute a round, and npm fetches ruff-wasm into
# $(BUILD)/peers on first use.
compare-peers: build
	bash bench/compare_peers.sh $(BUILD) $(or $(ROUNDS),3)

# libFuzzer run over a scratch copy of the seeds, so new inputs never land in the source tree.
fuzz: setup
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCELLFLOW_FUZZ=ON
	cmake --build $(FUZZ_BUILD) --target fuzz_parse -j$(JOBS)
	@mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/artifacts
	cp -R tests/fuzz/seeds/. $(FUZZ_BUILD)/corpus/
	$(FUZZ_BUILD)/tests/fuzz_parse -max_total_time=$(FUZZ_SECONDS) \
	  -dict=tests/fuzz/python.dict -artifact_prefix=$(FUZZ_BUILD)/artifacts/ \
	  $(FUZZ_BUILD)/corpus

asan: setup
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCELLFLOW_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS)

format:
	@command -v clang-format >/dev/null || { echo "clang-format not found: apt-get install clang-format" >&2; exit 1; }
	$(if $(FORMAT_DIRS),find $(FORMAT_DIRS) -type f \( -name '*.cc' -o -name '*.h' \) -print0 \
	  | xargs -0 -r clang-format -i)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

# The same for the notebook reader (tests/fuzz/fuzz_notebook.cc), from tests/fuzz/notebook_seeds.
fuzz-notebook: setup
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCELLFLOW_FUZZ=ON
	cmake --build $(FUZZ_BUILD) --target fuzz_notebook -j$(JOBS)
	@mkdir -p $(FUZZ_BUILD)/corpus-notebook $(FUZZ_BUILD)/artifacts-notebook
	cp -R tests/fuzz/notebook_seeds/. $(FUZZ_BUILD)/corpus-notebook/
	$(FUZZ_BUILD)/tests/fuzz_notebook -max_total_time=$(FUZZ_SECONDS) \
	  -dict=tests/fuzz/notebook.dict -artifact_prefix=$(FUZZ_BUILD)/artifacts-notebook/ \
	  $(FUZZ_BUILD)/corpus-notebook

# The whole analysis (tests/fuzz/fuzz_analyze.cc) on arbitrary bytes read as a notebook, from the
# name fixtures and the parser seeds.
fuzz-analyze: setup
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCELLFLOW_FUZZ=ON
	cmake --build $(FUZZ_BUILD) --target fuzz_analyze -j$(JOBS)
	@mkdir -p $(FUZZ_BUILD)/corpus-analyze $(FUZZ_BUILD)/artifacts-analyze
	cp -R tests/fixtures/names/. tests/fuzz/seeds/. $(FUZZ_BUILD)/corpus-analyze/
	$(FUZZ_BUILD)/tests/fuzz_analyze -max_total_time=$(FUZZ_SECONDS) \
	  -dict=tests/fuzz/python.dict -artifact_prefix=$(FUZZ_BUILD)/artifacts-analyze/ \
	  $(FUZZ_BUILD)/corpus-analyze
