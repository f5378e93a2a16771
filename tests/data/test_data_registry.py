"""The registry: every entry loads as its kind says, errors are clear, and the README table is current."""

import socket
from pathlib import Path

import numpy as np
import pytest

from ravine.data import REGISTRY, Corpus, Split, Surface, SyntheticData, load, markdown_table, names
from ravine.data import tabular
from ravine.data.analogies import Analogy
from ravine.data.registry import KINDS, get_spec, is_available
from ravine.errors import ConfigError, DataError

README = Path(__file__).resolve().parents[2] / "README.md"
RESULT_TYPES = {"table": Split, "images": Split, "text": Corpus, "problem": SyntheticData, "surface": Surface}


def test_every_kind_is_known_and_used():
    assert {spec.kind for spec in REGISTRY.values()} == set(KINDS)
    assert set(names("surface")) == {"quadratic", "rosenbrock", "saddle", "plateau", "local_minima", "cliff"}
    assert "digits" in names("images") and "wine" in names("table") and "shakespeare" in names("text")


@pytest.mark.parametrize("name", [n for n, s in REGISTRY.items() if not s.needs_path])
def test_every_loader_that_needs_no_path_loads_the_right_kind(name):
    spec = get_spec(name)
    assert is_available(name)
    kwargs = {"word_limit": 1000} if name == "shakespeare" else {}
    result = load(name, **kwargs)
    if spec.kind == "analogies":
        assert result and all(isinstance(q, Analogy) for q in result)
    else:
        assert isinstance(result, RESULT_TYPES[spec.kind])


@pytest.mark.parametrize("name", [n for n, s in REGISTRY.items() if s.needs_path])
def test_loaders_that_need_a_path_say_so(name):
    with pytest.raises(DataError, match="pass their path"):
        load(name)


def test_nothing_reaches_for_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("a data loader tried to open a socket")

    tabular._read_bundled.cache_clear()  # make the tables really load from disk again
    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    for name, spec in REGISTRY.items():
        if not spec.needs_path:
            load(name)
    assert tabular._read_bundled.cache_info().currsize == len(tabular.TABLES)


def test_path_loaders_work_through_the_registry(tmp_path):
    (tmp_path / "a.txt").write_text("one two three")
    assert load("text", tmp_path / "a.txt").n_words == 3
    assert isinstance(load("quadratic", eigenvalues=(1.0, 4.0)).start, np.ndarray)


def test_unknown_names_raise_config_errors():
    with pytest.raises(ConfigError, match="ravine list"):
        load("imagenet")
    with pytest.raises(ConfigError, match="unknown kind"):
        names("video")


def test_readme_table_is_generated_from_the_registry():
    text = README.read_text(encoding="utf-8")
    section = text.split("<!-- section: data -->")[1].split("<!-- /section: data -->")[0]
    assert markdown_table() in section, "README data table is stale: paste ravine.data.markdown_table()"
