"""One exception tree for netops.

Third-party errors (chromadb, httpx, paramiko, netmiko, ollama, ...) are translated into this
tree at the boundary where they happen (``raise ... from exc``), so callers and the CLI only
ever see these types::

    NetopsError                      exit 1 unless stated
    ├── ConfigError                  exit 2   bad settings, config file, policy file
    ├── InputError                   exit 2   bad arguments, paths, parameters
    ├── NotFoundError                exit 4   a named thing does not exist
    ├── KnowledgeError
    │   ├── IngestError                       one document could not be read
    │   ├── IndexMismatchError                index built by another embedder
    │   └── BackendUnavailable       exit 3   Chroma server / Ollama / mirror unreachable
    ├── DeviceError
    │   ├── InventoryError           exit 2   malformed inventory, duplicates, unknown platform
    │   ├── ConnectError                      refused, unreachable, DNS
    │   ├── AuthError                         wrong credentials
    │   ├── HostKeyError                      unknown or changed host key
    │   ├── CommandTimeout                    a command did not finish in time
    │   ├── SessionClosed                     the device closed the session
    │   └── PolicyViolation          exit 5   a command refused by the read-only policy
    ├── PlaybookError
    │   ├── PlaybookInvalid          exit 2   schema, template or lint failure
    │   ├── NotVetted                exit 5   hash not in playbooks.lock
    │   ├── ParameterError           exit 2   a parameter failed validation
    │   ├── ApprovalDenied           exit 5   a person or policy said no
    │   ├── DeviceBusy               exit 75  another run holds the device, or a crashed run
    │   │                                     left it unrecovered
    │   └── JournalError                      a run journal is unreadable (damaged file)
    ├── AuditError
    │   └── TamperDetected           exit 6   the audit chain does not verify
    ├── ModelError
    │   ├── ModelUnavailable         exit 3   no model endpoint reachable
    │   └── ModelProtocolError                the endpoint answered something unusable
    ├── LabError                              the lab could not be built or torn down
    └── Cancelled                    exit 130 the person cancelled (Ctrl-C, Escape, CancelToken)

Every error carries an optional ``hint``: one line on how to fix it. The CLI prints
``error: <message>`` and ``hint: <hint>`` and exits with ``exit_code``.
"""

from __future__ import annotations


class NetopsError(Exception):
    """Base of every error netops raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        # A message quotes what it failed on: a model server's error text, a tool name a model
        # made up, a device's reply. Every surface prints it, so no control character (an
        # escape sequence) or lone surrogate of theirs survives into it.
        from netops.controls import printable

        message = printable(message) if isinstance(message, str) else message
        hint = printable(hint) if isinstance(hint, str) else hint
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ConfigError(NetopsError):
    exit_code = 2


class InputError(NetopsError):
    exit_code = 2


class NotFoundError(NetopsError):
    exit_code = 4


class KnowledgeError(NetopsError):
    pass


class IngestError(KnowledgeError):
    pass


class IndexMismatchError(KnowledgeError):
    pass


class BackendUnavailable(KnowledgeError):
    exit_code = 3


class DeviceError(NetopsError):
    pass


class InventoryError(DeviceError):
    exit_code = 2


class ConnectError(DeviceError):
    pass


class AuthError(DeviceError):
    pass


class HostKeyError(DeviceError):
    pass


class CommandTimeout(DeviceError):
    pass


class SessionClosed(DeviceError):
    pass


class PolicyViolation(DeviceError):
    exit_code = 5


class PlaybookError(NetopsError):
    pass


class PlaybookInvalid(PlaybookError):
    exit_code = 2


class NotVetted(PlaybookError):
    exit_code = 5


class ParameterError(PlaybookError):
    exit_code = 2


class ApprovalDenied(PlaybookError):
    exit_code = 5


class DeviceBusy(PlaybookError):
    exit_code = 75


class JournalError(PlaybookError):
    pass


class AuditError(NetopsError):
    pass


class TamperDetected(AuditError):
    exit_code = 6


class ModelError(NetopsError):
    pass


class ModelUnavailable(ModelError):
    exit_code = 3


class ModelProtocolError(ModelError):
    pass


class LabError(NetopsError):
    pass


class Cancelled(NetopsError):
    """Work stopped because a :class:`netops.cancel.CancelToken` was cancelled."""

    exit_code = 130


__all__ = [name for name, obj in dict(globals()).items() if isinstance(obj, type) and issubclass(obj, NetopsError)]
