"""Plumbing shared by every process: settings, logs, client addresses, rate limits, tokens.

What lives here: the one settings module declaring every ``EIG_*`` variable, the JSON log
set-up with personal data kept out, the client address behind trusted proxies, the rate
limiter, the shared-secret tokens that guard internal endpoints, the CSV and XLSX
writers of the exports, which no spreadsheet can make run a formula (``spreadsheet``), and
the static files' handler of the web service and the back office (``static_files``).

May import: the standard library and small libraries (``limits``, ``aiohttp_remotes``
types, ``openpyxl``, ``aiohttp``). Never another ``bot`` subpackage, Rasa or SQLAlchemy.
"""
