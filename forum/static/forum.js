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

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    autosaveDrafts();
  });
})();
