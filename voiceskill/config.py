"""Settings: one frozen object built from defaults, a YAML config file and command-line flags."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ContentError, UsageError
from .yamlfile import read_mapping


@dataclass(frozen=True)
class Settings:
    engine: str = "auto"
    """auto, vosk or pocketsphinx."""
    model: str | None = None
    """A Vosk model folder or the name of one installed in models_dir."""
    models_dir: str | None = None
    input_device: str | None = None
    output_device: str | None = None
    end_silence: float = 0.8
    """Seconds of quiet after speech that end an answer."""
    no_input_timeout: float = 8.0
    """Seconds to wait for an answer to start before asking again."""
    preroll: float = 0.4
    rate: int = 145
    """Speaking rate in words a minute; slow enough for older listeners."""
    volume: float = 1.0
    voice: str | None = None
    chime: bool = True
    """A soft two-note chime after each question, as the microphone opens."""
    confirm_below: float = 0.7
    prompts: str | None = None
    bedside: Any = None
    """The ``bedside:`` section as written; parsed by ``voiceskill.bedside.settings``."""


def config_path(explicit: str | None = None) -> Path | None:
    if explicit:
        return Path(explicit)
    env = os.environ.get("VOICESKILL_CONFIG")
    if env:
        return Path(env)
    home = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    candidate = home / "voiceskill" / "config.yaml"
    return candidate if candidate.exists() else None


def load_settings(
    config: str | None = None, remembered: dict[str, Any] | None = None, **flags: Any
) -> Settings:
    """Defaults, then the config file, then environment, then what the listener asked for by
    voice on an earlier night (``remembered``), then flags that were given."""
    values: dict[str, Any] = {}
    path = config_path(config)
    if path is not None:
        values.update(_read_config(path))
    env_model = os.environ.get("VOICESKILL_MODEL")
    if env_model:
        values["model"] = env_model
    values.update(remembered or {})
    given = {k: v for k, v in flags.items() if v is not None}
    for name, value in given.items():
        problem = _check(name, value)
        if problem:
            raise UsageError(f"--{name.replace('_', '-')} {value}: {problem}")
    values.update(given)
    return Settings(**values)


def _read_config(path: Path) -> dict[str, Any]:
    data = read_mapping(
        path, missing="config file not found", not_mapping="must be a mapping of settings",
        empty_ok=True,
    )
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = str(key).replace("-", "_")
        if name == "bedside":
            out[name] = value  # checked key by key where it is used
            continue
        if name not in fields:
            raise ContentError(str(path), str(key), f"unknown setting; known: {', '.join(fields)}")
        default = fields[name].default
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ContentError(str(path), str(key), "must be true or false")
            out[name] = value
        elif default is None:
            out[name] = _text_setting(path, str(key), name, value)
        elif isinstance(default, (int, float)) and not isinstance(value, (int, float)):
            raise ContentError(str(path), str(key), "must be a number")
        else:
            out[name] = type(default)(value) if isinstance(default, (int, float)) else value
        problem = _check(name, out[name])
        if problem:
            raise ContentError(str(path), str(key), problem)
    return out


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


ENGINES = ("auto", "vosk", "whisper", "pocketsphinx")

# Sensible ranges: a typo such as `rate: 1450` would otherwise make the skill unusable.
_RANGES: dict[str, tuple[float, float]] = {
    "end_silence": (0.2, 5.0),
    "no_input_timeout": (2.0, 120.0),
    "preroll": (0.0, 2.0),
    "rate": (60, 300),
    "volume": (0.0, 1.0),
    "confirm_below": (0.0, 1.0),
}


def _check(name: str, value: Any) -> str | None:
    if name == "engine" and value not in ENGINES:
        return f"must be one of {', '.join(ENGINES)}"
    if name in _RANGES:
        low, high = _RANGES[name]
        if not low <= value <= high:
            return f"must be between {low:g} and {high:g}"
    return None
