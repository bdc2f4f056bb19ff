"""GitHub Actions expressions (`${{ ... }}` and `if:`), as far as the workflows use them.

The model is fixed: the operators, functions and contexts below. Anything else raises
Unmodelled, so that a workflow which starts to use something new stops the replay with its
name instead of being replayed wrongly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any


class Unmodelled(Exception):
    """The workflow uses something the replay does not model."""


_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>\d+(?:\.\d+)?)"
    r"|(?P<op>==|!=|&&|\|\||[!().,\[\]*])|(?P<name>[A-Za-z_][\w-]*))"
)
_INTERPOLATION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)


def _tokens(source: str) -> list[tuple[str, str]]:
    found, position = [], 0
    while source[position:].strip():
        match = _TOKEN.match(source, position)
        if match is None or match.lastgroup is None:
            raise Unmodelled(f"expression {source!r}: cannot read {source[position:]!r}")
        found.append((match.lastgroup, match[match.lastgroup]))
        position = match.end()
    return found


def _format(template: str, *arguments: Any) -> str:
    def argument(match: re.Match[str]) -> str:
        return text(arguments[int(match[1])])

    escaped = template.replace("{{", "\0").replace("}}", "\1")
    return re.sub(r"\{(\d+)\}", argument, escaped).replace("\0", "{").replace("\1", "}")


def _join(items: Any, separator: str = ",") -> str:
    return separator.join(map(text, items)) if isinstance(items, list) else text(items)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "format": _format,
    "join": _join,
    "fromJSON": json.loads,
    "startsWith": lambda value, prefix: text(value).lower().startswith(text(prefix).lower()),
}
# The status functions read the job's state, given as the context "job-status".
STATUS = {"always", "success", "failure", "cancelled"}


def text(value: Any) -> str:
    """A value as GitHub writes it into a string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


class _Parser:
    """Recursive descent over the tokens, evaluating as it goes."""

    def __init__(self, source: str, context: Mapping[str, Any]) -> None:
        self.source, self.context = source, context
        self.tokens, self.at = _tokens(source), 0

    def peek(self) -> str | None:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.at >= len(self.tokens) or (expected and self.tokens[self.at][1] != expected):
            raise Unmodelled(f"expression {self.source!r}: expected {expected or 'more'}")
        self.at += 1
        return self.tokens[self.at - 1]

    def parse(self) -> Any:
        value = self.either()
        if self.at != len(self.tokens):
            raise Unmodelled(f"expression {self.source!r}: unexpected {self.peek()!r}")
        return value

    def either(self) -> Any:
        value = self.both()
        while self.peek() == "||":
            self.take()
            right = self.both()
            value = value or right
        return value

    def both(self) -> Any:
        value = self.comparison()
        while self.peek() == "&&":
            self.take()
            right = self.comparison()
            value = value and right
        return value

    def comparison(self) -> Any:
        left = self.unary()
        if self.peek() in ("==", "!="):
            operator = self.take()[1]
            right = self.unary()
            equal = _loosely_equal(left, right)
            return equal if operator == "==" else not equal
        return left

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not self.unary()
        return self.postfix()

    def postfix(self) -> Any:
        value, path = self.primary()
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                key = self.take()[1]
            else:
                key = text(self.either())
                self.take("]")
            value = _star(value, path) if key == "*" else _member(value, key, path)
            path = f"{path}.{key}"
        return value

    def primary(self) -> tuple[Any, str]:
        kind, value = self.take()
        if kind == "string":
            return value[1:-1].replace("''", "'"), value
        if kind == "number":
            return float(value) if "." in value else int(value), value
        if value == "(":
            inner = self.either()
            self.take(")")
            return inner, "(...)"
        if kind != "name":
            raise Unmodelled(f"expression {self.source!r}: unexpected {value!r}")
        if value in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[value], value
        if self.peek() == "(":
            return self.call(value), f"{value}()"
        if value not in self.context:
            raise Unmodelled(f"expression {self.source!r}: the context {value!r}")
        return self.context[value], value

    def call(self, name: str) -> Any:
        self.take("(")
        arguments = []
        while self.peek() != ")":
            arguments.append(self.either())
            if self.peek() == ",":
                self.take()
        self.take(")")
        if name in STATUS:
            return _status(name, self.context.get("job-status", "success"))
        if name not in FUNCTIONS:
            raise Unmodelled(f"expression {self.source!r}: the function {name}()")
        return FUNCTIONS[name](*arguments)


def _member(value: Any, key: str, path: str) -> Any:
    """`value.key`; a key the model does not hold is Unmodelled, except in a Lenient map."""
    if isinstance(value, list):
        return [_member(item, key, path) for item in value]
    if not isinstance(value, Mapping):
        raise Unmodelled(f"{path}.{key}: {path} is not an object")
    if key not in value:
        if isinstance(value, Lenient):
            return ""
        raise Unmodelled(f"the context value {path}.{key}")
    return value[key]


def _star(value: Any, path: str) -> list[Any]:
    if not isinstance(value, Mapping):
        raise Unmodelled(f"{path}.*: {path} is not an object")
    return list(value.values())


def _loosely_equal(left: Any, right: Any) -> bool:
    """GitHub compares strings without case, and numbers with strings as numbers."""
    if isinstance(left, str) and isinstance(right, str):
        return left.lower() == right.lower()
    if isinstance(left, (int, float)) != isinstance(right, (int, float)):
        try:
            return float(left) == float(right)
        except (TypeError, ValueError):
            return False
    return bool(left == right)


def _status(name: str, job_status: str) -> bool:
    return {
        "always": True,
        "success": job_status == "success",
        "failure": job_status == "failure",
        "cancelled": job_status == "cancelled",
    }[name]


class Lenient(dict[str, Any]):
    """A context whose unset keys read as "", as GitHub's `vars` do."""


def evaluate(source: str, context: Mapping[str, Any]) -> Any:
    """The value of the expression `source` (without `${{ }}`)."""
    return _Parser(source, context).parse()


def interpolate(value: str, context: Mapping[str, Any]) -> str:
    """`value` with each `${{ expression }}` replaced by its value."""
    return _INTERPOLATION.sub(lambda match: text(evaluate(match[1], context)), value)


def condition(value: object, context: Mapping[str, Any]) -> bool:
    """An `if:`: a bare expression or one `${{ }}`, implicitly `success() && (...)` unless it
    calls a status function."""
    if value is None:
        return _status("success", context.get("job-status", "success"))
    if isinstance(value, bool):
        return value
    source = str(value).strip()
    whole = _INTERPOLATION.fullmatch(source)
    source = whole[1] if whole else source
    if not any(re.search(rf"\b{name}\s*\(", source) for name in STATUS):
        source = f"success() && ({source})"
    return bool(evaluate(source, context))
