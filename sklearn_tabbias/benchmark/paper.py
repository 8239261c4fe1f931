"""The paper's published results (Tables 1, A.3 and B.4), means only.

Each line: table, validation size M, scenario, then VAE JS, CTGAN JS, VAE KL,
CTGAN KL, real-data utility, VAE synthetic utility, CTGAN synthetic utility
("-" where the paper has N/A). Utility is accuracy, or MSE on the z-scored
target for King. Transcribed from the paper's text.
"""

_TABLES = """
adult 7500 Big data: 0.115 0.136 0.272 0.385 0.777 0.748 0.739
adult 7500 Low data: 0.42 0.742 1.014 2.454 0.775 0.673 0.682
adult 7500 Pre-train: 0.182 0.565 0.413 1.665 - 0.731 0.689
adult 7500 AVG: 0.163 - 0.391 - - 0.728 -
adult 7500 MAML: 0.358 - 0.876 - - 0.702 -
adult 7500 DRS: 0.18 - 0.463 - - 0.721 -
king 7500 Big data: 0.742 0.746 3.243 2.92 0.325 0.383 0.369
king 7500 Low data: 0.919 0.916 5.963 6.751 0.329 0.516 0.756
king 7500 Pre-train: 0.877 0.948 6.215 8.394 - 0.451 0.767
king 7500 AVG: 0.724 - 3.322 - - 0.366 -
king 7500 MAML: 0.899 - 10.912 - - 0.686 -
king 7500 DRS: 0.871 - 6.118 - - 0.457 -
letter 7500 Big data: 0.395 0.635 0.911 1.678 0.815 0.651 0.075
letter 7500 Low data: 0.654 0.977 1.988 10.965 0.815 0.41 0.039
letter 7500 Pre-train: 0.585 0.978 1.694 8.728 - 0.394 0.032
letter 7500 AVG: 0.581 - 1.744 - - 0.385 -
letter 7500 MAML: 0.669 - 2.001 - - 0.318 -
letter 7500 DRS: 0.608 - 1.635 - - 0.437 -
adult 100 Low data: 0.113 0.515 0.773 2.694 0.726 0.669 0.675
adult 100 Pre-train: 0.001 0.282 0.037 1.115 - 0.727 0.692
adult 100 AVG: 0.003 - 0.085 - - 0.729 -
adult 100 MAML: 0.105 - 0.474 - - 0.699 -
adult 100 DRS: 0.001 - -0.02 - - 0.726 -
king 100 Low data: 0.158 0.58 1.171 4.526 0.371 0.52 0.691
king 100 Pre-train: 0.269 0.694 0.908 2.958 - 0.446 0.536
king 100 AVG: -0.001 - 0.006 - - 0.363 -
king 100 MAML: 0.495 - 2.516 - - 0.765 -
king 100 DRS: 0.25 - 0.944 - - 0.442 -
letter 100 Low data: 0.055 0.826 0.978 7.528 0.609 0.401 0.038
letter 100 Pre-train: 0.049 0.619 0.297 4.856 - 0.392 0.04
letter 100 AVG: -0.02 - 0.322 - - 0.405 -
letter 100 MAML: 0.014 - 0.845 - - 0.302 -
letter 100 DRS: 0.007 - 0.36 - - 0.429 -
news 7500 Big data: 0.223 0.484 0.525 1.432 0.699 0.622 0.616
news 7500 Low data: 0.831 0.966 4.301 10.961 0.696 0.564 0.47
news 7500 Pre-train: 0.734 0.935 3.403 10.441 - 0.596 0.525
news 7500 AVG: 0.618 - 2.542 - - 0.588 -
news 7500 MAML: 0.831 - 4.381 - - 0.577 -
news 7500 DRS: 0.603 - 2.467 - - 0.605 -
news 100 Low data: 0.182 0.864 0.46 5.673 0.555 0.576 0.512
news 100 Pre-train: 0.009 0.701 0.06 3.868 - 0.595 0.513
news 100 AVG: -0.001 - -0.101 - - 0.587 -
news 100 MAML: 0.002 - 0.101 - - 0.58 -
news 100 DRS: 0.026 - 0.034 - - 0.609 -
intrusion 7500 Big data: 0.795 0.459 3.094 1.724 0.742 0.33 0.59
intrusion 7500 Low data: 0.936 0.969 8.297 9.877 0.844 0.567 0.733
intrusion 7500 Pre-train: 0.797 0.965 4.103 8.409 - 0.756 0.755
intrusion 7500 AVG: 0.85 - 4.934 - - 0.801 -
intrusion 7500 MAML: 0.945 - 8.046 - - 0.652 -
intrusion 7500 DRS: 0.844 - 5.613 - - 0.544 -
intrusion 100 Low data: 0.228 0.506 1.6 4.353 0.917 0.575 0.735
intrusion 100 Pre-train: 0.066 0.502 0.236 3.68 - 0.78 0.759
intrusion 100 AVG: 0.058 - 0.33 - - 0.798 -
intrusion 100 MAML: 0.368 - 3.131 - - 0.532 -
intrusion 100 DRS: 0.043 - 0.289 - - 0.585 -
"""

_FIELDS = ("VAE JS", "CTGAN JS", "VAE KL", "CTGAN KL", "real", "VAE util", "CTGAN util")


def paper_results():
    """The paper's means as a dict ``(table, M, scenario) -> {field: value}``.

    Examples
    --------
    >>> from sklearn_tabbias.benchmark.paper import paper_results
    >>> paper_results()[("adult", 7500, "AVG")]["VAE JS"]
    0.163
    """
    results = {}
    for line in _TABLES.strip().splitlines():
        head, values = line.split(":")
        table, m, scenario = head.split(" ", 2)
        numbers = [None if v == "-" else float(v) for v in values.split()]
        results[(table, int(m), scenario)] = dict(zip(_FIELDS, numbers, strict=True))
    return results


#: Table C.5: mean fit seconds over 10 seeds on a 32-core workstation
#: (CTGAN on an RTX 4090); scenario -> (VAE, CTGAN).
PAPER_SECONDS = {
    "adult": {
        "Big data": (1893.25, 382.356),
        "Low data": (61.6617, 19.0268),
        "Pre-train": (1367.84, 402.089),
        "AVG": (145.509, None),
        "MAML": (125.314, None),
        "DRS": (463.661, None),
    },
    "news": {
        "Big data": (7248.41, 532.651),
        "Low data": (115.353, 27.1911),
        "Pre-train": (4593.78, 558.03),
        "AVG": (139.851, None),
        "MAML": (534.483, None),
        "DRS": (386.022, None),
    },
    "king": {
        "Big data": (1282.78, 393.782),
        "Low data": (70.4384, 20.6333),
        "Pre-train": (567.242, 416.421),
        "AVG": (75.209, None),
        "MAML": (204.017, None),
        "DRS": (133.523, None),
    },
    "intrusion": {
        "Big data": (1651.26, 570.559),
        "Low data": (82.2507, 29.3055),
        "Pre-train": (4909.34, 604.459),
        "AVG": (187.802, None),
        "MAML": (234.104, None),
        "DRS": (923.386, None),
    },
    "letter": {
        "Big data": (821.65, 299.236),
        "Low data": (96.9268, 16.5833),
        "Pre-train": (776.11, 323.648),
        "AVG": (84.3122, None),
        "MAML": (193.772, None),
        "DRS": (210.785, None),
    },
}
