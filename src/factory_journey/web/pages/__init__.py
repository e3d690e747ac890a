"""Server-rendered pages (issue #15): one module per area, templates in templates/<area>/,
messages in locales/<lang>/LC_MESSAGES/<area>.po; shared machinery in `shell`."""
