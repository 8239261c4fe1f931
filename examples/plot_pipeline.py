"""
Sampling through a Pipeline
===========================

:func:`sklearn_tabbias.pipeline.make_pipeline` chains preprocessing steps with a
synthesizer. ``sample`` draws from the synthesizer and maps the rows back through
the ``inverse_transform`` of the earlier steps, so they come out in the original
feature space.
"""

# %%
import matplotlib.pyplot as plt
from sklearn.preprocessing import PowerTransformer

from sklearn_tabbias import BiasedVAESynthesizer
from sklearn_tabbias.datasets import load_breast_cancer
from sklearn_tabbias.pipeline import make_pipeline
from sklearn_tabbias.plotting import CorrelationDifferenceDisplay

frame, _ = load_breast_cancer()
real = frame.drop(columns="diagnosis").iloc[:, :10].sample(300, random_state=0)

pipe = make_pipeline(
    PowerTransformer(), BiasedVAESynthesizer(bias="avg", n_seeds=3, random_state=0)
)
pipe.fit(real)
synthetic = pipe.sample(1000)
print(synthetic.describe().loc[["mean", "std"]].round(2))

# %%
# How well the pairwise (rank) correlations survive.
CorrelationDifferenceDisplay.from_frames(real, synthetic)
plt.show()
