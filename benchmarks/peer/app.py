"""The yardstick: what a user would otherwise write. FastAPI + numpy + scikit-learn computing the same
/v1/log-loss response (mean loss via sklearn.metrics.log_loss, per-sample losses, class split, entropy/KL
breakdown) for hard labels and probabilities. Plain json.loads/json.dumps (faster than a pydantic model here)."""
import json
import math

import numpy as np
from fastapi import FastAPI, Request
from fastapi.responses import Response
from sklearn.metrics import log_loss

app = FastAPI()
EPS = float(np.finfo(np.float64).eps)


@app.post("/v1/log-loss")
async def score(request: Request) -> Response:
    body = json.loads(await request.body())
    y = np.asarray(body["labels"], dtype=np.float64)
    p = np.asarray(body["probabilities"], dtype=np.float64)
    w = np.asarray(body["weights"], dtype=np.float64) if body.get("weights") is not None else np.ones_like(y)
    include = (body.get("options") or {}).get("includeLosses", True)

    clipped = np.clip(p, EPS, 1 - EPS)
    positive = -y * np.log(clipped)
    negative = -(1 - y) * np.log1p(-clipped)
    losses = positive + negative
    weight = float(w.sum())
    mean = float(log_loss(y, p, sample_weight=w, labels=[0, 1]))
    n = len(y)
    standard_error = math.sqrt(n / (n - 1) * float((w * w * (losses - mean) ** 2).sum())) / weight if n > 1 else None
    base_rate = float((w * y).sum()) / weight
    base_entropy = -(base_rate * math.log(base_rate) + (1 - base_rate) * math.log1p(-base_rate)) if 0 < base_rate < 1 else 0.0
    result = {
        "count": n,
        "weightSum": weight,
        "meanLoss": mean,
        "sumLoss": float((w * losses).sum()),
        "unit": "nats",
        "clippedCount": int(((p < EPS) | (p > 1 - EPS)).sum()),
        "standardError": standard_error,
        "classes": {
            "positive": {"count": int((y == 1).sum()), "weight": float((w * y).sum()), "lossSum": float((w * positive).sum())},
            "negative": {"count": int((y == 0).sum()), "weight": float((w * (1 - y)).sum()), "lossSum": float((w * negative).sum())},
        },
        "entropy": {
            "crossEntropy": mean,
            "labelEntropy": 0.0,
            "klDivergence": mean,
            "baseRate": base_rate,
            "baseRateEntropy": base_entropy,
            "informationGain": base_entropy - mean,
            "perplexity": math.exp(mean),
        },
    }
    if include:
        result["losses"] = losses.tolist()
    return Response(json.dumps(result), media_type="application/json")
