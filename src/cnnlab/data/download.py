"""Downloads: stream to a temporary file, check length and hash, then move into place.

Nothing half-downloaded ever sits at the destination: the bytes go to a temporary file beside
it (:func:`cnnlab.fileio.atomic_writer`), which is moved into place only after the transfer is
complete (the byte count matches ``Content-Length``) and the SHA-256 or MD5 digest matches.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

from cnnlab.errors import DataError
from cnnlab.fileio import atomic_writer
from cnnlab.i18n import _

#: progress(bytes_done, bytes_total or None), called after every chunk.
Progress = Callable[[int, int | None], None]

DEFAULT_TIMEOUT = 30.0  # seconds without data before a mirror is given up
_CHUNK = 1 << 16
_USER_AGENT = "cnnlab (+https://pypi.org/project/cnnlab)"


def file_digest(path: str | os.PathLike, algorithm: str = "sha256") -> str:
    """Hex digest of a file, read in chunks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_hash(digest: hashlib._Hash, expected: str | None, url: str) -> None:
    if expected is not None and digest.hexdigest() != expected.lower():
        raise DataError(
            _(
                "download from {url} has the wrong {name}; expected {expected}. Received: {got}",
                url=url,
                name=digest.name,
                expected=expected,
                got=digest.hexdigest(),
            )
        )


def download(
    url: str,
    dest: str | os.PathLike,
    *,
    sha256: str | None = None,
    md5: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> Path:
    """Fetch ``url`` into ``dest``; verify length and (if given) the SHA-256 or MD5 hex digest.
    DataError on network and HTTP errors, short transfers, hash mismatches (``dest`` untouched)."""
    digest = hashlib.sha256() if sha256 or not md5 else hashlib.md5()
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            declared = resp.headers.get("Content-Length")
            total = int(declared) if declared and declared.isdigit() else None
            with atomic_writer(dest, "wb") as fh:
                done = 0
                for block in iter(lambda: resp.read(_CHUNK), b""):
                    fh.write(block)
                    digest.update(block)
                    done += len(block)
                    if progress is not None:
                        progress(done, total)
                if total is not None and done != total:
                    raise DataError(_("download from {url} was cut short; expected {total:,} "
                                      "bytes. Received: {done:,} bytes",
                                      url=url, total=total, done=done))  # fmt: skip
                _check_hash(digest, sha256 or md5, url)
    except urllib.error.HTTPError as exc:
        raise DataError(_("download from {url} failed: HTTP {code} {reason}",
                          url=url, code=exc.code, reason=exc.reason)) from None  # fmt: skip
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DataError(_("download from {url} failed: {error}: {reason}",
                          url=url, error=type(exc).__name__, reason=reason)) from None  # fmt: skip
    return Path(dest)


def download_first(
    urls: Sequence[str],
    dest: str | os.PathLike,
    *,
    sha256: str | None = None,
    md5: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> Path:
    """Try each mirror in ``urls`` in turn; raise DataError listing every failure if none works."""
    failures = []
    for url in urls:
        try:
            return download(url, dest, sha256=sha256, md5=md5, timeout=timeout, progress=progress)
        except DataError as exc:
            failures.append(str(exc))
    raise DataError(_("no mirror could be used: {failures}", failures=" | ".join(failures)))
