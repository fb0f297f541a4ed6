"""Bedside mode (`voiceskill listen`): waits for a wake word, then answers a few spoken
requests. One module per stage: settings, wake, vad, requests, relief, schedule, memory,
assistant (what is said), loop (the running service)."""
