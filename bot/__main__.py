"""Command line: ``python -m bot <command>``; ``python -m bot --help`` lists them."""

from __future__ import annotations

import argparse
import logging
import sys

from bot import ROOT


def cmd_web(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.web import create_app

    web.run_app(create_app(rasa_port=args.rasa_port), host=args.host, port=args.port, print=None)
    return 0


def cmd_actions(args: argparse.Namespace) -> int:
    from rasa_sdk.endpoint import create_app

    app = create_app("actions")
    app.run(host=args.host, port=args.port, workers=1, access_log=False)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot import services

    ports = services.Ports.from_env()
    if not args.shell:
        return services.run_forever(ports)
    from bot import chat

    with services.Supervisor(ports):
        chat.loop(f"http://{services.HOST}:{ports.rasa}/webhooks/rest/webhook", args.language)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from bot import knowledge
    from bot.knowledge import KnowledgeError

    try:
        k = knowledge.load()
    except KnowledgeError as error:
        print(f"knowledge: {error}", file=sys.stderr)
        return 1
    print(f"knowledge: ok (current promotion {k.current.number}, {len(k.cited())} sourced facts)")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from bot import evaluation

    return evaluation.main(args.model, args.report, args.min_f1, args.min_language)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    web = sub.add_parser("web", help="serve the NLG endpoint, health check and chat page")
    web.add_argument("--host", default="127.0.0.1")
    web.add_argument("--port", type=int, default=8000)
    web.add_argument(
        "--rasa-port", type=int, default=5005, help="Rasa's port, for the page's socket.io"
    )
    web.set_defaults(func=cmd_web)

    actions = sub.add_parser("actions", help="serve the Rasa SDK actions on loopback")
    actions.add_argument("--host", default="127.0.0.1")
    actions.add_argument("--port", type=int, default=5055)
    actions.set_defaults(func=cmd_actions)

    run = sub.add_parser("run", help="start Rasa, the actions and the web service together")
    run.add_argument("--shell", action="store_true", help="chat in this terminal")
    run.add_argument("--language", choices=["fr", "en"], default=None)
    run.set_defaults(func=cmd_run)

    check = sub.add_parser("check", help="validate data/knowledge")
    check.set_defaults(func=cmd_check)

    evaluate = sub.add_parser("evaluate", help="held-out NLU evaluation with gates")
    evaluate.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    evaluate.add_argument("--report", default=str(ROOT / "var" / "nlu-report.json"))
    evaluate.add_argument("--min-f1", type=float, default=0.95)
    evaluate.add_argument("--min-language", type=float, default=0.99)
    evaluate.set_defaults(func=cmd_evaluate)

    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
