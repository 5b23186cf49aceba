# SPDX-License-Identifier: MIT
# The commands a user types. The real build is CMake (CMakePresets.json); the scripts
# under scripts/ do the rest.
.PHONY: all deps build test bench fuzz check-math demo clean

JOBS ?= $(shell nproc)

all: build

deps:
	@scripts/deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j$(JOBS)
	@scripts/build-web.sh

test: deps
	@scripts/test.sh

bench: build
	@scripts/bench.sh

# FUZZ_TIME seconds per target (default 60); new inputs land in tests/fuzz/corpus/<target>.
fuzz: deps
	@scripts/fuzz.sh

check-math: build
	@scripts/check-math.sh

demo: build
	@scripts/demo.sh

clean:
	rm -rf build
