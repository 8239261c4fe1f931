"""Data sets: the embedded default table and the paper's benchmark tables.

``load_breast_cancer`` needs nothing. The ``fetch_*`` functions read the raw
benchmark tables from a local folder (``data_home=``, else the environment
variable ``SKLEARN_TABBIAS_DATA``, else ``~/sklearn_tabbias_data``) and, when a
file is missing, download it once from its public source into that folder.
``fetch_paper_splits`` does the same for the authors' preprocessed splits.
"""

import gzip
import io
import json
import os
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd
from sklearn import datasets as _sk_datasets
from sklearn.utils import Bunch

__all__ = [
    "fetch_adult",
    "fetch_intrusion",
    "fetch_king",
    "fetch_letter",
    "fetch_news",
    "fetch_paper_splits",
    "get_data_home",
    "load_breast_cancer",
]

DATA_HOME_ENV = "SKLEARN_TABBIAS_DATA"
_UCI = "https://archive.ics.uci.edu/ml/machine-learning-databases"
_AUTHORS = (
    "https://raw.githubusercontent.com/Patricia-A-Apellaniz/"
    "low_sample_data_generator/HEAD"
)
_ADULT_COLUMNS = (
    "age,workclass,fnlwgt,education,education-num,marital-status,occupation,"
    "relationship,race,sex,capital-gain,capital-loss,hours-per-week,"
    "native-country,income"
)
_LETTER_COLUMNS = (
    "lettr,x-box,y-box,width,high,onpix,x-bar,y-bar,x2bar,y2bar,xybar,x2ybr,"
    "xy2br,x-ege,xegvy,y-ege,yegvx"
)
_KDD_COLUMNS = (
    "duration,protocol_type,service,flag,src_bytes,dst_bytes,land,wrong_fragment,"
    "urgent,hot,num_failed_logins,logged_in,num_compromised,root_shell,"
    "su_attempted,num_root,num_file_creations,num_shells,num_access_files,"
    "num_outbound_cmds,is_host_login,is_guest_login,count,srv_count,serror_rate,"
    "srv_serror_rate,rerror_rate,srv_rerror_rate,same_srv_rate,diff_srv_rate,"
    "srv_diff_host_rate,dst_host_count,dst_host_srv_count,dst_host_same_srv_rate,"
    "dst_host_diff_srv_rate,dst_host_same_src_port_rate,dst_host_srv_diff_host_rate,"
    "dst_host_serror_rate,dst_host_srv_serror_rate,dst_host_rerror_rate,"
    "dst_host_srv_rerror_rate,label"
)


def _with_header(header):
    def convert(data):
        return (header + "\n").encode() + data.lstrip()

    return convert


def _news_csv(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".csv"))
        frame = pd.read_csv(archive.open(name), skipinitialspace=True)
    frame.columns = frame.columns.str.strip()
    return frame.to_csv(index=False).encode()


def _kdd_csv(data):
    return _with_header(_KDD_COLUMNS)(gzip.decompress(data))


@dataclass(frozen=True)
class _Source:
    """Where a file lives in the data home and where it comes from."""

    path: str
    url: str
    convert: object = None  # bytes -> bytes, turns the download into the file


SOURCES = {
    "adult": _Source(
        "adult/raw_uci/adult.csv",
        f"{_UCI}/adult/adult.data",
        _with_header(_ADULT_COLUMNS),
    ),
    "king": _Source("king/king_raw.csv", f"{_AUTHORS}/data/raw_data/king/king.csv"),
    "letter": _Source(
        "letter/letter-recognition.csv",
        f"{_UCI}/letter-recognition/letter-recognition.data",
        _with_header(_LETTER_COLUMNS),
    ),
    "news": _Source(
        "news/OnlineNewsPopularity.csv",
        f"{_UCI}/00332/OnlineNewsPopularity.zip",
        _news_csv,
    ),
    "intrusion": _Source(
        "intrusion/kddcup.data_10_percent.csv",
        "http://kdd.ics.uci.edu/databases/kddcup99/kddcup.data_10_percent.gz",
        _kdd_csv,
    ),
}
PAPER_DATASETS = ("adult", "king", "news", "intrusion")


def get_data_home(data_home=None):
    """The folder that holds (or will cache) the benchmark files.

    Parameters
    ----------
    data_home : str or path-like, optional
        The folder. Default: the environment variable ``SKLEARN_TABBIAS_DATA``,
        else ``~/sklearn_tabbias_data``.

    Returns
    -------
    path : Path

    Examples
    --------
    >>> from sklearn_tabbias.datasets import get_data_home
    >>> get_data_home("tables").name
    'tables'
    """
    if data_home is None:
        data_home = os.environ.get(DATA_HOME_ENV, "~/sklearn_tabbias_data")
    return Path(data_home).expanduser()


