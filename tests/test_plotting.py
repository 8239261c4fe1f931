import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from conftest import TINY  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

from sklearn_tabbias import BiasedCTGAN, BiasedVAESynthesizer  # noqa: E402
from sklearn_tabbias.plotting import (  # noqa: E402
    CorrelationDifferenceDisplay,
    MarginalsDisplay,
    TrainingCurvesDisplay,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_marginals_draw_histograms_and_shares():
    real = pd.DataFrame(
        {"x": np.linspace(0, 1, 40), "c": ["a"] * 30 + ["b"] * 9 + [None]}
    )
    synth = pd.DataFrame({"x": np.linspace(0.5, 1.5, 40), "c": ["b"] * 40})
    display = MarginalsDisplay.from_frames(real, synth, n_bins=10)
    hist_ax, bar_ax = display.axes_
    assert [hist_ax.get_title(), bar_ax.get_title()] == ["x", "c"]
    assert len(hist_ax.patches) == 2 * 10  # one histogram each, common bins
    labels = [t.get_text() for t in bar_ax.get_xticklabels()]
    assert labels == ["a", "b", "NaN"]
    heights = [p.get_height() for p in bar_ax.patches]
    np.testing.assert_allclose(heights[:3], [30 / 40, 9 / 40, 1 / 40])  # real
    np.testing.assert_allclose(heights[3:], [0, 1, 0])  # synthetic
    legend = [t.get_text() for t in hist_ax.get_legend().get_texts()]
    assert legend == ["real", "synthetic"]


def test_marginals_reject_mismatched_columns():
    with pytest.raises(ValueError, match="same columns"):
        MarginalsDisplay.from_frames(pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [1]}))
    with pytest.raises(ValueError, match="'zz' is not a column"):
        MarginalsDisplay.from_frames(
            pd.DataFrame({"a": [1, 2]}), pd.DataFrame({"a": [1, 2]}), columns=["zz"]
        )


def test_correlation_difference_image_is_the_difference():
    real = pd.DataFrame({"a": range(20), "b": range(20), "s": ["u", "v"] * 10})
    synth = real.assign(b=list(range(20))[::-1])
    display = CorrelationDifferenceDisplay.from_frames(real, synth)
    np.testing.assert_allclose(display.image_.get_array(), display.difference_)
    assert display.difference_.loc["a", "b"] == pytest.approx(2.0)
    assert display.difference_.loc["a", "a"] == pytest.approx(0.0)
    labels = [t.get_text() for t in display.ax_.get_xticklabels()]
    assert labels == ["a", "b", "s"]


def test_displays_from_a_fitted_vae(adult300):
    data = adult300.head(80)
    synth = BiasedVAESynthesizer(bias="avg", random_state=0, **TINY).fit(data)
    curves = TrainingCurvesDisplay.from_estimator(synth)
    assert [ax.get_title() for ax in curves.axes_] == [
        "seed (3 runs, 64 rows)",
        "finetune (1 run, 64 rows)",
    ]
    runs = [TINY["n_seeds"], 1]  # seed runs, then one fine-tuning run (default)
    assert [len(ax.lines) for ax in curves.axes_] == [2 * n + 1 for n in runs]
    validated = ~np.isnan(synth.history_[0].curves["validation"][:, 0])
    assert len(curves.axes_[0].lines[0].get_ydata()) == validated.sum()
    assert len(curves.axes_[0].lines[1].get_ydata()) == len(validated)  # training
    marginals = MarginalsDisplay.from_estimator(synth, data, columns=["age", "sex"])
    assert len(marginals.axes_) == 2
    corr = CorrelationDifferenceDisplay.from_estimator(synth, data)
    assert corr.difference_.shape == (15, 15)


def test_training_curves_of_ctgan_and_maml(adult300):
    gan = BiasedCTGAN(bias="none", epochs=3, random_state=0).fit(adult300.head(60))
    (ax,) = TrainingCurvesDisplay.from_estimator(gan).axes_
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["generator loss", "discriminator loss"]
    assert len(ax.lines[0].get_ydata()) == 3
    maml = BiasedVAESynthesizer(bias="maml", random_state=0, **TINY)
    maml.fit(adult300.head(80))
    titles = [a.get_title() for a in TrainingCurvesDisplay.from_estimator(maml).axes_]
    assert [t.split(" (")[0] for t in titles] == ["seed", "maml", "finetune"]


def test_training_curves_need_a_fitted_model():
    with pytest.raises(ValueError, match="not fitted"):
        TrainingCurvesDisplay.from_estimator(BiasedVAESynthesizer())
