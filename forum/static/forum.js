// Enhancements only: every page works without this file.
(function () {
  "use strict";

  // Move focus to the error summary so screen reader users hear what went wrong.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-autofocus]");
    if (summary) {
      summary.focus();
    }
  }

  // The header's menu and a list's filters are disclosures on a phone. Where CSS cannot show
  // their content on a wide screen (no ::details-content), open them there instead.
  function openDisclosuresOnWideScreens() {
    var supported = window.CSS && window.CSS.supports && window.CSS.supports("selector(::details-content)");
    if (supported || !window.matchMedia) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("details[data-open-wide]"), function (details) {
      if (window.matchMedia(details.getAttribute("data-open-wide")).matches) {
        details.open = true;
      }
    });
  }

  // Save a draft in the background while someone writes, so leaving the page loses nothing.
  // Only drafts autosave: an edit to a published post waits for "Save changes".
  function autosaveDrafts() {
    var form = document.querySelector("form[data-autosave]");
    if (!form || !window.fetch) {
      return;
    }
    var status = form.querySelector("[data-autosave-status]");
    var seconds = parseInt(form.getAttribute("data-autosave-seconds"), 10) || 20;
    var changed = false;
    form.addEventListener("input", function () { changed = true; });
    form.addEventListener("submit", function () { changed = false; });

    function adoptDraft(url) {
      // The first save created a draft: later saves and the buttons go to it.
      var match = /\/posts\/(\d+)\/edit/.exec(url);
      if (!match || form.getAttribute("data-autosave").indexOf("/write/") === -1) {
        return;
      }
      var base = "/posts/" + match[1] + "/";
      form.setAttribute("data-autosave", base + "draft");
      form.setAttribute("action", base + "draft");
      Array.prototype.forEach.call(form.querySelectorAll("button[formaction]"), function (button) {
        var action = button.getAttribute("formaction").split("/").pop();
        button.setAttribute("formaction", base + action);
      });
      window.history.replaceState(null, "", base + "edit");
    }

    window.setInterval(function () {
      if (!changed) {
        return;
      }
      changed = false;
      var body = new URLSearchParams(new FormData(form));
      fetch(form.getAttribute("data-autosave"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          adoptDraft(response.url);
          if (status) {
            status.textContent = "Draft saved at " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".";
          }
        })
        .catch(function () {
          changed = true;
          if (status) {
            status.textContent = "Your draft could not be saved just now. Use “Save draft” before you leave.";
          }
        });
    }, seconds * 1000);
  }

  // The live meeting: draw the countdown from the server's end time, and follow the
  // facilitator by polling a small state endpoint (ETag, 304 when nothing changed).
  function followMeeting() {
    var root = document.querySelector("[data-run-state]");
    if (!root || !window.fetch) {
      return;
    }
    var countdown = root.querySelector("[data-countdown]");
    var announcer = root.querySelector("[data-countdown-announcer]");
    var etag = null;
    var announcedOver = false;
    var version = root.getAttribute("data-run-version");

    function set(selector, text) {
      var element = root.querySelector(selector);
      if (element && text !== undefined && text !== null) {
        element.textContent = text;
      }
    }

    function drawCountdown() {
      if (!countdown || !countdown.getAttribute("data-ends-at")) {
        return;
      }
      var left = Math.ceil((new Date(countdown.getAttribute("data-ends-at")) - new Date()) / 1000);
      if (left > 0) {
        var minutes = Math.floor(left / 60);
        var seconds = left % 60;
        countdown.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds + " left in this phase";
        countdown.classList.remove("countdown--over");
        announcedOver = false;
      } else {
        countdown.textContent = "Time is up for this phase.";
        countdown.classList.add("countdown--over");
        if (announcer && !announcedOver) {
          announcer.textContent = "Time is up for this phase.";
          announcedOver = true;
        }
      }
    }

    var shownStatus = root.getAttribute("data-run-status");

    var goRound = root.querySelector("[data-go-round]");

    function apply(state) {
      // Started, ended, go round turned on or off, or the agenda changed shape: redraw it all.
      if (state.status !== shownStatus ||
          (goRound && (goRound.getAttribute("data-go-round") === "on") !== Boolean(state.go_round)) ||
          (String(state.version) !== String(version) && (!state.item || !state.phase || state.status !== "running"))) {
        // The run page by GET: a page shown after a form came back with errors was a POST's.
        window.location.assign(root.getAttribute("data-run-page") || window.location.href);
        return;
      }
      version = state.version;
      Array.prototype.forEach.call(document.querySelectorAll("input[name=version]"), function (input) {
        if (input.closest("[data-notes]") === null) {
          input.value = state.version;
        }
      });
      if (state.phase) {
        set("[data-run-phase]", state.phase.name);
        set("[data-run-phase-number]", state.phase.number);
        set("[data-run-prompt]", state.phase.prompt);
      }
      if (state.item) {
        set("[data-run-item]", state.item.title);
        set("[data-run-presenter]", state.item.presenter || "nobody chosen yet");
      }
      if (countdown) {
        countdown.setAttribute("data-ends-at", state.ends_at || "");
      }
      var nextId = state.go_round && state.next ? state.next.id : null;
      Array.prototype.forEach.call(root.querySelectorAll("[data-heard-person]"), function (row) {
        var label = row.querySelector("[data-heard-label]");
        var id = parseInt(row.getAttribute("data-heard-person"), 10);
        var heard = state.heard.indexOf(id) !== -1;
        if (label) {
          label.textContent = heard ? "heard" : (id === nextId ? "speaks next" : "not heard yet");
        }
        if (state.go_round) {
          row.classList.toggle("go-round__person--next", id === nextId);
          if (id === nextId) {
            row.setAttribute("aria-current", "step");
          } else {
            row.removeAttribute("aria-current");
          }
        }
      });
      if (state.go_round) {
        var nextLine = root.querySelector("[data-next-speaker]");
        if (nextLine) {
          nextLine.textContent = "";
          if (state.next) {
            var name = document.createElement("strong");
            name.textContent = state.next.name;
            nextLine.appendChild(document.createTextNode("Next to speak: "));
            nextLine.appendChild(name);
          } else {
            nextLine.textContent = "Everyone has been heard in this phase.";
          }
        }
        var heardNext = root.querySelector("form[data-heard-next]");
        if (heardNext) {
          heardNext.setAttribute("action", state.next ? state.next.url : "");
          heardNext.querySelector("button").disabled = !state.next;
        }
      }
      drawCountdown();
    }

    function poll() {
      var headers = etag ? { "If-None-Match": etag } : {};
      fetch(root.getAttribute("data-run-state"), { credentials: "same-origin", headers: headers })
        .then(function (response) {
          if (response.status === 200) {
            etag = response.headers.get("ETag");
            return response.json().then(apply);
          }
          return null;
        })
        .catch(function () { /* try again at the next tick */ });
    }

    drawCountdown();
    window.setInterval(drawCountdown, 1000);
    window.setInterval(poll, 2500);
  }

  // "I'm here": while the meeting runs, opening the live page sends the check-in once (a
  // POST, as the button would); the button stays as the fallback if it fails.
  function checkIn() {
    var form = document.querySelector("form[data-check-in]");
    if (!form || !window.fetch) {
      return;
    }
    fetch(form.getAttribute("action"), {
      method: "POST", credentials: "same-origin", body: new URLSearchParams(new FormData(form)),
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.ok) {
        var note = document.createElement("p");
        note.className = "hint";
        note.setAttribute("role", "status");
        note.textContent = "You are marked present.";
        form.parentNode.replaceChild(note, form);
      }
    }).catch(function () { /* the button still works */ });
  }

  // Who is coming to a meeting, updated in place after an answer (focus stays on the button).
  function showComing(meetingId, answered) {
    if (!meetingId || typeof answered.coming !== "number") {
      return null;
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-coming]"), function (element) {
      if (element.getAttribute("data-coming") !== meetingId) {
        return;
      }
      if (element.getAttribute("data-coming-style") === "long") {
        element.textContent = answered.coming + (answered.coming === 1 ? " person" : " people") +
          (answered.names && answered.names.length ? ": " + answered.names.join(", ") : "");
      } else {
        element.textContent = answered.coming + " coming";
      }
    });
    return answered.coming;
  }

  // Yes / No / Maybe answers to a meeting are sent in place; the form posts as usual without this.
  function answerInPlace() {
    if (!window.fetch) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-rsvp]"), function (form) {
      form.addEventListener("submit", function (event) {
        var button = event.submitter;
        if (!button) {
          return;
        }
        event.preventDefault();
        var body = new URLSearchParams(new FormData(form));
        body.set("answer", button.value);
        fetch(form.getAttribute("action"), {
          method: "POST", credentials: "same-origin", body: body, headers: { "Accept": "application/json" }
        }).then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (!response.ok || type.indexOf("application/json") === -1) {
            throw new Error(String(response.status));
          }
          Array.prototype.forEach.call(form.querySelectorAll("button[name=answer]"), function (other) {
            other.setAttribute("aria-pressed", other === button ? "true" : "false");
          });
          return response.json().then(function (answered) {
            form.querySelector("[data-rsvp-status]").textContent = button.getAttribute("data-label");
            var count = showComing(form.getAttribute("data-rsvp-meeting"), answered);
            form.querySelector("[data-rsvp-announce]").textContent = "Your answer is saved: " +
              button.getAttribute("data-label") + "." + (count === null ? "" : " " + count + " coming.");
          });
        }).catch(function () {
          var chosen = document.createElement("input");  // the page answers and says why
          chosen.type = "hidden";
          chosen.name = "answer";
          chosen.value = button.value;
          form.appendChild(chosen);
          form.submit();
        });
      });
    });
  }

  // A long list of cases to choose from gains a search box that narrows it as you type;
  // without this file it is a plain list.
  function searchableSelects() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-searchable-select]"), function (box) {
      var select = box.querySelector("select");
      if (!select) {
        return;
      }
      var options = Array.prototype.slice.call(select.options);
      var field = document.createElement("div");
      field.className = "field";
      var label = document.createElement("label");
      label.className = "label";
      label.htmlFor = select.id + "-search";
      label.textContent = "Search the cases by title";
      var input = document.createElement("input");
      input.className = "input";
      input.type = "search";
      input.id = select.id + "-search";
      input.autocomplete = "off";
      var count = document.createElement("p");
      count.className = "hint";
      count.setAttribute("aria-live", "polite");
      field.appendChild(label);
      field.appendChild(input);
      field.appendChild(count);
      box.insertBefore(field, box.firstChild);
      input.addEventListener("input", function () {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        var shown = 0;
        options.forEach(function (option) {
          var text = option.textContent.toLowerCase();
          var match = option.value === "0" || words.every(function (word) { return text.indexOf(word) !== -1; });
          option.hidden = !match;
          option.disabled = !match;
          if (match && option.value !== "0") {
            shown += 1;
          }
        });
        count.textContent = words.length ? shown + (shown === 1 ? " case matches." : " cases match.") : "";
        var first = options.filter(function (option) { return !option.hidden && option.value !== "0"; })[0];
        var current = select.options[select.selectedIndex];
        if (words.length && first && (!current || current.hidden || current.value === "0")) {
          select.value = first.value;
        }
      });
    });
  }

  // After a control on the live page is pressed, the page comes back with focus on the same
  // control (or its form), so keyboard users carry on where they were.
  function keepFocus() {
    var key = "forum-focus:" + window.location.pathname;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-keep-focus]"), function (form, index) {
      form.addEventListener("submit", function (event) {
        var button = event.submitter;
        try {
          window.sessionStorage.setItem(key, JSON.stringify({
            form: index, name: form.getAttribute("data-keep-focus") || "", value: button ? button.value : ""
          }));
        } catch (error) { /* storage may be off */ }
      });
    });
    var kept = null;
    try {
      kept = JSON.parse(window.sessionStorage.getItem(key) || "null");
      window.sessionStorage.removeItem(key);
    } catch (error) { /* ignore */ }
    if (!kept) {
      return;
    }
    // A form that names itself (data-keep-focus="name") is found by its name, since forms
    // before it may come and go; the others by their place.
    var form = (kept.name && document.querySelector('form[data-keep-focus="' + kept.name + '"]')) ||
      document.querySelectorAll("form[data-keep-focus]")[kept.form];
    if (!form) {
      return;
    }
    var target = null;
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (button) {
      if (!target && button.value === kept.value && !button.disabled) {
        target = button;
      }
    });
    target = target || form.querySelector("button:not([disabled])");
    if (target) {
      target.focus();
      // Going to the page's #fragment moves focus to the document once loaded: take it back.
      window.addEventListener("load", function () {
        window.setTimeout(function () { target.focus(); }, 0);
      });
    }
  }

  // Meeting notes save as they are typed; a conflict shows both versions; a draft is kept
  // in this browser until it is saved, so a lapsed sign-in loses nothing.
  function autosaveNotes() {
    var form = document.querySelector("form[data-notes]");
    if (!form || !window.fetch) {
      return;
    }
    var text = form.querySelector("textarea");
    var version = form.querySelector("input[name=version]");
    var status = form.querySelector("[data-notes-status]");
    var key = form.getAttribute("data-notes-key");
    var changed = false;
    try {
      var kept = window.localStorage.getItem(key);
      if (kept !== null && kept !== text.value) {
        text.value = kept;
        changed = true;
        if (status) { status.textContent = "Your unsaved notes were restored."; }
      }
    } catch (error) { /* storage may be off */ }
    text.addEventListener("input", function () {
      changed = true;
      try { window.localStorage.setItem(key, text.value); } catch (error) { /* ignore */ }
    });
    window.setInterval(function () {
      if (!changed) {
        return;
      }
      changed = false;
      fetch(form.getAttribute("action"), {
        method: "POST", credentials: "same-origin", body: new URLSearchParams(new FormData(form)),
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (body) {
          if (response.status === 200 && body.saved) {
            version.value = body.version;
            try { window.localStorage.removeItem(key); } catch (error) { /* ignore */ }
            if (status) { status.textContent = "Notes saved."; }
          } else if (response.status === 409) {
            version.value = body.version;
            text.value = text.value + "\n\n--- Saved by someone else ---\n" + body.theirs;
            if (status) { status.textContent = body.message; }
          } else {
            changed = true;
            if (status) { status.textContent = body.error || "The notes could not be saved just now."; }
          }
        });
      }).catch(function () {
        changed = true;
        if (status) { status.textContent = "The notes could not be saved just now; they are kept in this browser."; }
      });
    }, 4000);
  }

  // The privacy guard's findings at their fields: "Replace" and "Keep it" act in place (the
  // server answers with the field, its box and the summary), "Edit the text" selects the words.
  // Anything unexpected falls back to sending the form, as without JavaScript.
  function privacyInPlace() {
    if (!document.querySelector("[data-privacy-box]") || !window.fetch) {
      return;
    }
    var announcer = document.createElement("p");
    announcer.className = "visually-hidden";
    announcer.setAttribute("role", "status");
    (document.querySelector("main") || document.body).appendChild(announcer);

    function say(text) {
      announcer.textContent = "";
      window.setTimeout(function () { announcer.textContent = text; }, 50);
    }

    function fieldOf(element) {
      var holder = element.closest("[data-privacy-field]");
      return holder && holder.querySelector("[name='" + holder.getAttribute("data-privacy-field") + "']");
    }

    function fragment(html) {
      var template = document.createElement("template");
      template.innerHTML = html;
      return template.content.firstElementChild;
    }

    function showKeepButtons(root) {
      Array.prototype.forEach.call(root.querySelectorAll("button[data-privacy-keep][hidden]"), function (button) {
        button.hidden = false;
      });
    }

    function apply(holder, field, answer) {
      if (answer.text !== field.value) {
        field.value = answer.text;
        field.dispatchEvent(new Event("input", { bubbles: true }));  // so a draft's autosave keeps it
      }
      var box = swap(holder.querySelector("[data-privacy-box]"), answer.box);
      if (box) {
        showKeepButtons(box);
      }
      swap(document.querySelector("[data-privacy-summary]"), answer.summary);
    }

    // Put the server's new version of a part of the page in place of the old one (none: gone).
    function swap(old, html) {
      var next = html.trim() ? fragment(html) : null;
      if (old && next) {
        old.replaceWith(next);
      } else if (old) {
        old.remove();
      }
      return next;
    }

    function showError(item, message) {
      var select = item.querySelector("select") || item.querySelector("input[type=checkbox]");
      var old = item.querySelector(".field-error");
      if (old) {
        old.remove();
      }
      var error = document.createElement("p");
      error.className = "field-error";
      error.id = "keep-error-" + item.getAttribute("data-finding");
      error.innerHTML = "<span class=\"visually-hidden\">Error:</span> ";
      error.appendChild(document.createTextNode(message));
      var target = select || item.querySelector("button[data-privacy-keep]");
      target.parentNode.insertBefore(error, target);
      if (select) {
        select.setAttribute("aria-describedby", error.id);
        select.closest(".field").classList.add("field--error");
        select.focus();
      } else {
        target.focus();
      }
    }

    function act(button, url, extra) {
      var form = button.form;
      var holder = button.closest("[data-privacy-field]");
      var field = fieldOf(button);
      var item = button.closest("[data-finding]");
      if (!form || !holder || !field || !item) {
        return false;
      }
      var body = new URLSearchParams();
      body.append("csrf_token", form.querySelector("[name=csrf_token]").value);
      body.append("text", field.value);
      Object.keys(extra).forEach(function (key) { body.append(key, extra[key]); });
      var number = item.querySelector("a").textContent;
      field.readOnly = true;
      button.disabled = true;
      fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          if (!json) {
            throw new Error(String(response.status));
          }
          return response.json().then(function (answer) {
            field.readOnly = false;
            button.disabled = false;
            if (response.status === 400 && answer.error) {
              showError(item, answer.error);
              return;
            }
            if (!response.ok) {
              throw new Error(String(response.status));
            }
            apply(holder, field, answer);
            say(extra.reason !== undefined ? number + ": kept." : number + ": replaced.");
            var still = holder.querySelector("[data-privacy-box]");
            (still || field).focus();
          });
        })
        .catch(function () {
          // Do it the way a page without JavaScript does: send the form and come back here.
          field.readOnly = false;
          button.disabled = false;
          if (button.getAttribute("formaction")) {
            button.removeAttribute("data-privacy-replace");
            button.removeAttribute("data-privacy-keep");
            button.click();
          } else {
            say("That did not work just now. Please try again.");
          }
        });
      return true;
    }

    showKeepButtons(document);
    document.addEventListener("click", function (event) {
      var replace = event.target.closest("button[data-privacy-replace]");
      var keep = event.target.closest("button[data-privacy-keep]");
      var edit = event.target.closest("a[data-privacy-edit]");
      if (replace && act(replace, replace.getAttribute("data-privacy-replace"), {})) {
        event.preventDefault();
      } else if (keep) {
        var item = keep.closest("[data-finding]");
        var select = item && item.querySelector("select[name^='clear-']");
        var note = item && item.querySelector("input[name^='note-']");
        var tick = item && item.querySelector("input[name^='ack-']");
        var extra = { reason: select ? select.value : "", note: note ? note.value : "", ack: tick && tick.checked ? "1" : "" };
        if (act(keep, keep.getAttribute("data-privacy-keep"), extra)) {
          event.preventDefault();
        }
      } else if (edit) {
        var field = fieldOf(edit);
        if (!field) {
          return;
        }
        event.preventDefault();
        var start = parseInt(edit.getAttribute("data-start"), 10);
        var end = parseInt(edit.getAttribute("data-end"), 10);
        var mark = document.getElementById("finding-" + edit.closest("[data-finding]").getAttribute("data-finding"));
        var words = mark ? Array.prototype.filter.call(mark.childNodes, function (node) {
          return node.nodeType === 3;
        }).map(function (node) { return node.textContent; }).join("") : null;
        if (words !== null && field.value.slice(start, end) !== words) {
          var found = field.value.indexOf(words);  // the text moved since it was checked
          if (found !== -1) {
            start = found;
            end = found + words.length;
          }
        }
        field.focus();
        field.setSelectionRange(start, end);
      }
    });
  }

  // "Others have written about this": as the title and themes change, ask for similar posts,
  // at most once a second (debounced), by POST with the CSRF token so a draft title never
  // reaches an access log. Without JavaScript the list appears on the preview.
  function similarWhileWriting() {
    var panel = document.querySelector("[data-similar]");
    var form = document.querySelector("form.post-form");
    if (!panel || !form || !window.fetch) {
      return;
    }
    var list = panel.querySelector("[data-similar-list]");
    var timer = null;
    var last = 0;
    var asked = "";

    function ask() {
      timer = null;
      var body = new URLSearchParams();
      var token = form.querySelector("input[name='csrf_token']");
      var title = form.querySelector("[name='title']");
      var situation = form.querySelector("[name='situation']");
      body.append("csrf_token", token ? token.value : "");
      body.append("title", title ? title.value : "");
      body.append("situation", situation ? situation.value.slice(0, 2000) : "");
      Array.prototype.forEach.call(form.querySelectorAll("input[name='theme_ids']:checked"), function (box) {
        body.append("theme_ids", box.value);
      });
      if (panel.getAttribute("data-similar-post")) {
        body.append("post_id", panel.getAttribute("data-similar-post"));
      }
      var key = body.toString();
      if (key === asked) {
        return;
      }
      asked = key;
      last = Date.now();
      fetch(panel.getAttribute("data-similar"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.text();
        })
        .then(function (html) { list.innerHTML = html; })
        .catch(function () { asked = ""; });
    }

    function schedule(event) {
      var name = event.target && event.target.name;
      if (name !== "title" && name !== "theme_ids" && name !== "situation") {
        return;
      }
      if (timer) {
        window.clearTimeout(timer);
      }
      // Quiet for a second, and never more than one request a second.
      timer = window.setTimeout(ask, Math.max(1000, 1000 - (Date.now() - last)));
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }

  // "@" in a post or a reply offers people to mention: arrows to choose, Enter or Tab to insert
  // their handle, Escape to close. Without JavaScript people type the handle.
  function mentionSuggestions() {
    if (!window.fetch) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-mentions]"), function (field, index) {
      var list = document.createElement("ul");
      var status = document.createElement("div");
      var people = [];
      var active = -1;
      var timer = null;
      list.className = "mention-list";
      list.id = "mention-list-" + index;
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", "People to mention");
      list.hidden = true;
      status.className = "visually-hidden";
      field.parentNode.insertBefore(list, field.nextSibling);
      field.parentNode.insertBefore(status, list.nextSibling);
      // A live region only while the person writes here, so a page's own message (the
      // confirmation banner) stays the one status on the page until then.
      field.addEventListener("focus", function () { status.setAttribute("role", "status"); });
      field.addEventListener("blur", function () { status.removeAttribute("role"); });

      function typed() {
        var match = /(?:^|[\s(\[])@([^\s@]{1,40})$/.exec(field.value.slice(0, field.selectionStart));
        return match ? match[1] : null;
      }

      function close() {
        list.hidden = true;
        list.textContent = "";
        people = [];
        active = -1;
        field.removeAttribute("aria-activedescendant");
        field.removeAttribute("aria-controls");
      }

      function highlight(number) {
        active = number;
        Array.prototype.forEach.call(list.children, function (option, at) {
          option.setAttribute("aria-selected", at === number ? "true" : "false");
        });
        field.setAttribute("aria-activedescendant", list.id + "-" + number);
      }

      function choose(number) {
        var person = people[number];
        var end = field.selectionStart;
        var start = end - typed().length;
        field.value = field.value.slice(0, start) + person.handle + " " + field.value.slice(end);
        field.setSelectionRange(start + person.handle.length + 1, start + person.handle.length + 1);
        status.textContent = person.name + " mentioned.";
        close();
        field.focus();
      }

      function show(found) {
        close();
        people = found;
        if (!found.length) {
          status.textContent = "No one to mention by that name.";
          return;
        }
        found.forEach(function (person, number) {
          var option = document.createElement("li");
          option.id = list.id + "-" + number;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.textContent = person.name + " (@" + person.handle + ")";
          option.addEventListener("mousedown", function (event) {
            event.preventDefault();  // keep the focus in the text
            choose(number);
          });
          list.appendChild(option);
        });
        list.hidden = false;
        field.setAttribute("aria-controls", list.id);
        status.textContent = found.length + (found.length === 1 ? " person" : " people") +
          " to mention: press the down arrow to choose, then Enter.";
      }

      field.addEventListener("input", function () {
        window.clearTimeout(timer);
        var text = typed();
        if (text === null) {
          close();
          return;
        }
        timer = window.setTimeout(function () {
          fetch(field.getAttribute("data-mentions") + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.json() : { people: [] }; })
            .then(function (answer) {
              if (typed() === text) {
                show(answer.people);
              }
            })
            .catch(close);
        }, 200);
      });

      field.addEventListener("keydown", function (event) {
        if (list.hidden) {
          return;
        }
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          var step = event.key === "ArrowDown" ? 1 : -1;
          highlight((active + step + people.length) % people.length);
        } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
          event.preventDefault();
          choose(active);
        } else if (event.key === "Escape") {
          event.preventDefault();
          close();
        }
      });
      field.addEventListener("blur", close);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    privacyInPlace();
    openDisclosuresOnWideScreens();
    autosaveDrafts();
    followMeeting();
    checkIn();
    keepFocus();
    answerInPlace();
    searchableSelects();
    autosaveNotes();
    similarWhileWriting();
    mentionSuggestions();
  });
})();

// Insights: "Print or save as PDF" appears only where a script can press Print.
(function () {
  var button = document.querySelector("[data-print]");
  if (!button || typeof window.print !== "function") { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
