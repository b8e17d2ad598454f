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

    function apply(state) {
      if (String(state.version) !== String(version) && (!state.item || !state.phase || state.status !== "running")) {
        window.location.reload();  // started, ended or the agenda changed shape: redraw it all
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
      Array.prototype.forEach.call(root.querySelectorAll("[data-heard-person]"), function (row) {
        var label = row.querySelector("[data-heard-label]");
        var heard = state.heard.indexOf(parseInt(row.getAttribute("data-heard-person"), 10)) !== -1;
        if (label) {
          label.textContent = heard ? "heard" : "not heard yet";
        }
      });
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

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    openDisclosuresOnWideScreens();
    autosaveDrafts();
    followMeeting();
    autosaveNotes();
  });
})();
