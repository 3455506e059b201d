"""Errors a user can act on: one line, and the exit code the CLI should use."""


class NewsdeskError(Exception):
    """A problem with the user's input or set-up. `code` is the CLI's exit status:
    1 when there was nothing to brief, 2 for bad input or a missing component."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


class NoNewsError(NewsdeskError):
    """The input held no usable news item (all blank, junk or unreadable)."""

    def __init__(self, message: str = "no news items in the input"):
        super().__init__(message, code=1)
