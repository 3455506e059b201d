"""Items as read, written one by one as they stream (`newsdesk read`): JSON Lines or CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from ..model import Item
from .jsonout import item_dict

FORMATS = ("jsonl", "csv")
FIELDS = ("n", "id", "title", "text", "url", "source", "published", "language", "dropped", "note")


def write_items(items: Iterable[Item], fmt: str, out: TextIO) -> None:
    """Write each item as soon as it is read, so that a long input streams."""
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for it in items:
            writer.writerow(item_dict(it))
        return
    for it in items:
        out.write(json.dumps(item_dict(it), ensure_ascii=False) + "\n")
