"""One-off preparation of the pkuseg model: convert, and prune on the way.

Runs in a child process (``python -m fazhi_audit.text.model_prep``) so whatever
the preparation touches is returned to the system before auditing starts.

The pkuseg==0.0.12 wheel carries CTB8 in the old text format.  spacy-pkuseg
can convert it itself, but it reads the 68 MB weight file with
``readlines()`` and all 1.58M features into one dict, peaking at ~1.1 GB.
We write the same two files (features.msgpack + weights.npz) ourselves:
weights are parsed by numpy straight into one array and the feature index
is streamed, keeping only the features that survive pruning.  The result is
the same model spacy-pkuseg would write, then pruned (tests/test_model_prep.py).

Pruning drops node features whose weights are negligible for every tag
(|w| < eps).  With eps = 0.05 it keeps 508k of 1.58M CTB8 features, cuts a
loaded model from ~600 MB to ~370 MB resident, and agrees with the full
model on 99.95% of word boundaries over seeds/ and tests/corpus/.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import srsly

CONVERTED = ("features.msgpack", "weights.npz")
_INDEX_PARTS = 10  # featureIndex.txt_0 … _9 in the text format
_LEXICON = "unigram_word.txt"  # read by nlp.py to tell typos from real words


def is_converted(path: Path) -> bool:
    return all((path / name).exists() for name in CONVERTED)


def read_weights(model_dir: Path) -> tuple[int, np.ndarray]:
    """(n_tag, weights) from weights.npz or, failing that, model.txt."""
    if (model_dir / "weights.npz").exists():
        npz = np.load(model_dir / "weights.npz")
        return int(npz["sizes"][0]), npz["w"]
    path = model_dir / "model.txt"  # n_tag, size, then one weight a line
    with open(path, encoding="utf-8") as reader:
        n_tag, size = int(reader.readline()), int(reader.readline())
    # numpy's C parser: a tenth of the memory and time of reading lines in Python.
    values = np.loadtxt(path, skiprows=2, max_rows=size, dtype=np.float64, ndmin=1)
    w = np.zeros(size)
    # spacy-pkuseg's own converter reads only size - 2 weights and leaves the
    # last two at zero; do the same so the model behaves exactly as before.
    w[: size - 2] = values[: size - 2]
    return n_tag, w


def iter_features(model_dir: Path) -> Iterator[tuple[str, int]]:
    """(feature, index) pairs in file order; a repeated feature's last index wins."""
    if (model_dir / "features.msgpack").exists():
        yield from srsly.read_msgpack(model_dir / "features.msgpack")["feature_to_idx"].items()
        return
    for part in range(_INDEX_PARTS):
        with open(model_dir / f"featureIndex.txt_{part}", encoding="utf-8") as reader:
            for line in reader:
                feature, index = line.split(" ")
                yield feature.split(".", 1)[1] if "." in feature else "", int(index)


def read_vocab(model_dir: Path) -> dict:
    """Everything features.msgpack holds except the feature index."""
    if (model_dir / "features.msgpack").exists():
        data = srsly.read_msgpack(model_dir / "features.msgpack")
        return {"unigram": data["unigram"], "bigram": data["bigram"], "tag_to_idx": data["tag_to_idx"]}

    def words(name: str) -> list[str]:
        with open(model_dir / name, encoding="utf-8") as reader:
            return sorted({line.strip() for line in reader})

    tags = {}
    with open(model_dir / "tagIndex.txt", encoding="utf-8") as reader:
        for line in reader:
            tag, index = line.split(" ")
            tags[tag] = int(index)
    return {"unigram": words("unigram_word.txt"), "bigram": words("bigram_word.txt"), "tag_to_idx": tags}


def prune(full: Path, target: Path, eps: float) -> int:
    """Write the model in ``full`` (text or converted) to ``target``, keeping
    node features with some |w| >= eps (all of them when eps <= 0).
    Returns the number of feature weight rows kept."""
    n_tag, w = read_weights(full)
    n_feature = w.shape[0] // n_tag - n_tag
    node = w[: n_feature * n_tag].reshape(n_feature, n_tag)
    edge = w[n_feature * n_tag :]
    keep = np.abs(node).max(axis=1) >= eps if eps > 0 else np.ones(n_feature, dtype=bool)
    keep[0] = True  # index 0 is the fallback feature of every character
    new_index = np.cumsum(keep) - 1
    feature_to_idx: dict[str, int] = {}
    for feature, index in iter_features(full):
        if keep[index]:
            feature_to_idx[feature] = int(new_index[index])
        else:
            feature_to_idx.pop(feature, None)  # a later duplicate replaces an earlier one
    data = read_vocab(full)
    data["feature_to_idx"] = feature_to_idx
    data = {k: data[k] for k in ("unigram", "bigram", "feature_to_idx", "tag_to_idx")}
    # Write beside the target and rename, so a concurrent reader never sees half a model.
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    srsly.write_msgpack(tmp / "features.msgpack", data)
    del data, feature_to_idx
    np.savez(tmp / "weights.npz", sizes=np.array([n_tag, int(keep.sum())]), w=np.concatenate([node[keep].ravel(), edge]))
    if (full / _LEXICON).exists():
        shutil.copy2(full / _LEXICON, tmp / _LEXICON)
    try:
        tmp.rename(target)
    except OSError:  # another process won the race: its copy is as good
        shutil.rmtree(tmp, ignore_errors=True)
    return int(keep.sum())


def main(argv: list[str]) -> int:
    source, target, eps = Path(argv[0]), Path(argv[1]), float(argv[2])
    if not is_converted(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        prune(source, target, eps)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
