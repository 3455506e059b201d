"""newsdesk: grounded briefs from a pile of news. The Python API is the product."""

from .errors import NewsdeskError
from .model import Brief, Claim, Item, Quantity
from .options import Options

__version__ = "0.1.0"
__all__ = ["brief", "read", "Brief", "Claim", "Item", "Quantity", "Options", "NewsdeskError"]


def brief(items, options: Options | None = None, **changes) -> Brief:
    """Brief a pile of news as one story. `items` are Items or plain strings (one item each)."""
    from .pipeline import brief as run

    return run(items, (options or Options()).update(**changes))


def read(*paths, options: Options | None = None):
    """Read news items from files (or "-" for standard input); yields Items."""
    from .ingest import read as run

    return run(paths, options or Options())
