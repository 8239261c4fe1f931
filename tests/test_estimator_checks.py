from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_tabbias import BiasedCTGAN, BiasedVAESynthesizer, TabularEncoder
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
            pretrain_samples=40,
            pretrain_epochs=1,
            embedding_dim=4,
            generator_dim=(8,),
            discriminator_dim=(8,),
            random_state=0,
        )
        for bias in ("none", "pretrain", "drs")
    ],
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible(estimator, check):
    check(estimator)
