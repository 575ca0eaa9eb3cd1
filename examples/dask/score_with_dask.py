#!/usr/bin/env python3
"""Score a partitioned dataset with LogLossApi from a Dask cluster, and merge the pieces' states.

A distributed.LocalCluster with two worker processes reads a dataset of CSV partitions (generated here with a fixed
seed), and each task sends its partition to the service with includeState=true&includeLosses=false, round-robin over
the service URLs given (two replicas on loopback, as behind a Kubernetes Service). The states come back to the driver,
which merges them with POST /v1/log-loss/merge twice: flat (all states in one call) and as a tree (pairs merged by
Dask tasks, round after round). It also sends all the rows as one request, and prints how far each merged figure is
from that request's.

- binary (/v1/log-loss) and calibration (/v1/log-loss/calibration) take each partition as CSV;
- multiclass and compare take JSON only, so their tasks send the partition's columns as JSON.

Usage:
  python3 score_with_dask.py --services http://127.0.0.1:5000,http://127.0.0.1:5001 [--rows 1000000] [--partitions 8]
                             [--kinds binary,multiclass,compare,calibration] [--data DIR] [--out result.json]

Needs Debian's python3-dask, python3-distributed, python3-pandas and python3-requests (2022.12 or later).
"""

import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import requests
from dask import delayed
from distributed import Client, LocalCluster

ENDPOINTS = {
    "binary": "/v1/log-loss",
    "multiclass": "/v1/log-loss/multiclass",
    "compare": "/v1/log-loss/compare",
    "calibration": "/v1/log-loss/calibration",
}


def generate(directory, rows, partitions, seed=15):
    """Writes the dataset as CSV partitions part-000.csv, ...: labels, forecasts of two models and three classes."""
    os.makedirs(directory, exist_ok=True)
    random = np.random.default_rng(seed)
    x = random.normal(size=rows)
    label = (random.random(rows) < 1 / (1 + np.exp(-2 * x))).astype(np.int64)
    raw = np.exp(random.normal(size=(rows, 3)) + np.outer(x, [-1.0, 0.0, 1.0]))
    frame = pd.DataFrame({
        "label": label,
        "probability": 1 / (1 + np.exp(-1.5 * x - 0.1 * random.normal(size=rows))),
        "other": np.clip(0.5 + 0.3 * np.tanh(x) + 0.05 * random.normal(size=rows), 0, 1),
        "weight": random.uniform(0.5, 2.0, size=rows),
        "class": np.digitize(x + 0.5 * random.normal(size=rows), [-0.5, 0.5]),
        "p0": raw[:, 0] / raw.sum(axis=1),
        "p1": raw[:, 1] / raw.sum(axis=1),
        "p2": raw[:, 2] / raw.sum(axis=1),
    })
    paths = []
    for k, part in enumerate(np.array_split(frame, partitions)):
        path = os.path.join(directory, f"part-{k:03d}.csv")
        part.to_csv(path, index=False)
        paths.append(path)
    return paths


def body_of(kind, frame, include_state):
    """The request of one kind for these rows: (content type, bytes, query string)."""
    state = "includeState=true&" if include_state else ""
    if kind in ("binary", "calibration"):
        csv = frame[["label", "probability", "weight"]].to_csv(index=False).encode()
        return "text/csv", csv, "?" + state + ("includeLosses=false" if kind == "binary" else "bins=20")
    options = {"includeState": True} if include_state else {}
    if kind == "multiclass":
        options["includeLosses"] = False
        body = {
            "labels": frame["class"].tolist(),
            "probabilities": frame[["p0", "p1", "p2"]].values.tolist(),
            "weights": frame["weight"].tolist(),
            "classNames": ["low", "middle", "high"],
            "options": options,
        }
    else:
        body = {
            "labels": frame["label"].tolist(),
            "weights": frame["weight"].tolist(),
            "models": [
                {"name": "model", "probabilities": frame["probability"].tolist()},
                {"name": "baseline", "probabilities": frame["other"].tolist()},
            ],
            "options": options,
        }
    return "application/json", json.dumps(body).encode(), ""


def post(url, content_type, data):
    response = requests.post(url, data=data, headers={"Content-Type": content_type}, timeout=600)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code} {response.text[:500]}")
    return response.json()


def score_partition(path, kind, service):
    """A Dask task: read one partition, score it on one replica, keep only the state."""
    frame = pd.read_csv(path)
    content_type, data, query = body_of(kind, frame, include_state=True)
    return post(service + ENDPOINTS[kind] + query, content_type, data)["state"]


