"""Model preparation: pruning re-indexes consistently, conversion from pkuseg's text format
matches spacy-pkuseg's own, and the first run's peak memory stays near the steady state."""

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
import srsly
from conftest import ROOT

from fazhi_audit.text.model_prep import prune
from fazhi_audit.text.nlp import FIRST_RUN_MESSAGE


def test_prune_drops_negligible_features(tmp_path):
    full = tmp_path / "full"
    full.mkdir()
    n_tag = 2
    features = {"zero": 0, "weak": 1, "strong": 2, "mixed": 3}
    node = np.array([[0.0, 0.0], [0.01, -0.02], [0.5, -0.3], [0.001, 0.2]])
    edge = np.array([0.1, 0.2, 0.3, 0.4])
    srsly.write_msgpack(full / "features.msgpack", {"unigram": ["a"], "bigram": ["ab"], "feature_to_idx": features, "tag_to_idx": {"B": 0, "I": 1}})
    np.savez(full / "weights.npz", sizes=np.array([n_tag, 4]), w=np.concatenate([node.ravel(), edge]))
    target = tmp_path / "pruned"
    assert prune(full, target, 0.05) == 3
    data = srsly.read_msgpack(target / "features.msgpack")
    assert data["feature_to_idx"] == {"zero": 0, "strong": 1, "mixed": 2}
    npz = np.load(target / "weights.npz")
    assert list(npz["sizes"]) == [2, 3]
    w = npz["w"]
    assert np.allclose(w[2:4], [0.5, -0.3]) and np.allclose(w[-4:], edge)


def _text_model(path, n_tag=2):
    """A tiny model in pkuseg's old text format, as the pkuseg==0.0.12 wheel ships CTB8."""
    path.mkdir()
    features = ["$$", "c.甲", "c.乙", "c1.甲乙", "w.甲乙", "c.丙", "c.甲"]  # "c.甲" repeats: the later index wins
    for part in range(10):
        lines = [f"{part}.{f} {i}\n" for i, f in enumerate(features) if i % 10 == part]
        (path / f"featureIndex.txt_{part}").write_text("".join(lines), encoding="utf-8")
    n_feature = len(features)
    rng = np.random.default_rng(7)
    w = np.round(rng.choice([-1, 1], w_size := n_feature * n_tag + n_tag * n_tag) * rng.uniform(0.1, 1, w_size), 4)
    w[n_tag : 3 * n_tag] = [0.01, -0.02, 0.0, 0.03]  # negligible: the first "c.甲" and "c.乙"
    (path / "model.txt").write_text(f"{n_tag}\n{w.size}\n" + "".join(f"{x:.4f}\n" for x in w), encoding="utf-8")
    (path / "tagIndex.txt").write_text("B 0\nI 1\n", encoding="utf-8")
    (path / "unigram_word.txt").write_text("甲乙\n丙\n甲乙\n", encoding="utf-8")
    (path / "bigram_word.txt").write_text("甲*乙\n乙*丙\n", encoding="utf-8")
    return path


def _model(path):
    npz = np.load(path / "weights.npz")
    return srsly.read_msgpack(path / "features.msgpack"), list(npz["sizes"]), npz["w"]


def test_text_model_converts_as_spacy_pkuseg_would(tmp_path):
    from spacy_pkuseg.feature_extractor import FeatureExtractor
    from spacy_pkuseg.model import Model

    text = _text_model(tmp_path / "text")
    theirs = tmp_path / "theirs"
    shutil.copytree(text, theirs)
    with contextlib.redirect_stderr(io.StringIO()):  # their converter reports on stderr
        FeatureExtractor.load(str(theirs))
        Model.load(str(theirs))
    ours = tmp_path / "ours"
    assert prune(text, ours, 0) == 7  # weight rows: all kept
    their_data, their_sizes, their_w = _model(theirs)
    our_data, our_sizes, our_w = _model(ours)
    assert our_data == their_data and our_sizes == their_sizes and np.array_equal(our_w, their_w)
    assert len(our_data["feature_to_idx"]) == 6 and our_data["feature_to_idx"]["c.甲"] == 6
    # Pruning straight from text equals pruning the converted model.
    prune(text, tmp_path / "a", 0.05)
    prune(theirs, tmp_path / "b", 0.05)
    a, b = _model(tmp_path / "a"), _model(tmp_path / "b")
    assert a[0] == b[0] and a[1] == b[1] and np.array_equal(a[2], b[2])
    assert a[1] == [2, 5] and "c.乙" not in a[0]["feature_to_idx"] and a[0]["feature_to_idx"]["c.甲"] == 4
    assert (tmp_path / "a" / "unigram_word.txt").read_text(encoding="utf-8") == "甲乙\n丙\n甲乙\n"


def _peak_mb(cmd, cache):
    """Largest resident set of the process and its children, in MB (as /usr/bin/time -v)."""
    proc = subprocess.Popen(cmd, env={**os.environ, "FAZHI_AUDIT_CACHE": str(cache)}, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode("utf-8", "replace")
    assert proc.returncode in (0, 1), stderr
    return usage.ru_maxrss / 1024, stderr


@pytest.mark.slow  # a first run in a process of its own, measured
def test_first_run_peak_memory_is_at_most_half_again_the_steady_state(tmp_path):
    """Issue 11: the first run (model preparation) peaked at 1.16 GB against ~370 MB afterwards."""
    seed = min((ROOT / "seeds").glob("*.txt"))
    cmd = [sys.executable, "-m", "fazhi_audit", "check", str(seed), "--jobs", "1", "--format", "json", "--no-config"]
    first, message = _peak_mb(cmd, tmp_path / "cache")
    assert FIRST_RUN_MESSAGE in message and any((tmp_path / "cache").iterdir())
    warm, message = _peak_mb(cmd, tmp_path / "cache")
    assert FIRST_RUN_MESSAGE not in message
    assert first <= 1.5 * warm, f"first run {first:.0f} MB, warm {warm:.0f} MB"


def test_readme_quotes_the_first_run_duration_the_message_announces():
    (duration,) = re.findall(r"约 ?\d+ ?秒", FIRST_RUN_MESSAGE)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme[readme.index("## 快速开始") : readme.index("## 常用命令")]
    mentions = re.findall(r"准备分词模型[^。]*?(约 ?\d+ ?秒)", quick_start)
    assert mentions and set(mentions) == {duration}, mentions
