"""Which field of a record holds the text, title, url, source, date and language."""

from __future__ import annotations

from typing import Any

from ..errors import NewsdeskError
from .common import FIELD_NAMES, ROLES, key


def parse_field_args(values: list[str] | None) -> dict[str, str] | None:
    """["text=body", "published=date"] -> {"text": "body", "published": "date"}."""
    if not values:
        return None
    mapping = {}
    for value in values:
        role, sep, name = value.partition("=")
        role = role.strip().lower()
        if not sep or not name.strip() or role not in ROLES:
            raise NewsdeskError(f"bad --field {value!r}: expected ROLE=NAME with ROLE one of {', '.join(ROLES)}", code=2)
        mapping[role] = name.strip()
    return mapping


class FieldMap:
    """Finds each role's field in a record: the user's mapping first, then the usual names."""

    def __init__(self, mapping: dict[str, str] | None = None):
        self.mapping = dict(mapping or {})
        for role in self.mapping:
            if role not in ROLES:
                raise NewsdeskError(f"unknown field role {role!r}: use one of {', '.join(ROLES)}", code=2)

    def pick(self, record: dict) -> dict:
        keys = {key(k): k for k in record}
        found = {}
        for role in ROLES:
            if role in self.mapping:
                found[role] = _dotted(record, self.mapping[role])
                continue
            for name in FIELD_NAMES[role]:
                if name in keys and record[keys[name]] not in (None, "", [], {}):
                    found[role] = record[keys[name]]
                    break
        return found

    def columns(self, header: list[str]) -> dict[str, int]:
        """Role -> column index for a table with this header ({} roles it cannot find)."""
        keys: dict[str, int] = {}
        for i, name in enumerate(header):
            keys.setdefault(key(name), i)
        found = {}
        for role in ROLES:
            if role in self.mapping:
                wanted = self.mapping[role]
                if key(wanted) in keys:
                    found[role] = keys[key(wanted)]
                elif wanted.isdigit() and 1 <= int(wanted) <= len(header):
                    found[role] = int(wanted) - 1
                else:
                    raise NewsdeskError(f"--field {role}={wanted}: no such column (columns: {', '.join(header)})", code=2)
                continue
            for name in FIELD_NAMES[role]:
                if name in keys and keys[name] not in found.values():
                    found[role] = keys[name]
                    break
        return found


def _dotted(record: dict, path: str):
    """A field by name, or by a dotted path into nested objects ("source.name")."""
    if path in record:
        return record[path]
    keys = {key(k): k for k in record}
    if key(path) in keys:
        return record[keys[key(path)]]
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part, value.get({key(k): k for k in value}.get(key(part), part)))
    return value
