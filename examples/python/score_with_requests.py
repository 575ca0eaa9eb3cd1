#!/usr/bin/env python3
"""LogLossApi from Python with requests: a JSON body, a CSV body, and a dataset scored in two pieces and merged.

Usage: python3 score_with_requests.py --service http://127.0.0.1:5080
Needs python3-requests (Debian) or `pip install requests`. Exits 1 when an answer is not what this script expects.
"""

import argparse
import sys

import requests

LABELS = [0, 0, 1, 0, 1, 1, 1, 1, 1, 1]
PROBABILITIES = [0.18501694588837675, 0.33066645716621124, 0.46953487599649574, 0.7005509561946973, 0.7396807160034903,
                 0.8073813101077348, 0.8607888409403036, 0.9423394207361665, 0.9699431223066409, 0.9940973546598824]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--service", default="http://127.0.0.1:5080")
    service = parser.parse_args().service

    # 1. JSON: the article's ten points. requests sets Content-Type: application/json for json=.
    report = requests.post(f"{service}/v1/log-loss", json={"labels": LABELS, "probabilities": PROBABILITIES}, timeout=30)
    report.raise_for_status()
    mean = report.json()["meanLoss"]
    print(f"JSON:   meanLoss {mean:.6f} nats over {report.json()['count']} samples")

    # 2. CSV: the same rows; options go in the query string for CSV and Arrow bodies.
    csv = "label,probability\n" + "".join(f"{y},{p!r}\n" for y, p in zip(LABELS, PROBABILITIES))
    bits = requests.post(f"{service}/v1/log-loss", params={"unit": "bits", "includeLosses": "false"}, data=csv,
                         headers={"Content-Type": "text/csv"}, timeout=30)
    bits.raise_for_status()
    print(f"CSV:    meanLoss {bits.json()['meanLoss']:.6f} bits")

    # 3. Two pieces scored separately (on any replica), their states merged into the answer for all ten rows.
    states = []
    for piece in (slice(0, 4), slice(4, 10)):
        answer = requests.post(f"{service}/v1/log-loss", json={"labels": LABELS[piece], "probabilities": PROBABILITIES[piece],
                                                               "options": {"includeState": True, "includeLosses": False}}, timeout=30)
        answer.raise_for_status()
        states.append(answer.json()["state"])
    merged = requests.post(f"{service}/v1/log-loss/merge", json={"states": states}, timeout=30)
    merged.raise_for_status()
    print(f"Merged: meanLoss {merged.json()['meanLoss']:.6f} nats from {len(states)} states")

    # 4. A mistake: the error is problem+json that names the field and the index.
    wrong = requests.post(f"{service}/v1/log-loss", json={"labels": [0, 1], "probabilities": [0.2, 1.5]}, timeout=30)
    print(f"Error:  {wrong.status_code} {wrong.headers['Content-Type']}: {wrong.json()['errors']}")

    ok = (abs(merged.json()["meanLoss"] - mean) <= 1e-12 * mean and abs(bits.json()["meanLoss"] * 0.6931471805599453 - mean) <= 1e-12 * mean
          and wrong.status_code == 400 and "probabilities[1]" in wrong.json()["errors"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
