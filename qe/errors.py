"""One error hierarchy for everything qe refuses to do, and the exit codes.

    QEError                      anything qe reports as a one-line message
    ├── InputError               a document cannot be used as given
    │   ├── MissingFileError     no such file
    │   ├── EmptyDocumentError   the file holds no text, or no sentence
    │   ├── BinaryFileError      the file is not text
    │   ├── EncodingError        the file is not valid UTF-8
    │   ├── TooLargeError        the file is larger than the limit
    │   ├── FeedError            a feed (batch input) is malformed
    │   └── BilingualFileError   an XLIFF, TMX or PO file cannot be read
    ├── ModelError               the embedding model cannot be loaded or run
    ├── ClusterError             a Dask cluster cannot be started, reached or used
    ├── ConfigError              options or a config file make no sense
    └── ReportError              a report could not be written

Library code raises these; only the CLI turns them into messages and exit codes.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """The process exit codes, stable across releases."""

    PASSED = 0  # the translation passed the quality gate
    GATE_FAILED = 1  # qe ran, and the translation failed the quality gate
    USAGE = 2  # bad command line or configuration
    COULD_NOT_RUN = 3  # bad input, model or I/O failure: no verdict


class QEError(Exception):
    """Base of every error qe reports to its user."""

    exit_code = ExitCode.COULD_NOT_RUN


class InputError(QEError):
    """A document cannot be used as given."""


class MissingFileError(InputError):
    """The file does not exist."""


class EmptyDocumentError(InputError):
    """The document holds no text or no sentence."""


class BinaryFileError(InputError):
    """The file is binary, not text."""


class EncodingError(InputError):
    """The file is not valid UTF-8."""


class TooLargeError(InputError):
    """The file exceeds the size limit."""


class FeedError(InputError):
    """A batch feed is malformed."""


class BilingualFileError(InputError):
    """An XLIFF, TMX or PO file is malformed or holds nothing to check."""


class ModelError(QEError):
    """The embedding model cannot be loaded or run."""


class ClusterError(QEError):
    """The Dask cluster cannot be started or reached, or cannot run qe."""


class ConfigError(QEError):
    """Options or a configuration file are invalid."""

    exit_code = ExitCode.USAGE


class ReportError(QEError):
    """A report could not be written."""
