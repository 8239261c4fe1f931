"""Progress bars for training loops: shown with ``verbose``, silent otherwise."""

from tqdm.auto import tqdm


def progress_bar(total, desc, verbose, unit="epoch"):
    """A tqdm bar on stderr when ``verbose`` is set, else a silent no-op bar.

    Parameters
    ----------
    total : int
        Steps the loop runs at most (the bar closes early when it stops).
    desc : str
        Name of the phase.
    verbose : int or bool
        Show the bar.
    unit : str, default="epoch"
        Unit of one step.

    Returns
    -------
    bar : tqdm
        Call ``update``, ``set_postfix`` and ``close`` on it.

    Examples
    --------
    >>> from sklearn_tabbias._progress import progress_bar
    >>> bar = progress_bar(10, "seed", verbose=0)
    >>> bar.update(1); bar.close()
    """
    return tqdm(total=total, desc=desc, unit=unit, disable=not verbose)
