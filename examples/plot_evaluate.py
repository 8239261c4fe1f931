"""
Evaluating a synthetic table
============================

How close is a synthetic table to the real one? Three views: the divergence
between the two distributions, estimated with a discriminator
(:func:`~sklearn_tabbias.metrics.estimate_divergence`, with its uncertainty), the
utility of the synthetic rows for a downstream model
(:func:`~sklearn_tabbias.metrics.utility`), whether it copies the training rows
(:func:`~sklearn_tabbias.metrics.privacy`), and plots.
"""

# %%
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split

from sklearn_tabbias import BiasedVAESynthesizer
from sklearn_tabbias.datasets import load_breast_cancer
from sklearn_tabbias.metrics import estimate_divergence, privacy, utility
from sklearn_tabbias.plotting import MarginalsDisplay, TrainingCurvesDisplay

frame, target = load_breast_cancer()
train, test = train_test_split(frame, test_size=0.4, random_state=0)
synth = BiasedVAESynthesizer(bias="avg", n_seeds=5, random_state=0).fit(train)
synthetic = synth.sample(len(test), random_state=1)

# %%
# The divergence estimate is a lower bound that needs thousands of rows to be
# reliable; with a few hundred it warns and the spread over repeats is wide.
# Report the setting together with the number: ``str(estimate)`` does.
estimate = estimate_divergence(test, synthetic, n_repeats=5, random_state=0)
print(estimate)

# %%
# Train on synthetic, test on real, next to the same model trained on real rows.
print(utility(synthetic, test, target, real_train=train))

# %%
# Privacy: distances from synthetic rows to their closest training row, against
# the same for the held-out rows (a ratio near 1: no sign of memorisation), and
# exact copies.
print(privacy(synthetic, train, test))

# %%
# The training curves of the seed runs and of the fine-tuning from θ0, and the
# marginals of a few columns.
TrainingCurvesDisplay.from_estimator(synth)
MarginalsDisplay.from_frames(test, synthetic, columns=list(frame.columns[:5]))
plt.show()
