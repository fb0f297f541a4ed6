"""voiceskill: an offline bedside voice check-in for legs that twitch or tingle at night.

The pipeline, one module per stage: mic -> recognizer -> understanding -> rules -> dialog -> speech.
"""

__version__ = "0.1.0"
