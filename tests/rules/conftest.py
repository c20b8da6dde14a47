"""A project built once per test module from the real-shaped exports
(tests/rules/helpers.py: build); each test works on its own copy."""

from __future__ import annotations

import shutil

import pytest

from tests.rules.helpers import build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("built")
    return build(root)


@pytest.fixture
def project(built, tmp_path):
    """A copy of the built project (its protocol file stays where it was written)."""
    db = tmp_path / "p.db"
    shutil.copy(built, db)
    return db
