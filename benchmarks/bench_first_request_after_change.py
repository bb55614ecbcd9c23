"""How long the first Pareto API request takes right after a sales change, and what it
answers: against a running ``keyplan serve`` with its ``keyplan db_worker``.

    python benchmarks/bench_first_request_after_change.py --url http://127.0.0.1:8731 \\
        --user ops --password demo --rounds 5 --pause 90

Each round: the Pareto API is asked once (so the facts of now are cached), one sale line
is written through the API (a sales change: the roll-up's version moves and the worker's
warm-up is queued), then the Pareto API is asked at once, timed, with the headers saying
whether the answer came from the facts before the change; then asked every half second
until the answer is of the new facts (the warm-up got to it), timed too; ``--pause``
leaves the worker time to finish the warm-up before the next round."""

import argparse
import statistics
import time

import requests

PARETO = "/api/v1/analyses/pareto/"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8731")
    parser.add_argument("--user", default="ops")
    parser.add_argument("--password", default="demo")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--path", default=PARETO, help="the read to time (the Pareto API)")
    parser.add_argument(
        "--pause", type=float, default=0, help="seconds between rounds (the warm-up's time)"
    )
    args = parser.parse_args()
    http = requests.Session()
    token = http.post(
        args.url + "/api/v1/auth/token/",
        json={"username": args.user, "password": args.password},
    ).json()["token"]
    http.headers["Authorization"] = f"Token {token}"
    line = http.get(args.url + "/api/v1/sale-lines/", params={"page_size": 1}).json()
    line = line["results"][0]
    firsts, fresh_after = [], []
    for round_ in range(args.rounds):
        if round_:
            time.sleep(args.pause)
        http.get(args.url + args.path).raise_for_status()
        written = http.post(
            args.url + "/api/v1/sale-lines/",
            json={
                "account": line["account"],
                "product": line["product"],
                "date": line["date"],
                "quantity": 1,
                "amount": "100.00",
            },
        )
        written.raise_for_status()
        changed = time.perf_counter()
        started = time.perf_counter()
        answer = http.get(args.url + args.path)
        first = time.perf_counter() - started
        answer.raise_for_status()
        earlier = answer.headers.get("Keyplan-Figures-Computed-At")
        firsts.append(first)
        while answer.headers.get("Keyplan-Figures-Computed-At"):
            time.sleep(0.5)
            answer = http.get(args.url + args.path)
        fresh_after.append(time.perf_counter() - changed)
        print(
            f"round {round_ + 1}: first request {first * 1000:,.0f} ms "
            + (f"(figures of the facts before, computed {earlier})" if earlier else "(computed)")
            + f"; figures of the new facts {fresh_after[-1]:,.1f} s after the change"
        )
    print(
        f"first request: median {statistics.median(firsts) * 1000:,.0f} ms, "
        f"max {max(firsts) * 1000:,.0f} ms over {args.rounds} rounds"
    )


if __name__ == "__main__":
    main()
