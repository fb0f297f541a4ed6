"""The voice a listener asked for on an earlier night: read when the check-in starts,
announced, applied when the person asks for a change, and kept for the next night.

The store itself is :mod:`voiceskill.preferences`; this is the glue between it, the settings
and the speaker.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO

from .config import Settings, check
from .ears import TunableSpeaker
from .errors import sentence
from .preferences import Preferences, PreferencesBusy, PreferencesError
from .speech import MIN_VOLUME, Voice


def voice_user(
    speaker: TunableSpeaker | None, remember: Callable[[Voice], None] | None = None
) -> Callable[[Voice], None] | None:
    """Where the session delivers a voice the dialog changed to ("slower", "louder"): the
    speaker speaks with it, and ``remember`` keeps it for the next night. None without a
    speaker: there is no voice to change."""
    if speaker is None:
        return None

    def use(voice: Voice) -> None:
        speaker.voice = voice
        if remember is not None:
            remember(voice)

    return use


def announce_remembered(settings: Settings, remembered: dict[str, Any] | None) -> None:
    """Say on stderr which remembered settings are in use, and how to go back."""
    used = {k: v for k, v in (remembered or {}).items() if getattr(settings, k) == v}
    if used:
        sys.stderr.write(
            f"Voice: {_describe(used)}, as asked for on an earlier night "
            "(`voiceskill voice --reset` goes back to the usual voice).\n"
        )


def remembered_voice(
    listener: str, out: TextIO, saving: bool = True
) -> tuple[Preferences | None, dict[str, Any] | None]:
    """The speed and volume this listener asked for on an earlier night, if any.

    A broken settings file must not cost anyone their check-in: it is reported, and the
    check-in goes on with the usual voice, without remembering changes (``saving=False``:
    for a caller that only reads, such as ``voiceskill say``, the report says so).
    """
    prefs = Preferences()
    try:
        stored = prefs.voice_for(listener)
    except PreferencesBusy as err:
        # Nothing is wrong with the file: changes asked for tonight are still saved.
        out.write(f"(Using the usual voice: {sentence(err)}.)\n")
        return prefs, None
    except PreferencesError as err:
        if saving:
            out.write(f"(Voice changes will not be remembered: {sentence(err)}.)\n")
        else:
            out.write(f"(Using the usual voice: {sentence(err)}.)\n")
        return None, None
    if stored is None:
        return prefs, None
    for what in stored.unreadable:
        out.write(f"(The remembered {what} could not be read; using the usual {what}. "
                  "Changing it by voice tonight stores it afresh.)\n")
    remembered: dict[str, Any] = {}
    if stored.rate is not None:
        if check("rate", stored.rate) is None:
            remembered["rate"] = stored.rate
        else:
            out.write(f"(The remembered speed, {stored.rate} words a minute, is out of range; "
                      "using the usual speed.)\n")
    if stored.volume is not None:
        # Not below the quietest "quieter" reaches: a stored 0 would make the skill silent.
        if stored.volume >= MIN_VOLUME and check("volume", stored.volume) is None:
            remembered["volume"] = stored.volume
        else:
            out.write(f"(The remembered volume, {stored.volume:g}, is out of range; "
                      "using the usual volume.)\n")
    return prefs, remembered or None


def rememberer(
    prefs: Preferences | None,
    listener: str,
    out: TextIO,
    usual: dict[str, Any],
    pinned: set[str] | None = None,
    kept: dict[str, Any] | None = None,
) -> Callable[[Voice], None] | None:
    """Keeps each voice change for the next night.

    ``usual`` is the voice from the config file or the defaults: a setting changed back to it
    is forgotten, so a later edit of the config file takes effect again. A setting given as a
    flag (``pinned``) is for tonight only: what was ``kept`` for it stays as it was.
    """
    if prefs is None:
        return None
    pinned = pinned or set()
    kept = kept or {}
    failed = False

    def remember(voice: Voice) -> None:
        nonlocal failed
        if failed:
            return
        now: dict[str, Any] = {"rate": voice.rate, "volume": voice.volume}
        keep = {
            k: kept.get(k) if k in pinned else (None if now[k] == usual[k] else now[k])
            for k in now
        }
        try:
            prefs.remember(listener, keep["rate"], keep["volume"])
        except PreferencesBusy as err:
            # Nothing is wrong with the file: the whole voice is written at each change, so
            # the next change saves this one too.
            out.write(f"(Couldn't save this voice change: {sentence(err)}. It applies tonight, "
                      "and I'll try again at the next change.)\n")
        except PreferencesError as err:
            # Said once: the change still applies tonight, it just won't be kept.
            failed = True
            out.write(f"(This voice will not be remembered for next time: {sentence(err)}.)\n")

    return remember


def _describe(values: dict[str, Any]) -> str:
    parts = []
    if "rate" in values:
        parts.append(f"{values['rate']} words a minute")
    if "volume" in values:
        parts.append(f"volume {values['volume']:g}")
    return ", ".join(parts)
