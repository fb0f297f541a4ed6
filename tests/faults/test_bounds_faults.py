"""Bounded work for any input: every cap ends with a clear message, quickly, in little memory
(the probes run under a 2 GB address-space limit, see probe.py)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from voiceskill import models
from voiceskill.audio import write_wav
from voiceskill.errors import ModelError

from .probe import clean_failure, run

# 237 bytes that stand for 9**6 (531,441) strings once every alias is expanded.
ALIAS_BOMB = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{x}: &{x} [{','.join([f'*{prev}'] * 9)}]"
            for prev, x in zip("abcde", "bcdef", strict=True)
        ),
    ]
)


def test_an_overlong_typed_line_is_cut_and_reported() -> None:
    proc = run("checkin", "--text", "--json", stdin="no\n" + "seventy " * 1000 + "\nyes\n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "That answer was too long, over 1000 characters" in proc.stdout
    assert json.loads(proc.stdout.splitlines()[-1])["answers"]["red_flag_any"] == "no"


def test_stdin_from_dev_zero_ends_the_checkin_in_little_memory() -> None:
    with open("/dev/zero", "rb") as zero:
        proc = run("checkin", "--text", "--json", stdin=None, stdin_file=zero, timeout=30)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "does not look like typed answers" in proc.stdout
    assert json.loads(proc.stdout.splitlines()[-1])["answers"] == {}


def test_alias_bomb_fails_fast_with_a_short_message(tmp_path: Path) -> None:
    answers = tmp_path / "bomb.yaml"
    answers.write_text(ALIAS_BOMB + "\n")
    assert len(ALIAS_BOMB) < 300
    started = time.monotonic()
    proc = run("assess", str(answers), timeout=30)
    clean_failure(proc, 1, str(answers), "aliases expand to more than 200000 values")
    assert time.monotonic() - started < 10
    assert len(proc.stderr) < 400


def test_a_yaml_file_over_a_megabyte_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("# padding\n" * 120_000 + "rate: 130\n")
    proc = run("checkin", "--text", "--config", str(config), stdin="stop\n")
    clean_failure(proc, 1, str(config), "over 1000 KB")


def test_a_wav_whose_header_says_1_hz_is_refused(tmp_path: Path) -> None:
    wav = tmp_path / "one-hertz.wav"
    write_wav(wav, bytes(54_000), rate=1)
    started = time.monotonic()
    proc = run("transcribe", str(wav), timeout=30)
    clean_failure(proc, 1, str(wav), "says 1 Hz")
    assert time.monotonic() - started < 10


def test_a_wav_over_ten_minutes_is_refused(tmp_path: Path) -> None:
    wav = tmp_path / "long.wav"
    write_wav(wav, bytes(2 * 8000 * 601), rate=8000)
    proc = run("understand", "--audio", "--expect", "yes_no", str(wav), timeout=30)
    clean_failure(proc, 1, str(wav), "601 seconds long; at most 600")


class _Drip(BaseHTTPRequestHandler):
    """Promises a 100 KB zip and sends it one byte at a time, ``pause`` seconds apart."""

    pause = 0.05

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(100_000))
        self.end_headers()
        try:
            for _ in range(100_000):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(self.pause)
        except OSError:
            pass  # the client gave up, as it should

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def drip() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/model.zip"
    server.shutdown()
    server.server_close()


def test_a_download_that_trickles_is_given_up(drip: str, tmp_path: Path) -> None:
    limits = models.DownloadLimits(window=1.0, min_bytes=1024, total=60.0)
    started = time.monotonic()
    with pytest.raises(ModelError, match=r"under 1 KB arrived in 1 seconds.*continues from there"):
        models.download("m", tmp_path, url=drip, sha256="0" * 64, limits=limits, timeout=5)
    assert time.monotonic() - started < 5
    assert (tmp_path / models.PARTIAL_DIR / "m.zip.part").stat().st_size > 0


def test_a_download_that_takes_too_long_is_given_up(drip: str, tmp_path: Path) -> None:
    limits = models.DownloadLimits(window=60.0, min_bytes=1, total=1.0)
    with pytest.raises(ModelError, match=r"it took over 1 seconds"):
        models.download("m", tmp_path, url=drip, sha256="0" * 64, limits=limits, timeout=5)


def test_download_limits_by_default() -> None:
    # The defaults stay generous for slow connections but do end a stalled download.
    limits = models.DownloadLimits()
    assert limits.min_bytes / limits.window <= 2048
    assert limits.total <= 4 * 3600
