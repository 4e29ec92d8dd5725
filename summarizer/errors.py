"""One exception tree for the whole tool.

    SummarizerError                 anything the tool reports to a user
    ├── InputError                  the article cannot be read or is empty / not text
    ├── ConfigError                 a setting is missing or wrong (names the setting)
    ├── EngineError                 reaching the model failed
    │   ├── EngineStartError        the embedded server would not start
    │   ├── EndpointError           the endpoint kept failing (after retries)
    │   └── AuthError               the endpoint refused the credentials (never retried)
    └── ExtractionError             the model's answers could not be turned into a summary

Library code raises these; only ``cli.py`` turns them into one line on stderr
and an exit code. Messages never contain an API key.
"""


class SummarizerError(Exception):
    """Base of every error the tool reports to a user."""

    exit_code = 1


class InputError(SummarizerError):
    """The article could not be read, decoded, or holds no text."""

    exit_code = 2


class ConfigError(SummarizerError):
    """A setting is missing or invalid; the message names the setting to fix."""

    exit_code = 2


class EngineError(SummarizerError):
    """Reaching the model failed."""

    exit_code = 3


class EngineStartError(EngineError):
    """The embedded model server could not be started or never answered."""


class EndpointError(EngineError):
    """The endpoint kept failing after the bounded retries."""


class AuthError(EngineError):
    """The endpoint rejected the credentials (HTTP 401/403); not retried."""


class ExtractionError(SummarizerError):
    """The model's answers could not be validated into a summary."""

    exit_code = 4
