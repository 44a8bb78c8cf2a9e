"""Layouts: layout YAML (with `extends`) → validated layout objects. No drawing here."""
