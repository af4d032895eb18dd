// The join page's script: polls /api/board and sends what the participant does.
// Everything people typed is written with textContent, never as HTML.
"use strict";
(function () {
  document.documentElement.classList.add("js");
  var code = document.body.dataset.code;
  if (!code) return; // the "type the code" page needs no script

  var POLL_MS = 1500;
  var NAME_KEY = "circle_name";
  var $ = function (id) { return document.getElementById(id); };
  var nameSel = $("name"), text = $("text"), count = $("count");
  var handBtn = $("hand"), status = $("status");
  var board = null, etag = "", knownIds = null, pulseWasOpen = false, stopped = false;
  var maxLen = parseInt(text.getAttribute("maxlength"), 10) || 280;
  // Private browsing can refuse storage: the page still works, it just forgets.
  var remember = {
    get: function () { try { return localStorage.getItem(NAME_KEY); } catch (e) { return null; } },
    set: function (v) { try { localStorage.setItem(NAME_KEY, v); } catch (e) { /* forget */ } }
  };

  function say(message) {
    status.textContent = "";
    // A fresh text node so screen readers announce a repeated message too.
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  // Resolves with the answer's JSON, or null for 304 (nothing changed since `etag`).
  function api(method, path, data, ifNoneMatch) {
    var options = {
      method: method,
      credentials: "same-origin", // the device cookie is who this phone is
      cache: "no-store",
      headers: { "X-Circle-Code": code, "Accept": "application/json" }
    };
    if (ifNoneMatch) options.headers["If-None-Match"] = ifNoneMatch;
    if (data !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(data);
    }
    return fetch(path, options).then(function (response) {
      if (response.status === 304) return null;
      if (path === "/api/board" && response.ok) etag = response.headers.get("ETag") || "";
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          var error = new Error(body.error || "Error " + response.status);
          error.status = response.status;
          throw error;
        }
        return body;
      });
    });
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  // -- name ---------------------------------------------------------------
  function chosenName() { return nameSel.value || null; }

  function setRoster(roster) {
    if (!roster.length) return; // the blind is on: keep the picker as it is
    var current = nameSel.value || remember.get() || "";
    var have = Array.prototype.map.call(nameSel.options, function (o) { return o.value; });
    var want = [""].concat(roster);
    if (have.join("\n") !== want.join("\n")) {
      nameSel.replaceChildren();
      want.forEach(function (person) {
        var option = el("option", "", person || "Anonymous");
        option.value = person;
        nameSel.appendChild(option);
      });
    }
    if (want.indexOf(current) >= 0) nameSel.value = current;
  }

  nameSel.addEventListener("change", function () {
    remember.set(nameSel.value);
    updateHand();
  });

  // -- asking ---------------------------------------------------------------
  function updateCount() {
    count.textContent = text.value.length + " / " + maxLen + " characters";
  }
  text.addEventListener("input", updateCount);

  $("ask").addEventListener("submit", function (event) {
    event.preventDefault();
    var value = text.value.trim();
    if (!value) { say("Type a question first."); text.focus(); return; }
    var button = $("send");
    button.disabled = true;
    api("POST", "/api/questions", { text: value, name: chosenName() })
      .then(function (question) {
        text.value = "";
        updateCount();
        if (knownIds) knownIds[question.id] = true;
        say(question.pending ? "Thanks: your question waits for approval."
                             : "Thanks: your question is on the board.");
        poll();
      })
      .catch(function (error) { say(error.message); })
      .then(function () { button.disabled = false; });
  });

  // -- voting ---------------------------------------------------------------
  $("questions").addEventListener("click", function (event) {
    var button = event.target.closest("button.vote");
    if (!button) return;
    var voted = button.getAttribute("aria-pressed") === "true";
    button.disabled = true;
    api(voted ? "DELETE" : "POST", "/api/questions/" + button.dataset.id + "/vote")
      .then(function (question) {
        say(question.voted ? "Vote counted." : "Vote taken back.");
        poll();
      })
      .catch(function (error) { say(error.message); button.disabled = false; });
  });

  function renderQuestions(questions) {
    var list = $("questions");
    var active = document.activeElement;
    var focusId = active && active.classList.contains("vote") ? active.dataset.id : null;
    var items = questions.map(function (q) {
      var li = el("li", "q");
      li.dataset.id = q.id;
      var textNode = el("p", "q-text", q.text);
      textNode.id = "q" + q.id;
      var votes = q.votes + (q.votes === 1 ? " vote" : " votes");
      var meta = (q.name || "Anonymous") + " · " + votes;
      if (q.status !== "open") meta += " · " + q.status;
      var button = el("button", "vote", q.voted ? "Take my vote back" : "Vote");
      button.type = "button";
      button.dataset.id = q.id;
      button.setAttribute("aria-pressed", q.voted ? "true" : "false");
      button.setAttribute("aria-describedby", textNode.id);
      li.append(textNode, el("p", "q-meta", meta), button);
      return li;
    });
    list.replaceChildren.apply(list, items);
    $("qcount").textContent = String(questions.length);
    $("board-empty").hidden = questions.length > 0;
    if (focusId) {
      var again = list.querySelector('button.vote[data-id="' + Number(focusId) + '"]');
      if (again) again.focus();
    }
    var fresh = 0, seen = {};
    questions.forEach(function (q) {
      seen[q.id] = true;
      if (knownIds && !knownIds[q.id]) fresh += 1;
    });
    if (fresh) $("board-news").textContent = fresh === 1 ? "A new question" : fresh + " new questions";
    knownIds = seen;
  }

  // -- hand -----------------------------------------------------------------
  function isMentor(name) {
    return !!(board && board.mentees.length && board.roster.indexOf(name) >= 0
              && board.mentees.indexOf(name) < 0);
  }

  function updateHand() {
    var name = chosenName();
    var up = !!(board && name && board.my_hands.indexOf(name) >= 0);
    var mentor = !!name && isMentor(name);
    handBtn.disabled = !name || mentor || !!(board && board.ended);
    handBtn.setAttribute("aria-pressed", up ? "true" : "false");
    handBtn.textContent = up ? "Lower my hand" : "Raise my hand";
    $("hand-hint").textContent = !name ? "Pick your name to raise your hand."
      : mentor ? "Hands are for mentees: " + name + " is a mentor."
      : up ? name + ", your hand is up."
      : "Raise your hand to join the queue as " + name + ".";
  }

  handBtn.addEventListener("click", function () {
    var name = chosenName();
    if (!name) return;
    var up = handBtn.getAttribute("aria-pressed") !== "true";
    handBtn.disabled = true;
    api("POST", "/api/hand", { name: name, up: up })
      .then(function () {
        if (board) {
          board.my_hands = board.my_hands.filter(function (n) { return n !== name; });
          if (up) board.my_hands.push(name);
        }
        say(up ? "Your hand is up." : "Your hand is down.");
        poll();
      })
      .catch(function (error) { say(error.message); })
      .then(updateHand);
  });

  function renderQueue(queue) {
    var items = queue.map(function (entry) {
      return el("li", "", (entry.name || "(hidden)") + (entry.new ? " · new" : ""));
    });
    var list = $("queue");
    list.replaceChildren.apply(list, items);
    $("queue-empty").hidden = queue.length > 0;
  }

  // -- pulse ----------------------------------------------------------------
  $("pulse-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var checked = this.querySelector('input[name="score"]:checked');
    var score = checked && checked.value ? parseInt(checked.value, 10) : null;
    api("POST", "/api/pulse", { score: score, comment: $("comment").value })
      .then(function () { board.pulse_given = true; renderPulse(); say("Thanks: your pulse is in."); })
      .catch(function (error) {
        if (error.status === 409 && board) { board.pulse_given = true; renderPulse(); }
        say(error.message);
      });
  });

  function renderPulse() {
    var open = board.pulse_open;
    $("pulse").hidden = !open;
    $("pulse-form").hidden = board.pulse_given;
    $("pulse-done").hidden = !board.pulse_given;
    if (open && !pulseWasOpen && !board.pulse_given) say("The closing pulse is open.");
    pulseWasOpen = open;
  }

  // -- now: the item, its time, who speaks ----------------------------------
  // The server sends a fixed moment, not a ticking number: the page counts by
  // itself, from `ends_at` while the item runs, or from when the answer came.
  var nowInfo = null, deadline = null;

  function leftText(left) {
    if (left >= 60) return Math.ceil(left / 60) + " min left";
    if (left >= 0) return left + " s left";
    var over = -left;
    return over >= 60 ? Math.floor(over / 60) + " min over" : over + " s over";
  }

  function showNow() {
    if (!nowInfo) return;
    var n = nowInfo;
    if (n.state === "ended") { $("now").textContent = "The session has ended"; return; }
    var left = deadline === null ? n.left_s : Math.floor((deadline - Date.now()) / 1000);
    var time = leftText(left);
    if (n.state === "paused") time = "paused, " + time;
    var parts = [n.item, time], people = [];
    if (n.speaker) people.push(n.speaker + " speaking");
    if (n.next) people.push(n.next + " next");
    if (people.length) parts.push(people.join(", "));
    $("now").textContent = parts.join(" — ");
  }

  function setNow(n) {
    nowInfo = n;
    if (n.state === "running" && n.ends_at !== null) deadline = n.ends_at * 1000;
    else if (n.state === "over") deadline = Date.now() + n.left_s * 1000;
    else deadline = null;
    showNow();
  }
  window.setInterval(showNow, 1000);

  // -- polling --------------------------------------------------------------
  function render(data) {
    board = data;
    $("title").textContent = data.title;
    setNow(data.now);
    setRoster(data.roster);
    renderQuestions(data.questions);
    renderQueue(data.queue);
    renderPulse();
    updateHand();
    $("send").disabled = data.ended;
    if (data.ended) $("name-hint").textContent = "The session has ended.";
  }

  var timer = null;
  function poll() {
    window.clearTimeout(timer);
    if (document.hidden || stopped) return; // resumes on visibilitychange
    api("GET", "/api/board", undefined, etag)
      .then(function (data) { if (data) render(data); })
      .catch(function (error) {
        if (error.status === 403) {
          // Asking again with a code that no longer works would only lock
          // this phone out for a minute: stop until the page is reloaded.
          stopped = true;
          say("The join code changed: ask for the new one.");
        } else {
          say(error.status === 429 ? error.message : "Connection lost, retrying…");
        }
      })
      .then(function () { if (!stopped) timer = window.setTimeout(poll, POLL_MS); });
  }
  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });

  var stored = remember.get();
  if (stored !== null && Array.prototype.some.call(nameSel.options, function (o) {
    return o.value === stored;
  })) nameSel.value = stored;
  updateCount();
  updateHand();
  poll();
})();
