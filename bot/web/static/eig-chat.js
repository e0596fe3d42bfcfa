/*
 * The EIG assistant's chat widget.
 *
 * Talks to Rasa's socket.io channel (session_request, then user_uttered / bot_uttered)
 * with a random session id kept in sessionStorage, with the transcript, so that a reload
 * shows the conversation and carries on with it. Text from people and from the bot is
 * only ever put in the page as text nodes; bot Markdown gives links and emphasis, built
 * as elements. Configuration comes from the data attributes of #eig-chat; the wording
 * from its data-strings (the "widget" gettext domain, both languages).
 */
(function () {
  "use strict";

  var root = document.getElementById("eig-chat");
  if (!root) return;

  var LANGUAGES = ["fr", "en"];
  var STORE = "eig-chat:";
  var MAX_HISTORY = 200;
  var TYPING_TIMEOUT_MS = 30000;
  var TYPING_LINGER_MS = 800;
  var RESTORED_NOTICE_MS = 4000;
  var SAFE_PROTOCOLS = ["http:", "https:", "mailto:"];
  var WEBINAR_ID = /^[A-Za-z0-9_-]{1,100}$/;

  var strings = JSON.parse(root.getAttribute("data-strings") || "{}");
  var pageLang = LANGUAGES.indexOf(root.getAttribute("data-lang")) >= 0
    ? root.getAttribute("data-lang") : "fr";
  var socketPath = root.getAttribute("data-socket-path") || "/socket.io";
  var socketUrl = root.getAttribute("data-socket-url") ||
    (location.protocol + "//" + location.hostname + ":" + (root.getAttribute("data-socket-port") || "5005"));

  var launcher = root.querySelector(".eig-chat__launcher");
  var dialog = root.querySelector(".eig-chat__dialog");
  var closeButton = root.querySelector(".eig-chat__close");
  var languageButton = root.querySelector(".eig-chat__language");
  var newButton = root.querySelector(".eig-chat__new");
  var connection = root.querySelector(".eig-chat__connection");
  var connectionText = root.querySelector(".eig-chat__connection-text");
  var retryButton = root.querySelector(".eig-chat__retry");
  var scroller = root.querySelector(".eig-chat__scroll");
  var list = root.querySelector(".eig-chat__messages");
  var typing = root.querySelector(".eig-chat__typing");
  var form = root.querySelector(".eig-chat__form");
  var input = root.querySelector("#eig-chat-input");
  var live = root.querySelector(".eig-chat__live");
  var counter = root.querySelector(".eig-chat__count");
  var confirmBox = root.querySelector(".eig-chat__confirm");
  var confirmYes = root.querySelector(".eig-chat__confirm-yes");
  var confirmNo = root.querySelector(".eig-chat__confirm-no");
  var MAX_CHARS = parseInt(input.getAttribute("data-max-chars"), 10) || 1000;

  // ---------------------------------------------------------------- storage

  function load(name, fallback) {
    try {
      var value = window.sessionStorage.getItem(STORE + name);
      return value === null ? fallback : JSON.parse(value);
    } catch (error) {
      return fallback;
    }
  }

  function save(name, value) {
    try {
      window.sessionStorage.setItem(STORE + name, JSON.stringify(value));
    } catch (error) {
      /* private browsing or storage full: the widget still works for this page */
    }
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  var state = {
    session: load("session", null) || randomId(),
    history: load("history", []),
    queue: load("queue", []),
    lang: load("lang", null),
    open: load("open", false)
  };
  if (LANGUAGES.indexOf(state.lang) < 0) state.lang = pageLang;
  if (!Array.isArray(state.history)) state.history = [];
  if (!Array.isArray(state.queue)) state.queue = [];
  // Nothing is written to the browser's storage before the visitor opens the chat (the
  // CNIL's rule for a chatbot's trackers): the session id is saved by openDialog.

  function persist() {
    if (state.history.length > MAX_HISTORY) {
      state.history = state.history.slice(-MAX_HISTORY);
    }
    save("history", state.history);
    save("queue", state.queue);
  }

  // ---------------------------------------------------------------- wording

  function t(key, lang) {
    var table = strings[lang || state.lang] || {};
    return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : key;
  }

  function otherLanguage(lang) {
    return lang === "fr" ? "en" : "fr";
  }

  function applyStrings() {
    var lang = state.lang;
    dialog.setAttribute("lang", lang);
    launcher.setAttribute("lang", lang);
    Array.prototype.forEach.call(root.querySelectorAll("[data-i18n]"), function (node) {
      node.textContent = t(node.getAttribute("data-i18n"));
    });
    Array.prototype.forEach.call(root.querySelectorAll("[data-i18n-placeholder]"), function (node) {
      node.setAttribute("placeholder", t(node.getAttribute("data-i18n-placeholder")));
    });
    Array.prototype.forEach.call(root.querySelectorAll("[data-i18n-aria-label]"), function (node) {
      node.setAttribute("aria-label", t(node.getAttribute("data-i18n-aria-label")));
    });
    // Links to a page in the widget's language (the privacy notice).
    Array.prototype.forEach.call(root.querySelectorAll("[data-lang-href]"), function (node) {
      node.setAttribute("href", node.getAttribute("data-lang-href").replace("{lang}", lang));
      node.setAttribute("hreflang", lang);
    });
    var target = otherLanguage(lang);
    languageButton.setAttribute("lang", target);
    languageButton.textContent = t("chat_language_name", target);
    languageButton.setAttribute("aria-label", t("chat_language_switch", target));
    setConnection(connectionState, true);
    updateCounter(true);
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  // ---------------------------------------------------------------- length of a message

  // The assistant reads at most MAX_CHARS characters: a counter under the input says how
  // many are typed, and a message over the limit is not sent but said to be too long
  // (announced once when the limit is crossed, not at each key).
  var wasTooLong = false;

  function updateCounter(quiet) {
    var count = input.value.length;
    var tooLong = count > MAX_CHARS;
    counter.textContent = tooLong
      ? format(t("chat_too_long"), { max: MAX_CHARS })
      : format(t("chat_count"), { count: count, max: MAX_CHARS });
    counter.classList.toggle("fr-error-text", tooLong);
    counter.classList.toggle("fr-hint-text", !tooLong);
    input.setAttribute("aria-invalid", tooLong ? "true" : "false");
    if (tooLong && !wasTooLong && !quiet) announce(counter.textContent, state.lang);
    wasTooLong = tooLong;
  }

  // ---------------------------------------------------------------- Markdown

  // Links ([label](url), bare https:// addresses, e-mail addresses) and emphasis
  // (**strong**, *em*, _em_); a backslash keeps the next character literal, as the bot
  // quotes people's own words (their "https\://…" and "name\@…" are text, never links:
  // only links the assistant itself sends are clickable). Everything else, HTML included,
  // stays text.
  var INLINE = new RegExp(
    "\\[([^\\]\\n]+)\\]\\(([^()\\s]+)\\)" +                  // 1, 2: [label](url)
    "|\\*\\*([^*\\n]+)\\*\\*" +                               // 3: **strong**
    "|\\*([^*\\s][^*\\n]*?)\\*" +                              // 4: *em*
    "|(?:^|(?<=[\\s(]))_([^_\\s][^_\\n]*?)_(?=$|[\\s).,;:!?])" + // 5: _em_
    "|(https?:\\/\\/[^\\s<>\"\\\\]+)" +                         // 6: bare address
    "|([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})" + // 7: e-mail
    "|\\\\([\\\\`*_\\[\\]()<>#:@])",                        // 8: \* \: \@ (a person's own words)
    "g"
  );

  function safeUrl(href) {
    try {
      var url = new URL(href, location.href);
      return SAFE_PROTOCOLS.indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function trimAddress(address) {
    // "(https://x.fr/a)." → "https://x.fr/a" + ")."
    var end = address.length;
    while (end > 0 && /[.,;:!?'"]/.test(address.charAt(end - 1))) end -= 1;
    var core = address.slice(0, end);
    while (core.charAt(core.length - 1) === ")" &&
           (core.match(/\(/g) || []).length < (core.match(/\)/g) || []).length) {
      core = core.slice(0, -1);
    }
    return [core, address.slice(core.length)];
  }

  function link(label, href, lang) {
    var url = safeUrl(href);
    if (!url) return document.createTextNode(label);
    var a = document.createElement("a");
    a.href = url;
    a.textContent = label;
    if (url.indexOf("mailto:") !== 0) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.title = label + " - " + t("chat_new_window", lang);
      var hint = document.createElement("span");
      hint.className = "fr-sr-only";
      hint.textContent = " (" + t("chat_new_window", lang) + ")";
      a.appendChild(hint);
    }
    return a;
  }

  function renderInline(parent, text, lang) {
    var last = 0;
    INLINE.lastIndex = 0;
    var match;
    while ((match = INLINE.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      last = INLINE.lastIndex;
      if (match[1] !== undefined) {
        parent.appendChild(link(match[1], match[2], lang));
      } else if (match[3] !== undefined) {
        var strong = document.createElement("strong");
        strong.textContent = match[3];
        parent.appendChild(strong);
      } else if (match[4] !== undefined || match[5] !== undefined) {
        var em = document.createElement("em");
        em.textContent = match[4] !== undefined ? match[4] : match[5];
        parent.appendChild(em);
      } else if (match[6] !== undefined) {
        var parts = trimAddress(match[6]);
        parent.appendChild(link(parts[0], parts[0], lang));
        parent.appendChild(document.createTextNode(parts[1]));
      } else if (match[7] !== undefined) {
        parent.appendChild(link(match[7], "mailto:" + match[7], lang));
      } else if (match[8] !== undefined) {
        parent.appendChild(document.createTextNode(match[8]));
      }
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function renderMarkdown(parent, text, lang) {
    String(text).split("\n").forEach(function (line, index) {
      if (index > 0) parent.appendChild(document.createElement("br"));
      renderInline(parent, line, lang);
    });
  }

  // ---------------------------------------------------------------- transcript

  function scrollToEnd() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  function announce(text, lang) {
    var p = document.createElement("p");
    p.setAttribute("lang", lang);
    p.textContent = text;
    live.appendChild(p);
    while (live.childNodes.length > 3) live.removeChild(live.firstChild);
  }

  function removeQuickReplies() {
    Array.prototype.forEach.call(list.querySelectorAll(".eig-chat__quick"), function (node) {
      node.parentNode.removeChild(node);
    });
  }

  function quickReplies(entry) {
    var group = document.createElement("div");
    group.className = "eig-chat__quick fr-btns-group fr-btns-group--inline fr-btns-group--sm";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", t("chat_suggestions", entry.lang));
    entry.quick.forEach(function (reply) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "fr-btn fr-btn--secondary fr-btn--sm";
      button.textContent = reply.title;
      button.addEventListener("click", function () {
        send(reply.payload, reply.title);
        input.focus();
      });
      group.appendChild(button);
    });
    return group;
  }

  function renderEntry(entry) {
    var item = document.createElement("li");
    item.className = "eig-chat__message eig-chat__message--" + (entry.who === "user" ? "user" : "bot");
    item.setAttribute("lang", entry.lang);
    item.setAttribute("data-id", entry.id);
    var who = document.createElement("span");
    who.className = "fr-sr-only";
    who.textContent = t(entry.who === "user" ? "chat_you" : "chat_bot", entry.lang) + " ";
    item.appendChild(who);
    var body = document.createElement("div");
    body.className = "eig-chat__text";
    if (entry.who === "user") {
      body.textContent = entry.text;
    } else {
      renderMarkdown(body, entry.text, entry.lang);
    }
    item.appendChild(body);
    if (entry.pending) markPending(item, entry.lang);
    if (entry.quick && entry.quick.length) item.appendChild(quickReplies(entry));
    if (entry.who === "bot" && entry.mid && ANSWERS.test(entry.response)) {
      item.appendChild(feedbackBox(entry));
    }
    list.appendChild(item);
    return item;
  }

  // ---------------------------------------------------------------- answer feedback

  // Under each answer: "Was this answer helpful? Yes / No", and after "No" an optional
  // short comment. Sent to the web service with the message's id and response name; what
  // was said is kept with the transcript, so a reload shows the thanks, not the buttons.
  var ANSWERS = /^utter_faq\//;
  var MAX_COMMENT = 500;

  function sendFeedback(entry, helpful, comment) {
    var body = { message_id: entry.mid, response: entry.response, language: entry.lang, helpful: helpful };
    if (comment) body.comment = comment;
    return window.fetch("/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin"
    }).then(function (reply) {
      if (!reply.ok) throw new Error("feedback " + reply.status);
    });
  }

  function rememberFeedback(entry, value) {
    state.history.forEach(function (stored) {
      if (stored.id === entry.id) stored.feedback = value;
    });
    entry.feedback = value;
    persist();
  }

  function feedbackBox(entry) {
    var lang = entry.lang;
    var box = document.createElement("div");
    box.className = "eig-chat__feedback";
    var status = document.createElement("p");
    status.className = "eig-chat__feedback-status fr-text--sm";
    if (entry.feedback === "done") {
      status.textContent = t("chat_feedback_thanks", lang);
      box.appendChild(status);
      return box;
    }
    var group = document.createElement("div");
    group.setAttribute("role", "group");
    var question = document.createElement("p");
    question.className = "eig-chat__feedback-question fr-text--sm";
    question.id = "eig-chat-feedback-" + entry.id;
    question.textContent = t("chat_feedback_question", lang);
    group.setAttribute("aria-labelledby", question.id);
    group.appendChild(question);
    var buttons = document.createElement("div");
    buttons.className = "fr-btns-group fr-btns-group--inline fr-btns-group--sm";
    [["chat_feedback_yes", true], ["chat_feedback_no", false]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "fr-btn fr-btn--tertiary fr-btn--sm eig-chat__feedback-" + (pair[1] ? "yes" : "no");
      button.textContent = t(pair[0], lang);
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () { answerFeedback(entry, box, pair[1]); });
      buttons.appendChild(button);
    });
    group.appendChild(buttons);
    box.appendChild(group);
    box.appendChild(status);
    return box;
  }

  function feedbackFailed(box, lang) {
    var status = box.querySelector(".eig-chat__feedback-status");
    status.textContent = t("chat_feedback_failed", lang);
    announce(status.textContent, lang);
  }

  function thank(entry, box) {
    rememberFeedback(entry, "done");
    box.textContent = "";
    var status = document.createElement("p");
    status.className = "eig-chat__feedback-status fr-text--sm";
    status.textContent = t("chat_feedback_thanks", entry.lang);
    box.appendChild(status);
    announce(status.textContent, entry.lang);
    input.focus();
  }

  function answerFeedback(entry, box, helpful) {
    var lang = entry.lang;
    Array.prototype.forEach.call(box.querySelectorAll("button"), function (button) {
      button.setAttribute("aria-pressed", String(button.classList.contains(
        helpful ? "eig-chat__feedback-yes" : "eig-chat__feedback-no")));
    });
    sendFeedback(entry, helpful).then(function () {
      if (helpful) return thank(entry, box);
      if (box.querySelector("form")) return;
      var form = document.createElement("form");
      form.className = "eig-chat__feedback-form";
      var field = document.createElement("div");
      field.className = "fr-input-group";
      var label = document.createElement("label");
      label.className = "fr-label";
      label.htmlFor = "eig-chat-comment-" + entry.id;
      label.textContent = t("chat_feedback_comment", lang);
      var area = document.createElement("textarea");
      area.className = "fr-input";
      area.id = label.htmlFor;
      area.rows = 2;
      area.maxLength = MAX_COMMENT;
      field.appendChild(label);
      field.appendChild(area);
      var submit = document.createElement("button");
      submit.type = "submit";
      submit.className = "fr-btn fr-btn--secondary fr-btn--sm";
      submit.textContent = t("chat_feedback_send", lang);
      form.appendChild(field);
      form.appendChild(submit);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var comment = area.value.trim();
        if (!comment) return thank(entry, box);
        sendFeedback(entry, false, comment).then(function () { thank(entry, box); },
          function () { feedbackFailed(box, lang); });
      });
      box.appendChild(form);
      area.focus();
    }, function () { feedbackFailed(box, lang); });
  }

  function markPending(item, lang) {
    item.classList.add("eig-chat__message--pending");
    var note = document.createElement("span");
    note.className = "eig-chat__pending";
    note.textContent = t("chat_pending", lang);
    item.appendChild(note);
  }

  function clearPending(id) {
    var item = list.querySelector('[data-id="' + id + '"]');
    if (!item) return;
    item.classList.remove("eig-chat__message--pending");
    var note = item.querySelector(".eig-chat__pending");
    if (note) item.removeChild(note);
  }

  function renderHistory() {
    list.textContent = "";
    state.history.forEach(function (entry, index) {
      var last = index === state.history.length - 1;
      renderEntry(last ? entry : copyWithoutQuick(entry));
    });
    scrollToEnd();
  }

  function copyWithoutQuick(entry) {
    var copy = {};
    Object.keys(entry).forEach(function (key) { copy[key] = entry[key]; });
    copy.quick = null;
    return copy;
  }

  function plainText(node) {
    return Array.prototype.map.call(node.childNodes, function (child) {
      return child.nodeName === "BR" ? " " : child.textContent;
    }).join("");
  }

  function add(entry, announced) {
    state.history.push(entry);
    persist();
    var item = renderEntry(entry);
    if (announced) {
      announce(t("chat_bot", entry.lang) + " " + plainText(item.querySelector(".eig-chat__text")), entry.lang);
    }
    scrollToEnd();
  }

  // ---------------------------------------------------------------- typing indicator

  var typingTimer = null;

  function showTyping() {
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
    scrollToEnd();
  }

  function hideTyping() {
    clearTimeout(typingTimer);
    typing.hidden = true;
  }

  function lingerTyping() {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, TYPING_LINGER_MS);
  }

  // ---------------------------------------------------------------- connection

  var socket = null;
  var ready = false;           // connected and the session room joined
  var connectionState = "idle";
  var restoredTimer = null;

  function setConnection(next, quiet) {
    var previous = connectionState;
    connectionState = next;
    connection.setAttribute("data-state", next);
    clearTimeout(restoredTimer);
    retryButton.hidden = next !== "reconnecting";
    var text = "";
    if (next === "connecting") text = t("chat_connecting");
    if (next === "reconnecting") text = t("chat_reconnecting") + " " + t("chat_offline_detail");
    if (next === "connected" && previous === "reconnecting" && !quiet) {
      text = t("chat_reconnected");
      restoredTimer = setTimeout(function () {
        if (connectionState === "connected") connectionText.textContent = "";
      }, RESTORED_NOTICE_MS);
    }
    if (!quiet || next !== "connected") connectionText.textContent = text;
  }

  function metadata(lang, messageId) {
    // message_id: the server handles a message once, however often it is sent.
    var data = { language: lang, message_id: messageId };
    var webinar = new URLSearchParams(location.search).get("webinar");
    if (webinar && WEBINAR_ID.test(webinar)) data.webinar = webinar;
    return data;
  }

  // Messages sent and not yet answered: sent again, with the same id, once the socket is
  // back (their instance may have died with them); the server never handles one id twice.
  var unanswered = [];

  function emit(item) {
    if (unanswered.indexOf(item) < 0) unanswered.push(item);
    socket.emit("user_uttered", {
      message: item.message,
      session_id: state.session,
      metadata: metadata(item.lang, item.id)
    });
  }

  function flush() {
    while (ready && state.queue.length) {
      var item = state.queue.shift();
      emit(item);
      clearPending(item.id);
      state.history.forEach(function (entry) {
        if (entry.id === item.id) delete entry.pending;
      });
      showTyping();
    }
    persist();
  }

  // The socket.io client script is loaded when the chat first needs it (not with the
  // page); it may fail to load (offline, a proxy): "retry" loads it again, and connects
  // once it has.
  var clientLoading = false;
  var clientFailed = false;

  function loadClient() {
    var src = root.getAttribute("data-socketio-src");
    if (clientLoading || !src) return;
    clientLoading = true;
    clientFailed = false;
    var script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.addEventListener("load", function () {
      clientLoading = false;
      connect();
    });
    script.addEventListener("error", function () {
      clientLoading = false;
      clientFailed = true;
      if (script.parentNode) script.parentNode.removeChild(script);
      setConnection("reconnecting");
    });
    document.head.appendChild(script);
  }

  function connect() {
    if (socket) return;
    if (typeof window.io !== "function") {
      if (clientFailed || !root.getAttribute("data-socketio-src")) {
        setConnection("reconnecting");
      } else {
        setConnection("connecting");
        loadClient();
      }
      return;
    }
    setConnection("connecting");
    socket = window.io(socketUrl, {
      path: socketPath,
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      timeout: 8000
    });
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: state.session });
    });
    socket.on("session_confirm", function () {
      ready = true;
      setConnection("connected");
      unanswered.slice().forEach(emit);
      flush();
    });
    socket.on("bot_uttered", receive);
    socket.on("disconnect", function (reason) {
      ready = false;
      if (reason === "io client disconnect") return;
      setConnection("reconnecting");
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", function () {
      ready = false;
      setConnection("reconnecting");
    });
  }

  function retry() {
    if (typeof window.io !== "function") {
      setConnection("connecting");
      return loadClient();
    }
    if (!socket) return connect();
    if (!socket.connected) {
      socket.disconnect();
      socket.connect();
      setConnection("reconnecting", true);
    }
  }

  function restart() {
    // A fresh socket leaves the old session's room behind.
    if (socket) {
      socket.off();
      socket.disconnect();
      socket = null;
    }
    ready = false;
    connect();
  }

  function receive(data) {
    if (!data || typeof data !== "object") return;
    unanswered = [];  // the turn is answered (one at a time per conversation)
    var text = typeof data.text === "string" ? data.text : "";
    var replies = Array.isArray(data.quick_replies) ? data.quick_replies
      : Array.isArray(data.buttons) ? data.buttons : [];
    var quick = replies.filter(function (reply) {
      return reply && typeof reply.title === "string" && typeof reply.payload === "string";
    }).map(function (reply) {
      return { title: reply.title, payload: reply.payload };
    });
    if (!text && !quick.length) return;
    // The server says which language each message is written in, and the conversation's
    // (a single question in the other language is answered in it; the conversation keeps
    // its own). The widget's labels follow the conversation's.
    var meta = data.metadata && typeof data.metadata === "object" ? data.metadata : {};
    var lang = LANGUAGES.indexOf(meta.language) >= 0 ? meta.language : state.lang;
    var home = LANGUAGES.indexOf(meta.conversation_language) >= 0 ? meta.conversation_language : lang;
    if (home !== state.lang) {
      state.lang = home;
      save("lang", home);
      applyStrings();
    }
    removeQuickReplies();
    var entry = { id: randomId(), who: "bot", text: text, lang: lang, quick: quick };
    if (/^[0-9a-f]{32}$/.test(meta.message_id || "") && typeof meta.response === "string") {
      entry.mid = meta.message_id;
      entry.response = meta.response;
    }
    add(entry, true);
    lingerTyping();
  }

  // ---------------------------------------------------------------- sending

  function send(message, shown, silent) {
    var text = String(message).trim();
    if (!text) return;
    var item = { id: randomId(), message: text, lang: state.lang };
    removeQuickReplies();
    if (!silent) {
      add({ id: item.id, who: "user", text: shown || text, lang: state.lang, pending: !ready }, false);
    }
    if (ready) {
      emit(item);
      showTyping();
    } else {
      state.queue.push(item);
      persist();
      connect();
    }
  }

  function switchLanguage() {
    var target = otherLanguage(state.lang);
    var request = t("chat_language_request", target);
    state.lang = target;
    save("lang", target);
    applyStrings();
    send(request, request);
    input.focus();
  }

  // "New conversation" erases the history: it asks first, unless there is nothing to erase.
  function askNewConversation() {
    if (!state.history.some(function (entry) { return entry.who === "user"; })) {
      newConversation();
      return;
    }
    confirmBox.hidden = false;
    confirmNo.focus();
  }

  function newConversation() {
    state.session = randomId();
    state.history = [];
    state.queue = [];
    unanswered = [];
    save("session", state.session);
    persist();
    list.textContent = "";
    hideTyping();
    announce(t("chat_new_started"), state.lang);
    restart();
    send("/greet", null, true);
    input.focus();
  }

  // ---------------------------------------------------------------- dialog

  // A modal dialog, as DSFR's: while it is open the page under it is inert (neither
  // focusable nor read), Tab and Shift+Tab go round its own controls, Escape closes it and
  // gives focus back to the button that opened it.
  var FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

  function setPageInert(inert) {
    Array.prototype.forEach.call(document.body.children, function (node) {
      if (node === root || node.tagName === "SCRIPT") return;
      if (inert) node.setAttribute("inert", "");
      else node.removeAttribute("inert");
    });
  }

  function focusables() {
    return Array.prototype.filter.call(dialog.querySelectorAll(FOCUSABLE), function (node) {
      return !node.closest("[hidden]") && node.getClientRects().length > 0;
    });
  }

  function keepFocusInside(event) {
    var items = focusables();
    if (!items.length) return;
    var first = items[0];
    var last = items[items.length - 1];
    var active = document.activeElement;
    var inside = dialog.contains(active);
    if (event.shiftKey && (active === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  }

  function openDialog(focus) {
    setPageInert(true);
    root.classList.add("eig-chat--open");
    dialog.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    save("session", state.session);
    save("open", true);
    connect();
    if (!state.history.length && !state.queue.length) send("/greet", null, true);
    scrollToEnd();
    if (focus) input.focus();
  }

  function closeDialog() {
    setPageInert(false);
    root.classList.remove("eig-chat--open");
    dialog.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save("open", false);
    launcher.focus();
  }

  launcher.addEventListener("click", function () { openDialog(true); });
  root.addEventListener("click", function (event) {
    if (event.target === root && state.open) closeDialog();  // the backdrop
  });
  closeButton.addEventListener("click", closeDialog);
  languageButton.addEventListener("click", switchLanguage);
  newButton.addEventListener("click", askNewConversation);
  confirmYes.addEventListener("click", function () {
    confirmBox.hidden = true;
    newConversation();
  });
  confirmNo.addEventListener("click", function () {
    confirmBox.hidden = true;
    newButton.focus();
  });
  input.addEventListener("input", function () { updateCounter(false); });
  retryButton.addEventListener("click", retry);
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      closeDialog();
    } else if (event.key === "Tab") {
      keepFocusInside(event);
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim()) return;
    if (text.length > MAX_CHARS) {
      announce(format(t("chat_too_long"), { max: MAX_CHARS }), state.lang);
      input.focus();
      return;
    }
    input.value = "";
    updateCounter(true);
    send(text);
  });
  window.addEventListener("online", function () {
    if (socket && !socket.connected) retry();
  });

  // The widget's stylesheet is loaded here, not by the page's head, so that it never
  // blocks the page's first paint; the button shows once it is there (or failed).
  function loadStyles(then) {
    var href = root.getAttribute("data-css");
    var done = false;
    function once() {
      if (!done) {
        done = true;
        then();
      }
    }
    if (!href) return once();
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.addEventListener("load", once);
    link.addEventListener("error", once);
    document.head.appendChild(link);
  }

  applyStrings();
  renderHistory();
  loadStyles(function () {
    launcher.hidden = false;
    if (state.open) openDialog(false);
    if (state.queue.length) connect();
  });
})();
