"""How long ravine.data takes to turn Shakespeare into model inputs.

Run from the repository root::

    python bench/bench_data.py [--repeats N]

The anchor is the time to read the 38 plays' Markdown bytes from disk (what any
loader must pay); every other step is printed as a median time, a rate in words
per second, and a ratio to that anchor.  Steps: parsing the plays to a
``Corpus`` (speech extraction and tokenisation, parse cache cleared first), the
cached second load, ``Vocabulary.build`` (min_count 5), encoding, the K = 3
n-gram windows, and the window-5 co-occurrence matrix with 1/distance weights.
"""

from __future__ import annotations

import argparse
import statistics
import time

from ravine.data import Vocabulary, cooccurrence_matrix, load_shakespeare, ngram_windows
from ravine.data import corpus as corpus_module
from ravine.data.shakespeare import play_files


def _median_time(fn, repeats: int, setup=None) -> float:
    times = []
    for _ in range(repeats):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    files = play_files()
    anchor = _median_time(lambda: [f.read_bytes() for f in files], args.repeats)
    corpus = load_shakespeare()
    words = corpus.n_words
    vocab = Vocabulary.build(corpus.documents_tokens(), min_count=5)
    ids = corpus.encode(vocab)
    steps = {
        "parse 38 plays (cold)": _median_time(load_shakespeare, args.repeats,
                                              setup=corpus_module._parse_play.cache_clear),
        "load again (cached)": _median_time(load_shakespeare, args.repeats),
        "Vocabulary.build": _median_time(lambda: Vocabulary.build(corpus.documents_tokens(), min_count=5),
                                         args.repeats),
        "encode": _median_time(lambda: corpus.encode(vocab), args.repeats),
        "ngram_windows K=3": _median_time(lambda: ngram_windows(ids, context=3), args.repeats),
        "cooccurrence W=5": _median_time(lambda: cooccurrence_matrix(ids, len(vocab), window=5), args.repeats),
    }
    print(f"corpus: {len(corpus)} plays, {words} words, vocabulary {len(vocab)} (min_count 5)")
    print(f"{'step':<26}{'median s':>10}{'words/s':>14}{'× read':>10}")
    print(f"{'read Markdown (anchor)':<26}{anchor:>10.4f}{words / anchor:>14.3g}{1.0:>10.1f}")
    for name, seconds in steps.items():
        print(f"{name:<26}{seconds:>10.4f}{words / seconds:>14.3g}{seconds / anchor:>10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
