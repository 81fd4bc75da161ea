# Entry points for building, running and testing cellflow. See README.md.

BUILD       ?= build
ASAN_BUILD  ?= build-asan
FUZZ_BUILD  ?= build-fuzz
JOBS        ?= 2
FUZZ_SECONDS ?= 60

CMAKE_GEN := -G Ninja
CELLFLOW  := $(BUILD)/cellflow
FORMAT_DIRS := $(wildcard lexer parser ir passes driver tests bench)

# The stamp name carries a hash of scripts/setup.sh, so editing the script re-runs it once and an
# unchanged script costs nothing.
SETUP_HASH  := $(shell sha256sum scripts/setup.sh | cut -c1-16)
SETUP_STAMP := $(BUILD)/.setup-$(SETUP_HASH).stamp

.PHONY: setup build run test bench fuzz asan format clean

setup: $(SETUP_STAMP)

$(SETUP_STAMP): scripts/setup.sh
	bash scripts/setup.sh
	@mkdir -p $(BUILD)
	@rm -f $(BUILD)/.setup-*.stamp
	@touch $@

build: setup
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j$(JOBS)

run: build
	$(CELLFLOW) dump tokens examples/hello.py
	$(CELLFLOW) dump ast examples/hello.py

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

bench: build
	$(BUILD)/bench/cellflow_bench
	bash bench/parse_vs_cpython.sh $(CELLFLOW)

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
