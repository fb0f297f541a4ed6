"""Settings: one frozen object built in one place, from defaults, the config file (read once),
the environment, the voice a listener asked for on an earlier night, and command-line flags.

Each setting declares its own bound or choices on its field (``metadata``); the config file
check, the flags' check, the remembered voice and the speaker all read that one declaration,
so a value accepted here is one the speech engine really uses. Nothing below the command line
sees argparse: the layers are handed a ``Settings``.

A section of related settings (``bedside:``) is a nested frozen dataclass on a field marked
``section``; its keys are checked the same way and named with their section
(``bedside.x: must be ...``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bedside.settings import BedsideSettings
from .bedside.settings import parse as parse_bedside
from .errors import ContentError, UsageError
from .yamlfile import read_mapping

APP = "voiceskill"
ENGINES = ("auto", "vosk", "whisper", "pocketsphinx")


def setting(
    default: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    choices: tuple[str, ...] = (),
    section: bool = False,
) -> Any:
    """A settings field with its bound (``low``..``high``) or ``choices`` declared once."""
    meta = {"low": low, "high": high, "choices": choices, "section": section}
    if section:
        return field(default_factory=default, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Settings:
    engine: str = setting("auto", choices=ENGINES)
    """auto, vosk, whisper or pocketsphinx."""
    model: str | None = setting(None)
    """A Vosk or Whisper model folder, or the name of one installed in models_dir."""
    models_dir: str | None = setting(None)
    input_device: str | None = setting(None)
    output_device: str | None = setting(None)
    end_silence: float = setting(0.8, low=0.2, high=5.0)
    """Seconds of quiet after speech that end an answer."""
    no_input_timeout: float = setting(8.0, low=2.0, high=120.0)
    """Seconds to wait for an answer to start before asking again."""
    preroll: float = setting(0.4, low=0.0, high=2.0)
    rate: int = setting(145, low=90, high=220)
    """Speaking rate in words a minute; slow enough for older listeners. The bound is what the
    speaker speaks at: below 90 espeak-ng stretches vowels until words are hard to follow, and
    "slower" and "faster" stop at these same ends."""
    volume: float = setting(1.0, low=0.0, high=1.0)
    """The speech engine's own scale; 1 is its full volume."""
    voice: str | None = setting(None)
    chime: bool = setting(True)
    """A soft two-note chime after each question, as the microphone opens."""
    confirm_below: float = setting(0.7, low=0.0, high=1.0)
    """Answers heard with less confidence are read back first (docs/decisions/009)."""
    prompts: str | None = setting(None)
    """The content folder (questions, rules, wording); the one beside the package if unset.
    In the config file, a relative folder is taken from the config file's own folder."""
    bedside: BedsideSettings = field(default_factory=BedsideSettings,
                                     metadata={"parse": parse_bedside})
    """The ``bedside:`` section (``voiceskill listen``), read and checked by its own module."""
    flags: frozenset[str] = field(default=frozenset(), compare=False, repr=False,
                                  metadata={"internal": True})
    """The settings given as command-line flags: for tonight only, never remembered."""

    def with_remembered(self, remembered: Mapping[str, Any] | None) -> Settings:
        """The voice asked for on an earlier night, over the file, under tonight's flags."""
        kept = {k: v for k, v in (remembered or {}).items()
                if k not in self.flags and check(k, v) is None}
        return dataclasses.replace(self, **kept)


def bounds(name: str, cls: type = Settings) -> tuple[Any, Any]:
    """The declared ``(low, high)`` of a setting, for layers that clamp to it."""
    meta = _fields(cls)[name].metadata
    return meta["low"], meta["high"]


def check(name: str, value: Any, cls: type = Settings) -> str | None:
    """What is wrong with ``value`` for setting ``name``, in words; None when it is usable."""
    meta = _fields(cls)[name].metadata
    if meta.get("choices") and value not in meta["choices"]:
        return f"must be one of {', '.join(meta['choices'])}"
    low, high = meta.get("low"), meta.get("high")
    if low is not None and high is not None and not low <= value <= high:
        return f"must be between {low:g} and {high:g}"
    return None


