"""Helpers for the plot tests: every visible axis labelled, data of drawn artists."""

import pytest


def _check_labelled(fig):
    problems = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        if hasattr(ax, "_colorbar"):
            if not (ax.get_ylabel() or ax.get_xlabel()):
                problems.append("a colorbar without a label")
            continue
        for what in ("title", "xlabel", "ylabel") + (("zlabel",) if ax.name == "3d" else ()):
            if not getattr(ax, f"get_{what}")():
                problems.append(f"axes {ax.get_title()!r} has no {what}")
    assert not problems, problems


@pytest.fixture
def assert_labelled():
    return _check_labelled
