"""Tests for seqcnn.data. No test touches the network: downloads use file:// URLs
or a closed local port (127.0.0.1:9)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from seqcnn import data
from seqcnn.data import (
    ChecksumError,
    DataError,
    DataNotFoundError,
    DatasetSpec,
    UnsafeArchiveError,
)

CLOSED_PORT_URL = "http://127.0.0.1:9/x.tar.gz"
IMDB_CHECK = ("train/pos", "train/neg", "test/pos", "test/neg")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """Every test starts with no data dir, a private cache and online mode."""
    for name in ("SEQCNN_DATA_DIR", "SEQCNN_OFFLINE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SEQCNN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def listing(folder: Path) -> list[str]:
    """All paths under `folder`, relative, sorted (empty if it does not exist)."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def make_imdb_like(folder: Path, complete: bool = True) -> Path:
    root = folder / "aclImdb"
    for sub in IMDB_CHECK if complete else IMDB_CHECK[:1]:
        (root / sub).mkdir(parents=True)
        (root / sub / "0_1.txt").write_text("review")
    return root


def make_tar_gz(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for info, payload in members:
            if payload is not None:
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
            else:
                tar.addfile(info)
    return path


def file_member(name: str, payload: bytes = b"x") -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), payload


def link_member(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info, None


def imdb_tar(path: Path) -> Path:
    members = [file_member(f"aclImdb/{sub}/0_1.txt", b"review") for sub in IMDB_CHECK]
    return make_tar_gz(path, members)


def spec_for(archive: Path, kind: str, relpath: str = "aclImdb", check=IMDB_CHECK) -> DatasetSpec:
    return DatasetSpec("toy", relpath, archive.as_uri(), data.sha256sum(archive), kind, check)


# --- sha256sum, cache_dir, data_dir_candidates -------------------------------


def test_sha256sum_known_value(tmp_path):
    (tmp_path / "abc").write_bytes(b"abc")
    assert data.sha256sum(tmp_path / "abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_cache_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data.cache_dir() == tmp_path / "cache"
    monkeypatch.delenv("SEQCNN_CACHE_DIR")
    assert data.cache_dir() == tmp_path / "xdg" / "seqcnn"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert data.cache_dir() == tmp_path / "home" / ".cache" / "seqcnn"


def test_candidates_without_data_dir(tmp_path):
    assert data.data_dir_candidates() == [tmp_path / "cache"]


def test_candidates_data_dir_first(monkeypatch, tmp_path):
    (tmp_path / "mydata").mkdir()
    monkeypatch.setenv("SEQCNN_DATA_DIR", str(tmp_path / "mydata"))
    assert data.data_dir_candidates() == [tmp_path / "mydata", tmp_path / "cache"]


def test_data_dir_missing_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("SEQCNN_DATA_DIR", str(tmp_path / "nope"))
    with pytest.raises(DataNotFoundError) as err:
        data.locate(data.IMDB, download=False)
    assert "SEQCNN_DATA_DIR" in str(err.value)
    assert str(tmp_path / "nope") in str(err.value)


# --- finding data that is already there ---------------------------------------


def test_found_in_data_dir(monkeypatch, tmp_path):
    make_imdb_like(tmp_path / "mydata")
    monkeypatch.setenv("SEQCNN_DATA_DIR", str(tmp_path / "mydata"))
    assert data.locate(data.IMDB, download=False) == tmp_path / "mydata" / "aclImdb"


def test_found_in_cache(tmp_path):
    make_imdb_like(tmp_path / "cache")
    assert data.locate(data.IMDB, download=False) == tmp_path / "cache" / "aclImdb"


def test_data_dir_wins_over_cache(monkeypatch, tmp_path):
    make_imdb_like(tmp_path / "mydata")
    make_imdb_like(tmp_path / "cache")
    monkeypatch.setenv("SEQCNN_DATA_DIR", str(tmp_path / "mydata"))
    assert data.locate(data.IMDB, download=False) == tmp_path / "mydata" / "aclImdb"


def test_incomplete_folder_is_not_accepted(monkeypatch, tmp_path):
    make_imdb_like(tmp_path / "mydata", complete=False)
    monkeypatch.setenv("SEQCNN_DATA_DIR", str(tmp_path / "mydata"))
    with pytest.raises(DataNotFoundError) as err:
        data.locate(data.IMDB, download=False)
    assert "train/neg" in str(err.value)
    make_imdb_like(tmp_path / "cache")  # a complete copy further down the list is used
    assert data.locate(data.IMDB, download=False) == tmp_path / "cache" / "aclImdb"


def test_plain_file_found(monkeypatch, tmp_path):
    (tmp_path / "mydata").mkdir()
    (tmp_path / "mydata" / data.JENA.relpath).write_text("Date Time,T (degC)\n")
    monkeypatch.setenv("SEQCNN_DATA_DIR", str(tmp_path / "mydata"))
    assert data.locate(data.JENA) == tmp_path / "mydata" / "jena_climate_2009_2016.csv"


# --- downloading ---------------------------------------------------------------


def test_download_tar_gz(tmp_path):
    spec = spec_for(imdb_tar(tmp_path / "src.tar.gz"), "tar.gz")
    path = data.locate(spec)
    assert path == tmp_path / "cache" / "aclImdb"
    assert (path / "test" / "neg" / "0_1.txt").read_text() == "review"
    assert os.listdir(tmp_path / "cache") == ["aclImdb"]  # archive and temp files are gone
    assert sorted(os.listdir(tmp_path)) == ["cache", "src.tar.gz"]
    assert data.locate(spec, download=False) == path  # now found without downloading


def test_download_zip_skips_macosx(tmp_path):
    with zipfile.ZipFile(tmp_path / "src.zip", "w") as zf:
        zf.writestr("jena.csv", "a,b\n1,2\n")
        zf.writestr("__MACOSX/._jena.csv", "junk")
    path = data.locate(spec_for(tmp_path / "src.zip", "zip", "jena.csv", ()))
    assert path.read_text() == "a,b\n1,2\n"
    assert os.listdir(tmp_path / "cache") == ["jena.csv"]
    assert sorted(os.listdir(tmp_path)) == ["cache", "src.zip"]


def test_download_plain_file(tmp_path):
    (tmp_path / "src.csv").write_bytes(b"a,b\n")
    path = data.locate(spec_for(tmp_path / "src.csv", "", "sub/file.csv", ()))
    assert path == tmp_path / "cache" / "sub" / "file.csv"
    assert path.read_bytes() == b"a,b\n"
    assert listing(tmp_path / "cache") == ["sub", "sub/file.csv"]


def test_download_replaces_incomplete_cache_copy(tmp_path):
    make_imdb_like(tmp_path / "cache", complete=False)
    (tmp_path / "cache" / "aclImdb" / "stale.txt").write_text("old")
    path = data.locate(spec_for(imdb_tar(tmp_path / "src.tar.gz"), "tar.gz"))
    assert (path / "train" / "neg" / "0_1.txt").exists()
    assert not (path / "stale.txt").exists()


def test_download_replaces_stray_file_in_cache(tmp_path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "aclImdb").write_text("not a folder")
    path = data.locate(spec_for(imdb_tar(tmp_path / "src.tar.gz"), "tar.gz"))
    assert path.is_dir()


def test_archive_without_relpath_is_an_error(tmp_path):
    spec = spec_for(make_tar_gz(tmp_path / "src.tar.gz", [file_member("other/x.txt")]), "tar.gz")
    with pytest.raises(DataError, match="did not contain a complete aclImdb"):
        data.locate(spec)
    assert "src.tar.gz" not in os.listdir(tmp_path / "cache")


def test_checksum_mismatch_leaves_nothing(tmp_path):
    archive = imdb_tar(tmp_path / "src.tar.gz")
    spec = dataclasses.replace(spec_for(archive, "tar.gz"), sha256="0" * 64)
    with pytest.raises(ChecksumError) as err:
        data.locate(spec)
    message = str(err.value)
    assert archive.as_uri() in message
    assert "0" * 64 in message
    assert data.sha256sum(archive) in message
    assert "removed" in message
    assert os.listdir(tmp_path / "cache") == []
    assert sorted(os.listdir(tmp_path)) == ["cache", "src.tar.gz"]


def test_fetch_verifies_and_replaces(tmp_path):
    (tmp_path / "src").write_bytes(b"abc")
    digest = hashlib.sha256(b"abc").hexdigest().upper()  # case does not matter
    dest = data.fetch((tmp_path / "src").as_uri(), tmp_path / "out" / "copy", digest)
    assert dest.read_bytes() == b"abc"
    assert os.listdir(tmp_path / "out") == ["copy"]


def test_fetch_rejects_malformed_hash(tmp_path):
    with pytest.raises(ValueError, match="64 hexadecimal"):
        data.fetch(CLOSED_PORT_URL, tmp_path / "x", "")
    assert os.listdir(tmp_path) == []


def test_fetch_network_error_leaves_nothing(tmp_path):
    with pytest.raises(OSError):
        data.fetch(CLOSED_PORT_URL, tmp_path / "out" / "x.tar.gz", "0" * 64)
    assert os.listdir(tmp_path / "out") == []


def test_network_failure_becomes_not_found(tmp_path):
    spec = DatasetSpec("toy", "aclImdb", CLOSED_PORT_URL, "0" * 64, "tar.gz")
    with pytest.raises(DataNotFoundError) as err:
        data.locate(spec)
    assert "Downloading it failed" in str(err.value)
    assert CLOSED_PORT_URL in str(err.value)
    assert os.listdir(tmp_path / "cache") == []


@pytest.mark.parametrize("how", ["env", "argument"])
def test_offline_without_data(monkeypatch, tmp_path, how):
    spec = spec_for(imdb_tar(tmp_path / "src.tar.gz"), "tar.gz")  # would download fine
    if how == "env":
        monkeypatch.setenv("SEQCNN_OFFLINE", "1")
        kwargs = {}
    else:
        kwargs = {"download": False}
    with pytest.raises(DataNotFoundError) as err:
        data.locate(spec, **kwargs)
    message = str(err.value)
    assert "aclImdb" in message
    assert spec.url in message
    assert "SEQCNN_DATA_DIR" in message
    assert str(tmp_path / "cache") in message
    assert "switched off" in message
    assert not (tmp_path / "cache").exists()


def test_offline_message_for_plain_file(monkeypatch, tmp_path):
    (tmp_path / "mydata").mkdir()
    monkeypatch.setenv("SEQCNN_DATA_DIR", str(tmp_path / "mydata"))
    spec = DatasetSpec("toy", "toy.csv", "https://example.org/toy.csv", "0" * 64)
    with pytest.raises(DataNotFoundError) as err:
        data.locate(spec, download=False)
    message = str(err.value)
    assert "save it as toy.csv in one of those folders" in message
    assert f"  - {tmp_path / 'mydata'}\n  - {tmp_path / 'cache'}" in message


def test_offline_env_other_than_1_still_downloads(monkeypatch, tmp_path):
    monkeypatch.setenv("SEQCNN_OFFLINE", "0")
    spec = spec_for(imdb_tar(tmp_path / "src.tar.gz"), "tar.gz")
    assert data.locate(spec) == tmp_path / "cache" / "aclImdb"


def test_spec_without_pinned_hash_is_not_downloaded(tmp_path):
    spec = dataclasses.replace(spec_for(imdb_tar(tmp_path / "src.tar.gz"), "tar.gz"), sha256="")
    with pytest.raises(DataNotFoundError, match="No sha256 is pinned"):
        data.locate(spec)
    assert not (tmp_path / "cache").exists()


# --- safe extraction -----------------------------------------------------------


def evil_tars(tmp_path: Path) -> dict[str, list]:
    return {
        "dotdot": [file_member("../evil.txt")],
        "nested-dotdot": [file_member("aclImdb/../../evil.txt")],
        "absolute": [file_member(str(tmp_path / "evil.txt"))],
        "symlink-abs": [link_member("aclImdb/passwd", "/etc/passwd")],
        "symlink-up": [link_member("aclImdb/up", "../..")],
        "hardlink-out": [link_member("aclImdb/hard", "../evil.txt", tarfile.LNKTYPE)],
        "fifo": [link_member("aclImdb/fifo", "", tarfile.FIFOTYPE)],
        "chardev": [link_member("aclImdb/dev", "", tarfile.CHRTYPE)],
        # "d/l" -> ".." looks inside, but "d" -> "." makes it point outside: refused
        # because "d/l" would be written through the link "d".
        "link-chain": [link_member("d", "."), link_member("d/l", "..")],
    }


@pytest.mark.parametrize("case", list(evil_tars(Path("/x"))))
def test_unsafe_tar_is_refused(tmp_path, case):
    members = evil_tars(tmp_path)[case]
    archive = make_tar_gz(tmp_path / "evil.tar.gz", members)
    target = tmp_path / "work" / "target"
    with pytest.raises(UnsafeArchiveError) as err:
        data.extract(archive, target, "tar.gz")
    assert str(archive) in str(err.value)
    assert repr(members[-1][0].name) in str(err.value)
    expected = {"fifo": "device or fifo", "chardev": "device or fifo", "link-chain": "through a link"}
    assert expected.get(case, "outside the target") in str(err.value)
    assert os.listdir(target) == []
    assert os.listdir(tmp_path / "work") == ["target"]  # no temp folder left
    assert sorted(os.listdir(tmp_path)) == ["evil.tar.gz", "work"]


def test_unsafe_tar_through_locate_leaves_nothing(tmp_path):
    archive = make_tar_gz(tmp_path / "evil.tar.gz", [file_member("aclImdb/train/pos/a.txt"),
                                                     file_member("../evil.txt")])
    with pytest.raises(UnsafeArchiveError):
        data.locate(spec_for(archive, "tar.gz"))
    assert os.listdir(tmp_path / "cache") == []
    assert sorted(os.listdir(tmp_path)) == ["cache", "evil.tar.gz"]


@pytest.mark.parametrize("name", ["../evil.txt", "/evil.txt", "a/../../evil.txt"])
def test_unsafe_zip_is_refused(tmp_path, name):
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as zf:
        zf.writestr("ok.txt", "fine")
        zf.writestr(name, "evil")
    target = tmp_path / "work" / "target"
    with pytest.raises(UnsafeArchiveError) as err:
        data.extract(tmp_path / "evil.zip", target, "zip")
    assert "evil.zip" in str(err.value) and repr(name) in str(err.value)
    assert os.listdir(target) == []
    assert os.listdir(tmp_path / "work") == ["target"]


def test_safe_tar_with_inner_link_and_dot_entry(tmp_path):
    dot = tarfile.TarInfo(".")
    dot.type = tarfile.DIRTYPE
    members = [(dot, None), file_member("./top/a.txt", b"a"), link_member("./top/b.txt", "a.txt")]
    archive = make_tar_gz(tmp_path / "ok.tar.gz", members)
    data.extract(archive, tmp_path / "target", "tar.gz")
    assert (tmp_path / "target" / "top" / "b.txt").read_bytes() == b"a"
    assert (tmp_path / "target" / "top" / "b.txt").is_symlink()
    assert sorted(os.listdir(tmp_path)) == ["ok.tar.gz", "target"]


def test_extract_never_overwrites(tmp_path):
    archive = make_tar_gz(tmp_path / "a.tar.gz", [file_member("one.txt"), file_member("two.txt")])
    (tmp_path / "target").mkdir()
    (tmp_path / "target" / "two.txt").write_text("mine")
    with pytest.raises(DataError, match="exists"):
        data.extract(archive, tmp_path / "target", "tar.gz")
    assert os.listdir(tmp_path / "target") == ["two.txt"]  # one.txt was not moved in either
    assert (tmp_path / "target" / "two.txt").read_text() == "mine"
    assert sorted(os.listdir(tmp_path)) == ["a.tar.gz", "target"]


def test_extract_unknown_kind(tmp_path):
    with pytest.raises(ValueError, match="kind"):
        data.extract(tmp_path / "a.rar", tmp_path / "target", "rar")
    assert os.listdir(tmp_path) == []


# --- specs and docs --------------------------------------------------------------


def test_spec_is_frozen_and_validated():
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.IMDB.url = "http://elsewhere"  # type: ignore[misc]
    with pytest.raises(ValueError, match="archive"):
        DatasetSpec("x", "x", "https://example.org/x.rar", "0" * 64, "rar")


def test_official_specs():
    assert data.IMDB.url == "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"
    assert data.IMDB.sha256 == "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe"
    assert (data.IMDB.relpath, data.IMDB.archive, data.IMDB.check) == ("aclImdb", "tar.gz", IMDB_CHECK)
    assert data.JENA.url == (
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/jena_climate_2009_2016.csv.zip"
    )
    assert (data.JENA.relpath, data.JENA.archive) == ("jena_climate_2009_2016.csv", "zip")
    for spec in (data.IMDB, data.JENA):
        assert spec.sha256 == "" or (len(spec.sha256) == 64 and int(spec.sha256, 16) >= 0)



# --- the Jena zip: no sha256 pinned, checked against pinned facts, over HTTP ---------------

JENA_HEADER = '"Date Time","p (mbar)","T (degC)"'


def jena_text(rows: int = 50, last: str = "01.01.2017 00:00:00") -> bytes:
    lines = [JENA_HEADER] + [f"{1 + i // 144:02d}.01.2009 00:00:00,{1000 + i}.5,{i % 7}.25" for i in range(rows - 1)]
    return ("\n".join(lines + [f"{last},999.0,1.0"]) + "\n").encode()


def jena_zip(path: Path, text: bytes, member: str = "jena_climate_2009_2016.csv") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, text)
        zf.writestr(f"__MACOSX/._{member}", b"junk")
    return path


def pins_for(text: bytes, archive: Path, prefix_bytes: int = 200) -> data.ZipPins:
    return data.ZipPins(size=archive.stat().st_size, member="jena_climate_2009_2016.csv", prefix_bytes=prefix_bytes,
                        prefix_sha256=hashlib.sha256(text[:prefix_bytes]).hexdigest(), header=JENA_HEADER,
                        rows=text.count(b"\n") - 1, last_row_start="01.01.2017 00:00:00,")


@pytest.fixture
def server(tmp_path):
    """An HTTP server on 127.0.0.1 serving tmp_path/served; /500/... fails, /cut/... stops half-way."""
    import functools
    import http.server
    import threading

    served = tmp_path / "served"
    served.mkdir()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

        def do_GET(self):
            if self.path.startswith("/500/"):
                self.send_error(500, "Internal Server Error")
            elif self.path.startswith("/cut/"):
                payload = (served / self.path.rsplit("/", 1)[-1]).read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload[: len(payload) // 2])  # then the connection closes
            else:
                super().do_GET()

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(served)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def jena_spec(url: str, pins: data.ZipPins, sha256: str = "") -> DatasetSpec:
    return DatasetSpec("jena", "jena_climate_2009_2016.csv", url, sha256, "zip", pins=pins)


def test_jena_download_verified_by_pins(server, tmp_path, capsys):
    served, base = server
    text = jena_text()
    pins = pins_for(text, jena_zip(served / "jena.zip", text))
    path = data.locate(jena_spec(f"{base}/jena.zip", pins))
    assert path == tmp_path / "cache" / "jena_climate_2009_2016.csv" and path.read_bytes() == text
    assert listing(tmp_path / "cache") == ["jena_climate_2009_2016.csv"]  # no zip, no temp file, no __MACOSX
    out = capsys.readouterr().out
    assert f"sha256 {data.sha256sum(served / 'jena.zip')}  jena.zip" in out
    assert f"sha256 {hashlib.sha256(text).hexdigest()}  jena_climate_2009_2016.csv" in out
    assert data.locate(jena_spec(f"{base}/jena.zip", pins), download=False) == path
    assert capsys.readouterr().out == ""  # printed once, on the download only


def test_jena_download_with_pinned_sha256_prints_nothing(server, tmp_path, capsys):
    served, base = server
    text = jena_text()
    pins = pins_for(text, jena_zip(served / "jena.zip", text))
    data.locate(jena_spec(f"{base}/jena.zip", pins, sha256=data.sha256sum(served / "jena.zip")))
    assert capsys.readouterr().out == ""


def wrong_files() -> dict[str, tuple[bytes, str]]:
    good = jena_text()
    return {
        "prefix": (good.replace(b"1000.5", b"1000.6"), "its sha256 of the first bytes is "),
        "header": (good.replace(b'"T (degC)"', b'"T (degK)"'), "its header is "),
        "rows": (jena_text(rows=49), "its data rows is 49, not 50"),
        "last row": (jena_text(last="31.12.2016 23:50:00"), "its last row start is '31.12.2016 23:50:00,', not"),
        "short": (good[:150], "its sha256 of the first bytes is '(only 150 bytes)'"),
    }


@pytest.mark.parametrize("case", list(wrong_files()))
def test_jena_download_of_a_wrong_file_is_refused(server, tmp_path, case):
    served, base = server
    good = jena_text()
    wrong, expected = wrong_files()[case]
    archive = jena_zip(served / "jena.zip", wrong)
    pins = dataclasses.replace(pins_for(good, archive), size=archive.stat().st_size)  # only the contents differ
    with pytest.raises(ChecksumError) as err:
        data.locate(jena_spec(f"{base}/jena.zip", pins))
    assert f"{base}/jena.zip is not the expected one" in str(err.value) and expected in str(err.value)
    assert "removed" in str(err.value)
    assert listing(tmp_path / "cache") == []


def test_jena_download_of_a_truncated_file_is_refused(server, tmp_path):
    served, base = server
    text = jena_text()
    archive = jena_zip(served / "full.zip", text)
    pins = pins_for(text, archive)
    (served / "jena.zip").write_bytes(archive.read_bytes()[:-100])
    with pytest.raises(ChecksumError, match=f"it has {pins.size - 100:,} bytes, not {pins.size:,}"):
        data.locate(jena_spec(f"{base}/jena.zip", pins))
    assert listing(tmp_path / "cache") == []
    not_a_zip = served / "jena.zip"
    not_a_zip.write_bytes(b"x" * pins.size)  # the right size, but not a zip
    with pytest.raises(ChecksumError, match="it is not a readable zip holding jena_climate_2009_2016.csv"):
        data.locate(jena_spec(f"{base}/jena.zip", pins))
    assert listing(tmp_path / "cache") == []


@pytest.mark.parametrize("how", ["500", "cut"])
def test_jena_download_server_failure_leaves_nothing(server, tmp_path, how):
    served, base = server
    text = jena_text()
    pins = pins_for(text, jena_zip(served / "jena.zip", text))
    url = f"{base}/{how}/jena.zip"
    with pytest.raises(DataNotFoundError) as err:
        data.locate(jena_spec(url, pins))
    assert "Downloading it failed" in str(err.value) and url in str(err.value)
    assert ("HTTP Error 500" if how == "500" else "IncompleteRead") in str(err.value)
    assert listing(tmp_path / "cache") == []


def test_jena_pins_are_the_known_facts():
    pins = data.JENA.pins
    assert (pins.size, pins.member, pins.prefix_bytes, pins.rows) == (
        13_568_290, "jena_climate_2009_2016.csv", 10_793_051, 420_551)
    assert pins.prefix_sha256 == "3624e7e339c854d4d9f65d8d9630fe23df364627be7a3400520dba904162aa82"
    assert pins.last_row_start.startswith("01.01.2017 00:00:00")
    from seqcnn import jena

    assert pins.header == ",".join(f'"{name}"' for name in ("Date Time", *jena.FEATURES))
    with pytest.raises(ValueError, match="pins describe a zip"):
        DatasetSpec("x", "x.csv", "https://example.org/x.csv", "", pins=pins)
