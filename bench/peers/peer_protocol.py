"""
The JSON-lines protocol between the xray-gpu benchmark harness (src/bench/peers.ts) and a peer
library (SciPy, OpenCV). One long-lived process per peer, so no request pays interpreter start-up
or import time.

Each line on stdin is one request; each answer is one line on stdout:
  {"id": 1, "cmd": "hello"}
      -> {"id": 1, "ok": true, "peer": "scipy", "version": "1.10.1", "numpy": "1.24.2",
          "python": "3.11.2", "threads": 1, "dtype": "float64", "notes": {...}}
  {"id": 2, "cmd": "time", "input": "/tmp/x.npy", "ops": [{"op": "gaussian", "sigma": 2}],
   "warmup": 1, "repeat": 5, "budget_s": 10}
      -> {"id": 2, "ok": true, "times_ms": [...]}       (one time per run of all `ops` in order)
      -> {"id": 2, "ok": false, "unsupported": true, "error": "..."}  (the peer has no such op)
      -> {"id": 2, "ok": false, "error": "..."}
  {"id": 3, "cmd": "quit"}

Timing: `warmup` untimed runs, then up to `repeat` timed runs with time.perf_counter; once
`budget_s` seconds of timed runs have passed and at least 3 runs exist, it stops early (so 4096x4096
cases stay bounded). The input is loaded once per path and converted to the peer's dtype outside
the timed region: the conversion is not part of what is measured.
"""
import json
import platform
import sys
import time

import numpy as np

MIN_RUNS_BEFORE_BUDGET_STOP = 3


class Unsupported(Exception):
    """The peer has no equivalent of the requested op."""


def _check_params(op, params, allowed):
    extra = sorted(set(params) - set(allowed))
    if extra:
        raise ValueError(f"op {op} takes {', '.join(allowed) or 'no parameters'}; got {', '.join(extra)}")


def serve(peer_name, version, dtype, ops, threads, notes):
    """
    Answers requests until stdin closes or "quit" comes.
    `ops` maps an op name to (function(x, **params) -> array, allowed parameter names); `x` is the
    input already in `dtype` (and the uint8 original is passed as `raw` to ops that want it).
    """
    cache = {}

    def load(path):
        if path not in cache:
            cache.clear()  # one size at a time: keep memory bounded at 4096x4096
            raw = np.load(path)
            cache[path] = (raw, raw.astype(dtype))
        return cache[path]

    def run_all(requests, raw, x):
        result = None
        for fn, params in requests:
            result = fn(x, raw=raw, **params)
        return result

    def resolve(op_list):
        resolved = []
        for request in op_list:
            params = dict(request)
            op = params.pop("op")
            if op not in ops:
                raise Unsupported(f"{peer_name} has no equivalent of {op}")
            fn, allowed = ops[op]
            _check_params(op, params, allowed)
            resolved.append((fn, params))
        return resolved

    def answer(message):
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        request = json.loads(line)
        rid = request.get("id")
        cmd = request.get("cmd")
        try:
            if cmd == "hello":
                answer({"id": rid, "ok": True, "peer": peer_name, "version": version, "numpy": np.__version__,
                        "python": platform.python_version(), "threads": threads, "dtype": np.dtype(dtype).name,
                        "ops": sorted(ops), "notes": notes})
            elif cmd == "time":
                resolved = resolve(request["ops"])
                raw, x = load(request["input"])
                for _ in range(int(request.get("warmup", 1))):
                    run_all(resolved, raw, x)
                times = []
                budget = float(request.get("budget_s", float("inf")))
                spent = 0.0
                for _ in range(int(request["repeat"])):
                    start = time.perf_counter()
                    run_all(resolved, raw, x)
                    elapsed = time.perf_counter() - start
                    times.append(elapsed * 1000.0)
                    spent += elapsed
                    if spent >= budget and len(times) >= MIN_RUNS_BEFORE_BUDGET_STOP:
                        break
                answer({"id": rid, "ok": True, "times_ms": times})
            elif cmd == "run":
                # Returns the result as a .npy file, for checking a peer against another.
                resolved = resolve(request["ops"])
                raw, x = load(request["input"])
                np.save(request["output"], np.asarray(run_all(resolved, raw, x)))
                answer({"id": rid, "ok": True})
            elif cmd == "quit":
                answer({"id": rid, "ok": True})
                return
            else:
                raise ValueError(f"cmd must be hello, time, run or quit; got {cmd!r}")
        except Unsupported as error:
            answer({"id": rid, "ok": False, "unsupported": True, "error": str(error)})
        except Exception as error:  # the harness reports it and carries on with other cases
            answer({"id": rid, "ok": False, "error": f"{type(error).__name__}: {error}"})
