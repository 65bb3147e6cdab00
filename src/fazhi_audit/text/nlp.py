"""Word segmentation: spaCy's Chinese tokenizer with the pkuseg CTB8 model.

spacy-pkuseg ships no model and would download one at first use, which fails
offline.  The PyPI wheel pkuseg==0.0.12 carries a CTB8 model in the old text
format; spacy-pkuseg loads features.msgpack + weights.npz.  On first use
`model_prep` writes those (pruned) into a user cache directory, once, in a
child process; site-packages is never written to.

The pipeline is built at most once per process (`get_segmenter`).  If no
model can be had we fall back to character segmentation with a warning.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import subprocess
import sys
import tempfile
import warnings
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from fazhi_audit.base.cache_lock import cache_lock

MODEL_ENV = "FAZHI_AUDIT_PKUSEG_MODEL"
CACHE_ENV = "FAZHI_AUDIT_CACHE"
PRUNE_ENV = "FAZHI_AUDIT_PRUNE"  # drop features with all |w| below this; 0 keeps the full model
DEFAULT_PRUNE = 0.05
_CONVERTED = ("features.msgpack", "weights.npz")
# Starts every warning about falling back to character segmentation, so the run
# layer can say it once on stderr instead of only inside each report.
FALLBACK_MARK = "分词模型不可用："
# Measured with benchmarks/bench_first_run.py; README.md quotes the same figure.
FIRST_RUN_MESSAGE = "首次使用：正在准备分词模型（约 5 秒，仅此一次）……"
WAITING_MESSAGE = "另一个 fazhi-audit 进程正在准备分词模型，等待其完成……"


def cache_root() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fazhi-audit"


def bundled_model_dir() -> Path | None:
    """The CTB8 model inside the pkuseg wheel, located without importing it."""
    spec = find_spec("pkuseg")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "models" / "ctb8"
    return path if (path / "model.txt").exists() or _is_converted(path) else None


def _is_converted(path: Path) -> bool:
    return all((path / name).exists() for name in _CONVERTED)


def prune_threshold() -> float:
    return float(os.environ.get(PRUNE_ENV, DEFAULT_PRUNE))


def loadable_model_dir(source: Path, cache: Path) -> Path:
    """The converted (and, by default, pruned) model to load, preparing it once."""
    return _prepared(source, cache, prune_threshold())


def prepare_model_dir(source: Path, cache: Path) -> Path:
    """The converted, unpruned model (for comparisons and benchmarks)."""
    return _prepared(source, cache, 0.0)


def _prepared(source: Path, cache: Path, eps: float) -> Path:
    if eps <= 0 and _is_converted(source):
        return source
    name = source.name if _is_converted(source) else f"pkuseg-{source.name}"
    target = cache / (f"{name}-pruned-{eps:g}" if eps > 0 else name)
    if _is_converted(target):
        return target
    _require_writable(cache)  # before the first-run message: an unwritable cache is said once, as a warning
    # One preparation at a time: a second first run waits, then finds the model ready.
    with cache_lock(cache, waiting_note=WAITING_MESSAGE):
        if _is_converted(target):
            return target
        print(FIRST_RUN_MESSAGE, file=sys.stderr)
        # A child process, so the memory the preparation touches is freed before auditing.
        subprocess.run([sys.executable, "-m", "fazhi_audit.text.model_prep", str(source), str(target), str(eps)], check=True, capture_output=True)
    return target


def _require_writable(cache: Path) -> None:
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=cache):
            pass
    except OSError as exc:
        raise OSError(f"分词模型缓存目录 {cache} 无法写入（{exc.strerror or exc}）；可用环境变量 {CACHE_ENV} 指定可写的目录") from None


class Segmenter:
    """Tokenises sentences; caches results because sentences repeat across rules."""

    def __init__(self, model_dir: str | Path | None = None, user_words: list[str] | None = None):
        self.mode = "char"
        self.warning: str | None = None
        self.lexicon: tuple[set[str] | frozenset[str], ...] = ()
        self._nlp = None
        self.user_words: set[str] = set()  # in the model's user dictionary already
        self._load(model_dir, user_words or [])
        self.tokens = lru_cache(maxsize=20000)(self._tokens)

    def _load(self, model_dir, user_words: list[str]) -> None:
        source = Path(model_dir) if model_dir else (Path(os.environ[MODEL_ENV]) if os.environ.get(MODEL_ENV) else bundled_model_dir())
        if source is None or not source.is_dir():
            self.warning = FALLBACK_MARK + "未找到 pkuseg 分词模型（请安装 pkuseg==0.0.12 或设置 FAZHI_AUDIT_PKUSEG_MODEL），已改用逐字切分，模糊匹配可能不够准确"
            return
        try:
            target = loadable_model_dir(source, cache_root())
            from spacy.lang.zh import Chinese

            nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
            # spacy-pkuseg prints conversion chatter on stdout/stderr: keep our output clean.
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                nlp.tokenizer.initialize(pkuseg_model=str(target), pkuseg_user_dict="default")
            if user_words:
                nlp.tokenizer.pkuseg_update_user_dict(sorted(set(user_words)))
            self._nlp = nlp
            self.user_words = set(user_words)
            self.mode = "pkuseg"
            # The model's own training words plus spacy-pkuseg's default
            # dictionary, which the tokenizer already holds in memory.
            post = getattr(nlp.tokenizer.pkuseg_seg, "postprocesser", None)
            self.lexicon = (_read_lexicon(target), getattr(post, "other_words", set()))
        except Exception as exc:  # any failure here must degrade, not abort
            self.warning = FALLBACK_MARK + f"分词模型加载失败（{type(exc).__name__}: {exc}），已改用逐字切分，模糊匹配可能不够准确"
            self._nlp = None
            self.mode = "char"

    def _tokens(self, text: str) -> tuple[str, ...]:
        if self._nlp is None:
            return tuple(text)
        return tuple(t.text for t in self._nlp.tokenizer(text))

    def is_word(self, token: str) -> bool:
        return any(token in words for words in self.lexicon)


def _read_lexicon(model_dir: Path) -> frozenset[str]:
    """Words the CTB8 model was trained on: tells a typo from a different word."""
    path = model_dir / "unigram_word.txt"
    try:
        return frozenset(path.read_text(encoding="utf-8").split())
    except OSError:
        return frozenset()


def ensure_converted(model_dir: str | None = None) -> None:
    """Convert the model once before a process pool starts, so workers don't race."""
    source = Path(model_dir) if model_dir else (Path(os.environ[MODEL_ENV]) if os.environ.get(MODEL_ENV) else bundled_model_dir())
    if source is None:
        return
    try:
        loadable_model_dir(source, cache_root())
    except (OSError, subprocess.CalledProcessError):
        return  # each worker will fall back and warn on its own


_SEGMENTERS: dict[tuple, Segmenter] = {}


def get_segmenter(user_words: tuple[str, ...] = (), model_dir: str | None = None) -> Segmenter:
    """One pipeline per process and model; later calls only add user words."""
    key = (model_dir or os.environ.get(MODEL_ENV) or "",)
    seg = _SEGMENTERS.get(key)
    if seg is None:
        seg = Segmenter(model_dir, list(user_words))
        _SEGMENTERS[key] = seg
        # The model's many objects live as long as the process: keep them out of
        # the collector's full passes, which an audit's allocations otherwise
        # trigger over and over (a 1 MB report spent a fifth of its time there).
        gc.freeze()
    elif seg._nlp is not None and not seg.user_words.issuperset(user_words):
        # Only new words change the dictionary, and with it the cached tokens: an
        # auditor built again for the same rules (each web upload) keeps both.
        new = [word for word in dict.fromkeys(user_words) if word not in seg.user_words]
        seg._nlp.tokenizer.pkuseg_update_user_dict(new)
        seg.user_words.update(new)
        seg.tokens.cache_clear()
    return seg
