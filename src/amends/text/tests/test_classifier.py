"""The classifier: its features, its NumPy scoring equal to scikit-learn's, storage without pickle."""

import numpy as np
import pytest

from amends.text.classifier import dumps, loads, ngrams, train

TEXTS = [
    "定损员态度很差，不解释定损依据",
    "定损员迟到三个小时，态度恶劣",
    "理赔款一个月还没到账",
    "赔款迟迟不到账，打电话没人管",
    "退保金比业务员说的少了很多",
    "退保手续费没有任何解释",
] * 3
LABELS = {
    "dimension": ["attitude", "attitude", "responsiveness", "responsiveness", "standards", "standards"] * 3,
    "cause": ["company"] * 18,
    "category": ["claims", None, "claims", "claims", "surrender", None] * 3,
}


def test_features_are_char_ngrams_inside_runs_and_latin_words():
    grams = set(ngrams("交了１２３元, Lawyer!"))
    assert {"交", "交了", " 00", "w:lawyer", " la", "r "} <= grams  # full-width digits read as 0
    assert not {"了0", "0元", "元,", "w:123"} & grams  # nothing joins a Han run, a number and punctuation


def test_traditional_text_has_the_features_of_simplified():
    assert ngrams("監管總局") == ngrams("监管总局")


@pytest.fixture(scope="module")
def model():
    return train(TEXTS, LABELS, min_df=1)


def test_it_learns_each_field_and_confidences_sum_to_one(model):
    probs = model.probabilities("定损员态度很差")
    assert probs["dimension"][0][0] == "attitude"
    assert sum(p for _c, p in probs["dimension"]) == pytest.approx(1.0)
    assert model.suggest("退保金少了")["category"]["code"] == "surrender"


def test_a_field_with_one_class_is_certain(model):
    assert model.suggest("随便什么")["cause"] == {"code": "company", "confidence": 1.0}


def test_numpy_scoring_equals_scikit_learn(model):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier

    x = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, min_df=1, dtype=np.float32).fit_transform(TEXTS)
    ours = model.probabilities("定损员态度很差，没人管")["dimension"]
    sk = SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=15, tol=None, random_state=0).fit(x, LABELS["dimension"])
    vec = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, min_df=1, dtype=np.float32).fit(TEXTS)
    theirs = dict(zip(sk.classes_, sk.predict_proba(vec.transform(["定损员态度很差，没人管"]))[0], strict=True))
    for code, p in ours:
        assert p == pytest.approx(theirs[code], abs=1e-4)


def test_a_stored_model_loads_without_pickle_and_answers_the_same(model):
    again = loads(dumps(model), "model:1")
    text = "赔款一直没到账"
    for name, ranked in model.probabilities(text).items():
        theirs = again.probabilities(text)[name]
        assert [c for c, _p in theirs] == [c for c, _p in ranked]
        assert [p for _c, p in theirs] == pytest.approx([p for _c, p in ranked])
    assert again.label == "model:1"


def test_text_with_no_known_feature_gets_the_prior(model):
    assert model.suggest("zzz")["dimension"]["code"] in {"attitude", "responsiveness", "standards"}


def test_the_shipped_starter_model_is_what_training_on_the_corpus_gives():
    from amends.text.starter import SHIPPED, examples, train_starter

    shipped, fresh = loads(SHIPPED.read_bytes(), "starter"), train_starter()
    # Stale after a change to text.corpus or the starter's codes: write it anew with `python -m amends.text.starter`.
    assert shipped.vocabulary == fresh.vocabulary
    assert list(shipped.heads) == list(fresh.heads)
    for name, head in fresh.heads.items():
        assert shipped.heads[name].classes == head.classes
        np.testing.assert_allclose(shipped.heads[name].coef, head.coef, atol=1e-4)
    texts, _labels, _groups = examples()
    assert [shipped.suggest(t) for t in texts[::7]] == [fresh.suggest(t) for t in texts[::7]]
