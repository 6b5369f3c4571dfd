"""Writing a command's output safely: whole or not at all, never over an input, never over
a file the tool did not write.

    check_output(path, "docx", inputs=[bill, template])   # before any work: fails in one line
    with atomic_output(path, "docx", inputs=[bill]) as tmp:
        write_memo(analysis, tmp, ...)                      # then renamed over path

An existing file at the output path is replaced only when it is this tool's own kind of
output: a Word or Excel file whose properties say lssc-legal saved it last (every one the
tool writes says so; a memo a lawyer has edited and saved in Word no longer does), a PNG or
PDF the tool drew, Markdown that ends in the tool's mark (an HTML comment, unseen when
rendered), JSON the tool writes (an lssc-legal schema, or a list of records), JSON Lines,
or a CSV file with the same header row as the one replacing it. Anything else (a bill, a
template, a results store, another program's file, a lawyer's notes, a FIFO or a device)
is refused.

A kill leaves at most a hidden temporary file `.NAME.PID.XXXX.tmp` beside the output; the
next write to that output removes those whose process is gone.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import OutputError

MARK = "lssc-legal"
MD_MARK = "<!-- written by lssc-legal -->"
KINDS = ("docx", "xlsx", "png", "pdf", "json", "jsonl", "md", "csv", "text")
_SUFFIX_KINDS = {
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".png": "png",
    ".pdf": "pdf",
    ".json": "json",
    ".jsonl": "jsonl",
    ".md": "md",
    ".csv": "csv",
}
_MAGIC = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a Word, Excel or zip file",
    b"SQLite format 3\x00": "a SQLite database",
    b"\x89PNG": "a PNG image",
    b"\xd0\xcf\x11\xe0": "an old-format Office file",
}
# The OS errors that mean "this place cannot be written", each said plainly.
_WRITE_ERRORS = {
    errno.ENOSPC: ("the disk is full", "free some space or write elsewhere"),
    errno.EDQUOT: ("the disk quota is used up", "free some space or write elsewhere"),
    errno.EROFS: ("its folder is on a read-only file system", "write elsewhere"),
    errno.EACCES: ("its folder cannot be written (permission denied)", "write elsewhere"),
    errno.EPERM: ("its folder cannot be written (operation not permitted)", "write elsewhere"),
    errno.EFBIG: ("the file would be too large for this file system", "write elsewhere"),
    errno.ENAMETOOLONG: ("the file name is too long", "give a shorter name"),
}


def kind_for(path: Path, fmt: str | None = None) -> str:
    """The output kind of a path (by format, else by suffix; text when neither tells)."""
    if fmt in KINDS:
        return fmt
    return _SUFFIX_KINDS.get(path.suffix.lower(), "text")


def check_output(path: Path, kind: str | None = None, inputs: Sequence[Path | None] = ()) -> None:
    """Fail now, before any work, if `path` cannot or must not be written: a folder, a
    missing folder, one of the command's `inputs`, something not a regular file, or a file
    that is not this tool's own kind of output."""
    path = path.expanduser()
    kind = kind or kind_for(path)
    if path.is_dir():
        raise OutputError(path, "is a folder", "give a file name")
    if not path.parent.is_dir():
        raise OutputError(path, "its folder does not exist", "create the folder first")
    for given in inputs:
        if given is not None and _same(path, given.expanduser()):
            raise OutputError(path, "is a file this command reads", "give the output another name")
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(path, f"cannot be checked ({exc.strerror})", "write elsewhere") from None
    if not stat.S_ISREG(info.st_mode):
        what = (
            "a FIFO"
            if stat.S_ISFIFO(info.st_mode)
            else "a socket"
            if stat.S_ISSOCK(info.st_mode)
            else "a device"
        )
        raise OutputError(path, f"is {what}, not a regular file", "give a file name")
    if info.st_size == 0:
        return
    what = _foreign(path, kind)
    if what:
        raise OutputError(
            path,
            f"already exists ({what}); lssc-legal replaces only files it wrote",
            "give the output another name, or move that file away first",
        )


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _foreign(path: Path, kind: str) -> str:
    """What the existing file is, when it is not output of this kind ("" when it is)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    found = next((name for magic, name in _MAGIC.items() if head.startswith(magic)), "")
    if kind in ("docx", "xlsx"):
        if not head.startswith(b"PK\x03\x04"):
            return found or "not a Word or Excel file"
        return "" if _office_mark(path) else f"a {kind} file lssc-legal did not save last"
    if kind in ("png", "pdf"):
        expected = b"\x89PNG" if kind == "png" else b"%PDF"
        if not head.startswith(expected):
            return found or f"not a {kind.upper()} file"
        return "" if _has_mark(path) else f"a {kind.upper()} file lssc-legal did not draw"
    if found or b"\x00" in head:
        return found or "a binary file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the 64 KB boundary
            return "not UTF-8 text"
    if kind == "json":
        return "" if _our_json(path) else "JSON lssc-legal did not write"
    if kind == "jsonl":
        first = head.split(b"\n", 1)[0]
        try:
            return "" if isinstance(json.loads(first), dict) else "not JSON Lines"
        except ValueError:
            return "not JSON Lines"
    if kind == "md":
        return "" if MD_MARK.encode() in _tail(path) else "Markdown lssc-legal did not write"
    if kind == "csv":
        return ""  # its header row is compared with the new one's when it is replaced
    return "a file lssc-legal did not write"


def _our_json(path: Path) -> bool:
    """An analysis, comparison or report (an lssc-legal schema) or query records (a list)."""
    if path.stat().st_size > 512 * 2**20:
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return False
    if isinstance(data, list):
        return all(isinstance(row, dict) for row in data)
    return isinstance(data, dict) and (
        str(data.get("schema", "")).startswith("lssc-legal/") or "tool_version" in data
    )


def _tail(path: Path) -> bytes:
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 4096))
        return handle.read()


def _first_line(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.readline(65536).rstrip(b"\r\n")


_LAST_BY = re.compile(rb"<cp:lastModifiedBy>([^<]*)</cp:lastModifiedBy>")


def _office_mark(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml")
    except (KeyError, OSError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False
    found = _LAST_BY.search(core)
    return bool(found and found.group(1).strip() == MARK.encode())


def _has_mark(path: Path) -> bool:
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(65536)
            handle.seek(max(0, size - 65536))
            tail = handle.read()
    except OSError:
        return False
    return MARK.encode() in head or MARK.encode() in tail


@contextmanager
def atomic_output(
    path: Path, kind: str | None = None, inputs: Sequence[Path | None] = ()
) -> Iterator[Path]:
    """Write `path` whole or not at all: yield a temporary file beside it, marked as this
    tool's and renamed over `path` only when the block succeeds. A file system that cannot
    take it (full, read-only, no permission) is an OutputError naming `path`."""
    path = path.expanduser()
    kind = kind or kind_for(path)
    check_output(path, kind, inputs)
    _sweep(path)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise _write_error(path, exc) from None
    os.close(fd)
    try:
        yield Path(tmp)
        if kind in ("docx", "xlsx"):
            _stamp_office(Path(tmp))
        elif kind == "png":
            _stamp_png(Path(tmp))
        elif kind == "md":
            with open(tmp, "a", encoding="utf-8") as handle:
                handle.write(f"\n{MD_MARK}\n")
        elif (
            kind == "csv"
            and path.is_file()
            and path.stat().st_size
            and _first_line(path) != _first_line(Path(tmp))
        ):
            raise OutputError(
                path,
                "already exists (a CSV file with other columns); lssc-legal replaces "
                "only files it wrote",
                "give the output another name, or move that file away first",
            )
        # mkstemp makes the file private (0600); give it the permissions a new file gets.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.errno in _WRITE_ERRORS:
            raise _write_error(path, exc) from None
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_error(path: Path, exc: OSError) -> OutputError | OSError:
    said = _WRITE_ERRORS.get(exc.errno or 0)
    if said is None:
        return exc
    return OutputError(path, f"could not be written: {said[0]}", said[1])


_TMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")


def _sweep(path: Path) -> None:
    """Remove temporary files a killed run left beside `path` (their process is gone)."""
    with suppress(OSError):
        for entry in os.scandir(path.parent):
            found = _TMP.match(entry.name)
            if not found or found.group("name") != path.name:
                continue
            pid = int(found.group("pid"))
            if pid != os.getpid() and not _alive(pid):
                with suppress(OSError):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_CORE = "docProps/core.xml"
_CORE_NS = 'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'


def _stamp_office(path: Path) -> None:
    """Say in the file's properties that lssc-legal saved it last (Word and Excel show it
    as "Last modified by"; saving it in Word replaces it with the lawyer's name)."""
    stamped = path.with_name(path.name + ".stamp")
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(stamped, "w") as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == _CORE:
                    data = _with_last_by(data)
                dst.writestr(info, data)
            if _CORE not in src.namelist():
                return  # not stamped: the file is refused next time, never lost
        os.replace(stamped, path)
    finally:
        stamped.unlink(missing_ok=True)


