"""
Quickstart: a synthetic table from 300 rows
===========================================

Fit :class:`~sklearn_tabbias.BiasedVAESynthesizer` with model averaging
(``bias="avg"``) on a small table, sample new rows in the same schema, and compare
their marginals with the real ones.
"""

# %%
# A small table: 300 rows of the embedded breast-cancer data, target included.
import matplotlib.pyplot as plt

from sklearn_tabbias import BiasedVAESynthesizer
from sklearn_tabbias.datasets import load_breast_cancer
from sklearn_tabbias.plotting import MarginalsDisplay

frame, target = load_breast_cancer()
real = frame.sample(300, random_state=0)
print(real.shape, real[target].value_counts().to_dict())

# %%
# Fit: ``n_seeds`` runs train on the real rows, their weights are averaged into
# the initial weights θ0, and ``n_finetune_runs`` runs (one by default) are
# fine-tuned from θ0. The best of them generates.
synth = BiasedVAESynthesizer(bias="avg", n_seeds=5, random_state=0).fit(real)
synthetic = synth.sample(1000)
print(synthetic.dtypes.value_counts().to_dict())
print(synthetic[target].value_counts(normalize=True).round(2).to_dict())

# %%
# Real and synthetic marginals of a few columns.
columns = ["mean radius", "mean texture", "worst area", target]
MarginalsDisplay.from_frames(real, synthetic, columns=columns, n_cols=2)
plt.show()
