"""Study 12 — words (lecture 004): the neural language model and GloVe on Shakespeare.

Bengio's neural language model predicts the next word from the previous K = 3
through an embedding, a tanh hidden layer and a softmax over the vocabulary; its
held-out perplexity is compared with a smoothed bigram model on the same split.
GloVe fits r_iᵀr̃_j + b_i + b̃_j to log x_ij with weights f(x) = min((x/100)^¾, 1)
over the non-zero co-occurrence counts; its vectors answer nearest-neighbour and
analogy queries by cosine similarity, and a 2-D projection shows them.
"""

from __future__ import annotations

import numpy as onp

from ravine.data import Vocabulary, cooccurrence_matrix, load_analogies, load_shakespeare, ngram_windows
from ravine.nn.models import BigramLanguageModel, GloVe, NeuralLanguageModel
from ravine.nn.word_vectors import WordVectors
from ravine.optim import minimize
from ravine.plot.curves import training_curves
from ravine.plot.embedding import embedding_plot
from ravine.studies.base import StudyConfig, StudyResult, StudySpec, Table
from ravine.studies.common import doctor

PROBES = ("king", "lord", "father", "love", "good", "night", "sweet", "death")
PROJECTED = {"family": ("father", "mother", "brother", "sister", "son", "daughter", "husband", "wife"),
             "titles": ("king", "queen", "lord", "lady", "prince", "duke"),
             "pronouns": ("he", "she", "his", "her", "i", "you", "thou", "thee")}
EXPLANATION = """
Predicting the next word from the previous K is a multiway classification problem trained
with the cross-entropy, i.e. maximum likelihood (lecture 004). Bengio's neural language
model looks each previous word up in an embedding table (a linear layer with tied weights),
passes the concatenation through a tanh hidden layer, and ends in a softmax over the
vocabulary. Perplexity, exp of the mean negative log-likelihood on held-out plays, measures
it; a bigram model smoothed with unigram counts is the baseline that cannot generalise
across similar words.

GloVe skips the language model: it fits a rank-K factorisation of the log co-occurrence
counts, J = Σ f(x_ij)(r_iᵀr̃_j + b_i + b̃_j − log x_ij)², visiting only the non-zero counts, with
f(x) = (x/100)^¾ capped at 1 so the most frequent pairs do not dominate. Words with similar
company get similar vectors; analogies are answered by the word nearest to
v(b) − v(a) + v(c) in cosine similarity.
"""


def run(config: StudyConfig) -> StudyResult:
    result = StudyResult("words", "Words: a neural language model and GloVe on Shakespeare", EXPLANATION)
    corpus = load_shakespeare(word_limit=config.size(150_000, 40_000))
    train, valid, _ = corpus.split(seed=config.seed)
    vocab = Vocabulary.build(train.documents_tokens(), min_count=2, max_size=config.size(1000, 300))
    x, y = ngram_windows(train.encode(vocab), context=3)
    x_val, y_val = ngram_windows(valid.encode(vocab), context=3)
    result.numbers.update(training_words=sum(map(len, train.documents_tokens())),
                          vocabulary=len(vocab), windows=len(y), validation_windows=len(y_val))
    _language_model(result, config, vocab, x, y, x_val, y_val)
    _glove(result, config, vocab, train)
    return result


