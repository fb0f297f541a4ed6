"""The Vosk model store, one module per step: the manifest and where models live
(``manifest``), what is installed (``installed``), download (``download``), install
(``install``, with ``staging`` and ``records``) and verify (``verify``).

The rest of voiceskill uses it through :mod:`voiceskill.models`.
"""
