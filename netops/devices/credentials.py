"""Device credentials: never plain text by default.

Sources, in the order they are tried at connect time: an SSH key file (``ssh_key_file``), a
running ssh-agent, and a password read from an environment variable the inventory names
(``password_env: LAB_PW``). A literal ``password:`` in the inventory is refused unless the
inventory sets ``options: {allow_plaintext_password: true}`` (and then it is warned about).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from netops.errors import AuthError

MASK = "********"


@dataclass(frozen=True)
class Credentials:
    username: str | None = None
    password: SecretStr | None = None
    """A literal password (only when the inventory allows plain text)."""
    password_env: str | None = None
    """Name of the environment variable holding the password."""
    key_file: Path | None = None
    use_agent: bool = True

    def password_value(self, *, required: bool = True) -> str | None:
        """The password to try, read now (env vars can change between runs).

        With ``required=False`` (a key file or agent can still authenticate) an unset
        variable means "no password" instead of an error.
        """
        if self.password is not None:
            return self.password.get_secret_value()
        if self.password_env:
            value = os.environ.get(self.password_env)
            if value is None and required:
                raise AuthError(
                    f"environment variable {self.password_env} (the device password) is not set",
                    hint=f"export {self.password_env}=... or use an SSH key / ssh-agent",
                )
            return value
        return None

    def has_other_methods(self) -> bool:
        """Whether a key file or a running ssh-agent could authenticate without a password."""
        return bool(self.key_file) or (self.use_agent and bool(os.environ.get("SSH_AUTH_SOCK")))

    def describe(self) -> dict[str, Any]:
        """A printable view: never the secret, only where it comes from."""
        if self.password is not None:
            password: str | None = MASK
        elif self.password_env:
            password = f"env:{self.password_env}"
        else:
            password = None
        return {
            "username": self.username,
            "password": password,
            "key_file": str(self.key_file) if self.key_file else None,
            "agent": self.use_agent,
        }

    def __repr__(self) -> str:  # dataclass repr would be safe (SecretStr), but keep it explicit
        return f"Credentials({self.describe()})"
