"""Writes the load test's bodies into a folder: the seed (also sent to the calibration), 100 and 10,000 samples,
100 x 5 multiclass, the seed's logistic regression, a 100-sample comparison of two models, and one large body of N
samples."""
import json
import random
import sys

folder, large = sys.argv[1], int(sys.argv[2])
random.seed(20261124)


def body(n):
    labels = [random.randint(0, 1) for _ in range(n)]
    probabilities = [round(min(max(random.random(), 0.001), 0.999), 6) for _ in range(n)]
    return {"labels": labels, "probabilities": probabilities}


with open("tests/fixtures/seed-example.json", encoding="utf-8") as seed:
    json.dump(json.load(seed)["request"], open(f"{folder}/seed.json", "w", encoding="utf-8"))
json.dump(body(100), open(f"{folder}/small.json", "w", encoding="utf-8"))
json.dump(body(10_000), open(f"{folder}/medium.json", "w", encoding="utf-8"))


def row(classes):
    values = [random.random() + 1e-3 for _ in range(classes)]
    return [v / sum(values) for v in values]


json.dump({"labels": [random.randint(0, 4) for _ in range(100)], "probabilities": [row(5) for _ in range(100)], "options": {"renormalize": True}},
          open(f"{folder}/multiclass.json", "w", encoding="utf-8"))
small = body(100)
json.dump({"labels": small["labels"], "models": [{"name": "a", "probabilities": small["probabilities"]},
                                               {"name": "b", "probabilities": [round(1 - p, 6) for p in small["probabilities"]]}]},
          open(f"{folder}/compare.json", "w", encoding="utf-8"))
json.dump({"x": [-2.2, -1.4, -0.8, 0.2, 0.4, 0.8, 1.2, 2.2, 2.9, 4.6], "y": [0, 0, 1, 0, 1, 1, 1, 1, 1, 1]},
          open(f"{folder}/regression.json", "w", encoding="utf-8"))

# The large body is streamed out: labels, then probabilities with 7 decimals (about 12 bytes per sample in all).
with open(f"{folder}/large.json", "w", encoding="ascii") as out:
    out.write('{"includeLosses":false,"labels":[')
    out.write(",".join("1" if i % 3 else "0" for i in range(large)))
    out.write('],"probabilities":[')
    out.write(",".join(f"0.{(i * 7919) % 9999999 + 1:07d}" for i in range(large)))
    out.write("]}")
