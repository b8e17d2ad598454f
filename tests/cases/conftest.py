"""Fixtures for the cases tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def theme_ids(make_theme):
    """Three active themes and their ids."""
    return [make_theme(name, f"About {name.lower()}.") for name in ("Housing", "Debt and money", "Digital skills")]
