"""Names and strings written into SQL text, where DuckDB takes no parameter (identifiers, COMMENT, COPY)."""


def identifier(name: str) -> str:
    """A schema, table or column name as a quoted identifier: `a"b` -> `"a""b"`."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A string as a SQL literal: `it's` -> `'it''s'`."""
    return "'" + text.replace("'", "''") + "'"
