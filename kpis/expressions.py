"""A whitelisting parser for indicator formulas.

Numerators and denominators are written over data-element codes, e.g.
`(DVC_ONLINE_RECEIVED + DVC_ONLINE_CARRIED) / 2`. Only numbers, codes, + - * /, unary minus
and parentheses are allowed; the text is tokenised and parsed by hand, never given to `eval`,
so input such as `__import__('os')` is a syntax error with a position, not code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation

from django.utils.translation import gettext as _

CODE_RE = r"[A-Za-z][A-Za-z0-9_]*"
_TOKEN_RE = re.compile(rf"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<code>{CODE_RE})|(?P<op>[-+*/()]))")
MAX_LENGTH = 500
MAX_DEPTH = 30


class ExpressionError(ValueError):
    """A formula that cannot be used; the message says what and where (1-based column)."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    code: str


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Node
    right: Node


Node = Num | Ref | Neg | BinOp


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int  # 1-based column


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN_RE.match(text, pos)
        if not match:
            column = pos + 1 + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise ExpressionError(
                _("Ký tự không được phép “%(char)s” tại vị trí %(pos)d.") % {"char": text[column - 1], "pos": column},
                column,
            )
        kind = match.lastgroup or ""
        start = match.start(kind) + 1
        tokens.append(_Token(kind, match.group(kind), start))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenise(text)
        self.index = 0
        self.depth = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _end_position(self) -> int:
        return len(self.text) + 1

    def parse(self) -> Node:
        if not self.tokens:
            raise ExpressionError(_("Công thức trống."), 1)
        node = self._sum()
        token = self._peek()
        if token is not None:
            raise ExpressionError(
                _("Thừa “%(text)s” tại vị trí %(pos)d.") % {"text": token.text, "pos": token.position}, token.position
            )
        return node

    def _sum(self) -> Node:
        node = self._product()
        while (token := self._peek()) is not None and token.text in "+-" and token.kind == "op":
            self.index += 1
            node = BinOp(token.text, node, self._product())
        return node

    def _product(self) -> Node:
        node = self._unary()
        while (token := self._peek()) is not None and token.text in "*/" and token.kind == "op":
            self.index += 1
            node = BinOp(token.text, node, self._unary())
        return node

    def _unary(self) -> Node:
        token = self._peek()
        if token is not None and token.kind == "op" and token.text == "-":
            self.index += 1
            return Neg(self._unary())
        return self._atom()

    def _atom(self) -> Node:
        token = self._peek()
        if token is None:
            pos = self._end_position()
            raise ExpressionError(_("Công thức kết thúc đột ngột tại vị trí %(pos)d.") % {"pos": pos}, pos)
        self.index += 1
        if token.kind == "number":
            return Num(Decimal(token.text))
        if token.kind == "code":
            following = self._peek()
            if following is not None and following.text == "(":
                raise ExpressionError(
                    _("Không được gọi hàm “%(name)s” tại vị trí %(pos)d.")
                    % {"name": token.text, "pos": token.position},
                    token.position,
                )
            return Ref(token.text)
        if token.text == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExpressionError(_("Công thức lồng quá sâu tại vị trí %(pos)d.") % {"pos": token.position})
            node = self._sum()
            closing = self._peek()
            if closing is None or closing.text != ")":
                pos = closing.position if closing else self._end_position()
                raise ExpressionError(_("Thiếu dấu “)” tại vị trí %(pos)d.") % {"pos": pos}, pos)
            self.index += 1
            self.depth -= 1
            return node
        raise ExpressionError(
            _("Không mong đợi “%(text)s” tại vị trí %(pos)d.") % {"text": token.text, "pos": token.position},
            token.position,
        )


@dataclass(frozen=True)
class Expression:
    text: str
    tree: Node

    @property
    def codes(self) -> list[str]:
        """Data-element codes in order of first appearance."""
        seen: dict[str, None] = {}

        def walk(node: Node) -> None:
            if isinstance(node, Ref):
                seen.setdefault(node.code, None)
            elif isinstance(node, Neg):
                walk(node.operand)
            elif isinstance(node, BinOp):
                walk(node.left)
                walk(node.right)

        walk(self.tree)
        return list(seen)

    def evaluate(self, values: Mapping[str, Decimal | None]) -> Decimal | None:
        """The value for these element values; None when an element is missing or on division by zero."""

        def ev(node: Node) -> Decimal | None:
            if isinstance(node, Num):
                return node.value
            if isinstance(node, Ref):
                return values.get(node.code)
            if isinstance(node, Neg):
                inner = ev(node.operand)
                return None if inner is None else -inner
            left, right = ev(node.left), ev(node.right)
            if left is None or right is None:
                return None
            return _OPS[node.op](left, right)

        try:
            return ev(self.tree)
        except (DivisionByZero, InvalidOperation, ZeroDivisionError):
            return None


def _div(a: Decimal, b: Decimal) -> Decimal | None:
    return None if b == 0 else a / b


_OPS: dict[str, Callable[[Decimal, Decimal], Decimal | None]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _div,
}


def parse(text: str, known_codes: set[str] | None = None) -> Expression:
    """Parse a formula; with `known_codes`, also refuse codes that are not data elements."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(_("Công thức dài quá %(max)d ký tự.") % {"max": MAX_LENGTH}, MAX_LENGTH + 1)
    expression = Expression(text, _Parser(text).parse())
    if known_codes is not None:
        for token in _tokenise(text):
            if token.kind == "code" and token.text not in known_codes:
                raise ExpressionError(
                    _("Mã chỉ tiêu dữ liệu “%(code)s” không tồn tại (vị trí %(pos)d).")
                    % {"code": token.text, "pos": token.position},
                    token.position,
                )
    return expression
