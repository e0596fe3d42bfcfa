"""bench.ab's summary: medians per side and level, and what each side was sent."""

from __future__ import annotations

from bench import ab, load, mix


def run(p50: float, cpu: float) -> dict:
    return {"p50_ms": p50, "p95_ms": 2 * p50, "throughput_mps": 10.0, "cpu_ms_per_msg_rasa": cpu}


def test_report_gives_medians_parse_cache_and_what_was_played():
    args = ab.parse_args(["model.tar.gz", "EIG_SPEEDUP_PARSE_CACHE", "3", "--postgres"])
    figures = {
        "0": {1: [run(10, 20), run(30, 22), run(20, 60)]},
        "1": {1: [run(5, 10), run(6, 11), run(7, 12)]},
    }
    pool = [[("bonjour", "fr"), (load.CLICK, "fr")], [("merci", "fr")]]
    draws = mix.Mix(seed=1, pool=pool)
    for _ in range(3):
        draws.next()
    sent = {"0": ["bonjour", "/affirm", "merci", "bonjour"], "1": ["x" * 101, "bonjour"]}
    output = ab.report(args, figures, sent, {"0": draws, "1": load.OURS})
    assert output["profile"] == "postgresql" and output["mix"] == "realistic"
    zero = output["medians"]["EIG_SPEEDUP_PARSE_CACHE=0"][1]
    assert zero == {"p50_ms": 20, "p95_ms": 40, "cpu_ms_per_msg_rasa": 22, "throughput_mps": 10}
    assert output["medians"]["EIG_SPEEDUP_PARSE_CACHE=1"][1]["cpu_ms_per_msg_rasa"] == 11
    assert output["ratios_1_over_0"][1]["cpu_ms_per_msg_rasa"] == [0.2, 0.5, 0.5]
    assert output["ratios_1_over_0"][1]["p50_ms"] == [0.2, 0.35, 0.5]
    assert output["parse_cache"]["0"]["hits"] == 1 and output["parse_cache"]["0"]["misses"] == 3
    assert output["parse_cache"]["1"]["not_cached"] == 1
    # 1.5 passes over the pool: the first pass is the first 4 / 1.5 messages
    assert output["parse_cache_first_pass"]["0"]["messages"] == 3
    assert "1" not in output["parse_cache_first_pass"]
    assert output["played"]["0"] == {
        "messages": 4,
        "button_payloads": 0.25,
        "distinct": 3,
        "pool_cycles": 1.5,
    }
    assert output["played"]["1"]["pool_cycles"] is None


def test_arguments_keep_the_old_positional_form():
    args = ab.parse_args(["m.tar.gz", "A,B"])
    assert (args.variables, args.rounds, args.mix, args.postgres) == ("A,B", 3, "realistic", False)
    assert ab.parse_args(["m", "A", "5", "--mix", "scripted"]).rounds == 5
