"""Pruning keeps the fallback feature and re-indexes weights consistently."""

import numpy as np
import srsly

from fazhi_audit.model_prep import prune


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
