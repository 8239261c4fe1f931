"""Sphinx configuration: ``python -m sphinx -W -b html docs docs/_build/html``."""

import os

import sklearn_tabbias

project = "sklearn_tabbias"
author = "sklearn_tabbias developers"
release = version = sklearn_tabbias.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py"]
autosummary_generate = True
autodoc_default_options = {
    "members": True,
    "inherited-members": False,
    # sklearn's generated metadata-routing setters cite sklearn's own glossary
    "exclude-members": "set_fit_request, set_score_request, set_transform_request, "
    "set_inverse_transform_request, set_sample_request",
}
numpydoc_show_class_members = False
numpydoc_validation_checks = set()
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "sklearn": ("https://scikit-learn.org/stable", None),
}
# Offline builds (CI, no internet) skip intersphinx instead of warning.
if os.environ.get("SKLEARN_TABBIAS_DOCS_OFFLINE"):
    intersphinx_mapping = {}
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
}
html_theme = "alabaster"
html_static_path = []
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]
