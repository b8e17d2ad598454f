from __future__ import annotations

import pytest

from forum.extensions import db
from forum.themes.models import Theme


@pytest.fixture
def theme_ids(app):
    """Three active themes and their ids."""
    with app.app_context():
        themes = [Theme(slug=slug, name=name, description=f"About {name.lower()}.")
                  for slug, name in (("housing", "Housing"), ("debt-and-money", "Debt and money"),
                                     ("digital-skills", "Digital skills"))]
        db.session.add_all(themes)
        db.session.commit()
        return [theme.id for theme in themes]
