# entente -- top-level entry points.  Meson + ninja do the building; this
# file only installs what is missing and calls them.
#
#   make build   install Debian packages if missing, build build/entente
#   make run     build, then run the built-in Russia-China forecast
#   make test    build, run every test; then the same under ASan + UBSan
#   make bench   build, run the benchmark programs
#   make fuzz    libFuzzer targets of the loaders, bounded time
#   make clean

MESON ?= meson
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_SECONDS ?= 60

.PHONY: build run test test-asan bench fuzz clean deps

deps:
	@./scripts/install-deps

build: deps
	@test -f $(BUILD)/build.ninja || $(MESON) setup $(BUILD) --buildtype=debugoptimized
	@ninja -C $(BUILD)

run: build
	./$(BUILD)/entente run

test: build
	@./scripts/run-tests $(BUILD) $(ASAN_BUILD)

bench: build
	@for b in $(BUILD)/bench/bench_*; do [ -f "$$b" ] && [ -x "$$b" ] && "$$b"; done

fuzz: deps
	@./scripts/run-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
