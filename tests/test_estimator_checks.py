from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_tabbias import BiasedCTGAN, BiasedVAESynthesizer, TabularEncoder
from sklearn_tabbias.bias import MAMLBias
from sklearn_tabbias.nn.discriminator import MLPDiscriminator

ESTIMATORS = [
    TabularEncoder(),
    MLPDiscriminator(hidden=(16, 8), max_epochs=5, random_state=0),
    *[
        BiasedVAESynthesizer(
            bias=bias,
            n_seeds=2,
            max_epochs=3,
            patience=2,
            hidden_dim=8,
            latent_dim=2,
            pretrain_samples=40,
            maml_meta_iterations=2,
            maml_inner_steps=1,
            random_state=0,
        )
        for bias in ("none", "avg", "pretrain", "drs", "maml")
    ],
    *[
        BiasedCTGAN(
            bias=bias,
            n_seeds=2,
            epochs=2,
            pretrain_samples=None if isinstance(bias, MAMLBias) else 40,
            pretrain_epochs=1,
            embedding_dim=4,
            generator_dim=(8,),
            discriminator_dim=(8,),
            random_state=0,
        )
        for bias in (
            "none",
            "pretrain",
            "avg",
            "drs",
            MAMLBias(n_samples=40, meta_iterations=2, inner_steps=1),
        )
    ],
]


def _expected_failures(estimator):
    """Checks an estimator may fail, and why."""
    if isinstance(estimator, MLPDiscriminator):
        # seen in full runs: 2 of 40 probabilities 6e-8 apart (rtol 1e-7)
        return {
            "check_methods_sample_order_invariance": "float32 torch matmuls round "
            "a row differently at another position in the batch (~1e-7 relative)"
        }
    return {}


@parametrize_with_checks(
    ESTIMATORS, expected_failed_checks=_expected_failures, xfail_strict=False
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
