"""The failures a user can cause, each a one-line message that names the file and the fix.

The CLI turns every `LsscError` into that line and exit code `exit_code`; nothing else
reaches the user as a traceback.
"""

from __future__ import annotations

from pathlib import Path


class LsscError(Exception):
    """Base class: a failure the user can understand and act on."""

    exit_code = 1
    hint = ""

    def __init__(self, path: str | Path | None, message: str, hint: str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.message = message
        if hint is not None:
            self.hint = hint
        super().__init__(self.line())

    def line(self) -> str:
        where = f"{self.path}: " if self.path else ""
        fix = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{fix}"


class BadInputError(LsscError):
    """The input file cannot be read as a bill."""

    exit_code = 2


class FileMissingError(BadInputError):
    """The path does not exist or is not a file."""

    hint = "check the path"


class UnsupportedFormatError(BadInputError):
    """The file is not a PDF, TXT, HTML or DOCX bill."""

    hint = "give a bill as PDF, TXT, HTML or DOCX"


class DamagedFileError(BadInputError):
    """The file claims a format but its contents are broken."""

    hint = "download the bill again from the legislature's site"


class EncryptedFileError(BadInputError):
    """The PDF is password-protected."""

    hint = "save an unprotected copy (for example with qpdf --decrypt) and try again"


class EmptyFileError(BadInputError):
    """The file holds no text at all."""

    hint = "check that this is the bill text and not a blank page"


class NoTextLayerError(BadInputError):
    """A scanned PDF: pages are images with no text to read."""

    hint = "run OCR first, for example: ocrmypdf in.pdf out.pdf, then read out.pdf"


class NotABillError(BadInputError):
    """The file has text, but nothing that looks like a bill."""

    hint = "give the bill text itself, not a cover sheet or a fiscal note"


class OutputError(LsscError):
    """An output cannot be written."""

    exit_code = 1


class CorpusError(LsscError):
    """A principle or model-language file in the corpus cannot be used."""

    exit_code = 2
    hint = "fix the file (see the README in its folder) or use --corpus to point elsewhere"


class TemplateError(LsscError):
    """A memo template cannot be read or rendered."""

    exit_code = 2
    hint = "run lssc-legal templates validate on it, or start again from lssc-legal templates init"


class ConfigError(LsscError):
    """The configuration file cannot be read."""

    exit_code = 2
    hint = "fix the TOML, or see docs/cli.md for its keys"


class StoreError(LsscError):
    """The results store cannot be opened, read or queried."""

    exit_code = 2


class ProviderError(LsscError):
    """A bill API (LegiScan) could not be asked, or did not answer as documented. Its
    message never holds the API key."""

    exit_code = 4
