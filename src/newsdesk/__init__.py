"""newsdesk: grounded briefs from a pile of news. The Python API is the product."""

from .errors import NewsdeskError
from .model import Angle, Brief, Claim, ClaimLedger, Item, Quantity, Story
from .options import Options

__version__ = "0.1.0"
__all__ = ["brief", "claims", "read", "verify", "stories", "Store", "Story", "Angle", "ClaimLedger", "Brief", "Claim",
           "Item", "Quantity", "Options", "NewsdeskError"]


def brief(items, options: Options | None = None, **changes) -> Brief:
    """Brief a pile of news as one story. `items` are Items or plain strings (one item each)."""
    from .pipeline import brief as run

    return run(items, (options or Options()).update(**changes))


def claims(items, options: Options | None = None, **changes) -> ClaimLedger:
    """Every attributed claim of a pile of news, with the ledger of every item."""
    from .pipeline import claims as run

    return run(items, (options or Options()).update(**changes))


def stories(items, options: Options | None = None, **changes) -> list:
    """Group a pile of news into stories (list[Story], biggest first), each with its angles,
    independent-origin and source counts. `items` are Items or plain strings."""
    from .cluster import stories as run

    return run(items, (options or Options()).update(**changes))


def verify(brief: dict, items, options: Options | None = None) -> list[str]:
    """Check a brief (the JSON dict) against the items it was made from: one line per failed
    citation, [] when every citation holds (see newsdesk.citations)."""
    from .citations import verify as run

    return run(brief, items, options)


def __getattr__(name):  # the store imports sqlite3 and numpy: only when asked for
    if name == "Store":
        from .store import Store

        return Store
    raise AttributeError(name)


def read(*paths, options: Options | None = None):
    """Read news items from files (or "-" for standard input); yields Items."""
    from .ingest import read as run

    return run(paths, options or Options())