def _with_last_by(core: bytes) -> bytes:
    tag = f"<cp:lastModifiedBy>{MARK}</cp:lastModifiedBy>".encode()
    if _LAST_BY.search(core):
        return _LAST_BY.sub(tag, core, count=1)
    if re.search(rb"<cp:lastModifiedBy\s*/>", core):
        return re.sub(rb"<cp:lastModifiedBy\s*/>", tag, core, count=1)
    end = core.rfind(b"</cp:coreProperties>")
    if end < 0 or _CORE_NS.encode() not in core:
        return core
    return core[:end] + tag + core[end:]


def _stamp_png(path: Path) -> None:
    """A tEXt chunk "Software: lssc-legal" after the PNG header chunk."""
    data = path.read_bytes()
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or len(data) < 33:
        return
    body = b"Software\x00" + MARK.encode()
    chunk = (
        struct.pack(">I", len(body))
        + b"tEXt"
        + body
        + struct.pack(">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF)
    )
    header_end = 8 + 12 + struct.unpack(">I", data[8:12])[0]
    stamped = path.with_name(path.name + ".stamp")
    try:
        with stamped.open("wb") as out:
            out.write(data[:header_end] + chunk + data[header_end:])
        os.replace(stamped, path)
    finally:
        stamped.unlink(missing_ok=True)
