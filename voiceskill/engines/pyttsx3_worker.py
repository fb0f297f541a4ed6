"""The pyttsx3 worker process: synthesises each utterance to a WAV file and plays it.

Started and guarded by ``pyttsx3_speaker`` (which explains why it is a process of its own);
it reads one JSON request per line on stdin and answers one JSON event per line on stdout:
``ready`` once pyttsx3 is up, then ``playing`` and ``done`` for each utterance, or ``error``
with a message the speaker turns into ``AudioError``.
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path
from typing import Any

from ..speech import listening_chime

WORKDIR_ENV = "VOICESKILL_TTS_DIR"
"""Where the worker writes its WAV files: a folder the speaker made and removes, since a
worker that is killed cannot clean up after itself."""


def short_text(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _worker_main() -> None:
    """Serve say/save requests, one JSON object per line on stdin, replies on stdout."""
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    # pyttsx3 prints ("Audio saved to ...") and so may espeak; keep the reply channel clean.
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    def send(event: str, **fields: Any) -> None:
        replies.write(json.dumps({"event": event, **fields}) + "\n")
        replies.flush()

    started = time.monotonic()
    try:
        import pyttsx3

        engine = pyttsx3.init()
    except Exception as err:  # any failure here means no speech at all; say why
        send("error", message=f"pyttsx3 could not start ({type(err).__name__}: {err}); "
             "pip install pyttsx3; apt-get install espeak-ng")
        return
    with contextlib.suppress(Exception):
        _DEFAULT_VOICE["id"] = str(engine.getProperty("voice") or "")
    workdir = Path(os.environ.get(WORKDIR_ENV) or tempfile.mkdtemp(prefix="voiceskill-tts-"))
    try:
        # Until its first runAndWait pyttsx3 queues settings instead of applying them, and
        # that queue races with espeak-ng's (see _synthesise): the first real prompt came out
        # at the default 200 words a minute. One silent utterance gets past that state, and
        # loads the voice data so the first prompt starts sooner.
        warm_up = {"text": ".", "rate": 175, "volume": 1.0, "voice": None}
        _synthesise(engine, warm_up, workdir / "warm-up.wav")
    except Exception as err:  # no speech at all; say why
        send("error", message=f"pyttsx3 could not speak ({type(err).__name__}: {err})")
        return
    player = shutil.which("aplay")
    send("ready", seconds=time.monotonic() - started, player=player or "")

    for line in sys.stdin:
        try:
            request = json.loads(line)
        except ValueError:
            continue
        op = request.get("op")
        if op == "quit":
            return
        try:
            if op == "save":
                seconds = _synthesise(engine, request, Path(request["path"]))
                send("done", seconds=seconds)
            elif op == "say":
                _speak(engine, request, player, workdir, send)
        except (RuntimeError, ValueError, OSError) as err:
            send("error", message=str(err))
        except Exception as err:  # reported to the parent, which raises AudioError
            send("error", message=f"{type(err).__name__}: {err}")


def _synthesise(engine: Any, request: dict[str, Any], path: Path) -> float:
    engine.setProperty("rate", int(request["rate"]))
    engine.setProperty("volume", float(request["volume"]))
    voice = request.get("voice") or _DEFAULT_VOICE.get("id")
    if voice:
        try:
            engine.setProperty("voice", voice)
        except ValueError as err:
            raise ValueError(f"voice {voice!r} is not available ({err})") from err
    # espeak-ng runs asynchronously: settings wait in its command queue, and the stop() that
    # pyttsx3's runAndWait issues first cancels that queue whenever it is not empty, so a new
    # rate was silently lost on some utterances. Draining the queue first makes them stick.
    _synchronise()
    path.unlink(missing_ok=True)
    engine.save_to_file(request["text"], str(path))
    engine.runAndWait()
    _synchronise()
    if not path.exists():
        raise RuntimeError(f"pyttsx3 produced no audio for {short_text(request['text'])}")
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


_DEFAULT_VOICE: dict[str, str] = {}


def _synchronise() -> None:
    try:
        from pyttsx3.drivers import _espeak
    except (ImportError, OSError):  # another driver (macOS, Windows): nothing queued behind us
        return
    _espeak.Synchronize()


def _speak(
    engine: Any, request: dict[str, Any], player: str | None, workdir: Path, send: Any
) -> None:
    if not player:
        raise RuntimeError("no audio player: apt-get install alsa-utils (for aplay)")
    wav = workdir / "utterance.wav"
    _synthesise(engine, request, wav)
    seconds = _trim_trailing_silence(wav)
    if request.get("chime"):
        seconds = _append_chime(wav, float(request["volume"]))
    command = [player, "-q"]
    if request.get("device"):
        command += ["-D", str(request["device"])]
    command.append(str(wav))
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    send("playing", seconds=seconds)
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(playback_problem(request.get("device"), err, proc.returncode))
    send("done", seconds=seconds)


_APLAY_PREFIX = re.compile(r"^aplay: (?:[\w]+:\d+: )?")


def playback_problem(device: str | None, stderr: bytes, status: int) -> str:
    """What to tell a listener when aplay could not play: which output, aplay's reason
    without its source-line prefix, and what to do about it."""
    lines = stderr.decode(errors="replace").strip().splitlines()
    reason = _APLAY_PREFIX.sub("", lines[-1]) if lines else f"aplay exited with status {status}"
    where = f"the sound output {device!r}" if device else "the default sound output"
    if "open error" in reason or "Unknown PCM" in reason or "No such" in reason:
        return (
            f"{where} could not be opened ({reason}). Connect a speaker or headphones, "
            "or name another output as output_device in the config file "
            "(voiceskill devices lists them)"
        )
    return f"could not play on {where} ({reason})"


def _trim_trailing_silence(path: Path, keep: float = 0.05, threshold: int = 64) -> float:
    """Cut espeak-ng's closing pause (about 0.4 s); return the new length in seconds.

    The microphone stays muted until playback ends, so every moment of silence played after
    the last word is a moment in which a quick answer would be lost.
    """
    with wave.open(str(path), "rb") as w:
        params = w.getparams()
        frames = w.readframes(w.getnframes())
    if params.sampwidth != 2 or params.nchannels != 1:
        return params.nframes / params.framerate
    samples = array.array("h")
    samples.frombytes(frames)
    end = len(samples)
    while end > 0 and abs(samples[end - 1]) <= threshold:
        end -= 1
    end = min(len(samples), end + int(keep * params.framerate))
    if end < len(samples):
        with wave.open(str(path), "wb") as w:
            w.setparams(params)
            w.writeframes(samples[:end].tobytes())
    return end / params.framerate


def _append_chime(path: Path, volume: float) -> float:
    """Add the listening chime to the end of the utterance: one file, one player, so nothing
    can fall between the last word and the chime. Returns the new length in seconds."""
    with wave.open(str(path), "rb") as w:
        params = w.getparams()
        frames = w.readframes(w.getnframes())
    if params.sampwidth != 2 or params.nchannels != 1:
        return params.nframes / params.framerate
    chime = listening_chime(params.framerate, volume)
    with wave.open(str(path), "wb") as w:
        w.setparams(params)
        w.writeframes(frames + chime.tobytes())
    return (params.nframes + len(chime)) / params.framerate


if __name__ == "__main__" and "--worker" in sys.argv:
    _worker_main()
