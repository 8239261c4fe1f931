"""Choosing among candidates whose cross-validated scores are within noise.

On a few hundred rows two candidates often score within a fold standard error
of each other; ``GridSearchCV``'s plain argmax then picks between them by the
noise of the folds, and a different shuffle of the same rows picks the other.
:class:`OneStandardErrorRule` is a ``refit`` callable for ``GridSearchCV``
that applies the one-standard-error rule (Breiman et al., *Classification and
Regression Trees*, 1984; Hastie et al., *The Elements of Statistical
Learning*, §7.10): among the candidates whose mean score is within one
standard error of the best, refit the cheapest.
"""

import numpy as np

__all__ = ["OneStandardErrorRule", "within_one_standard_error"]


def within_one_standard_error(means, standard_errors, costs):
    """Index of the cheapest candidate within one standard error of the best.

    Parameters
    ----------
    means : array-like of shape (n_candidates,)
        Mean scores, greater is better.
    standard_errors : array-like of shape (n_candidates,)
        Standard errors of the means; the best candidate's sets the margin.
    costs : array-like of shape (n_candidates,)
        What "cheaper" means (fit seconds, a complexity rank); ties go to the
        first candidate.

    Returns
    -------
    index : int

    Examples
    --------
    >>> from sklearn_tabbias.model_selection import within_one_standard_error
    >>> within_one_standard_error([0.61, 0.60, 0.55], [0.02, 0.02, 0.02], [39, 19, 5])
    1
    """
    means, ses, costs = (
        np.asarray(a, dtype=float) for a in (means, standard_errors, costs)
    )
    if not means.shape == ses.shape == costs.shape or means.ndim != 1:
        raise ValueError(
            "means, standard_errors and costs must be 1-d and of one length; got "
            f"shapes {means.shape}, {ses.shape} and {costs.shape}"
        )
    if means.size == 0 or np.isnan(means).all():
        raise ValueError("within_one_standard_error needs at least one finite mean")
    best = int(np.nanargmax(means))
    margin = ses[best] if np.isfinite(ses[best]) else 0.0
    near = np.flatnonzero(means >= means[best] - margin)
    return int(near[np.argmin(costs[near])])


class OneStandardErrorRule:
    """``refit`` for ``GridSearchCV``: the cheapest candidate within one s.e.

    The standard error of a candidate's mean score is the sample standard
    deviation of its split scores over the square root of the number of splits.
    Pass an instance as ``refit``; ``best_index_`` is then the rule's choice
    (``GridSearchCV`` sets no ``best_score_`` with a callable ``refit``).

    Parameters
    ----------
    scoring : str, default="score"
        The score to compare: a key of the ``scoring`` dict, or ``"score"``
        when ``scoring`` is one scorer or None.
    cost : str, default="mean_fit_time"
        The ``cv_results_`` column to minimise among the near-best candidates,
        such as ``"mean_fit_time"`` or ``"param_<name>"`` for an ordered
        parameter (fewer epochs, a smaller network).

    See Also
    --------
    within_one_standard_error : the rule on plain arrays.

    Examples
    --------
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn_tabbias import BiasedVAESynthesizer
    >>> from sklearn_tabbias.datasets import load_breast_cancer
    >>> from sklearn_tabbias.model_selection import OneStandardErrorRule
    >>> frame, _ = load_breast_cancer()
    >>> search = GridSearchCV(
    ...     BiasedVAESynthesizer(n_seeds=1, max_epochs=5, random_state=0),
    ...     {"hidden_dim": [8, 16]},
    ...     refit=OneStandardErrorRule(cost="param_hidden_dim"),
    ...     cv=3,
    ... ).fit(frame.iloc[:90, :4])
    >>> search.best_index_ in (0, 1)
    True
    """

    def __init__(self, scoring="score", cost="mean_fit_time"):
        self.scoring = scoring
        self.cost = cost

    def __call__(self, cv_results):
        """The index of the chosen candidate in ``cv_results``."""
        means, ses = self.mean_and_standard_error(cv_results)
        if self.cost not in cv_results:
            raise ValueError(
                f"OneStandardErrorRule(cost={self.cost!r}): cv_results_ has no such "
                f"column; use 'mean_fit_time' or 'param_<name>'"
            )
        costs = np.asarray(cv_results[self.cost], dtype=float)
        return within_one_standard_error(means, ses, costs)

    def mean_and_standard_error(self, cv_results):
        """Mean split score and its standard error per candidate."""
        if not isinstance(self.scoring, str):
            raise TypeError(
                f"OneStandardErrorRule(scoring=...) must be a str, got {self.scoring!r}"
            )
        suffix = f"_test_{self.scoring}"
        splits = [k for k in cv_results if k.startswith("split") and k.endswith(suffix)]
        if not splits:
            names = sorted(
                k[len("mean_test_") :] for k in cv_results if k.startswith("mean_test_")
            )
            raise ValueError(
                f"OneStandardErrorRule(scoring={self.scoring!r}): no such score in "
                f"cv_results_; the scores are {names}"
            )
        scores = np.column_stack(
            [np.asarray(cv_results[k], dtype=float) for k in splits]
        )
        means = scores.mean(axis=1)
        ddof = 1 if scores.shape[1] > 1 else 0
        return means, scores.std(axis=1, ddof=ddof) / np.sqrt(scores.shape[1])

    def __repr__(self):
        return f"OneStandardErrorRule(scoring={self.scoring!r}, cost={self.cost!r})"