def _language_model(result: StudyResult, config: StudyConfig, vocab, x, y, x_val, y_val) -> None:
    bigram = BigramLanguageModel(len(vocab)).fit(x, y)
    bigram.tune(x_val, y_val)
    baseline = bigram.perplexity(x_val, y_val)
    model = NeuralLanguageModel(len(vocab), context_size=3, embed_dim=16, hidden=64)
    steps, every = config.size(800, 120), config.size(50, 20)
    curve = {"step": [], "loss": []}

    def track(info) -> bool:
        if info.step % every == 0:
            curve["step"].append(info.step)
            curve["loss"].append(model.perplexity(info.params, x_val, y_val))
        return False

    run = minimize(lambda p, batch: model.loss(p, *batch), model.init(config.seed), method="adam", lr=0.01,
                   data=(x, y), batch_size=128, seed=config.seed, max_steps=steps, callback=track, progress=False)
    final = model.perplexity(run.params, x_val, y_val)
    curve["step"].append(run.n_steps)
    curve["loss"].append(final)
    result.numbers["language_model"] = {"perplexity": final, "bigram_perplexity": baseline,
                                        "uniform_perplexity": len(vocab), "curve": curve, "steps": steps}
    result.measure("held-out perplexity, neural language model", final)
    result.measure("held-out perplexity, smoothed bigram", baseline)
    result.measure("perplexity of guessing uniformly", len(vocab))
    result.fact("The neural language model learns: held-out perplexity far below uniform guessing",
                final < 0.25 * len(vocab), f"perplexity {final:.1f} against {len(vocab)} words")
    if not config.quick:
        result.fact("The neural language model beats the smoothed bigram on held-out plays", final < baseline,
                    f"perplexity {final:.1f} against the bigram's {baseline:.1f}")
    doctor(result, "neural language model", run.history)
    result.figures["Held-out perplexity of the neural language model during training"] = training_curves(
        {"neural language model": curve}, grad_norm=False, ylabel="validation perplexity",
        title=f"Neural language model (bigram baseline: {baseline:.1f})")


def _glove(result: StudyResult, config: StudyConfig, vocab, train) -> None:
    counts = cooccurrence_matrix(train.encode(vocab), len(vocab), window=5)
    glove = GloVe(len(vocab), dim=config.size(30, 20))
    fit = glove.fit(counts, steps=config.size(300, 40), learning_rate=0.05, seed=config.seed)
    vectors = WordVectors(GloVe.vectors(fit.params), vocab.words)
    probes = [w for w in PROBES if w in vectors]
    result.tables.append(Table("GloVe: nearest neighbours by cosine similarity", ["word", "nearest five"],
                               [[w, ", ".join(n for n, _ in vectors.nearest(w, 5))] for w in probes]))
    questions = load_analogies(vocab)
    correct = [q for q in questions if vectors.analogy(q.a, q.b, q.c, k=1)[0][0] == q.d]
    accuracy = len(correct) / len(questions) if questions else float("nan")
    rng = onp.random.default_rng(config.seed)
    related = onp.mean([vectors.similarity(q.a, q.b) for q in questions]) if questions else float("nan")
    pairs = rng.integers(1, len(vocab), size=(500, 2))
    unrelated = float(onp.mean([vectors.similarity(vocab.words[i], vocab.words[j]) for i, j in pairs if i != j]))
    result.tables.append(Table(f"GloVe analogies answered correctly ({len(correct)} of {len(questions)})",
                               ["a : b", "c : ?", "answer"],
                               [[f"{q.a} : {q.b}", f"{q.c} : {q.d}", vectors.analogy(q.a, q.b, q.c)[0][0]]
                                for q in (correct or questions)[:8]]))
    result.numbers["glove"] = {"loss_first": float(fit.losses[0]), "loss_last": float(fit.losses[-1]),
                               "nonzeros": int(counts.nnz), "analogy_questions": len(questions),
                               "analogy_accuracy": accuracy, "related_similarity": float(related),
                               "random_similarity": unrelated}
    result.measure("GloVe analogy accuracy (top 1)", accuracy, note=f"{len(questions)} questions in the vocabulary")
    result.measure("mean cosine of analogy word pairs", float(related))
    result.measure("mean cosine of random word pairs", unrelated)
    result.fact("GloVe's cost falls as it fits the log counts", fit.losses[-1] < 0.5 * fit.losses[0],
                f"J {fit.losses[0]:.4g} → {fit.losses[-1]:.4g} over {len(fit.losses)} AdaGrad steps")
    result.fact("Related words (from the analogy pairs) are closer than random pairs", related > unrelated,
                f"mean cosine {related:.3f} against {unrelated:.3f}")
    shown = [(w, group) for group, words in PROJECTED.items() for w in words if w in vectors]
    result.figures["GloVe vectors of family words, titles and pronouns, projected to 2-D (PCA)"] = embedding_plot(
        onp.array([vectors.unit[vectors.index[w]] for w, _ in shown]), [w for w, _ in shown],
        groups=[g for _, g in shown], title="GloVe embeddings of Shakespeare's words")


SPEC = StudySpec("words", "Words: a neural language model and GloVe on Shakespeare", "004",
                 "neural language model perplexity against a bigram; GloVe neighbours, analogies, projection", run)
