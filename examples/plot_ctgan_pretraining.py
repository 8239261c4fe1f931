"""
CTGAN with pre-training
=======================

:class:`~sklearn_tabbias.BiasedCTGAN` wraps the CTGAN of SDV's ``ctgan`` package.
With ``bias="pretrain"`` a CTGAN is first trained on the real rows, it generates
``pretrain_samples`` rows, a second CTGAN is pre-trained on them, and that
generator and discriminator are fine-tuned on the real rows. Few epochs here so
the example runs fast; the defaults train longer.
"""

# %%
import matplotlib.pyplot as plt

from sklearn_tabbias import BiasedCTGAN
from sklearn_tabbias.datasets import load_breast_cancer
from sklearn_tabbias.plotting import TrainingCurvesDisplay

frame, target = load_breast_cancer()
real = frame[["mean radius", "mean texture", "mean smoothness", target]].sample(
    300, random_state=0
)
gan = BiasedCTGAN(
    bias="pretrain",
    epochs=30,
    pretrain_samples=2000,
    pretrain_epochs=5,
    random_state=0,
).fit(real)
print(gan.sample(5))

# %%
# The losses of each phase: the first run on real rows, pre-training on its
# samples, fine-tuning on the real rows.
TrainingCurvesDisplay.from_estimator(gan)
plt.show()
