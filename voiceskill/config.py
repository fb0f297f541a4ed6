"""Settings: one frozen object built from defaults, a YAML config file and command-line flags."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError


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
    confirm_below: float = 0.6
    prompts: str | None = None


def config_path(explicit: str | None = None) -> Path | None:
    if explicit:
        return Path(explicit)
    env = os.environ.get("VOICESKILL_CONFIG")
    if env:
        return Path(env)
    home = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    candidate = home / "voiceskill" / "config.yaml"
    return candidate if candidate.exists() else None


def load_settings(config: str | None = None, **flags: Any) -> Settings:
    """Defaults, then the config file, then environment, then flags that were given."""
    values: dict[str, Any] = {}
    path = config_path(config)
    if path is not None:
        values.update(_read_config(path))
    env_model = os.environ.get("VOICESKILL_MODEL")
    if env_model and "model" not in values:
        values["model"] = env_model
    values.update({k: v for k, v in flags.items() if v is not None})
    return Settings(**values)


def _read_config(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as err:
        raise ContentError(str(path), "", "config file not found") from err
    except yaml.YAMLError as err:
        raise ContentError(str(path), "", f"not valid YAML: {err}") from err
    if not isinstance(data, dict):
        raise ContentError(str(path), "", "must be a mapping of settings")
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = str(key).replace("-", "_")
        if name not in fields:
            raise ContentError(str(path), str(key), f"unknown setting; known: {', '.join(fields)}")
        default = fields[name].default
        if isinstance(default, bool) or default is None:
            out[name] = value
        elif isinstance(default, (int, float)) and not isinstance(value, (int, float)):
            raise ContentError(str(path), str(key), "must be a number")
        else:
            out[name] = type(default)(value) if isinstance(default, (int, float)) else value
    return out