def config_path(explicit: str | None = None) -> Path | None:
    """``--config``, else ``$VOICESKILL_CONFIG``, else ``config.yaml`` in the user's config
    folder (``$XDG_CONFIG_HOME/voiceskill`` on Linux) when it exists."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("VOICESKILL_CONFIG")
    if env:
        return Path(env)
    import platformdirs

    candidate = Path(platformdirs.user_config_dir(APP, appauthor=False)) / "config.yaml"
    return candidate if candidate.exists() else None


def load_settings(
    config: str | None = None, remembered: Mapping[str, Any] | None = None, **flags: Any
) -> Settings:
    """Defaults, then the config file, then environment, then what the listener asked for by
    voice on an earlier night (``remembered``), then flags that were given (None: not given).
    The one place settings are built; the config file is read here, once."""
    values: dict[str, Any] = {}
    path = config_path(config)
    if path is not None:
        values.update(_read_config(path))
    env_model = os.environ.get("VOICESKILL_MODEL")
    if env_model:
        values["model"] = env_model
    given = {k: v for k, v in flags.items() if v is not None}
    for name, value in given.items():
        problem = check(name, value)
        if problem:
            raise UsageError(f"--{name.replace('_', '-')} {value}: {problem}")
    values.update(given)
    return Settings(**values, flags=frozenset(given)).with_remembered(remembered)


def _read_config(path: Path) -> dict[str, Any]:
    data = read_mapping(
        path, missing="config file not found", not_mapping="must be a mapping of settings",
        empty_ok=True,
    )
    out = _read_fields(path, Settings, data, prefix="")
    if isinstance(out.get("prompts"), str):
        folder = Path(out["prompts"]).expanduser()
        out["prompts"] = str(folder if folder.is_absolute() else path.parent / folder)
    return out


def _fields(cls: type) -> dict[str, dataclasses.Field[Any]]:
    return {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}


def _read_fields(path: Path, cls: type, data: Mapping[Any, Any], prefix: str) -> dict[str, Any]:
    fields = _fields(cls)
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = str(key).replace("-", "_")
        where = f"{prefix}{key}"
        if name not in fields:
            raise ContentError(str(path), where, f"unknown setting; known: {', '.join(fields)}")
        f = fields[name]
        if f.metadata.get("parse"):
            out[name] = f.metadata["parse"](value, str(path))
            continue
        if f.metadata.get("section"):
            out[name] = _read_section(path, f, value, where)
            continue
        out[name] = _value(path, where, name, f.default, value)
        problem = check(name, out[name], cls)
        if problem:
            raise ContentError(str(path), where, problem)
    return out


def _read_section(path: Path, f: dataclasses.Field[Any], value: Any, where: str) -> Any:
    make: Any = f.default_factory
    section = make()
    if value is None:
        return section
    if not isinstance(value, Mapping):
        raise ContentError(str(path), where, "must be a mapping of settings")
    return dataclasses.replace(section, **_read_fields(path, type(section), value, where + "."))


def _value(path: Path, where: str, name: str, default: Any, value: Any) -> Any:
    """The value of one plain setting, of the kind its default has."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ContentError(str(path), where, "must be true or false")
        return value
    if default is None:
        return _text_setting(path, where, name, value)
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ContentError(str(path), where, "must be a number")
        return type(default)(value)
    return value


def _text_setting(path: Path, key: str, name: str, value: Any) -> str | None:
    """A name or folder setting. A device may be given by its number (``input_device: 2``,
    as `voiceskill devices` lists them); a list or mapping is a mistake in the file."""
    if value is None or isinstance(value, str):
        return value
    if name.endswith("_device") and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    kind = "a device name or number" if name.endswith("_device") else "text (a name or a folder)"
    given = {list: "a list", dict: "a mapping", bool: "true or false"}.get(type(value), "a number")
    raise ContentError(str(path), key, f"must be {kind}, not {given}")
