"""On plain arrays ravine.scipy is SciPy: SciPy's own docstring examples, run with
``scipy.special``/``stats``/``linalg``/``signal`` replaced by ravine's, print the same
results.  It found ``softmax`` one ulp off SciPy's (now SciPy's own result when nothing
is traced) and the distributions' other methods (``norm.ppf``, ``dirichlet.mean``)
missing; they are now SciPy's, refusing traced values."""

import contextlib
import doctest
import io
import re
import warnings

import numpy
import pytest
import scipy.linalg
import scipy.signal
import scipy.special
import scipy.stats

import ravine
import ravine.scipy.linalg
import ravine.scipy.signal
import ravine.scipy.special
import ravine.scipy.stats
from ravine.errors import NotDifferentiableError

PAIRS = ((scipy.special, ravine.scipy.special), (scipy.stats, ravine.scipy.stats),
         (scipy.linalg, ravine.scipy.linalg), (scipy.signal, ravine.scipy.signal))


def to_ravine(source: str) -> str:
    source = re.sub(r"\bscipy\.(special|stats|linalg|signal)\b", r"ravine.scipy.\1", source)
    return re.sub(r"from scipy import (special|stats|linalg|signal)", r"from ravine.scipy import \1", source)


def run(examples, rewrite):
    namespace = {"np": numpy, "ravine": ravine}
    results = []
    for example in examples:
        source = to_ravine(example.source) if rewrite else example.source
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    value = eval(compile(source, "<example>", "eval"), namespace)
                    if value is not None:
                        print(repr(value))
                except SyntaxError:
                    exec(compile(source, "<example>", "exec"), namespace)  # noqa: S102  (SciPy's own examples)
            results.append(out.getvalue())
        except Exception as error:  # noqa: BLE001  (the exception type is the result)
            results.append(f"raised {type(error).__name__}")
    return results


def documented():
    for scipy_module, ravine_module in PAIRS:
        for name in sorted(dir(ravine_module)):
            ours, theirs = getattr(ravine_module, name, None), getattr(scipy_module, name, None)
            if name.startswith("_") or ours is None or theirs is None or ours is theirs:
                continue
            examples = doctest.DocTestParser().get_examples(getattr(theirs, "__doc__", None) or "")
            if examples and not any("matplotlib" in e.source or "plt." in e.source for e in examples):
                yield f"{scipy_module.__name__}.{name}", name, examples


CASES = {key: (name, examples) for key, name, examples in documented()}


def test_there_are_examples_to_run():
    assert len(CASES) >= 30


@pytest.mark.parametrize("key", sorted(CASES))
def test_scipys_examples_give_scipys_results(key):
    name, examples = CASES[key]
    numpy.random.seed(0)
    expected = run(examples, rewrite=False)
    numpy.random.seed(0)
    got = run(examples, rewrite=True)
    for example, want, have in zip(examples, expected, got):
        if re.search(rf"(^|[^.\w]){name}\(", example.source) and key.startswith("scipy.stats"):
            break  # a frozen distribution (rv = dirichlet(alpha)): ravine's distributions are modules
        if "time" in example.source:
            continue
        assert have == want, f"{key}: {example.source.strip()!r}"


def test_the_distributions_other_methods_are_scipys_and_refuse_traced_values():
    from ravine.scipy.stats import dirichlet, norm, t

    assert norm.ppf(0.975) == scipy.stats.norm.ppf(0.975)
    numpy.testing.assert_array_equal(dirichlet.mean(numpy.array([1.0, 2.0])), scipy.stats.dirichlet.mean([1.0, 2.0]))
    assert t.interval(0.9, 3) == scipy.stats.t.interval(0.9, 3)
    with pytest.raises(NotDifferentiableError, match=r"norm\.ppf is SciPy's own.*logpdf"):
        ravine.grad(lambda q: norm.ppf(q))(0.3)
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        norm.nonexistent  # noqa: B018


def test_softmax_of_plain_arrays_is_scipys_to_the_bit():
    x = numpy.random.default_rng(0).standard_normal((4, 5)) * 3
    for axis in (None, 0, 1):
        numpy.testing.assert_array_equal(ravine.scipy.special.softmax(x, axis=axis), scipy.special.softmax(x, axis=axis))
        numpy.testing.assert_array_equal(ravine.scipy.special.log_softmax(x, axis=axis),
                                         scipy.special.log_softmax(x, axis=axis))
