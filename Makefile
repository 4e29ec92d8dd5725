# Two commands for a fresh machine with python3:
#   make run    set up with the embedded model, summarize examples/articles/ into out/
#   make test   set up with test tools, run the whole suite (no endpoint, no key needed)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out

# llama-cpp-python compiles llama.cpp from source. A build tuned to the
# build machine's CPU (GGML_NATIVE) crashed here on AMX/AVX-512 hosts and would
# break when the venv moves to another machine, so build for portable AVX2 and
# keep the wheel in a cache of our own, keyed by these flags.
LLAMA_VERSION := 0.3.36
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
WHEEL_CACHE ?= $(HOME)/.cache/summarizer/wheels/llama-$(LLAMA_VERSION)-avx2

.PHONY: run test browser venv install-local install-dev schema cassettes clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

venv: $(BIN)/python

$(WHEEL_CACHE)/.built: | $(BIN)/python
	mkdir -p $(WHEEL_CACHE)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip wheel --no-cache-dir --no-deps \
		"llama-cpp-python==$(LLAMA_VERSION)" -w $(WHEEL_CACHE)
	touch $@

install-local: $(WHEEL_CACHE)/.built
	$(BIN)/python -m pip install --quiet --find-links $(WHEEL_CACHE) \
		"llama-cpp-python[server]==$(LLAMA_VERSION)" -e ".[local]"

install-dev: install-local
	$(BIN)/python -m pip install --quiet -e ".[local,dev]"

run: install-local
	$(BIN)/summarize examples/articles/* -o $(OUT)/
	@echo "summaries written to $(OUT)/"

test: install-dev browser
	$(BIN)/python -m pytest

# Best effort: the HTML report's browser test needs a Chromium. Installed from
# Debian's packages when we are root with apt-get; otherwise (or if that fails)
# the test skips and says why. Never fails the build.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	echo "chromium not installed: tests/test_report_browser.py will be skipped"

schema: install-dev
	$(BIN)/summarize schema -o schemas/article_summary.json

# Re-record every cassette against a real OpenAI-compatible server (by default
# the embedded one, started on the fixed port the cassettes name).
cassettes: install-dev
	$(BIN)/python -m tests.record_cassettes

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
