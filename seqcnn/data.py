"""Find the course data sets: in ``$SEQCNN_DATA_DIR``, in the cache, or by downloading them.

Downloads are checked against a pinned sha256 (or, for the Jena zip, whose
sha256 is not known, against the facts pinned in :class:`ZipPins`), written
atomically and extracted safely, so nothing half-written is ever left in the
cache.

The data sets found in this process are remembered, under a name that does
not depend on the machine (:func:`note_read`, :func:`data_sets_read`): the
hook through which the book's tooling records, with each executed chapter,
which data it read. The library itself never looks at them.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 1 << 20  # read and hash downloads 1 MiB at a time


_read: dict[str, Path] = {}


def note_read(path: str | Path, name: str) -> None:
    """Remember that the data set ``name`` was found at ``path`` in this process.

    :func:`locate` (and :func:`seqcnn.jena.locate_csv`, for a file named by
    ``$SEQCNN_JENA_CSV``) call it for every data set they return.

    Parameters
    ----------
    path : str or pathlib.Path
        The file or folder as found on this machine.
    name : str
        How to call it in what readers see: a path relative to the data
        folder (``aclImdb``), never an absolute one.

    Raises
    ------
    ValueError
        If ``name`` is an absolute path.

    Examples
    --------
    >>> note_read("/somewhere/on/this/machine/notes.txt", "notes.txt")
    >>> {name: path.as_posix() for name, path in data_sets_read().items()}
    {'notes.txt': '/somewhere/on/this/machine/notes.txt'}
    >>> forget_data_sets_read()
    """
    if Path(name).is_absolute():
        raise ValueError(f"note_read({name!r}): give a name relative to the data folder, not a machine path.")
    _read[name] = Path(path)


def data_sets_read() -> dict[str, Path]:
    """The data sets found in this process: name (as :func:`note_read` got it) -> path, sorted by name.

    Examples
    --------
    >>> forget_data_sets_read()
    >>> data_sets_read()
    {}
    """
    return dict(sorted(_read.items()))


def forget_data_sets_read() -> None:
    """Forget what :func:`note_read` remembered (for tests)."""
    _read.clear()


class DataError(Exception):
    """Base class for the errors raised by this module."""


class DataNotFoundError(DataError):
    """The data set is not on disk and could not be downloaded."""


class ChecksumError(DataError):
    """A downloaded file does not have the expected sha256."""


class UnsafeArchiveError(DataError):
    """An archive member would be written outside the target folder."""


@dataclass(frozen=True)
class ZipPins:
    """What is known of a zipped CSV whose sha256 is not: every download is checked against it.

    Parameters
    ----------
    size : int
        Bytes of the zip.
    member : str
        Name of the CSV inside the zip.
    prefix_bytes : int
        Length of a known beginning of the CSV.
    prefix_sha256 : str
        sha256 of those first `prefix_bytes` bytes.
    header : str
        The CSV's first line, without its line end.
    rows : int
        Data rows (lines after the header).
    last_row_start : str
        How the last row begins.

    Examples
    --------
    >>> import tempfile, zipfile
    >>> text = b"t,x\\n1,5\\n2,6\\n"
    >>> pins = ZipPins(0, "a.csv", 8, hashlib.sha256(text[:8]).hexdigest(), "t,x", 2, "2,")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with zipfile.ZipFile(Path(folder) / "a.zip", "w") as zf:
    ...         zf.writestr("a.csv", text)
    ...     pins = ZipPins(**{**vars(pins), "size": (Path(folder) / "a.zip").stat().st_size})
    ...     digests = pins.check(Path(folder) / "a.zip", "https://example.org/a.zip")
    >>> sorted(digests), digests["a.csv"] == hashlib.sha256(text).hexdigest()
    (['a.csv', 'a.zip'], True)
    """

    size: int
    member: str
    prefix_bytes: int
    prefix_sha256: str
    header: str
    rows: int
    last_row_start: str

    def check(self, archive: Path, url: str) -> dict[str, str]:
        """Check a zip downloaded from `url`; return the sha256 of the zip and of the CSV, by name.

        Raises
        ------
        ChecksumError
            Naming every fact that does not hold.
        """
        archive = Path(archive)
        wrong = []
        if archive.stat().st_size != self.size:
            wrong.append(f"it has {archive.stat().st_size:,} bytes, not {self.size:,}")
        else:
            try:
                facts = _csv_facts(archive, self.member, self.prefix_bytes)
            except (zipfile.BadZipFile, zlib.error, EOFError, KeyError) as err:
                wrong.append(f"it is not a readable zip holding {self.member} ({err})")
            else:
                facts["last row start"] = facts["last row"][: len(self.last_row_start)]
                expected = {"sha256 of the first bytes": self.prefix_sha256, "header": self.header,
                            "data rows": self.rows, "last row start": self.last_row_start}
                for what, value in expected.items():
                    if facts[what] != value:
                        wrong.append(f"its {what} is {facts[what]!r}, not {value!r}")
        if wrong:
            raise ChecksumError(
                f"The file downloaded from {url} is not the expected one: " + "; ".join(wrong) + ".\n"
                "The file was removed. Try again, or report the problem if it persists."
            )
        return {url.rsplit("/", 1)[-1]: sha256sum(archive), self.member: facts["sha256"]}


def _csv_facts(archive: Path, member: str, prefix_bytes: int) -> dict:
    """Stream a zipped CSV once: sha256 of it and of its first bytes, header, data rows, last row."""
    digest, prefix = hashlib.sha256(), hashlib.sha256()
    seen, newlines, first, tail = 0, 0, b"", b""
    with zipfile.ZipFile(archive) as zf, zf.open(member) as csv:
        while chunk := csv.read(_CHUNK):
            digest.update(chunk)
            prefix.update(chunk[: max(0, prefix_bytes - seen)])
            seen += len(chunk)
            newlines += chunk.count(b"\n")
            first = first or chunk
            tail = (tail + chunk)[-4096:]
    lines = newlines + (0 if tail.endswith(b"\n") or not tail else 1)
    last = tail.rstrip(b"\r\n").rsplit(b"\n", 1)[-1].decode("latin-1")
    return {
        "sha256": digest.hexdigest(),
        "sha256 of the first bytes": prefix.hexdigest() if seen >= prefix_bytes else f"(only {seen:,} bytes)",
        "header": first.split(b"\n", 1)[0].rstrip(b"\r").decode("latin-1"),
        "data rows": lines - 1,
        "last row": last,
    }


@dataclass(frozen=True)
class DatasetSpec:
    """Where a data set lives on disk and where to download it from.

    Parameters
    ----------
    name : str
        Short name used in messages.
    relpath : str
        File or folder, relative to a data folder, that proves the data set is there.
    url : str
        Official download address.
    sha256 : str
        sha256 of the downloaded file; ``""`` if none is pinned (then it is
        downloaded only if `pins` are given).
    archive : {"tar.gz", "zip", ""}
        Kind of the downloaded file; ``""`` for a plain file saved as `relpath`.
    check : tuple of str
        Sub-paths of `relpath` that must exist for a copy to count as complete.
    pins : ZipPins, optional
        Facts a downloaded zip must match (checked as well as `sha256`, if any).

    Examples
    --------
    >>> spec = DatasetSpec("toy", "toy.csv", "https://example.org/toy.csv", "0" * 64)
    >>> spec.relpath, spec.archive, spec.check
    ('toy.csv', '', ())
    """

    name: str
    relpath: str
    url: str
    sha256: str
    archive: str = ""
    check: tuple[str, ...] = ()
    pins: ZipPins | None = None

    def __post_init__(self) -> None:
        if self.archive not in ("tar.gz", "zip", ""):
            raise ValueError(f"archive must be 'tar.gz', 'zip' or '', not {self.archive!r}")
        if self.pins is not None and self.archive != "zip":
            raise ValueError("pins describe a zip: give archive='zip'")


# sha256 and size (84125825 bytes) from tensorflow/datasets,
# tensorflow_datasets/datasets/imdb_reviews/checksums.tsv.
IMDB = DatasetSpec(
    name="aclImdb",
    relpath="aclImdb",
    url="https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
    sha256="c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
    archive="tar.gz",
    check=("train/pos", "train/neg", "test/pos", "test/neg"),
)

# No public source pins the sha256 of this zip, so every download is checked against what
# is known instead: its size (13,568,290 bytes, from a Keras download log); the sha256 of the
# CSV's first 10,793,051 bytes, which are the first two years of the record, byte for byte
# (../shared/data/jena/jena_climate_2009_2010.csv); the Keras header, 420,551 data rows and
# the last row's time.  A verified download prints the full file's sha256, to be pinned here.
JENA_PINS = ZipPins(
    size=13_568_290,
    member="jena_climate_2009_2016.csv",
    prefix_bytes=10_793_051,
    prefix_sha256="3624e7e339c854d4d9f65d8d9630fe23df364627be7a3400520dba904162aa82",
    header='"Date Time","p (mbar)","T (degC)","Tpot (K)","Tdew (degC)","rh (%)","VPmax (mbar)",'
    '"VPact (mbar)","VPdef (mbar)","sh (g/kg)","H2OC (mmol/mol)","rho (g/m**3)","wv (m/s)",'
    '"max. wv (m/s)","wd (deg)"',
    rows=420_551,
    last_row_start="01.01.2017 00:00:00,",
)
JENA = DatasetSpec(
    name="jena_climate_2009_2016",
    relpath="jena_climate_2009_2016.csv",
    url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
    "jena_climate_2009_2016.csv.zip",
    sha256="",
    archive="zip",
    pins=JENA_PINS,
)


@dataclass(frozen=True)
class Excerpt:
    """The first bytes of another data set's file, kept as a file of its own and checked by its sha256.

    Parameters
    ----------
    name : str
        Short name used in messages.
    relpath : str
        The file, relative to a data folder.
    source : DatasetSpec
        The data set whose file (``source.relpath``) begins with these bytes.
    size : int
        Bytes of the excerpt.
    sha256 : str
        Their sha256.

    Examples
    --------
    >>> JENA_BOOK.size == JENA_PINS.prefix_bytes, JENA_BOOK.source.relpath
    (True, 'jena_climate_2009_2016.csv')
    """

    name: str
    relpath: str
    source: DatasetSpec
    size: int
    sha256: str


# The book's Jena data: the first two years (2009 and 2010) of the Keras file, byte for byte, the rows every
# chapter, band and threshold of the book was measured on. Offline, ../shared/data/jena/ holds this file.
JENA_BOOK = Excerpt(
    name="jena_climate_2009_2010",
    relpath="jena/jena_climate_2009_2010.csv",
    source=JENA,
    size=JENA_PINS.prefix_bytes,
    sha256=JENA_PINS.prefix_sha256,
)


def locate_excerpt(excerpt: Excerpt, download: bool | None = None) -> Path:
    """Return the path of ``excerpt.relpath``, cut from its source's file into `cache_dir` if needed.

    A copy found in a data folder (``$SEQCNN_DATA_DIR``, then the cache) is
    checked against the excerpt's size and sha256. Otherwise the source data
    set is located (:func:`locate`: found, or downloaded and checked), its
    first ``excerpt.size`` bytes are written to the cache, atomically, and
    checked the same way.

    Raises
    ------
    ChecksumError
        If a copy or the source's first bytes are not the expected ones (the
        message names the file and what to do).
    DataNotFoundError
        As :func:`locate`, if the source is nowhere to be found.

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> text = b"t,x\\n1,5\\n2,6\\n3,7\\n"
    >>> source = DatasetSpec("toy", "toy.csv", "https://example.org/toy.csv", hashlib.sha256(text).hexdigest())
    >>> first = Excerpt("toy-start", "toy/start.csv", source, 8, hashlib.sha256(text[:8]).hexdigest())
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "toy.csv").write_bytes(text)
    ...     with mock.patch.dict("os.environ", {"SEQCNN_DATA_DIR": folder, "SEQCNN_CACHE_DIR": folder + "/c"}):
    ...         print(locate_excerpt(first, download=False).read_bytes())
    b't,x\\n1,5\\n'
    """
    folders = data_dir_candidates()
    for folder in folders:
        path = folder / excerpt.relpath
        if path.is_file():
            _check_excerpt(excerpt, path, f"{path} is not {excerpt.name}", "Delete it, or set SEQCNN_DATA_DIR to "
                           "another folder")
            note_read(path, excerpt.relpath)
            return path
    noted = excerpt.source.relpath in _read
    source = locate(excerpt.source, download)
    target = cache_dir() / excerpt.relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as whole:
            left = excerpt.size
            while left and (chunk := whole.read(min(_CHUNK, left))):
                out.write(chunk)
                left -= len(chunk)
        _check_excerpt(excerpt, tmp, f"The first {excerpt.size:,} bytes of {source} are not {excerpt.name}",
                       f"Delete {source} so that it is downloaded again")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if not noted:  # the source was only cut, not read
        _read.pop(excerpt.source.relpath, None)
    note_read(target, excerpt.relpath)
    return target


def _check_excerpt(excerpt: Excerpt, path: Path, what: str, todo: str) -> None:
    size = path.stat().st_size
    if size != excerpt.size:
        raise ChecksumError(f"{what}: {size:,} bytes, not {excerpt.size:,}. {todo}.")
    digest = sha256sum(path)
    if digest != excerpt.sha256:
        raise ChecksumError(f"{what}: sha256 {digest}, not {excerpt.sha256}. {todo}.")


def cache_dir() -> Path:
    """Return ``$SEQCNN_CACHE_DIR``, else ``$XDG_CACHE_HOME/seqcnn``, else ``~/.cache/seqcnn``.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"SEQCNN_CACHE_DIR": "/tmp/my-cache"}):
    ...     print(cache_dir())
    /tmp/my-cache
    """
    if os.environ.get("SEQCNN_CACHE_DIR"):
        return Path(os.environ["SEQCNN_CACHE_DIR"]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "seqcnn"


def data_dir_candidates() -> list[Path]:
    """Return the folders searched for data: ``$SEQCNN_DATA_DIR`` (if set), then `cache_dir`.

    Raises
    ------
    DataNotFoundError
        If ``SEQCNN_DATA_DIR`` is set but is not a directory.

    Examples
    --------
    >>> from unittest import mock
    >>> env = {"SEQCNN_DATA_DIR": "/", "SEQCNN_CACHE_DIR": "/tmp/c"}
    >>> with mock.patch.dict("os.environ", env):
    ...     print([str(p) for p in data_dir_candidates()])
    ['/', '/tmp/c']
    """
    candidates = []
    if os.environ.get("SEQCNN_DATA_DIR"):
        data_dir = Path(os.environ["SEQCNN_DATA_DIR"]).expanduser()
        if not data_dir.is_dir():
            raise DataNotFoundError(
                f"SEQCNN_DATA_DIR is set to {data_dir}, which is not a directory.\n"
                "Point SEQCNN_DATA_DIR at the folder that holds the data sets, or unset it."
            )
        candidates.append(data_dir)
    candidates.append(cache_dir())
    return candidates


def locate(spec: DatasetSpec, download: bool | None = None) -> Path:
    """Return the path of ``spec.relpath``, downloading it into `cache_dir` if needed.

    Parameters
    ----------
    spec : DatasetSpec
        The data set to find.
    download : bool or None
        Whether downloading is allowed; ``None`` means "yes, unless
        ``$SEQCNN_OFFLINE`` is ``1``".

    Raises
    ------
    DataNotFoundError
        If no complete copy is found and downloading is not allowed, not
        possible (no pinned sha256) or fails (network error).
    ChecksumError, UnsafeArchiveError
        If the download is corrupt (or does not match ``spec.pins``) or the
        archive is unsafe.

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> spec = DatasetSpec("notes", "notes.txt", "https://example.org/notes.txt", "0" * 64)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "notes.txt").write_text("hello")
    ...     with mock.patch.dict("os.environ", {"SEQCNN_DATA_DIR": folder}):
    ...         print(locate(spec, download=False).read_text())
    hello
    """
    folders = data_dir_candidates()
    for folder in folders:
        if _is_complete(folder / spec.relpath, spec.check):
            note_read(folder / spec.relpath, spec.relpath)
            return folder / spec.relpath
    if download is None:
        download = os.environ.get("SEQCNN_OFFLINE") != "1"
    if not download:
        reason = "Downloading is switched off (download=False or SEQCNN_OFFLINE=1)."
    elif not spec.sha256 and spec.pins is None:
        reason = "No sha256 is pinned for it, so it is not downloaded automatically."
    else:
        try:
            found = _download(spec, cache_dir())
            note_read(found, spec.relpath)
            return found
        except (OSError, http.client.HTTPException) as err:  # includes URLError, timeouts
            reason = f"Downloading it failed: {err}"
    raise DataNotFoundError(_not_found_message(spec, folders, reason))


def display_name(path: str | Path) -> str:
    """Where a located data set is, in words that do not show this machine's folders.

    Printed outputs are published, so they name the data folder by the
    variable or role that chose it, never by its absolute path.

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with mock.patch.dict("os.environ", {"SEQCNN_DATA_DIR": folder}):
    ...         print(display_name(Path(folder) / "aclImdb"))
    aclImdb in $SEQCNN_DATA_DIR
    >>> display_name("/somewhere/else/weather.csv")
    'weather.csv'
    """
    path = Path(path).resolve()
    places = [(cache_dir(), "the seqcnn cache folder")]
    if os.environ.get("SEQCNN_DATA_DIR"):
        places.insert(0, (Path(os.environ["SEQCNN_DATA_DIR"]), "$SEQCNN_DATA_DIR"))
    for folder, label in places:
        if path.is_relative_to(folder.resolve()):
            return f"{path.relative_to(folder.resolve()).as_posix()} in {label}"
    return path.name


def fetch(url: str, dest: Path, sha256: str, verify: Callable[[Path], object] | None = None) -> Path:
    """Download `url` to `dest`; `dest` appears only once complete and verified.

    `sha256` may be ``""`` only if `verify` is given: a function that checks
    the downloaded (temporary) file and raises :class:`ChecksumError` if it
    is not the expected one.

    Raises
    ------
    ChecksumError
        If the download does not have the expected sha256 or fails `verify`
        (it is then deleted).

    Examples
    --------
    >>> import hashlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     source = Path(folder) / "source.txt"
    ...     _ = source.write_bytes(b"abc")
    ...     digest = hashlib.sha256(b"abc").hexdigest()
    ...     print(fetch(source.as_uri(), Path(folder) / "copy.txt", digest).read_bytes())
    b'abc'
    """
    if len(sha256) != 64 and (sha256 or verify is None):
        raise ValueError(f"sha256 must be 64 hexadecimal digits, got {sha256!r}")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=60) as response:
            while chunk := response.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
            if getattr(response, "length", None):  # the server announced more than it sent
                raise http.client.IncompleteRead(b"", response.length)
        if sha256 and digest.hexdigest() != sha256.lower():
            raise ChecksumError(
                f"The file downloaded from {url} is corrupt or has changed.\n"
                f"Expected sha256 {sha256.lower()}\n"
                f"but got sha256  {digest.hexdigest()}.\n"
                "The file was removed. Try again, or report the problem if it persists."
            )
        if verify is not None:
            verify(tmp)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def sha256sum(path: Path) -> str:
    """Return the sha256 of the file at `path` as a hexadecimal string.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "abc.txt").write_bytes(b"abc")
    ...     print(sha256sum(Path(folder) / "abc.txt"))
    ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    """
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def extract(archive: Path, target_dir: Path, kind: str) -> None:
    """Extract a ``"tar.gz"`` or ``"zip"`` archive into `target_dir`, safely, all or nothing.

    Members go into a temporary folder next to `target_dir`; its top-level entries
    are moved into `target_dir` once all succeeded.  Nothing is overwritten.
    ``__MACOSX/`` zip members (macOS metadata) are skipped.

    Raises
    ------
    UnsafeArchiveError
        If a member would land outside the target (absolute path, ``..``,
        a link pointing outside) or is a device or fifo.
    DataError
        If a top-level entry already exists in `target_dir`.

    Examples
    --------
    >>> import tempfile, zipfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with zipfile.ZipFile(Path(folder) / "a.zip", "w") as zf:
    ...         zf.writestr("data/x.txt", "hi")
    ...     extract(Path(folder) / "a.zip", Path(folder) / "out", "zip")
    ...     print((Path(folder) / "out" / "data" / "x.txt").read_text())
    hi
    """
    if kind not in ("tar.gz", "zip"):
        raise ValueError(f"kind must be 'tar.gz' or 'zip', not {kind!r}")
    archive, target_dir = Path(archive), Path(target_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{archive.name}.", dir=target_dir.parent))
    try:
        if kind == "tar.gz":
            _extract_tar(archive, tmp)
        else:
            _extract_zip(archive, tmp)
        entries = sorted(tmp.iterdir())
        for entry in entries:
            if os.path.lexists(target_dir / entry.name):
                raise DataError(f"Cannot extract {archive}: {target_dir / entry.name} exists.")
        for entry in entries:
            os.replace(entry, target_dir / entry.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _extract_tar(archive: Path, dest: Path) -> None:
    with tarfile.open(archive, "r:gz") as tar:
        members = tar.getmembers()
        links = {os.path.normpath(m.name) for m in members if m.issym() or m.islnk()}
        for member in members:
            _check_name(archive, member.name)
            if any(str(parent) in links for parent in Path(os.path.normpath(member.name)).parents):
                # e.g. "d" -> "." then "d/l" -> "..": written through a link, a member can escape.
                raise _unsafe(archive, member.name, "would be written through a link")
            if member.issym() or member.islnk():
                # A symlink is relative to its own folder, a hard link to the archive root.
                base = os.path.dirname(member.name) if member.issym() else ""
                if not _stays_inside(os.path.join(base, member.linkname)):
                    why = f"links to {member.linkname!r}, outside the target"
                    raise _unsafe(archive, member.name, why)
            if member.isdev():
                raise _unsafe(archive, member.name, "is a device or fifo")
        # Python >= 3.11.4 also has the "data" filter: a second line of defence.
        safety = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(dest, members=members, **safety)


def _extract_zip(archive: Path, dest: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            _check_name(archive, info.filename)
        members = [i for i in zf.infolist() if not i.filename.startswith("__MACOSX/")]
        zf.extractall(dest, members=members)


def _check_name(archive: Path, name: str) -> None:
    if os.path.isabs(name) or ".." in Path(name).parts:
        raise _unsafe(archive, name, "would be written outside the target")


def _stays_inside(relative: str) -> bool:
    normal = os.path.normpath(relative)
    return not os.path.isabs(normal) and normal != ".." and not normal.startswith(".." + os.sep)


def _unsafe(archive: Path, member: str, why: str) -> UnsafeArchiveError:
    return UnsafeArchiveError(f"Refusing to extract {archive}: member {member!r} {why}.")


def _is_complete(path: Path, check: tuple[str, ...]) -> bool:
    return path.exists() and all((path / sub).exists() for sub in check)


def _download(spec: DatasetSpec, folder: Path) -> Path:
    """Download `spec` into `folder` (the cache), replacing an incomplete copy."""
    target = folder / spec.relpath
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    else:
        target.unlink(missing_ok=True)
    print(f"Downloading {spec.name} from {spec.url} into {folder} ...", file=sys.stderr)
    if not spec.archive:
        return fetch(spec.url, target, spec.sha256)
    digests = {}
    verify = None if spec.pins is None else lambda tmp: digests.update(spec.pins.check(tmp, spec.url))
    archive = fetch(spec.url, folder / spec.url.rsplit("/", 1)[-1], spec.sha256, verify)
    try:
        extract(archive, folder, spec.archive)
    finally:
        archive.unlink(missing_ok=True)
    if not _is_complete(target, spec.check):
        raise DataError(f"The archive {spec.url} did not contain a complete {spec.relpath}.")
    if digests and not spec.sha256:  # once, so that the download's sha256 can be pinned
        print(f"Verified {spec.name} against its pinned size and contents. Its sha256 is not pinned yet:")
        for name, digest in digests.items():
            print(f"  sha256 {digest}  {name}")
    return target


def _not_found_message(spec: DatasetSpec, folders: list[Path], reason: str) -> str:
    lines = [f"Could not find {spec.relpath} (data set {spec.name})."]
    if spec.check:
        lines.append(f"A copy counts only if it contains: {', '.join(spec.check)}.")
    lines += ["Looked in:"] + [f"  - {folder}" for folder in folders] + [reason]
    how = "extract it into" if spec.archive else "save it as " + spec.relpath + " in"
    lines.append(f"Download {spec.url} and {how} one of those folders,")
    lines.append(f"or set SEQCNN_DATA_DIR to the folder that contains {spec.relpath}.")
    return "\n".join(lines)
