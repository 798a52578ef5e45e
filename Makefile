# Thin wrapper over CMake. The two commands that matter: `make run` and `make test`.
MAKEFLAGS += --no-print-directory
BUILD     ?= build
ASAN      ?= build-asan
FUZZ      ?= build-fuzz
JOBS      ?= $(shell nproc)
DEMO_CFG  ?= assets/demo/kiosk.json

.PHONY: all deps build run screenshot screens test bench asan-test fuzz fuzz-merge clean

all: build

deps:
	@sh cmake/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DKIOSK_WERROR=ON >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# With a display (X11/Wayland) the kiosk opens in a window. Without one, say how to run
# on the panel's console, and draw the home screen headless instead of failing in SDL.
run: build
	@mkdir -p $(BUILD)/demo
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] || [ -n "$$SDL_VIDEODRIVER" ]; then \
		exec sh cmake/run-demo.sh $(BUILD) $(DEMO_CFG); \
	else \
		echo "make run: no display here (DISPLAY and WAYLAND_DISPLAY are unset)."; \
		echo "  On a desktop: run 'make run' inside your graphical session."; \
		echo "  On the kiosk panel's console: SDL_VIDEODRIVER=kmsdrm make run"; \
		echo "  Headless now: drawing the home screen to $(BUILD)/home.png"; \
		sh cmake/run-demo.sh $(BUILD) $(DEMO_CFG) --headless \
			--screenshot $(BUILD)/home.png 2>/dev/null && \
		echo "  wrote $(BUILD)/home.png"; \
	fi

screenshot: build
	@mkdir -p $(BUILD)/demo
	$(BUILD)/kiosk --headless --simulate --config $(DEMO_CFG) --screenshot docs/home.png

# Every resident screen the UI scripts visit, in 中文, English and 长辈模式, drawn headless
# and copied to docs/screens/ (operator screens and failure shots left out), with an index.
screens: build
	@rm -f $(BUILD)/tests/ui/shots/*.png
	@cd $(BUILD) && ctest -R '^ui\.' -j$(JOBS) >/dev/null || (echo "UI scripts failed: make test" && exit 1)
	@rm -rf docs/screens && mkdir -p docs/screens
	@for f in $(BUILD)/tests/ui/shots/*.png; do \
		n=$$(basename $$f); case $$n in maint*|*-fail.png) continue;; esac; \
		cp $$f docs/screens/$$n; done
	@{ echo "# Resident screens"; echo; \
	   echo "Made by \`make screens\` from the UI scripts in \`tests/ui/\` (headless, software renderer)."; \
	   echo; for f in docs/screens/*.png; do n=$$(basename $$f); \
	   echo "- [$$n]($$n)"; done; } > docs/screens/README.md
	@echo "docs/screens: $$(ls docs/screens/*.png | wc -l) screens"

test: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

bench: build
	@mkdir -p $(BUILD)/bench-tmp && KIOSK_BENCH_DIR=$(BUILD)/bench-tmp $(BUILD)/tests/bench/kiosk_bench
	@echo
	@$(BUILD)/tests/bench/kiosk_bench_proc $(BUILD)/kiosk
	@echo
	@$(BUILD)/tests/bench/kiosk_bench_ui $(BUILD)/kiosk tests/data/osm/berlin-siegessaeule.osm.gz
	@echo
	@$(BUILD)/tests/bench/kiosk_bench_lock
	@echo
	@$(BUILD)/tests/bench/kiosk_bench_bus
	@echo
	@KIOSK_BENCH_DIR=$(BUILD)/bench-tmp $(BUILD)/tests/bench/kiosk_bench_vend
	@echo
	@KIOSK_BENCH_DIR=$(BUILD)/bench-tmp $(BUILD)/tests/bench/kiosk_bench_core tests/data/osm/berlin-siegessaeule.osm.gz
	@echo
	@KIOSK_BENCH_DIR=$(BUILD)/bench-tmp $(BUILD)/tests/bench/kiosk_bench_aged
	@echo
	@KIOSK_BENCH_DIR=$(BUILD)/bench-tmp $(BUILD)/tests/bench/kiosk_bench_history
	@echo
	@KIOSK_BENCH_DIR=$(BUILD)/bench-tmp $(BUILD)/tests/bench/kiosk_bench_sync $(BUILD)/kiosk-platform
	@echo
	@KIOSK_BENCH_DIR=$(BUILD)/bench-tmp $(BUILD)/tests/bench/kiosk_bench_map \
		tests/data/osm/berlin-siegessaeule.osm.gz
	@echo
	@$(BUILD)/tests/bench/kiosk_bench_hw
	@echo
	@$(BUILD)/tests/bench/kiosk_bench_soak $(BUILD)/kiosk .

asan-test: deps
	@cmake -S . -B $(ASAN) -DKIOSK_WERROR=ON -DKIOSK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(ASAN) -j$(JOBS)
	@cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j$(JOBS)

# libFuzzer targets (clang); runs each over its regression corpus.
fuzz: deps
	@CC=clang cmake -S . -B $(FUZZ) -DKIOSK_FUZZ=ON -DKIOSK_WERROR=ON >/dev/null
	@cmake --build $(FUZZ) -j$(JOBS)
	@cd $(FUZZ) && ctest --output-on-failure -L fuzz -j$(JOBS)

# Adds the inputs the last `make fuzz` found (build-fuzz/…/found) to the tracked corpus,
# keeping only those that add coverage.
fuzz-merge: fuzz
	@cmake --build $(FUZZ) --target fuzz-merge

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ)
