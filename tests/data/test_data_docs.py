"""The examples in ravine.data's docstrings run and print what they say."""

import doctest
import importlib

import pytest

MODULES = ["tabular", "text", "ngrams", "cooccurrence", "standardize", "corpus"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"ravine.data.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0, result
