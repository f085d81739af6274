// Keyboard shortcuts, the grading panel's progressive parts and the copy button of the
// analyst workspace. Loaded from our own origin (the CSP allows no inline script); everything
// also works by mouse or plain keyboard navigation without it. The list is shown with "?".
(function () {
  "use strict";

  // The key that picks a choice is written beside it (data-key, from cases/forms.py).
  function choose(key) {
    const radio = document.querySelector(`input[data-key="${key}"]`);
    if (!radio || radio.closest("[hidden]")) return false;
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    radio.focus();
    return true;
  }

  function copyAddress(button) {
    const source = document.querySelector(button.dataset.copy);
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(() => {
      button.dataset.label = button.dataset.label || button.firstChild.textContent;
      button.firstChild.textContent = "✓ ";
      setTimeout(() => { button.firstChild.textContent = button.dataset.label; }, 1500);
    });
  }

  function typing(target) {
    return target.closest("textarea, select, input[type=text], input[type=search], input[type=number], input:not([type])");
  }

  // Fields that belong to some outcomes only (data-outcomes) show for those alone; the
  // server ignores them for any other outcome, which is what it sees with JavaScript off.
  function showFieldsFor(form) {
    const chosen = form.querySelector("input[name=outcome]:checked");
    form.querySelectorAll("[data-outcomes]").forEach((field) => {
      field.hidden = !chosen || !field.dataset.outcomes.split(" ").includes(chosen.value);
    });
  }

  // A grading sent when the session has ended goes to the login page and is lost there; it
  // is kept in this tab until its case page shows again unchanged, and filled back in.
  const DRAFT = "turntide.grading-draft";

  function keepDraft(form) {
    const fields = [...new FormData(form)].filter(([name]) => name !== "csrfmiddlewaretoken");
    const draft = { case: form.dataset.case, status: form.dataset.status, fields };
    window.sessionStorage.setItem(DRAFT, JSON.stringify(draft));
  }

  function restoreDraft(form) {
    const draft = JSON.parse(window.sessionStorage.getItem(DRAFT) || "null");
    if (!draft || draft.case !== form.dataset.case) return false;
    window.sessionStorage.removeItem(DRAFT);
    // Restore only where nothing happened meanwhile: same status, nothing chosen yet.
    if (draft.status !== form.dataset.status || form.querySelector("input[name=outcome]:checked")) {
      return false;
    }
    for (const [name, value] of draft.fields) {
      form.querySelectorAll(`[name="${name}"]`).forEach((input) => {
        if (input.type === "radio" || input.type === "checkbox") {
          input.checked = input.checked || input.value === value;
        } else {
          input.value = value;
        }
      });
    }
    const note = document.createElement("p");
    note.className = "notice";
    note.id = "draft-restored";
    note.tabIndex = -1;
    note.textContent = form.dataset.restored;
    form.prepend(note);
    note.focus();
    return true;
  }

  // A grading begun and not saved is never thrown away without asking (WCAG 2.1.4): forms
  // marked data-confirm-if-graded ask first, whether sent by their shortcut or a click.
  let graded = false;
  // Single-key shortcuts can be turned off (WCAG 2.1.4), remembered in this browser.
  const SWITCH = "turntide.single-key-shortcuts";
  let singleKeys = window.localStorage.getItem(SWITCH) !== "off";

  function setUpGrading(form) {
    const restored = restoreDraft(form);
    graded = restored;
    showFieldsFor(form);
    form.addEventListener("change", (event) => {
      graded = true;
      if (event.target.name === "outcome") showFieldsFor(form);
    });
    form.addEventListener("submit", () => { graded = false; keepDraft(form); });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("button.copy").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", () => copyAddress(button));
    });
    const help = document.getElementById("shortcuts");
    const toggle = document.getElementById("shortcuts-on");
    if (toggle) {
      toggle.checked = singleKeys;
      toggle.addEventListener("change", () => {
        singleKeys = toggle.checked;
        window.localStorage.setItem(SWITCH, singleKeys ? "on" : "off");
      });
    }
    const opener = document.getElementById("open-shortcuts");
    if (opener && help) {
      opener.parentElement.hidden = false;
      opener.addEventListener("click", () => help.showModal());
    }
    const assessment = document.getElementById("assessment-form");
    if (assessment) setUpGrading(assessment);
    // After a failed save, start where the work is: the summary of what to correct.
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    // After a search, start at the first case found.
    const found = document.querySelector("table.queue tbody a");
    if (found && new URLSearchParams(window.location.search).get("q")) found.focus();
    document.querySelectorAll("form[data-confirm-if-graded]").forEach((form) => {
      form.addEventListener("submit", (event) => {
        if (graded && !window.confirm(form.dataset.confirmIfGraded)) event.preventDefault();
      });
    });
  });

  document.addEventListener("keydown", (event) => {
    const help = document.getElementById("shortcuts");
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      const form = document.getElementById("assessment-form");
      if (form) {
        event.preventDefault();
        form.requestSubmit(form.querySelector("button[type=submit]"));  // "Save and next"
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "?") {
      if (help) { help.open ? help.close() : help.showModal(); }
      event.preventDefault();
      return;
    }
    if (!singleKeys) return;
    const digit = /^Digit([1-9])$/.exec(event.code);
    const key = digit ? (event.shiftKey ? "shift+" : "") + digit[1] : event.key.toLowerCase();
    if (choose(key)) { event.preventDefault(); return; }
    const target = document.querySelector(`[data-shortcut="${key}"]`);
    if (target) {
      event.preventDefault();
      target.click();
    }
  });
})();
