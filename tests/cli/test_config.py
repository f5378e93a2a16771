"""STUDY.toml validation: each mistake names the field and what is allowed."""

import pytest

from ravine.errors import ConfigError
from ravine.studies.config import load_study_file, parse_study

GOOD = {
    "study": {"name": "demo"},
    "problem": {"name": "rosenbrock"},
    "optimizer": {"name": "gd", "lr": 0.001},
}


def _with(**changes):
    config = {k: dict(v) for k, v in GOOD.items()}
    for key, value in changes.items():
        table, _, field = key.partition("__")
        if value is None:
            config[table].pop(field, None) if field else config.pop(table)
        elif field:
            config.setdefault(table, {})[field] = value
        else:
            config[table] = value
    return config


def test_a_good_study_gets_defaults():
    config = parse_study(_with())
    assert config["study"]["output"] == "ravine-runs/demo" and config["study"]["seed"] == 0
    assert config["optimizer"] == [{"name": "gd", "lr": 0.001}]
    assert config["budget"]["max_steps"] == 1000


@pytest.mark.parametrize("changes, message", [
    ({"extra": {"x": 1}}, r"unknown table \[extra\]; the allowed tables are \[study\]"),
    ({"budget__max_step": 10}, r"unknown field budget.max_step; the fields of \[budget\] are .*max_steps"),
    ({"optimizer__lr": -0.1}, r"optimizer.lr must be a positive number .* got -0.1"),
    ({"optimizer__lr": 0}, r"optimizer.lr must be a positive number"),
    ({"optimizer": None}, r"missing \[optimizer\] table"),
    ({"optimizer__name": None}, r"missing field optimizer.name"),
    ({"study__name": None}, r"missing field study.name"),
    ({"study__name": "a b"}, r"study.name must be a name"),
    ({"problem__dataset": "digits"}, r"exactly one of problem.name .* found both"),
    ({"problem": {"dataset": "digits"}}, r"problem.dataset needs problem.model"),
    ({"problem__start": [1, "x"]}, r"problem.start must be a list of numbers"),
    ({"budget__max_steps": 0}, r"budget.max_steps must be a whole number ≥ 1, got 0"),
    ({"budget__tol": -1.0}, r"budget.tol must be a positive number"),
    ({"sweep": {"method": "bayes"}}, r"sweep.method must be one of grid, random, got 'bayes'"),
    ({"sweep": {"grid": {"optimizer": {"lr": []}}}}, r"sweep.grid.optimizer.lr must be a non-empty list"),
    ({"sweep": {"grid": {"optimizer": {"lr": [0.1, -1.0]}}}}, r"optimizer.lr must be a positive number .* -1.0"),
    ({"sweep": {"grid": {"study": {"seed": [1, 2]}}}}, r"cannot sweep 'study.seed'"),
    ({"sweep": {"method": "random"}}, r"needs a \[sweep.random\] table"),
    ({"sweep": {"method": "random", "random": {"optimizer": {"lr": {"low": 0.0, "high": 1.0, "log": True}}}}},
     r"log = true, so low must be > 0"),
    ({"sweep": {"restarts": 0}}, r"sweep.restarts must be a whole number ≥ 1"),
])
def test_each_mistake_names_the_field(changes, message):
    with pytest.raises(ConfigError, match=message):
        parse_study(_with(**changes))


def test_sweep_grids_are_flattened_to_paths():
    config = parse_study(_with(sweep={"grid": {"optimizer": {"lr": [0.1, 0.03]}, "budget.max_steps": [5, 10]},
                                      "restarts": 2}))
    assert config["sweep"]["grid"] == {"optimizer.lr": [0.1, 0.03], "budget.max_steps": [5, 10]}
    assert config["sweep"]["restarts"] == 2 and config["sweep"]["method"] == "grid"


def test_malformed_toml_and_missing_files(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[study\nname = 'x'\n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_study_file(bad)
    with pytest.raises(ConfigError, match="does not exist"):
        load_study_file(tmp_path / "missing.toml")


def test_several_optimizers_are_a_list(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[study]\nname = "cmp"\n[problem]\nname = "rosenbrock"\n'
                    '[[optimizer]]\nname = "gd"\nlr = 0.001\n[[optimizer]]\nname = "adam"\nlr = 0.01\n')
    config = load_study_file(path)
    assert [o["name"] for o in config["optimizer"]] == ["gd", "adam"]
