"""Command line: ``python -m bot <command>``; ``python -m bot --help`` lists them."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

from bot import ROOT


def cmd_web(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.infra import logs, settings, tokens
    from bot.web.app import create_app

    settings.validate()
    tokens.require_token("bot web service", settings.NLG_TOKEN.name, settings.NLG_TOKEN.get(),
                         args.host)  # fmt: skip
    logs.configure(json_lines=True)
    same_origin = args.socket_same_origin or settings.SOCKET_SAME_ORIGIN.get()
    # No aiohttp access log: it would print query strings; our middleware logs each request.
    app = create_app(rasa_port=args.rasa_port, socket_same_origin=same_origin)
    web.run_app(app, host=args.host, port=args.port, print=None, access_log=None)
    return 0


def cmd_actions(args: argparse.Namespace) -> int:
    import sanic.app  # noqa: F401  (its import adds a "once" filter for DeprecationWarning)

    from bot.infra import files, logs, noise, settings, tokens

    noise.silence_library_warnings()  # after Sanic's filter, before rasa-sdk imports the rest
    from bot.ops.action_server import create_app

    settings.validate()
    tokens.require_token("action server", settings.ACTIONS_TOKEN.name,
                         settings.ACTIONS_TOKEN.get(), args.host)  # fmt: skip
    files.private_database(settings.DATABASE_URL.get())  # applications: owner only
    logs.configure(json_lines=True)
    app = create_app()
    app.run(host=args.host, port=args.port, workers=1, access_log=False)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.infra import settings
    from bot.ops import services

    if args.debug:  # local work only: Rasa's DEBUG logs print what people write
        os.environ[settings.LOG_LEVEL.name] = "DEBUG"
        os.environ[settings.THIRD_PARTY_DEBUG.name] = "1"
    settings.validate()
    ports = services.Ports.from_env()
    if not args.shell:
        return services.run_forever(ports)
    from bot.ops import chat

    with services.Supervisor(ports):
        chat.loop(f"http://{services.HOST}:{ports.rasa}/webhooks/rest/webhook", args.language)
    return 0


def cmd_cluster(args: argparse.Namespace) -> int:
    from bot.infra import settings
    from bot.ops import cluster

    settings.validate()
    work_dir = Path(args.work_dir) if args.work_dir else settings.CLUSTER_DIR.get()
    return cluster.run_forever(cluster.ClusterPorts.from_env(), work_dir.resolve())


def cmd_nginx_conf(args: argparse.Namespace) -> int:
    """deploy/nginx.<platform>.conf: the cluster's routing for docker-compose or Kubernetes."""
    from bot.ops import nginx_conf

    print(nginx_conf.container_conf(args.platform), end="")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from bot.domain import knowledge
    from bot.domain.knowledge import KnowledgeError
    from bot.infra import settings

    problems = settings.problems()
    for problem in problems:
        print(f"settings: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"settings: ok ({len(settings.SETTINGS)} variables)")
    try:
        k = knowledge.load()
    except KnowledgeError as error:
        print(f"knowledge: {error}", file=sys.stderr)
        return 1
    print(f"knowledge: ok (current promotion {k.current.number}, {len(k.cited())} sourced facts)")
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    """Every variable and its value now, or docs/deploy.md's table (``--markdown``)."""
    from bot.infra import settings

    if args.markdown:
        print(settings.markdown_table(), end="")
        return 0
    problems = settings.problems()
    for problem in problems:
        print(f"settings: {problem}", file=sys.stderr)
    if problems:
        return 1
    for name, value in settings.current():
        print(f"{name}={value}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from bot.ops import evaluation

    return evaluation.main(args.model, args.report, args.min_f1, args.min_language)


def cmd_evaluate_dialogue(args: argparse.Namespace) -> int:
    from bot.ops import dialogue_eval

    sets = args.set or ["test"]
    gated = [] if args.gate is None else (args.gate or sets)
    report_dir = Path(args.report_dir) if args.report_dir else None
    return dialogue_eval.main(sets, gated, Path(args.model), report_dir, args.concurrency)


def cmd_applications(args: argparse.Namespace) -> int:
    """Pre-applications for the programme team: migrate, export, purge, delete."""
    from bot.applications import storage
    from bot.infra import files, settings, spreadsheet

    try:
        files.private_database(settings.DATABASE_URL.get())  # owner only
        store = storage.Storage(migrate=True)
    except storage.StorageError as error:
        print(f"applications: {error}", file=sys.stderr)
        return 1
    try:
        if args.action == "migrate":
            print(f"applications: database at head ({store.engine.url.render_as_string()})")
        elif args.action == "export":
            columns: tuple[str, ...]
            if args.table == "notifications":
                rows, columns = (
                    store.export_notification_rows(),
                    storage.NOTIFICATION_EXPORT_COLUMNS,
                )
            else:
                rows, columns = store.export_rows(), storage.EXPORT_COLUMNS
            if args.format == "xlsx":
                if not args.output:
                    print("applications: --format xlsx needs --output FILE", file=sys.stderr)
                    return 2
                count = spreadsheet.write_xlsx(rows, columns, args.output, sheet=args.table)
                print(f"exported {count} row(s) to {args.output}", file=sys.stderr)
            elif args.output:
                with open(args.output, "w", encoding="utf-8", newline="") as out:
                    count = spreadsheet.write_csv(rows, columns, out)
                print(f"exported {count} row(s) to {args.output}", file=sys.stderr)
            else:
                spreadsheet.write_csv(rows, columns, sys.stdout)
        elif args.action == "purge":
            print(f"purged {store.purge(args.older_than)}")
        elif args.action == "delete":
            from bot.applications import conversations, lifecycle

            chats = conversations.Conversations()
            try:
                erased = lifecycle.erase(store, chats, args.reference, args.email)
            finally:
                chats.close()
            if not erased:
                print("no pre-application matches this reference and e-mail", file=sys.stderr)
                return 1
            print("deleted, and redacted from every conversation that held it")
    except storage.StorageError as error:
        print(f"applications: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def cmd_staff(args: argparse.Namespace) -> int:
    """The back office's staff accounts (bot.admin.accounts): add, disable, list."""
    from bot.admin import accounts
    from bot.applications import storage
    from bot.infra import files, settings

    try:
        files.private_database(settings.DATABASE_URL.get())  # owner only
        store = storage.Storage(migrate=True)
    except storage.StorageError as error:
        print(f"staff: {error}", file=sys.stderr)
        return 1
    try:
        if args.action == "add":
            password = _new_password(args.password_stdin)
            if password is None:
                return 2
            try:
                staff = accounts.add(store, args.username, args.role, password)
            except accounts.AccountError as error:
                print(f"staff: {error}", file=sys.stderr)
                return 2
            print(f"staff account {staff.username} ({staff.role}) added: sign in at /admin/")
        elif args.action == "disable":
            if not accounts.disable(store, args.username):
                print(f"staff: no account named {args.username!r}", file=sys.stderr)
                return 1
            print(f"staff account {args.username} disabled; its sessions are ended")
        else:
            for staff in accounts.listing(store):
                state = "active" if staff.active else "disabled"
                last = (
                    f"{staff.last_sign_in_at:%Y-%m-%d %H:%M} UTC" if staff.last_sign_in_at else "-"
                )
                print(f"{staff.username}\t{staff.role}\t{state}\tlast sign-in {last}")
    except storage.StorageError as error:
        print(f"staff: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def _new_password(from_stdin: bool) -> str | None:
    """The new account's password: one line of standard input, or typed twice."""
    import getpass

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password (12 characters or more): ")
    if getpass.getpass("the same password again: ") != first:
        print("staff: the two passwords differ", file=sys.stderr)
        return None
    return first


def cmd_training(args: argparse.Namespace) -> int:
    """Training examples filed in the back office: list them, or merge them into data/nlu/."""
    from bot.admin import training
    from bot.applications import storage

    try:
        store = storage.Storage(migrate=True)
    except storage.StorageError as error:
        print(f"training: {error}", file=sys.stderr)
        return 1
    try:
        if args.action == "pending":
            for item in training.pending(store):
                print(f"{item.language}\t{item.intent}\t{item.example}")
            return 0
        merged, refused = training.merge(store)
    finally:
        store.close()
    for item, path in merged:
        print(f"added to {path.relative_to(ROOT)}: [{item.intent}] {item.example}")
    for item, reason in refused:
        print(f"refused ({reason}): [{item.intent}] {item.example}", file=sys.stderr)
    if merged:
        print(
            f"{len(merged)} example(s) merged: review with `git diff data/nlu`, then `make train`"
        )
    return 1 if refused else 0


def cmd_purge(args: argparse.Namespace) -> int:
    """Every store's retention period applied: once, or every EIG_PURGE_EVERY (--every)."""
    from bot.applications import conversations, storage
    from bot.infra import files, logs, settings
    from bot.ops import notify, retention

    settings.validate()
    files.private_database(settings.DATABASE_URL.get())  # owner only
    if args.status:
        try:
            print(retention.status())
        except storage.StorageError as error:
            print(f"purge: {error}", file=sys.stderr)
            return 1
        return 0
    if args.every:
        logs.configure(json_lines=True)
        return retention.run_every(settings.PURGE_EVERY.get())
    try:
        print(retention.purge_once())
    except (storage.StorageError, conversations.ConversationStoreError) as error:
        print(f"purge: {error}", file=sys.stderr)
        return 1
    mailed = notify.scheduled()  # the e-mail work, on the same schedule (when configured)
    if mailed is not None:
        print(f"notify: {mailed}")
    return 0


def cmd_notify(args: argparse.Namespace) -> int:
    """E-mail on the schedule, once: unconfirmed requests purged, confirmations sent again,
    "the call is open" to every confirmed request when the call is open."""
    from bot.applications import conversations, storage
    from bot.infra import settings
    from bot.mail.sender import MailNotConfigured
    from bot.ops import notify

    settings.validate()
    try:
        print(notify.run_once(dry_run=args.dry_run))
    except MailNotConfigured as error:
        print(f"notify: {error}", file=sys.stderr)
        return 1
    except (storage.StorageError, conversations.ConversationStoreError) as error:
        print(f"notify: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Reports for the content team; only ``unanswered`` for now."""
    import datetime as dt

    import sqlalchemy as sa

    from bot.ops import unanswered

    now = dt.datetime.now(dt.timezone.utc)
    since = now - args.since
    url = unanswered.tracker_store_url(args.db)
    try:
        conversations = list(unanswered.read_conversations(url, since.timestamp()))
    except sa.exc.SQLAlchemyError as error:
        print(f"report: cannot read the tracker store ({type(error).__name__})", file=sys.stderr)
        return 1
    groups = unanswered.report(conversations, since.timestamp(), args.min_confidence)
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout  # noqa: SIM115
    try:
        if args.format == "csv":
            unanswered.write_csv(groups, out)
        else:
            unanswered.write_markdown(groups, out, since, args.min_confidence)
    finally:
        if args.output:
            out.close()
    if args.output:
        print(f"{len(groups)} group(s) written to {args.output}", file=sys.stderr)
    return 0


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"not a confidence between 0 and 1: {text!r}")
    return value


def _duration(text: str) -> Any:
    from bot.applications.storage import parse_duration

    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    from bot.infra import noise

    noise.silence_library_warnings()
    if arguments[:1] == ["rasa"]:  # every argument after it is Rasa's; Rasa sets up logging
        from bot.rasa_server import start

        return start.main(arguments[1:])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "rasa",
        help="Rasa's command line (run, train, test …) with the run-time changes of "
        "bot.rasa_server.patches installed first: how every Rasa process here starts",
        add_help=False,
    )  # handled above, before parsing

    web = sub.add_parser("web", help="serve the NLG endpoint, health check and chat page")
    web.add_argument("--host", default="127.0.0.1")
    web.add_argument("--port", type=int, default=8000)
    web.add_argument(
        "--rasa-port", type=int, default=5005, help="Rasa's port, for the page's socket.io"
    )
    web.add_argument(
        "--socket-same-origin",
        action="store_true",
        help="the widget uses the page's own origin for socket.io (behind a reverse proxy); "
        "also with EIG_SOCKET_SAME_ORIGIN=1",
    )
    web.set_defaults(func=cmd_web)

    actions = sub.add_parser("actions", help="serve the Rasa SDK actions on loopback")
    actions.add_argument("--host", default="127.0.0.1")
    actions.add_argument("--port", type=int, default=5055)
    actions.set_defaults(func=cmd_actions)

    run = sub.add_parser("run", help="start Rasa, the actions and the web service together")
    run.add_argument("--shell", action="store_true", help="chat in this terminal")
    run.add_argument("--language", choices=["fr", "en"], default=None)
    run.add_argument(
        "--debug",
        action="store_true",
        help="DEBUG logs from Rasa too; they print what people write: local work only",
    )
    run.set_defaults(func=cmd_run)

    run_cluster = sub.add_parser(
        "cluster",
        help="start the cluster profile: PostgreSQL, Redis, actions, web, Rasa x2, nginx",
    )
    run_cluster.add_argument(
        "--work-dir",
        help="throw-away directory for the servers' files (removed on stop); "
        "default EIG_CLUSTER_DIR, else var/cluster",
    )
    run_cluster.set_defaults(func=cmd_cluster)

    nginx = sub.add_parser(
        "nginx-conf", help="print deploy/nginx.<platform>.conf (docker-compose, Kubernetes)"
    )
    nginx.add_argument("platform", choices=["compose", "k8s"])
    nginx.set_defaults(func=cmd_nginx_conf)

    check = sub.add_parser("check", help="validate the settings and data/knowledge")
    check.set_defaults(func=cmd_check)

    setting = sub.add_parser("settings", help="every environment variable and its value now")
    setting.add_argument(
        "--markdown", action="store_true", help="docs/deploy.md's table of variables instead"
    )
    setting.set_defaults(func=cmd_settings)

    evaluate = sub.add_parser("evaluate", help="held-out NLU evaluation with gates")
    evaluate.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    evaluate.add_argument("--report", default=str(ROOT / "var" / "nlu-report.json"))
    evaluate.add_argument(
        "--min-f1", type=float, help="one intent macro-F1 gate instead of each language's own"
    )
    evaluate.add_argument("--min-language", type=float, default=0.99)
    evaluate.set_defaults(func=cmd_evaluate)

    dialogue = sub.add_parser(
        "evaluate-dialogue",
        help="play a realistic set against the real services (started on spare ports) and "
        "score what the assistant did; --gate fails below the gates",
    )
    dialogue.add_argument(
        "--set",
        action="append",
        choices=["dev", "test"],
        help="the set to play (default test); repeat it to play both with one start",
    )
    dialogue.add_argument(
        "--gate",
        nargs="*",
        choices=["dev", "test"],
        help="exit 1 when a gate is missed: of every set played, or of the sets named",
    )
    dialogue.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    dialogue.add_argument(
        "--report-dir", help="where dialogue-eval-<set>.json is written (default var/)"
    )
    dialogue.add_argument("--concurrency", type=int, default=2, help="conversations at once")
    dialogue.set_defaults(func=cmd_evaluate_dialogue)

    applications = sub.add_parser(
        "applications", help="pre-applications database (DATABASE_URL, else var/applications.db)"
    )
    apps = applications.add_subparsers(dest="action", required=True)
    apps.add_parser("migrate", help="bring the schema to the latest migration")
    export = apps.add_parser(
        "export",
        help="CSV (UTF-8, header row, every cell quoted) or XLSX (every cell text) for the team",
    )
    export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    export.add_argument("--output", help="file to write (default: standard output)")
    export.add_argument(
        "--table", choices=["applications", "notifications"], default="applications"
    )
    purge = apps.add_parser("purge", help="delete what is older than the retention period")
    purge.add_argument("--older-than", type=_duration, required=True, help="e.g. 180d, 12h")
    delete = apps.add_parser(
        "delete",
        help="delete one candidate's data on request, from the applications and every "
        "conversation that holds it",
    )
    delete.add_argument("--reference", required=True)
    delete.add_argument("--email", required=True)
    applications.set_defaults(func=cmd_applications)

    staff = sub.add_parser("staff", help="the back office's staff accounts (/admin/)")
    staff_actions = staff.add_subparsers(dest="action", required=True)
    staff_add = staff_actions.add_parser("add", help="create an account (asks its password)")
    staff_add.add_argument("username")
    staff_add.add_argument("--role", choices=["editor", "data_officer"], default="editor")
    staff_add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    staff_disable = staff_actions.add_parser("disable", help="disable an account, end its sessions")
    staff_disable.add_argument("username")
    staff_actions.add_parser("list", help="every account, its role and state")
    staff.set_defaults(func=cmd_staff)

    training_parser = sub.add_parser(
        "training", help="training examples filed in the back office's inbox"
    )
    training_actions = training_parser.add_subparsers(dest="action", required=True)
    training_actions.add_parser("pending", help="list the examples waiting to be merged")
    training_actions.add_parser(
        "merge", help="write them into data/nlu/<lang>/ (evaluation sentences refused)"
    )
    training_parser.set_defaults(func=cmd_training)

    purge_all = sub.add_parser(
        "purge",
        help="apply every store's retention period (EIG_RETENTION_*): conversations, "
        "pre-applications, notification requests, unfinished forms' answers, answer "
        "feedback, inbox decisions, the audit log",
    )
    purge_how = purge_all.add_mutually_exclusive_group()
    purge_how.add_argument(
        "--every", action="store_true", help="keep running, purging every EIG_PURGE_EVERY"
    )
    purge_how.add_argument(
        "--status", action="store_true", help="print the last recorded run and the next one"
    )
    purge_all.set_defaults(func=cmd_purge)

    notify_parser = sub.add_parser(
        "notify", help='e-mail: confirmations and "the call is open" (EIG_SMTP_*)'
    )
    notify_actions = notify_parser.add_subparsers(dest="action", required=True)
    notify_run = notify_actions.add_parser(
        "run",
        help='purge unconfirmed requests, resend confirmations, and send "the call is '
        'open" once to every confirmed request when the call is open (EIG_TODAY)',
    )
    notify_run.add_argument(
        "--dry-run", action="store_true", help="say how many e-mails would go; send nothing"
    )
    notify_parser.set_defaults(func=cmd_notify)

    report = sub.add_parser("report", help="reports for the content team")
    reports = report.add_subparsers(dest="report", required=True)
    unanswered = reports.add_parser(
        "unanswered",
        help="what users asked that fell back or had low confidence (shows their words)",
    )
    unanswered.add_argument("--since", type=_duration, default="7d", help="e.g. 7d, 24h, 2w")
    unanswered.add_argument("--format", choices=["md", "csv"], default="md")
    unanswered.add_argument("--output", help="file to write (default: standard output)")
    unanswered.add_argument(
        "--min-confidence",
        type=_confidence,
        default=0.6,
        help="report answered messages whose intent confidence is below this (default 0.6)",
    )
    unanswered.add_argument(
        "--db", help="tracker store: SQLAlchemy URL or SQLite file (default: as Rasa's)"
    )
    report.set_defaults(func=cmd_report)

    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
