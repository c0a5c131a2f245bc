"""Loaded by pytest with `-p` (see pyproject) so test mode is set before pytest-django reads the settings."""

import os

os.environ.setdefault("AMENDS_MODE", "test")
