"""Read a multipart upload into a temporary folder, enforcing the limits while it streams.

Nothing unbounded is held in memory: each file part is written to disk as
its bytes arrive and counted; the request as a whole is counted too. The
first limit passed decides the answer (HTTP 413); for a per-file or
file-count limit the rest of the body is still read and discarded (up to
the request limit), because a browser that is cut off mid-upload shows a
"connection reset" instead of our page.

Files keep their own names (the report shows them), reduced to a plain
file name in the folder; two uploads of the same name get （2）, （3）….
"""

from __future__ import annotations

import asyncio
import codecs
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import (
    MultipartParser,
    MultipartState,
    parse_options_header,
)

from fazhi_audit.web.settings import MB

FILES_FIELD = "files"
TEXT_FIELD = "text"
TEXT_NAME = "粘贴的文本.txt"
SMALL_FIELD_BYTES = 1024  # csrf, profile
PREVIOUS_FIELD = "previous"  # last year's report of the same body, for quality.carry-over and quality.follow-through
_FIELDS = {TEXT_FIELD, "profile", "csrf"}
_NAME_BYTES = 180  # file-system names are at most 255 bytes; Chinese takes 3 each in UTF-8
_UNNAMED = "未命名文件"
MAX_BOUNDARY = 70  # RFC 2046: 1 to 70 characters
MALFORMED = "上传的数据不完整或格式不正确：请重新上传"


class UploadRefused(Exception):
    """The whole upload is refused: an HTTP status and one Chinese line."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Limits:
    file_bytes: int
    files: int
    total_bytes: int
    idle_seconds: float | None = None  # longest wait for the next chunk of the body
    total_seconds: float | None = None  # the whole body

    def too_large_total(self) -> UploadRefused:
        return UploadRefused(413, f"上传的内容超过 {self.total_bytes / MB:g} MB 的总上限：请分几次上传")

    def too_large_file(self, name: str) -> UploadRefused:
        return UploadRefused(413, f"文件“{name}”超过 {self.file_bytes / MB:g} MB 的上限：报告正文通常不到 5 MB，请去掉图片或附件后再上传")

    def too_many(self) -> UploadRefused:
        return UploadRefused(413, f"一次最多上传 {self.files} 个文件：请分几次上传")


@dataclass
class Received:
    folder: Path
    names: list[str] = field(default_factory=list)  # saved file names, in the order sent
    previous: str | None = None  # last year's report (field `previous`), saved as previous/<name> in the folder
    fields: dict[str, str] = field(default_factory=dict)


def safe_name(raw: str) -> str:
    """A plain file name from what a browser or program sent: no folders, no control characters, not too long."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if name in {"", ".", "..", "-"}:  # "-" would mean standard input to the run layer
        return _UNNAMED
    stem, suffix = os.path.splitext(name)
    if len(suffix.encode("utf-8")) > 20:
        stem, suffix = name, ""
    while len((stem + suffix).encode("utf-8")) > _NAME_BYTES:
        stem = stem[:-1]
    return (stem or _UNNAMED) + suffix


def _unique(folder: Path, name: str) -> Path:
    stem, suffix = os.path.splitext(name)
    path, n = folder / name, 1
    while path.exists():
        n += 1
        path = folder / f"{stem}（{n}）{suffix}"
    return path


