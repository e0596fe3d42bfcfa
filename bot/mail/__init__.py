"""E-mail that actually goes out: double opt-in, the reference, "the call is open".

What lives here: ``sender`` (the SMTP connection, from the settings; a clear
``MailNotConfigured`` when they are missing), ``links`` (signed, expiring links with
itsdangerous), and ``service``, the flows: the confirmation e-mail of a notification
request or a pre-application, what each link does once followed (confirm, unsubscribe,
delete), the cancellation link asked for in the chat, and the opening mailing run by
``python -m bot notify run`` on the purge's schedule. The e-mails' wording is
``bot.wording.mail``; the rows' e-mail state is ``bot.applications.mailing``.

May import: ``bot.applications``, ``bot.wording``, ``bot.domain``, ``bot.infra``, the
standard library's ``smtplib`` and ``email``, itsdangerous. Never Rasa, rasa-sdk, aiohttp
or Sanic: the action server, the web service and the command line all use it.
"""
