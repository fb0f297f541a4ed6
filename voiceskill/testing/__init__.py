"""Helpers shared by the tests and the benchmark, shipped with the package so both import them
the same way: speech made on demand (``speech``), a fake microphone (``microphone``), a fixed
clock and a mouth that records (``fakes``), and a private PulseAudio with a virtual microphone
and speaker (``audiostack``, which needs pytest).

Nothing here is used by the check-in itself.
"""
