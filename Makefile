# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-slow lint install bench clean chromium pictures readme-slow catalog models

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, pinned, so pip takes the CPU build rather than a multi-GB CUDA one
	$(BIN)/pip install -q "torch==2.13.0"
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# the deck's worked example checked, then the whole deck computed on one page (about 2 minutes)
demo: $(STAMP)
	$(BIN)/cnnlab demo
	$(BIN)/cnnlab deck --quick --out runs/deck --lang en --both-languages
	@echo "open $(CURDIR)/runs/deck/index.html (en español: runs/deck/index-es.html)"

# the report's browser test drives Debian's Chromium (never `playwright install`); root installs it
chromium:
	@command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# every test but the long end-to-end ones, Hypothesis at its quick profile (a few minutes)
test: $(STAMP) chromium
	$(BIN)/ruff check src tests benchmarks scripts
	# pytest exit code 5 means "no tests collected": that is a failure, never a pass
	$(BIN)/python -m pytest -q -n 2 -p no:cacheprovider -m "not slow" tests; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

# the long end-to-end tests (marked slow), every property test at 300 examples and the README
# with its slow commands (MNIST, downloads, training: about 10 minutes on one of the two workers)
test-slow: $(STAMP) chromium
	CNNLAB_README_SLOW=1 HYPOTHESIS_PROFILE=thorough $(BIN)/python -m pytest -q -n 2 --dist loadfile \
	  -p no:cacheprovider -m "slow or hypothesis or readme" tests; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

# the shipped models (src/cnnlab/shipped) made again from their recipes, docs/models.md with them
models: $(STAMP)
	$(BIN)/python scripts/make_models.py

# the README's slow commands too (MNIST, downloads, long training; tests/readme/readme_blocks.py)
readme-slow: $(STAMP)
	CNNLAB_README_SLOW=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/readme

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_ops.py

# the pictures in docs/img, made again from the current code
pictures: $(STAMP) chromium
	$(BIN)/python scripts/docs_pictures.py --out docs/img

# the CLI's help texts into src/cnnlab/locale/*/LC_MESSAGES/cnnlab.po, keeping the translations
catalog: $(STAMP)
	$(BIN)/python scripts/update_catalog.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info