def merge_states(states, service, options):
    return post(service + "/v1/log-loss/merge", "application/json", json.dumps({"states": states, "options": options}).encode())


def merge_pair(left, right, service):
    """A Dask task of the tree: two states merged into one (in nats, the states' unit)."""
    return merge_states([left, right], service, {})["state"]


def report_options(kind):
    return {"calibration": {"bins": 20}}.get(kind, {})


def differences(expected, actual, path=""):
    """The largest relative difference between two reports' numbers (the keys of expected), and where it is."""
    worst = (0.0, path)
    if isinstance(expected, dict):
        for key, value in expected.items():
            if key in ("losses", "state"):
                continue
            worst = max(worst, differences(value, actual.get(key), f"{path}.{key}"))
    elif isinstance(expected, list):
        for i, value in enumerate(expected):
            worst = max(worst, differences(value, actual[i], f"{path}[{i}]"))
    elif isinstance(expected, float) and actual is not None:
        scale = max(abs(expected), 1e-300)
        worst = max(worst, (abs(expected - actual) / scale if abs(expected - actual) > 1e-15 else 0.0, path))
    return worst


def summary(kind, whole, flat, tree):
    """How the merged reports compare with one request: every figure for the exact kinds, the documented bounds for calibration."""
    if kind != "calibration":
        name = "meanLoss" if "meanLoss" in flat else "meanDifference"
        mean = flat["meanLoss"] if "meanLoss" in flat else flat["comparisons"][0]["meanDifference"]
        return f"{name} {mean:.12g}; vs one request: flat {differences(whole, flat)[0]:.1e}, tree {differences(whole, tree)[0]:.1e}"

    def exact_part(report):
        return {"meanLoss": report["meanLoss"], "uncertainty": report["decomposition"]["uncertainty"],
                "bins": report["bins"], "expectedCalibrationError": report["expectedCalibrationError"]}

    exact = max(differences(exact_part(whole), exact_part(merged))[0] for merged in (flat, tree))
    below = [max(merged["decomposition"][term] - whole["decomposition"][term] for merged in (flat, tree))
             for term in ("miscalibration", "discrimination")]
    return (f"meanLoss {flat['meanLoss']:.12g}; vs one request: meanLoss, uncertainty, bins {exact:.1e}; "
            f"miscalibration {below[0]:+.1e}, discrimination {below[1]:+.1e}")


def run(args):
    services = args.services.split(",")
    directory = args.data or tempfile.mkdtemp(prefix="loglossapi-dask-")
    paths = generate(directory, args.rows, args.partitions)
    result = {"rows": args.rows, "partitions": args.partitions, "replicas": len(services), "kinds": {}}
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        for kind in args.kinds.split(","):
            started = time.perf_counter()
            futures = [client.submit(score_partition, path, kind, services[i % len(services)], pure=False) for i, path in enumerate(paths)]
            states = client.gather(futures)
            scored = time.perf_counter() - started

            flat = merge_states(states, services[0], report_options(kind))
            level = [delayed(lambda s: s)(s) for s in states]
            while len(level) > 1:
                level = [delayed(merge_pair)(level[i], level[i + 1], services[(i // 2) % len(services)]) if i + 1 < len(level) else level[i]
                         for i in range(0, len(level), 2)]
            tree_state = level[0].compute()
            tree = merge_states([tree_state], services[0], report_options(kind))

            whole_frame = pd.concat([pd.read_csv(p) for p in paths], ignore_index=True)
            content_type, data, query = body_of(kind, whole_frame, include_state=False)
            whole = post(services[0] + ENDPOINTS[kind] + query, content_type, data)

            result["kinds"][kind] = {
                "seconds": scored,
                "rowsPerSecond": args.rows / scored,
                "stateBytes": sum(len(json.dumps(s)) for s in states),
                "whole": whole,
                "flat": flat,
                "tree": tree,
            }
            print(f"{kind:11} {args.rows:,} rows, {len(paths)} partitions, {len(services)} replica(s): {scored:.2f} s "
                  f"({args.rows / scored:,.0f} rows/s); " + summary(kind, whole, flat, tree), flush=True)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            json.dump(result, out)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", required=True, help="comma-separated base URLs of the service's replicas")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kinds", default="binary,multiclass,compare,calibration")
    parser.add_argument("--data", help="directory for the CSV partitions (default: a new temporary one)")
    parser.add_argument("--out", help="write every report (one request, flat merge, tree merge) to this JSON file")
    run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
