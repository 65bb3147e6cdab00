"""The review desk's costs: storing and ranking a round, the ranking page, the store's size.

    python benchmarks/bench_desk.py [--reports 300] [--runs 3] [--page-rows 1000] [--jobs 2]

Prints
  bare audit      -- run() on --reports report files (copies of the seeds, each with
                     its own body name), what `check` does; timed once (it is the long part)
  store+rank      -- what the desk adds to that audit: each result rendered as the
                     JSON and HTML the store keeps, fingerprints, one transaction
                     writing every submission into a new SQLite store, and the ranking
                     query; median over --runs, and as a share of the bare audit
  ranking page    -- GET /desk/rounds/<id> for a round of --page-rows submissions,
                     through the web application (median over 5 requests after one warm-up)
  bytes/report    -- the SQLite store's size after a checkpoint, divided by the reports,
                     with the average original file and stored result, and what the
                     compressed HTML report adds once a report is viewed
Targets (issue 22): store+rank <= 10 % of the bare audit; ranking page <= 500 ms.
"""

from __future__ import annotations

import argparse
import copy
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def make_reports(folder: Path, count: int) -> list[str]:
    """`count` report files: the seeds in turn, the body in each title made unique (某镇 -> 某镇N号)."""
    names = []
    for n in range(count):
        seed = SEEDS[n % len(SEEDS)]
        lines = seed.read_text(encoding="utf-8").splitlines()
        title = next(i for i, line in enumerate(lines) if "报告" in line)
        lines[title] = f"第{n}片区" + lines[title]
        name = f"r{n:04d}.txt"
        (folder / name).write_text("\n".join(lines), encoding="utf-8")
        names.append(name)
    return names


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--page-rows", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    from fazhi_audit.desk.services import rounds, submissions
    from fazhi_audit.desk.services.audits import from_run
    from fazhi_audit.desk.store import open_store
    from fazhi_audit.engine.options import Options
    from fazhi_audit.engine.run import run

    with tempfile.TemporaryDirectory(prefix="bench-desk-") as tmp:
        tmp = Path(tmp)
        reports = tmp / "reports"
        reports.mkdir()
        names = make_reports(reports, args.reports)
        here = os.getcwd()
        os.chdir(reports)
        try:
            run(Options(tuple(names[:1]), isolated=True, jobs=1))  # model and rules loaded before timing
            started = time.perf_counter()
            outcome = run(Options(tuple(names), isolated=True, jobs=args.jobs, with_baseline=False))
            bare = time.perf_counter() - started
        finally:
            os.chdir(here)
        print(f"bare audit      {bare:8.2f} s  ({args.reports} reports, --jobs {args.jobs}, once)")

        datas = {name: (reports / name).read_bytes() for name in names}
        times = []
        for k in range(args.runs):
            results = copy.deepcopy(outcome)
            started = time.perf_counter()
            audited = from_run(results)
            for item in audited:
                item.data = datas[item.name]
            store = open_store(str(tmp / f"store{k}.db"))
            round_id = rounds.create_round(store, 2024)
            submissions.record(store, round_id, audited)
            rounds.ranking(store, round_id)
            times.append(time.perf_counter() - started)
            store.close()
        extra = statistics.median(times)
        print(f"store+rank      {extra:8.2f} s  = {100 * extra / bare:.1f} % of the bare audit (median of {args.runs}; target <= 10 %)")

        path = tmp / "store0.db"
        with sqlite3.connect(path) as raw:
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            sizes = raw.execute("SELECT avg(length(data)), avg(length(result_json)) FROM submissions").fetchone()
        size = path.stat().st_size
        print(f"bytes/report    {size / args.reports:8.0f} B  (store {size / 1e6:.1f} MB; average original {sizes[0]:.0f} B, result JSON {sizes[1]:.0f} B; "
              f"the HTML report, made on a report's first view, adds about {html_bytes(outcome):.0f} B)")

        # the ranking page: a round of --page-rows submissions, cloned from the audited ones
        store = open_store(str(tmp / "page.db"))
        round_id = rounds.create_round(store, 2024)
        base = from_run(copy.deepcopy(outcome))
        batch = []
        for n in range(args.page_rows):
            item = copy.copy(base[n % len(base)])
            item.name, item.body, item.data = f"p{n:04d}.txt", f"第{n}单位", datas[names[n % len(names)]] + f"\n{n}".encode()
            batch.append(item)
        submissions.record(store, round_id, batch)
        store.close()
        page_ms = ranking_page(str(tmp / "page.db"), round_id)
        print(f"ranking page    {page_ms:8.0f} ms ({args.page_rows} submissions, median of 5; target <= 500 ms)")


def html_bytes(outcome) -> float:
    """Average compressed HTML report, as kept once a report has been viewed."""
    from fazhi_audit.desk.services.audits import from_run

    made = from_run(copy.deepcopy(outcome), html=True)[:20]
    return statistics.mean(len(m.report_html) for m in made)


def ranking_page(store: str, round_id: int) -> float:
    from starlette.testclient import TestClient

    from fazhi_audit.web import ServeSettings, create_app

    client = TestClient(create_app(ServeSettings(workers=1, store=store)), base_url="http://127.0.0.1:8765")  # no audit processes: none needed
    client.get(f"/desk/rounds/{round_id}")
    times = []
    for _ in range(5):
        started = time.perf_counter()
        answer = client.get(f"/desk/rounds/{round_id}")
        times.append(time.perf_counter() - started)
        assert answer.status_code == 200
    return 1000 * statistics.median(times)


if __name__ == "__main__":
    main()
