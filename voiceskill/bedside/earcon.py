"""The earcon said after the wake word: the check-in's listening chime (rising E5 to A5, no
speech), played with aplay as the speech worker plays its prompts."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ..audio import write_wav
from ..errors import AudioError
from ..speech import listening_chime


class Earcon:
    def __init__(self, device: str | None = None, volume: Callable[[], float] = lambda: 1.0
                 ) -> None:
        self.device = device
        self.volume = volume
        self._dir = Path(tempfile.mkdtemp(prefix="voiceskill-earcon-"))
        self._made: dict[float, Path] = {}
        self.last_start: float | None = None
        """Seconds from ``play()`` to the player running (for the benchmark)."""

    def _wav(self, volume: float) -> Path:
        key = round(volume, 2)
        if key not in self._made:
            # No gap before it: nothing was said first.
            chime = listening_chime(16000, key)[int(0.12 * 16000):]
            path = self._dir / f"earcon-{key}.wav"
            write_wav(path, chime.tobytes())
            self._made[key] = path
        return self._made[key]

    def play(self) -> None:
        player = shutil.which("aplay")
        if player is None:
            raise AudioError("the earcon needs aplay: apt-get install alsa-utils")
        command = [player, "-q", *(["-D", self.device] if self.device else []),
                   str(self._wav(self.volume()))]
        called = time.monotonic()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.last_start = time.monotonic() - called
        _, err = proc.communicate(timeout=5)
        if proc.returncode != 0:
            raise AudioError(f"the earcon could not be played ({err.decode(errors='replace')})")

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)