def _fetch_file(source, data_home, download_if_missing):
    """Local path of a source's file, downloading it into the data home if needed."""
    home = get_data_home(data_home)
    path = home / source.path
    if path.exists():
        return path
    where = (
        f"Put the file at {path}, or point data_home= or the environment "
        f"variable {DATA_HOME_ENV} at a folder that has {source.path}."
    )
    if not download_if_missing:
        raise FileNotFoundError(f"{path} does not exist. {where}")
    try:
        with urllib.request.urlopen(source.url, timeout=60) as response:
            data = response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise OSError(f"Could not download {source.url} ({exc}). {where}") from exc
    if source.convert is not None:
        data = source.convert(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)  # never leave a half-written file under the real name
    return path


def _fetch(name, target, data_home, download_if_missing, **read_csv):
    path = _fetch_file(SOURCES[name], data_home, download_if_missing)
    return pd.read_csv(path, **read_csv), target


def fetch_adult(data_home=None, download_if_missing=True):
    """Raw Adult census table: 32,561 people, 14 attributes, income class.

    ``adult/raw_uci/adult.csv`` under the data home; downloaded once from the
    UCI repository (``adult.data``) when missing. Strings as published, ``?``
    read as NaN.

    Parameters
    ----------
    data_home : str or path-like, optional
        Folder of the data files (see :func:`get_data_home`).
    download_if_missing : bool, default=True
        Download a missing file; if False, raise FileNotFoundError instead.

    Returns
    -------
    frame : DataFrame of shape (32561, 15)
    target : str
        ``"income"``.

    Raises
    ------
    FileNotFoundError
        The file is missing and ``download_if_missing=False``.
    OSError
        The download failed (offline); the message says where to put the file.

    Examples
    --------
    >>> from sklearn_tabbias.datasets import fetch_adult
    >>> frame, target = fetch_adult()  # doctest: +SKIP
    """
    return _fetch(
        "adult",
        "income",
        data_home,
        download_if_missing,
        skipinitialspace=True,
        na_values="?",
    )


def fetch_king(data_home=None, download_if_missing=True):
    """Raw King County house sales: 21,613 sales, 19 attributes and the price.

    ``king/king_raw.csv`` under the data home; downloaded once from the
    authors' repository (``data/raw_data/king/king.csv``) when missing.

    Parameters
    ----------
    data_home : str or path-like, optional
        Folder of the data files (see :func:`get_data_home`).
    download_if_missing : bool, default=True
        Download a missing file; if False, raise FileNotFoundError instead.

    Returns
    -------
    frame : DataFrame of shape (21613, 20)
    target : str
        ``"price"``.

    Raises
    ------
    FileNotFoundError
        The file is missing and ``download_if_missing=False``.
    OSError
        The download failed (offline); the message says where to put the file.

    Examples
    --------
    >>> from sklearn_tabbias.datasets import fetch_king
    >>> frame, target = fetch_king()  # doctest: +SKIP
    """
    return _fetch("king", "price", data_home, download_if_missing)


def fetch_letter(data_home=None, download_if_missing=True):
    """Raw Letter recognition table: 20,000 glyphs, 16 integer features, 26 letters.

    ``letter/letter-recognition.csv`` under the data home; downloaded once from
    the UCI repository when missing.

    Parameters
    ----------
    data_home : str or path-like, optional
        Folder of the data files (see :func:`get_data_home`).
    download_if_missing : bool, default=True
        Download a missing file; if False, raise FileNotFoundError instead.

    Returns
    -------
    frame : DataFrame of shape (20000, 17)
    target : str
        ``"lettr"`` (the letter, a string).

    Raises
    ------
    FileNotFoundError
        The file is missing and ``download_if_missing=False``.
    OSError
        The download failed (offline); the message says where to put the file.

    Examples
    --------
    >>> from sklearn_tabbias.datasets import fetch_letter
    >>> frame, target = fetch_letter()  # doctest: +SKIP
    """
    return _fetch("letter", "lettr", data_home, download_if_missing)


def fetch_news(data_home=None, download_if_missing=True):
    """Raw Online News Popularity table: 39,644 articles, 60 attributes, shares.

    ``news/OnlineNewsPopularity.csv`` under the data home; downloaded once from
    the UCI repository (the zip archive) when missing. ``url`` is an
    identifier: drop it before fitting a synthesizer.

    Parameters
    ----------
    data_home : str or path-like, optional
        Folder of the data files (see :func:`get_data_home`).
    download_if_missing : bool, default=True
        Download a missing file; if False, raise FileNotFoundError instead.

    Returns
    -------
    frame : DataFrame of shape (39644, 61)
    target : str
        ``"shares"``.

    Raises
    ------
    FileNotFoundError
        The file is missing and ``download_if_missing=False``.
    OSError
        The download failed (offline); the message says where to put the file.

    Examples
    --------
    >>> from sklearn_tabbias.datasets import fetch_news
    >>> frame, target = fetch_news()  # doctest: +SKIP
    """
    return _fetch("news", "shares", data_home, download_if_missing)


