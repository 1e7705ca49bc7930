# From a fresh clone: `make demo` grades the bundled sample class, `make test`
# runs the test suite. Both create .venv and install everything they need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := demo-output
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export MPLBACKEND := Agg

.PHONY: install system-packages test demo bench clean

install: $(STAMP) system-packages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Graphviz draws the notebook's model diagrams (keras.utils.plot_model) and
# Chromium runs the report's browser test; installed when missing and the
# machine lets us (root with apt). Without them those steps are skipped.
system-packages:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq >/dev/null && apt-get install -y -qq graphviz >/dev/null; \
	  else echo "note: Graphviz (dot) not found; model diagrams will be skipped"; fi; }
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: Chromium not found; the report's browser test will be skipped"; fi; }

test: install
	$(BIN)/python -m pytest

# Two assignments: the lesson (demo/students) and keras_callbacks (demo/keras_callbacks), whose
# practices are declared in its own folder (exercises/keras_callbacks/practices.py).
demo: install
	@echo "== graders grade: the bundled answers, graded by the command line"
	$(BIN)/graders grade --jobs 2 demo/students/*.py
	$(BIN)/graders grade --jobs 2 --assignment keras_callbacks demo/keras_callbacks/*.py
	@echo "== the nbgrader cycle: release, submit, autograde, feedback, export"
	$(BIN)/python -m graders.course $(DEMO)/course demo/students demo/keras_callbacks
	@echo "== graders report: a class dashboard and a page per student"
	$(BIN)/graders grade --json --jobs 2 demo/students/*.py > $(DEMO)/class.jsonl
	$(BIN)/graders grade --json --jobs 2 --assignment keras_callbacks demo/keras_callbacks/*.py >> $(DEMO)/class.jsonl
	$(BIN)/graders report $(DEMO)/report --jsonl $(DEMO)/class.jsonl --gradebook $(DEMO)/course

bench: install
	$(BIN)/python bench/grading_speed.py
	$(BIN)/python bench/autograde_speed.py
	$(BIN)/python bench/report_speed.py
	$(BIN)/python bench/sandbox_cost.py
	$(BIN)/python bench/trust_cost.py
	$(BIN)/python bench/class_speed.py

clean:
	rm -rf $(VENV) $(DEMO) build *.egg-info
