"""Typed playbook parameters. Values are data, never template code.

Every value is first checked for anything that could change the meaning of the rendered
configuration (newlines, control characters, ``;``, ``!``, ``|``, Jinja syntax, CLI mode words
like ``end``/``exit``/``do``), then validated strictly for its declared type. The validated
value is a plain string/int in canonical form (``ipaddress`` normalises addresses).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from netops.errors import ParameterError

INTERFACE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_./:-]{0,62}$")
_FORBIDDEN_CHARS = {";": "';'", "!": "'!'", "|": "'|'", "`": "a backtick", "$": "'$'", "\\": "a backslash",
                    "<": "'<'", ">": "'>'", "&": "'&'"}
_FORBIDDEN_WORDS = ("end", "exit", "quit", "do", "write", "reload", "configure")
_WORD_RE = re.compile(r"[A-Za-z-]+")


def check_safe(name: str, value: str) -> None:
    """Refuse values that could inject commands or template code. Raises :class:`ParameterError`."""
    if not isinstance(value, str):
        return
    for ch in value:
        if ch in "\r\n":
            raise ParameterError(f"parameter {name}: newlines are not allowed", hint="give a single-line value")
        if ord(ch) < 32 or ord(ch) == 127 or 0x80 <= ord(ch) < 0xA0 or ch in "\u2028\u2029":
            raise ParameterError(f"parameter {name}: control character U+{ord(ch):04X} is not allowed")
    for token in ("{{", "{%", "{#", "}}", "%}", "#}"):
        if token in value:
            raise ParameterError(f"parameter {name}: template syntax {token!r} is not allowed",
                                 hint="parameters are data, not template code")
    for ch, label in _FORBIDDEN_CHARS.items():
        if ch in value:
            raise ParameterError(f"parameter {name}: {label} is not allowed (command separator or comment)")
    for word in _WORD_RE.findall(value):
        if word.lower() in _FORBIDDEN_WORDS:
            raise ParameterError(f"parameter {name}: the word {word!r} is not allowed (it is a CLI mode command)",
                                 hint="rephrase the value without CLI keywords")


class _Param(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    example: Any = None
    """Used by ``playbook lint`` to render the templates. Required."""
    default: Any = None
    required: bool = True

    def convert(self, name: str, value: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def validate_value(self, name: str, value: Any) -> Any:
        if isinstance(value, str):
            check_safe(name, value)
            value = value.strip()
            if value == "":
                raise ParameterError(f"parameter {name}: empty value")
        elif isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ParameterError(f"parameter {name}: expected a {self.type_label}, got {type(value).__name__}")
        return self.convert(name, value)

    @property
    def type_label(self) -> str:
        return getattr(self, "type", "value")


class IPParam(_Param):
    type: Literal["ip", "ipv4", "ipv6"]

    def convert(self, name: str, value: Any) -> str:
        try:
            addr = ipaddress.ip_address(str(value))
        except ValueError:
            raise ParameterError(f"parameter {name}: {value!r} is not an IP address (e.g. 198.51.100.1)") from None
        if self.type == "ipv4" and addr.version != 4 or self.type == "ipv6" and addr.version != 6:
            raise ParameterError(f"parameter {name}: {value!r} is not an {self.type.upper()} address")
        return str(addr)


class PrefixParam(_Param):
    type: Literal["prefix", "prefix4", "prefix6"]

    def convert(self, name: str, value: Any) -> str:
        text = str(value)
        if "/" not in text:
            raise ParameterError(f"parameter {name}: {value!r} is not a prefix: give address/length, e.g. 203.0.113.0/24")
        try:
            net = ipaddress.ip_network(text, strict=True)
        except ValueError as exc:
            if "host bits set" in str(exc):
                raise ParameterError(f"parameter {name}: {value!r} has host bits set; did you mean "
                                     f"{ipaddress.ip_network(text, strict=False)}?") from None
            raise ParameterError(f"parameter {name}: {value!r} is not a valid prefix ({exc})") from None
        if self.type == "prefix4" and net.version != 4 or self.type == "prefix6" and net.version != 6:
            raise ParameterError(f"parameter {name}: {value!r} is not an IPv{self.type[-1]} prefix")
        return str(net)


class InterfaceParam(_Param):
    type: Literal["interface"]
    pattern: str | None = None
    """An extra regex the name must match (e.g. ``^eth[0-9]+$``)."""

    def convert(self, name: str, value: Any) -> str:
        text = str(value)
        if not INTERFACE_RE.match(text):
            raise ParameterError(f"parameter {name}: {value!r} is not an interface name "
                                 "(letters first, then letters, digits, _ . / : -; at most 63)")
        if self.pattern and not re.fullmatch(self.pattern, text):
            raise ParameterError(f"parameter {name}: {value!r} does not match {self.pattern}")
        return text


class ASNParam(_Param):
    type: Literal["asn"]

    def convert(self, name: str, value: Any) -> int:
        text = str(value)
        if not re.fullmatch(r"[0-9]{1,10}", text):
            raise ParameterError(f"parameter {name}: {value!r} is not an AS number (1..4294967295)")
        n = int(text)
        if not 1 <= n <= 4294967295:
            raise ParameterError(f"parameter {name}: AS number {n} is out of range 1..4294967295")
        return n


class IntParam(_Param):
    type: Literal["int"]
    min: int
    max: int

    @model_validator(mode="after")
    def _bounds(self) -> "IntParam":
        if self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self

    def convert(self, name: str, value: Any) -> int:
        text = str(value)
        if not re.fullmatch(r"-?[0-9]{1,12}", text):
            raise ParameterError(f"parameter {name}: {value!r} is not an integer")
        n = int(text)
        if not self.min <= n <= self.max:
            raise ParameterError(f"parameter {name}: {n} is out of range {self.min}..{self.max}")
        return n


class EnumParam(_Param):
    type: Literal["enum"]
    choices: list[str] = Field(min_length=1)

    def validate_value(self, name: str, value: Any) -> Any:
        # A choice the manifest declares is vetted content, even a CLI word ("end"): only the exact
        # choices pass, so nothing else reaches a template.
        if isinstance(value, str) and value.strip() in self.choices:
            return value.strip()
        return super().validate_value(name, value)

    def convert(self, name: str, value: Any) -> str:
        text = str(value)
        if text not in self.choices:
            raise ParameterError(f"parameter {name}: {value!r} is not one of {', '.join(self.choices)}")
        return text


class StringParam(_Param):
    type: Literal["description", "string"]
    max_length: int = Field(default=80, ge=1, le=240)
    pattern: str | None = None

    def convert(self, name: str, value: Any) -> str:
        text = str(value)
        if len(text) > self.max_length:
            raise ParameterError(f"parameter {name}: {len(text)} characters, at most {self.max_length} allowed")
        if not text.isprintable():
            raise ParameterError(f"parameter {name}: only printable characters are allowed")
        if self.pattern and not re.fullmatch(self.pattern, text):
            raise ParameterError(f"parameter {name}: {value!r} does not match {self.pattern}")
        return text


Param = Annotated[
    Union[IPParam, PrefixParam, InterfaceParam, ASNParam, IntParam, EnumParam, StringParam],
    Field(discriminator="type"),
]

PARAM_TYPES = ("ip", "ipv4", "ipv6", "prefix", "prefix4", "prefix6", "interface", "asn", "int", "enum",
               "description", "string")


def validate_params(declared: dict[str, Any], given: dict[str, Any], *, use_examples: bool = False) -> dict[str, Any]:
    """Check ``given`` against the declared parameters; return canonical values.

    Unknown names, missing required values and invalid values each raise one
    :class:`ParameterError` naming the parameter.
    """
    unknown = sorted(set(given) - set(declared))
    if unknown:
        known = ", ".join(sorted(declared)) or "none"
        raise ParameterError(f"unknown parameter(s): {', '.join(unknown)}", hint=f"this playbook takes: {known}")
    out: dict[str, Any] = {}
    for name, spec in declared.items():
        if name in given:
            value = given[name]
        elif use_examples and spec.example is not None:
            value = spec.example
        elif spec.default is not None:
            value = spec.default
        elif spec.required:
            raise ParameterError(f"missing parameter {name} ({spec.type}): {spec.description}".rstrip(": "),
                                 hint=f"pass --param {name}=VALUE")
        else:
            continue
        out[name] = spec.validate_value(name, value)
    return out


def parse_kv(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["a=1", "b=x y"]`` -> dict; a pair without ``=`` is an input error."""
    out: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise ParameterError(f"--param {pair!r} is not NAME=VALUE")
        k, v = pair.split("=", 1)
        k = k.strip()
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k):
            raise ParameterError(f"--param name {k!r} is not a valid name")
        if k in out:
            raise ParameterError(f"--param {k} given twice")
        out[k] = v
    return out
