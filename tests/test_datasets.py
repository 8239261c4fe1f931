import dataclasses
import gzip
import io
import zipfile

import pandas as pd
import pytest
from conftest import DATA_HOME

from sklearn_tabbias import datasets
from sklearn_tabbias.datasets import (
    fetch_adult,
    fetch_intrusion,
    fetch_king,
    fetch_letter,
    fetch_news,
    fetch_paper_splits,
    get_data_home,
)

needs_data = pytest.mark.skipif(
    not (DATA_HOME / "adult").exists(), reason="benchmark tables not found"
)


@needs_data
@pytest.mark.parametrize(
    "fetch, shape, target",
    [
        (fetch_adult, (32561, 15), "income"),
        (fetch_king, (21613, 20), "price"),
        (fetch_letter, (20000, 17), "lettr"),
    ],
)
def test_fetch_reads_the_local_copy(fetch, shape, target):
    frame, name = fetch(data_home=DATA_HOME, download_if_missing=False)
    assert frame.shape == shape and name == target and name in frame.columns


@needs_data
def test_adult_is_raw_with_missing_values_as_nan():
    frame, _ = fetch_adult(data_home=DATA_HOME)
    assert frame["workclass"].dtype == object
    assert frame["workclass"].isna().sum() == 1836
    assert not frame["workclass"].str.startswith(" ").any()


@needs_data
@pytest.mark.parametrize("name", datasets.PAPER_DATASETS)
def test_paper_splits(name):
    splits = fetch_paper_splits(name, data_home=DATA_HOME, download_if_missing=False)
    assert (len(splits.n), len(splits.m), len(splits.l)) == (10000, 7500, 2000)
    assert len(splits.train300) == 300
    assert list(splits.n.columns) == list(splits.feature_types)
    assert splits.n.columns[-1] == splits.target == "label"
    for column in splits.categorical_features:  # integer codes
        assert (splits.n[column] % 1 == 0).all()


def test_paper_splits_rejects_unknown_table():
    with pytest.raises(ValueError, match="name must be one of.*'letter'"):
        fetch_paper_splits("letter")


def test_environment_variable_selects_the_data_home(monkeypatch, tmp_path):
    monkeypatch.setenv("SKLEARN_TABBIAS_DATA", str(tmp_path))
    assert get_data_home() == tmp_path
    assert get_data_home(tmp_path / "other") == tmp_path / "other"


def _serve(monkeypatch, name, tmp_path, payload, filename):
    """Point a source at a local file:// URL holding ``payload``."""
    remote = tmp_path / "remote" / filename
    remote.parent.mkdir(exist_ok=True)
    remote.write_bytes(payload)
    source = dataclasses.replace(datasets.SOURCES[name], url=remote.as_uri())
    monkeypatch.setitem(datasets.SOURCES, name, source)
    return remote


def test_download_adds_the_header_and_caches(monkeypatch, tmp_path):
    rows = b"39, State-gov, 77516, Bachelors, 13, Never-married, Adm-clerical, "
    rows += b"Not-in-family, White, Male, 2174, 0, 40, ?, <=50K\n"
    remote = _serve(monkeypatch, "adult", tmp_path, rows * 3, "adult.data")
    home = tmp_path / "home"
    frame, target = fetch_adult(data_home=home)
    assert frame.shape == (3, 15) and target == "income"
    assert frame["native-country"].isna().all() and frame["age"].eq(39).all()
    assert (home / "adult" / "raw_uci" / "adult.csv").exists()
    assert not list(home.rglob("*.part"))
    remote.unlink()  # the second call reads the cache
    assert fetch_adult(data_home=home)[0].equals(frame)


def test_download_unpacks_news_zip(monkeypatch, tmp_path):
    csv = "url, timedelta, shares\nhttp://a, 731.0, 593\nhttp://b, 731.0, 711\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OnlineNewsPopularity/OnlineNewsPopularity.csv", csv)
    _serve(monkeypatch, "news", tmp_path, buffer.getvalue(), "news.zip")
    frame, target = fetch_news(data_home=tmp_path / "home")
    assert list(frame.columns) == ["url", "timedelta", "shares"]
    assert target == "shares" and frame["shares"].tolist() == [593, 711]


def test_download_unpacks_intrusion_gzip(monkeypatch, tmp_path):
    row = "0,tcp,http,SF,181,5450" + ",0" * 35 + ",normal.\n"
    _serve(monkeypatch, "intrusion", tmp_path, gzip.compress(row.encode()), "k.gz")
    frame, target = fetch_intrusion(data_home=tmp_path / "home")
    assert frame.shape == (1, 42) and frame[target].iloc[0] == "normal."
    assert frame["service"].iloc[0] == "http"


def test_offline_error_says_where_to_put_the_file(monkeypatch, tmp_path):
    missing = (tmp_path / "nowhere.data").as_uri()
    source = dataclasses.replace(datasets.SOURCES["letter"], url=missing)
    monkeypatch.setitem(datasets.SOURCES, "letter", source)
    with pytest.raises(OSError, match="Could not download .*SKLEARN_TABBIAS_DATA"):
        fetch_letter(data_home=tmp_path)
    assert not (tmp_path / "letter").exists()


def test_no_download_when_disabled(tmp_path):
    with pytest.raises(FileNotFoundError, match="king_raw.csv does not exist"):
        fetch_king(data_home=tmp_path, download_if_missing=False)


def test_fetch_returns_dataframes(monkeypatch, tmp_path):
    rows = b"T,2,8,3,5,1,8,13,0,6,6,10,8,0,8,0,8\n"
    _serve(monkeypatch, "letter", tmp_path, rows, "letter.data")
    frame, target = fetch_letter(data_home=tmp_path / "home")
    assert isinstance(frame, pd.DataFrame) and frame[target].iloc[0] == "T"