def fetch_intrusion(data_home=None, download_if_missing=True):
    """Raw KDD Cup 1999 intrusion table (10% sample): 494,021 connections.

    41 attributes and the attack label (e.g. ``"normal."``, ``"smurf."``).
    ``intrusion/kddcup.data_10_percent.csv`` under the data home; downloaded
    once from the UCI KDD archive when missing.

    Parameters
    ----------
    data_home : str or path-like, optional
        Folder of the data files (see :func:`get_data_home`).
    download_if_missing : bool, default=True
        Download a missing file; if False, raise FileNotFoundError instead.

    Returns
    -------
    frame : DataFrame of shape (494021, 42)
    target : str
        ``"label"``.

    Raises
    ------
    FileNotFoundError
        The file is missing and ``download_if_missing=False``.
    OSError
        The download failed (offline); the message says where to put the file.

    Examples
    --------
    >>> from sklearn_tabbias.datasets import fetch_intrusion
    >>> frame, target = fetch_intrusion()  # doctest: +SKIP
    """
    return _fetch("intrusion", "label", data_home, download_if_missing)


def paper_feature_types(name):
    """Column likelihoods of the authors' preprocessed table ``name``.

    Returns
    -------
    types : dict
        Column name -> ``"gaussian"``, ``"bernoulli"`` or ``"categorical"``
        (transcribed from the authors' metadata).

    Examples
    --------
    >>> from sklearn_tabbias.datasets import paper_feature_types
    >>> paper_feature_types("adult")["workclass"]
    'categorical'
    """
    _check_paper_name(name)
    text = resources.files("sklearn_tabbias").joinpath("_paper_columns.json")
    return json.loads(text.read_text())[name]


def _check_paper_name(name):
    if name not in PAPER_DATASETS:
        raise ValueError(
            f"name must be one of {list(PAPER_DATASETS)} (the tables the authors "
            f"published preprocessed splits for), got {name!r}."
        )


def fetch_paper_splits(name, data_home=None, download_if_missing=True):
    """The authors' preprocessed splits of a benchmark table (paper route (a)).

    Gaussian columns are z-scored, binary columns 0/1, categorical columns
    integer codes; the target is the last column, ``"label"``. ``n`` (10,000
    rows) is the pool the generators train on, ``m`` (7,500) and ``l`` (2,000)
    are held out for the divergence estimates; ``train300`` is the exact 300-row
    subset the authors' low-data runs trained on.

    Parameters
    ----------
    name : {"adult", "king", "news", "intrusion"}
        The table.
    data_home : str or path-like, optional
        Folder of the data files (see :func:`get_data_home`); the files live
        under ``name/``.
    download_if_missing : bool, default=True
        Download missing files from the authors' repository.

    Returns
    -------
    splits : Bunch
        ``n``, ``m``, ``l``, ``train300`` (DataFrames), ``target`` ("label"),
        ``feature_types`` (see :func:`paper_feature_types`) and
        ``categorical_features`` (the categorical and binary columns).
    """
    _check_paper_name(name)
    remote = {
        "n": f"data/processed_data/{name}/preprocessed_data_n.csv",
        "m": f"data/processed_data/{name}/preprocessed_data_m.csv",
        "l": f"data/processed_data/{name}/preprocessed_data_l.csv",
        "train300": f"results/low_data/{name}/vae/seed_0_real_data.csv",
    }
    local = {
        "n": "preprocessed_data_n.csv",
        "m": "preprocessed_data_m.csv",
        "l": "preprocessed_data_l.csv",
        "train300": "real_train_n300.csv",
    }
    frames = {
        key: pd.read_csv(
            _fetch_file(
                _Source(f"{name}/{local[key]}", f"{_AUTHORS}/{remote[key]}"),
                data_home,
                download_if_missing,
            )
        )
        for key in local
    }
    types = paper_feature_types(name)
    discrete = [c for c, kind in types.items() if kind != "gaussian"]
    return Bunch(
        **frames,
        target="label",
        feature_types=types,
        categorical_features=discrete,
    )


def load_breast_cancer():
    """Load sklearn's bundled breast-cancer table with its target as a category.

    569 rows, 30 numeric features and the ``"diagnosis"`` column
    (``"malignant"``/``"benign"``, a pandas category). Bundled with
    scikit-learn, so it needs no download.

    Returns
    -------
    frame : DataFrame of shape (569, 31)
        Features and the target column.
    target : str
        The name of the target column, ``"diagnosis"``.

    Examples
    --------
    >>> from sklearn_tabbias.datasets import load_breast_cancer
    >>> frame, target = load_breast_cancer()
    >>> frame.shape, target
    ((569, 31), 'diagnosis')
    """
    bunch = _sk_datasets.load_breast_cancer(as_frame=True)
    frame = bunch.data.copy()
    names = pd.Categorical.from_codes(bunch.target, categories=bunch.target_names)
    frame["diagnosis"] = names
    return frame, "diagnosis"
