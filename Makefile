# Set-up is part of every entry point, so `make checkin` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SYSTEM_PACKAGES := espeak-ng libespeak-ng1 libportaudio2 sox alsa-utils \
                   pulseaudio pulseaudio-utils libasound2-plugins flite chromium

# The whole suite runs in three processes, each with its own private PulseAudio; the tests of
# one engine or audio-stack module stay together in one of them, the longest groups handed out
# first (xdist_group and the order, set in tests/conftest.py). Three on two cores: the live
# tests mostly wait for audio played in real time, and a third process keeps both cores busy
# meanwhile (measured at load about 3: 662 s with two processes, 462 s with three).
JOBS   ?= 3
# The pure core has no waiting to fill: two processes, one a core (measured back to back at
# load about 2: two took 45 s, three 47 s).
CHECK_JOBS ?= 2
PURE   := not voice and not audiostack and not audio and not browser

.PHONY: checkin checkin-text test check lint bench setup system clean

checkin: setup
	$(BIN)/voiceskill checkin

checkin-text: setup
	$(BIN)/voiceskill checkin --text

# Everything, with the real engines and the virtual audio stack: what CI runs.
test: setup
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup
	$(BIN)/ruff check voiceskill tests benchmarks
	$(BIN)/mypy

# The pure core only (understanding, rules, dialog, content, conversations): no speech engine,
# no generated speech, no audio, no browser; in two processes.
check: setup
	$(BIN)/python -m pytest -n $(CHECK_JOBS) --dist loadgroup -m "$(PURE)"
	$(BIN)/ruff check voiceskill tests benchmarks
	$(BIN)/mypy

bench: setup
	$(BIN)/python benchmarks/run.py

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[voice,test]'
	touch $(STAMP)

# Debian packages: espeak-ng is the voice, PortAudio the microphone library, sox makes test
# speech, PulseAudio gives the tests a virtual microphone and speaker, Chromium opens the
# doctor's report as a reader would.
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    echo "Installing system packages:" $$missing; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Please install these system packages: $$missing"; exit 1; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
