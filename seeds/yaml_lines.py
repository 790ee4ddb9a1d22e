"""YAML reading that remembers where each mapping and key came from.

PyYAML drops positions once it builds Python objects, so error messages could not name a line.
This safe loader builds `LineDict`s that keep the line of the mapping and of each key, and it
refuses duplicate keys (plain PyYAML silently keeps the last one, hiding typos in seed files).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from seeds.errors import SeedError


class LineDict(dict[str, Any]):
    """A mapping read from YAML, with the 1-based line of the mapping and of each key."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


# libyaml's parser when present (about five times faster); the constructor stays the safe one.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise _DuplicateKey(problem=_("Khóa “%(key)s” bị lặp.") % {"key": key}, problem_mark=key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, name: str) -> Any:
    """The document in `path`; a YAML error becomes a SeedError naming `name` and the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SeedReadError(SeedError(name, 0, _("Không tìm thấy tệp."))) from exc
    except UnicodeDecodeError as exc:
        raise SeedReadError(SeedError(name, 0, _("Tệp không phải UTF-8."))) from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a (C)SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        problem = exc.problem if isinstance(exc, _DuplicateKey) else f"{exc.problem or exc.context}"
        raise SeedReadError(SeedError(name, line, _("YAML không hợp lệ: %(problem)s") % {"problem": problem})) from exc
    except yaml.YAMLError as exc:
        raise SeedReadError(SeedError(name, 0, _("YAML không hợp lệ: %(problem)s") % {"problem": exc})) from exc


class SeedReadError(Exception):
    def __init__(self, error: SeedError) -> None:
        super().__init__(str(error))
        self.error = error
