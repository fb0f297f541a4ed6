"""Model management: manifest, layout checks, and download/install against a local server.

The server is a real HTTP server on 127.0.0.1 with Range support, serving a small zip of a
structurally valid (but not loadable) Vosk model tree. Nothing here touches the internet.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import socket
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from voiceskill import models
from voiceskill.errors import ContentError, ModelError
from voiceskill.models import (
    RECORD_FILE,
    ModelEntry,
    check_vosk_model,
    download,
    find_vosk_model,
    install,
    installed_models,
    is_vosk_model,
    load_manifest,
    models_dir,
    verify,
)

NAME = "vosk-model-tiny-test-0.1"
LAYOUT = {
    "am/final.mdl": os.urandom(300_000),  # several download blocks, incompressible
    "conf/model.conf": b"--min-active=200\n--beam=10.0\n",
    "conf/mfcc.conf": b"--sample-frequency=16000\n",
    "graph/HCLr.fst": b"HCLr",
    "graph/Gr.fst": b"Gr",
    "graph/phones/word_boundary.int": b"1 nonword\n",
    "ivector/final.ie": b"ie",
    "README": b"tiny test model\n",
}


def make_tree(root: Path, layout: dict[str, bytes] = LAYOUT) -> Path:
    for rel, data in layout.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def make_zip(top: str | None = NAME, layout: dict[str, bytes] = LAYOUT) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if top:
            z.writestr(f"{top}/", b"")
        for rel, data in layout.items():
            z.writestr(f"{top}/{rel}" if top else rel, data)
    return buf.getvalue()


ZIP = make_zip()
ZIP_SHA = hashlib.sha256(ZIP).hexdigest()


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


# ------------------------------------------------------------------------ local server


class ZipServer(HTTPServer):
    payload: bytes = ZIP
    cut_after: int | None = None
    """Send only this many bytes of a full (non-Range) response, then hang up."""
    honour_range: bool = True
    requests: list[str | None]


class Handler(BaseHTTPRequestHandler):
    server: ZipServer

    def do_GET(self) -> None:
        srv = self.server
        wanted = self.headers.get("Range")
        srv.requests.append(wanted)
        if self.path != f"/{NAME}.zip":
            self.send_error(404, "Not Found")
            return
        data = srv.payload
        match = re.fullmatch(r"bytes=(\d+)-", wanted or "")
        if match and srv.honour_range:
            start = int(match.group(1))
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.send_header("Content-Length", str(len(data) - start))
            self.end_headers()
            self.wfile.write(data[start:])
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if srv.cut_after is not None:
            self.wfile.write(data[: srv.cut_after])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep pytest output clean


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ZipServer]:
    for var in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    srv = ZipServer(("127.0.0.1", 0), Handler)
    srv.requests = []
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


def url_of(srv: ZipServer, name: str = NAME) -> str:
    host, port = srv.server_address[:2]
    return f"http://{host!s}:{port}/{name}.zip"


def entry(srv: ZipServer, sha: str | None = ZIP_SHA) -> list[ModelEntry]:
    return [ModelEntry(NAME, "xx", len(ZIP), url_of(srv), sha)]


@pytest.fixture(autouse=True)
def no_model_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(models.ENV_MODELS_DIR, raising=False)
    monkeypatch.delenv(models.ENV_MODEL, raising=False)


# ------------------------------------------------------------------------ locations, manifest


def test_models_dir_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from voiceskill.model_store import manifest

    source = tmp_path / "checkout"
    (source / "models").mkdir(parents=True)
    (source / "models" / "manifest.yaml").write_text("models: []\n")
    (source / "models" / ".tmp-partial").mkdir()
    monkeypatch.setattr(manifest, "_REPO", source)
    monkeypatch.delenv(models.ENV_MODELS_DIR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    # A checkout with no model installed in it: the user's data folder.
    assert models_dir() == tmp_path / "data" / "voiceskill" / "models"
    # One that already holds a model keeps it.
    (source / "models" / "vosk-model-small-en-us-0.15").mkdir()
    assert models_dir() == source / "models"
    monkeypatch.setenv(models.ENV_MODELS_DIR, str(tmp_path / "env"))
    assert models_dir() == tmp_path / "env"
    assert models_dir(tmp_path / "explicit") == tmp_path / "explicit"


def test_shipped_manifest_is_valid() -> None:
    entries = {e.name: e for e in load_manifest()}
    small = entries["vosk-model-small-en-us-0.15"]
    assert small.url == "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"
    assert small.language == "en-us"
    assert small.sha256 is None or re.fullmatch(r"[0-9a-f]{64}", small.sha256)
    assert next(iter(entries)) == "vosk-model-small-en-us-0.15"  # the default comes first


GOOD = (
    "models:\n  - name: m\n    language: en\n    size_bytes: 10\n"
    "    url: https://example.org/m.zip\n    sha256: null\n"
)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("models: [1, 2]\n", "models[0]"),
        ("other: 1\n", "models"),
        ("models: {}\n", "models"),
        (GOOD.replace("    url: https://example.org/m.zip\n", ""), "models[0].url"),
        (GOOD.replace("https://example.org", "ftp://example.org"), "models[0].url"),
        (GOOD.replace("size_bytes: 10", "size_bytes: -1"), "models[0].size_bytes"),
        (GOOD.replace("sha256: null", "sha256: abc"), "models[0].sha256"),
        (GOOD.replace("    sha256: null\n", ""), "models[0].sha256"),
        (GOOD.replace("name: m", "name: ../m"), "models[0].name"),
        (GOOD + GOOD.replace("models:\n", ""), "models[1].name"),
        ("models: [\n", "line 2"),  # where the YAML broke
    ],
)
def test_malformed_manifest_names_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(text)
    with pytest.raises(ContentError) as err:
        load_manifest(path)
    assert err.value.file == str(path)
    assert err.value.key == key


def test_good_manifest_parses(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(GOOD)
    assert load_manifest(path) == [ModelEntry("m", "en", 10, "https://example.org/m.zip", None)]


# ------------------------------------------------------------------------ layout checks


def test_layout_checks_name_what_is_missing(tmp_path: Path) -> None:
    model = make_tree(tmp_path / "m")
    assert is_vosk_model(model)
    assert check_vosk_model(model) == model
    (model / "graph" / "Gr.fst").unlink()
    (model / "am" / "final.mdl").unlink()
    assert not is_vosk_model(model)
    with pytest.raises(ModelError) as err:
        check_vosk_model(model)
    assert "am/final.mdl" in str(err.value) and "graph/HCLr.fst with graph/Gr.fst" in str(err.value)
    assert "conf/model.conf" not in str(err.value)
    with pytest.raises(ModelError, match="does not exist"):
        check_vosk_model(tmp_path / "nowhere")


def test_model_one_level_down_gets_a_hint(tmp_path: Path) -> None:
    make_tree(tmp_path / "outer" / NAME)
    with pytest.raises(ModelError, match="one level down"):
        check_vosk_model(tmp_path / "outer")


def test_full_hclg_graph_is_accepted(tmp_path: Path) -> None:
    layout = {k: v for k, v in LAYOUT.items() if not k.startswith("graph/")}
    layout["graph/HCLG.fst"] = b"HCLG"
    assert is_vosk_model(make_tree(tmp_path / "big", layout))


def test_finding_the_model_to_use(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    root = tmp_path / "models"
    assert find_vosk_model(None, root) is None
    make_tree(root / "b-model")
    make_tree(root / "a-model")
    (root / "a-broken").mkdir()
    assert [m.name for m in installed_models(root)] == ["a-broken", "a-model", "b-model"]
    assert [m.ok for m in installed_models(root)] == [False, True, True]
    assert find_vosk_model(None, root) == root / "a-model"
    assert find_vosk_model("b-model", root) == root / "b-model"
    assert find_vosk_model(root / "b-model", tmp_path / "elsewhere") == root / "b-model"
    monkeypatch.setenv(models.ENV_MODEL, "b-model")
    assert find_vosk_model(None, root) == root / "b-model"
    with pytest.raises(ModelError, match="a-broken is not a Vosk model"):
        find_vosk_model("a-broken", root)
    with pytest.raises(ModelError, match="installed: a-broken, a-model, b-model"):
        find_vosk_model("c-model", root)


# ------------------------------------------------------------------------ download


def test_download_verifies_and_installs(server: ZipServer, tmp_path: Path) -> None:
    root = tmp_path / "models"
    seen: list[tuple[int, int | None]] = []
    path = download(NAME, root, progress=lambda d, t: seen.append((d, t)),
                    manifest=entry(server))
    assert path == root / NAME and is_vosk_model(path)
    assert (path / "am" / "final.mdl").read_bytes() == LAYOUT["am/final.mdl"]
    assert seen[0] == (0, len(ZIP)) and seen[-1] == (len(ZIP), len(ZIP))
    assert len(seen) > 3
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert leftovers(root) == [NAME]  # no .part, no temporary folder
    assert installed_models(root)[0].zip_sha256 == ZIP_SHA
    [(name, ok, message)] = verify(root, manifest=entry(server))
    assert (name, ok) == (NAME, True)
    assert "SHA-256 matches" in message and "files match" in message


def test_download_with_url_and_checksum_given(server: ZipServer, tmp_path: Path) -> None:
    path = download(NAME, tmp_path, url=url_of(server), sha256=ZIP_SHA.upper(), manifest=[])
    assert is_vosk_model(path)


def test_bad_checksum_installs_nothing(server: ZipServer, tmp_path: Path) -> None:
    root = tmp_path / "models"
    with pytest.raises(ModelError) as err:
        download(NAME, root, manifest=entry(server, "0" * 64))
    message = str(err.value)
    assert "damaged" in message and "deleted" in message
    assert "0" * 64 in message and ZIP_SHA in message
    assert leftovers(root) == []


def test_no_checksum_is_refused_before_any_request(server: ZipServer, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="--sha256 HEX"):
        download(NAME, tmp_path, manifest=entry(server, None))
    assert server.requests == []
    assert leftovers(tmp_path) == []
    # The same download with a checksum given on the command line goes ahead.
    assert is_vosk_model(download(NAME, tmp_path, sha256=ZIP_SHA, manifest=entry(server, None)))


def test_interrupted_download_resumes_with_range(server: ZipServer, tmp_path: Path) -> None:
    root = tmp_path / "models"
    half = len(ZIP) // 2
    server.cut_after = half
    with pytest.raises(ModelError, match=f"stopped after {half} of {len(ZIP)} bytes"):
        download(NAME, root, manifest=entry(server))
    part = root / models.PARTIAL_DIR / f"{NAME}.zip.part"
    assert part.stat().st_size == half
    assert not (root / NAME).exists()

    server.cut_after = None
    seen: list[tuple[int, int | None]] = []
    path = download(NAME, root, progress=lambda d, t: seen.append((d, t)),
                    manifest=entry(server))
    assert server.requests[-1] == f"bytes={half}-"
    assert seen[0] == (half, len(ZIP)) and seen[-1] == (len(ZIP), len(ZIP))
    assert is_vosk_model(path) and not part.exists()


def test_server_ignoring_range_restarts_cleanly(server: ZipServer, tmp_path: Path) -> None:
    part = tmp_path / models.PARTIAL_DIR / f"{NAME}.zip.part"
    part.parent.mkdir()
    part.write_bytes(ZIP[:1000])
    server.honour_range = False
    path = download(NAME, tmp_path, manifest=entry(server))
    assert server.requests == ["bytes=1000-"]
    assert is_vosk_model(path)


def test_complete_part_file_is_verified_not_refetched(server: ZipServer, tmp_path: Path) -> None:
    part = tmp_path / models.PARTIAL_DIR / f"{NAME}.zip.part"
    part.parent.mkdir()
    part.write_bytes(ZIP)
    path = download(NAME, tmp_path, manifest=entry(server))  # the server answers 416
    assert is_vosk_model(path)


def test_no_server_is_a_clear_model_error(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port that was free a moment ago has nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/{NAME}.zip"
    with pytest.raises(ModelError) as err:
        download(NAME, tmp_path, url=url, sha256=ZIP_SHA, manifest=[], timeout=5)
    message = str(err.value)
    assert f"could not reach 127.0.0.1:{port}" in message
    assert "voiceskill model install FILE" in message
    assert leftovers(tmp_path) == []


def test_http_error_is_reported(server: ZipServer, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="404"):
        download(NAME, tmp_path, url=url_of(server, "missing"), sha256=ZIP_SHA, manifest=[])


def test_installed_model_is_not_downloaded_again(tmp_path: Path) -> None:
    make_tree(tmp_path / NAME)
    dead = "http://127.0.0.1:9/never.zip"
    assert download(NAME, tmp_path, url=dead, sha256=ZIP_SHA, manifest=[]) == tmp_path / NAME


def test_unknown_model_name_without_url(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not in the model manifest"):
        download("vosk-model-nonesuch", tmp_path, manifest=[])


# ------------------------------------------------------------------------ install


@pytest.mark.parametrize("top", [NAME, None], ids=["one-top-folder", "model-at-root"])
def test_install_from_zip(tmp_path: Path, top: str | None) -> None:
    archive = tmp_path / f"{NAME}.zip"
    archive.write_bytes(make_zip(top))
    root = tmp_path / "models"
    path = install(archive, root, manifest=[])
    assert path == root / NAME and is_vosk_model(path)
    assert (path / "README").read_bytes() == LAYOUT["README"]
    assert leftovers(root) == [NAME]
    assert archive.exists()  # copied, not consumed
    assert verify(root, manifest=[])[0][1]


def test_install_zip_checked_against_manifest(tmp_path: Path) -> None:
    archive = tmp_path / f"{NAME}.zip"
    archive.write_bytes(ZIP)
    known = [ModelEntry(NAME, "xx", len(ZIP), "https://example.org/x.zip", "1" * 64)]
    with pytest.raises(ModelError, match="does not match the manifest"):
        install(archive, tmp_path / "models", manifest=known)
    assert leftovers(tmp_path / "models") == []


def test_install_from_folder_copies(tmp_path: Path) -> None:
    source = make_tree(tmp_path / "usb" / NAME)
    root = tmp_path / "models"
    path = install(source, root, name="my-model")
    assert path == root / "my-model" and is_vosk_model(path)
    assert is_vosk_model(source)
    [(name, ok, message)] = verify(root, manifest=[])
    assert (name, ok) == ("my-model", True) and "files match" in message


def test_reinstall_replaces_only_after_the_new_copy_checks_out(tmp_path: Path) -> None:
    root = tmp_path / "models"
    install(make_tree(tmp_path / "v1" / NAME), root)
    (root / NAME / "marker").write_text("old")
    bad = tmp_path / "bad.zip"
    bad.write_bytes(make_zip(NAME, {"README": b"no model here"}))
    with pytest.raises(ModelError):
        install(bad, root, name=NAME)
    assert (root / NAME / "marker").read_text() == "old"
    install(make_tree(tmp_path / "v2" / NAME), root)
    assert not (root / NAME / "marker").exists()
    assert leftovers(root) == [NAME]


def test_folder_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "stuff"
    make_tree(source, {"conf/model.conf": b"", "notes.txt": b"hello"})
    root = tmp_path / "models"
    with pytest.raises(ModelError) as err:
        install(source, root)
    assert "am/final.mdl" in str(err.value) and str(source) in str(err.value)
    assert leftovers(root) == []


def test_zip_without_a_model_names_what_is_missing(tmp_path: Path) -> None:
    archive = tmp_path / "junk.zip"
    archive.write_bytes(make_zip("junk", {"conf/model.conf": b"", "README": b"x"}))
    root = tmp_path / "models"
    with pytest.raises(ModelError, match=r"junk.zip does not hold a Vosk model: missing am/final"):
        install(archive, root)
    assert leftovers(root) == []


def test_not_a_zip_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.zip"
    fake.write_text("hello")
    with pytest.raises(ModelError, match="not a zip"):
        install(fake, tmp_path / "models")


@pytest.mark.parametrize("evil", ["../escaped.txt", "/tmp/voiceskill-escaped.txt",
                                  f"{NAME}/../../escaped.txt"])
def test_zip_path_traversal_is_refused(tmp_path: Path, evil: str) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for rel, data in LAYOUT.items():
            z.writestr(f"{NAME}/{rel}", data)
        z.writestr(evil, b"gotcha")
    archive = tmp_path / "in" / f"{NAME}.zip"
    archive.parent.mkdir()
    archive.write_bytes(buf.getvalue())
    root = tmp_path / "deep" / "models"
    with pytest.raises(ModelError, match="unsafe entry"):
        install(archive, root)
    assert not list(tmp_path.rglob("escaped.txt"))
    assert not Path("/tmp/voiceskill-escaped.txt").exists()
    assert leftovers(root) == []


def test_zip_symlink_entry_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for rel, data in LAYOUT.items():
            z.writestr(f"{NAME}/{rel}", data)
        link = zipfile.ZipInfo(f"{NAME}/link")
        link.external_attr = (0o120777 << 16)
        z.writestr(link, "/etc/passwd")
    archive = tmp_path / f"{NAME}.zip"
    archive.write_bytes(buf.getvalue())
    with pytest.raises(ModelError, match="unsafe entry"):
        install(archive, tmp_path / "models")


def test_damaged_zip_leaves_nothing_half_installed(tmp_path: Path) -> None:
    # The big member goes last and gets bytes flipped: its CRC check fails mid-extract,
    # after the other files were already written to the temporary folder.
    layout = {k: v for k, v in LAYOUT.items() if k != "am/final.mdl"}
    layout["am/final.mdl"] = LAYOUT["am/final.mdl"]
    data = bytearray(make_zip(NAME, layout))
    start = data.find(b"am/final.mdl") + 200
    data[start : start + 50] = bytes(b ^ 0xFF for b in data[start : start + 50])
    archive = tmp_path / f"{NAME}.zip"
    archive.write_bytes(bytes(data))
    root = tmp_path / "models"
    with pytest.raises(ModelError, match="damaged"):
        install(archive, root)
    assert leftovers(root) == []


def test_verify_finds_a_damaged_file(tmp_path: Path) -> None:
    root = tmp_path / "models"
    install(make_tree(tmp_path / "src" / NAME), root)
    make_tree(root / "hand-copied")
    (root / NAME / "graph" / "Gr.fst").write_bytes(b"bit rot")
    report = {name: (ok, msg) for name, ok, msg in verify(root, manifest=[])}
    assert report[NAME][0] is False and "graph/Gr.fst" in report[NAME][1]
    assert report["hand-copied"][0] is True and "no install record" in report["hand-copied"][1]
    assert (root / NAME / RECORD_FILE).is_file()
