"""Text typed by a person, matched literally inside a SQL `LIKE` pattern.

`%` and `_` are wildcards in `LIKE`, and the escape character escapes them; a search box must
match them as written. One escape character for every `LIKE` the platform builds: pass
`escape=LIKE_ESCAPE` with a pattern made of `like_literal` parts.
"""

from __future__ import annotations

#: The escape character of every `LIKE` pattern made with `like_literal`.
LIKE_ESCAPE = "\\"


def like_literal(text: str) -> str:
    """`text` as a part of a `LIKE` pattern (escape `LIKE_ESCAPE`) that matches itself."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
