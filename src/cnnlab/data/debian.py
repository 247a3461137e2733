"""Debian packages as a data source: fetch a pinned ``.deb`` and read files out of it.

A ``.deb`` is an ``ar`` archive holding ``debian-binary``, ``control.tar.*`` and
``data.tar.xz`` (or ``.gz``); the files a package installs are in ``data.tar``. It is read here
with the standard library only (no ``dpkg``, no root): the ``ar`` headers are parsed, the data
member is opened with :mod:`tarfile`, and only regular files under the asked-for folders are
read, each capped in size. Nothing is ever written outside the cache.

Routes, in order: a ``.deb`` already in ``data_dir`` (or the cache) whose SHA-256 matches; the
Debian mirror (``deb.debian.org``, the route for users with the internet); ``apt-get download``
(machines whose only network is a Debian package proxy). Every route checks the pinned SHA-256.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cnnlab.data.download import download_first, file_digest
from cnnlab.errors import DataError
from cnnlab.i18n import _

MIRRORS = ("https://deb.debian.org/debian/", "http://deb.debian.org/debian/")
MAX_DEB_BYTES = 64 << 20  # the largest package used is 3.6 MB
MAX_MEMBER_BYTES = 8 << 20  # one file inside a package (a fortune file is at most ~1 MB)
APT_TIMEOUT = 300  # seconds for apt-get to download one package

Note = Callable[[str], None]


@dataclass(frozen=True)
class DebPackage:
    """One pinned Debian package: where it lives in the pool and what its bytes hash to."""

    name: str
    version: str
    pool: str  # path under the mirror, e.g. "pool/main/f/fortunes-es/fortunes-es_1.36_all.deb"
    sha256: str
    licence: str  # the licence of the text it carries, from its debian/copyright

    @property
    def filename(self) -> str:
        return self.pool.rsplit("/", 1)[-1]

    @property
    def names(self) -> tuple[str, str]:
        """The pool's file name and the one ``apt-get download`` writes (epoch as ``%3a``)."""
        epoch = self.version.split(":", 1)[0] + "%3a" if ":" in self.version else ""
        return self.filename, self.filename.replace("_", f"_{epoch}", 1)


def _ar_members(blob: bytes, where: str) -> dict[str, bytes]:
    """The members of an ``ar`` archive (``!<arch>`` magic, 60-byte headers, 2-byte alignment)."""
    if not blob.startswith(b"!<arch>\n"):
        raise DataError(
            _("{where} is not a Debian package; expected an ar archive (!<arch>)", where=where)
        )
    members, pos = {}, 8
    while pos + 60 <= len(blob):
        header = blob[pos : pos + 60]
        name = header[:16].decode("ascii", "replace").strip().rstrip("/")
        try:
            size = int(header[48:58].decode("ascii").strip())
        except ValueError:
            raise DataError(
                _("{where}: damaged ar header at byte {pos}", where=where, pos=pos)
            ) from None
        start = pos + 60
        if size < 0 or start + size > len(blob):
            raise DataError(
                _(
                    "{where}: ar member {name!r} runs past the end of the file",
                    where=where,
                    name=name,
                )
            )
        members[name] = blob[start : start + size]
        pos = start + size + (size % 2)
    return members


def read_deb(path: str | Path, prefixes: tuple[str, ...]) -> dict[str, bytes]:
    """Regular files of a ``.deb`` whose path starts with one of ``prefixes`` → their bytes.

    Paths are given without the leading ``./`` (``usr/share/games/fortunes/es/arte.fortunes``);
    links, folders and devices are skipped, and so is any path with ``..``.
    """
    path = Path(path)
    if path.stat().st_size > MAX_DEB_BYTES:
        raise DataError(_("{path} is larger than {limit:,} bytes; expected a small package",
                          path=path, limit=MAX_DEB_BYTES))  # fmt: skip
    members = _ar_members(path.read_bytes(), str(path))
    data = next((v for k, v in members.items() if k.startswith("data.tar")), None)
    if data is None:
        raise DataError(_("{path} has no data.tar member; found {members}",
                          path=path, members=", ".join(members) or "none"))  # fmt: skip
    out = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
            for info in tar:
                name = info.name.removeprefix("./")
                if not info.isfile() or ".." in name.split("/"):
                    continue
                if name.startswith(prefixes) and info.size <= MAX_MEMBER_BYTES:
                    out[name] = tar.extractfile(info).read()  # type: ignore[union-attr]
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise DataError(_("{path}: its data.tar could not be read ({exc})",
                          path=path, exc=exc)) from None  # fmt: skip
    return out


def _apt_download(pkg: DebPackage, folder: Path) -> Path:
    """``apt-get download NAME=VERSION`` into a temporary folder; the .deb moved to ``folder``."""
    if shutil.which("apt-get") is None:
        raise DataError(_("apt-get is not available"))
    with tempfile.TemporaryDirectory(prefix="cnnlab-apt-") as tmp:
        cmd = ["apt-get", "download", "-q", f"{pkg.name}={pkg.version}"]
        try:
            proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True,
                                  timeout=APT_TIMEOUT, check=False)  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DataError(
                _("apt-get download {name} failed: {exc}", name=pkg.name, exc=exc)
            ) from None
        debs = sorted(Path(tmp).glob(f"{pkg.name}_*.deb"))
        if proc.returncode != 0 or not debs:
            tail = " ".join((proc.stderr or proc.stdout).split()[-30:])
            raise DataError(
                _(
                    "apt-get download {name} failed (exit {returncode}): {tail}",
                    name=pkg.name,
                    returncode=proc.returncode,
                    tail=tail,
                )
            )
        target = folder / pkg.filename
        shutil.move(str(debs[0]), target)
    return target


def _matches(path: Path, pkg: DebPackage) -> bool:
    return path.is_file() and file_digest(path) == pkg.sha256


def fetch_deb(
    pkg: DebPackage, folder: Path, data_dir: Path | None = None, note: Note = lambda _m: None
) -> Path:
    """The verified ``.deb`` of ``pkg``: from ``data_dir``, ``folder``, a mirror or apt-get."""
    for base in (data_dir, folder):
        for name in pkg.names if base is not None else ():
            if _matches(Path(base) / name, pkg):
                return Path(base) / name
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / pkg.filename
    note(_("downloading {filename} from the Debian mirror", filename=pkg.filename))
    try:
        return download_first([m + pkg.pool for m in MIRRORS], target, sha256=pkg.sha256)
    except DataError as mirror_error:
        note(_("no mirror reachable; trying apt-get download {name}", name=pkg.name))
        try:
            got = _apt_download(pkg, folder)
        except DataError as apt_error:
            raise DataError(_("{name} {version} could not be fetched ({mirror_error}; "
                              "{apt_error}); expected {filename} in --data-dir or a reachable "
                              "Debian mirror",
                              name=pkg.name, version=pkg.version, mirror_error=mirror_error,
                              apt_error=apt_error, filename=pkg.filename)) from None  # fmt: skip
    if not _matches(got, pkg):
        got.unlink(missing_ok=True)
        raise DataError(_("{filename} from apt-get has the wrong SHA-256; expected {sha256} (the "
                          "pinned version {version}). Received: another build of the package",
                          filename=pkg.filename, sha256=pkg.sha256,
                          version=pkg.version))  # fmt: skip
    return got
