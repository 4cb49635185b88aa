"""Fixtures the exercise tests share."""

import pytest

from conv_lesson import exercises


@pytest.fixture
def not_grading(monkeypatch):
    """The test starts outside grading mode, whatever the environment says, and leaves it so."""
    monkeypatch.delenv(exercises.GRADING_ENV, raising=False)
    exercises.grading(None)
    yield
    exercises.grading(None)