class _Parts:
    """python-multipart callbacks: file parts to disk, small fields to memory, limits counted."""

    def __init__(self, received: Received, limits: Limits, charset: str):
        self.received = received
        self.limits = limits
        self.charset = charset
        self.header_name = b""
        self.header_value = b""
        self.disposition = b""
        self.field: str | None = None
        self.data = bytearray()
        self.file = None
        self.file_name = ""
        self.size = 0
        self.skip = False
        self.files = 0

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
        }

    def decode(self, value: bytes) -> str:
        return value.decode(self.charset, errors="replace")

    def on_part_begin(self) -> None:
        self.disposition, self.field, self.file, self.skip = b"", None, None, False
        self.data = bytearray()
        self.size = 0

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        if self.header_name.lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_name = self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.disposition)
        self.field = self.decode(options.get(b"name", b""))
        if b"filename" not in options:
            self.skip = self.field not in _FIELDS  # unknown fields are read past, not kept
            return
        raw = self.decode(options[b"filename"])
        if self.field == PREVIOUS_FIELD and raw and self.received.previous is None:
            self._open_previous(raw)
            return
        if self.field != FILES_FIELD or not raw:
            self.skip = True  # an empty file chooser sends a part with no name and no bytes
            return
        self.files += 1
        if self.files > self.limits.files:
            raise self.limits.too_many()
        path = _unique(self.received.folder, safe_name(raw))
        self.file = open(path, "xb")  # noqa: SIM115 - closed in on_part_end or close()
        self.file_name = path.name
        self.received.names.append(path.name)

    def _open_previous(self, raw: str) -> None:
        """Last year's report: one file, counted against the limits, kept apart from the reports checked."""
        self.files += 1
        if self.files > self.limits.files + 1:
            raise self.limits.too_many()
        where = self.received.folder / PREVIOUS_FIELD
        where.mkdir(exist_ok=True)
        path = _unique(where, safe_name(raw))
        self.file = open(path, "xb")  # noqa: SIM115 - closed in on_part_end or close()
        self.file_name = path.name
        self.received.previous = f"{PREVIOUS_FIELD}/{path.name}"

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.skip:
            return
        self.size += end - start
        if self.file is not None:
            if self.size > self.limits.file_bytes:
                raise self.limits.too_large_file(self.file_name)
            self.file.write(data[start:end])
            return
        cap = self.limits.file_bytes if self.field == TEXT_FIELD else SMALL_FIELD_BYTES
        if self.size > cap:
            raise self.limits.too_large_file("粘贴的文本") if self.field == TEXT_FIELD else UploadRefused(400, "表单字段过长")
        self.data += data[start:end]

    def on_part_end(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
        elif not self.skip and self.field:
            value = self.decode(bytes(self.data))
            if self.field == TEXT_FIELD:
                self._save_text(value)
            else:
                self.received.fields[self.field] = value.strip()

    def _save_text(self, text: str) -> None:
        if not text.strip():
            return
        self.files += 1
        if self.files > self.limits.files:
            raise self.limits.too_many()
        path = _unique(self.received.folder, TEXT_NAME)
        path.write_text(text.replace("\r\n", "\n"), encoding="utf-8")
        self.received.names.append(path.name)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


async def receive(request, folder: Path, limits: Limits) -> Received:
    """Parse `request` (multipart/form-data) into `folder`; raises UploadRefused."""
    content_type = request.headers.get("content-type", "")
    kind, params = parse_options_header(content_type)
    if kind != b"multipart/form-data" or not params.get(b"boundary"):
        raise UploadRefused(415, "请以 multipart/form-data 表单上传文件（字段 files，可多个）")
    if len(params[b"boundary"]) > MAX_BOUNDARY:
        raise UploadRefused(400, f"multipart 分隔串（boundary）过长（超过 {MAX_BOUNDARY} 个字符）：{MALFORMED}")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.total_bytes:
        raise limits.too_large_total()
    try:
        charset = codecs.lookup(params.get(b"charset", b"utf-8").decode("latin-1")).name
    except LookupError:
        charset = "utf-8"
    received = Received(folder)
    parts = _Parts(received, limits, charset)
    try:
        parser = MultipartParser(params[b"boundary"], parts.callbacks())
    except Exception:  # noqa: BLE001 - any boundary the parser cannot use is the sender's error
        raise UploadRefused(400, MALFORMED) from None
    refused: UploadRefused | None = None
    seen = 0
    try:
        async for chunk in _timed(request.stream(), limits):
            seen += len(chunk)
            if seen > limits.total_bytes:
                raise refused or limits.too_large_total()
            if refused is None:
                try:
                    parser.write(chunk)
                except UploadRefused as exc:
                    refused = exc  # read the rest and drop it, so the browser gets our answer
                    parts.close()
        if refused is not None:
            raise refused
        parser.finalize()
        if parser.state != MultipartState.END:  # the body stopped before its closing boundary
            raise UploadRefused(400, "上传的数据不完整：请重新上传")
    except (FormParserError, ValueError, UnicodeError, IndexError, TypeError):
        raise UploadRefused(400, MALFORMED) from None
    finally:
        parts.close()
    return received


async def _timed(stream, limits: Limits):
    """The body's chunks; UploadRefused (408) when the sender stalls or takes too long in all.

    A stalled body would otherwise hold its connection and temporary files
    for as long as the sender likes (608 s were seen)."""
    deadline = time.monotonic() + limits.total_seconds if limits.total_seconds else None
    iterator = stream.__aiter__()
    while True:
        wait = limits.idle_seconds
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise UploadRefused(408, f"上传用时超过 {limits.total_seconds:g} 秒的上限：请检查网络后重新上传，或分几次上传")
            wait = min(wait, left) if wait else left
        try:
            chunk = await asyncio.wait_for(iterator.__anext__(), wait)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise UploadRefused(408, "上传中断：长时间没有收到数据，请检查网络后重新上传") from None
        yield chunk
