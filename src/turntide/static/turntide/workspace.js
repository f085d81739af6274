// Keyboard shortcuts and the copy button of the analyst workspace.
// Loaded from our own origin (the CSP allows no inline script); everything also works by
// mouse or plain keyboard navigation without it. The list is shown with "?".
(function () {
  "use strict";

  const CHOICES = {
    category: { a: "A", b: "B", x: "C" },
    sex: { g: "girls", y: "boys", h: "both", u: "unknown" },
    self_generated: { e: "yes", o: "no", l: "unclear" },
  };

  function choose(name, value) {
    const radio = document.querySelector(`input[name="${name}"][value="${value}"]`);
    if (radio) {
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
      radio.focus();
    }
    return Boolean(radio);
  }

  function chooseNth(name, index) {
    const radios = document.querySelectorAll(`input[name="${name}"]:not([value=""])`);
    return radios[index] ? choose(name, radios[index].value) : false;
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

  // A grading begun and not saved is never thrown away without asking (WCAG 2.1.4): forms
  // marked data-confirm-if-graded ask first, whether sent by their shortcut or a click.
  let graded = false;
  // Single-key shortcuts can be turned off (WCAG 2.1.4), remembered in this browser.
  const SWITCH = "turntide.single-key-shortcuts";
  let singleKeys = window.localStorage.getItem(SWITCH) !== "off";

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
    // After a failed save, start where the work is: the summary of what to correct.
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    const assessment = document.getElementById("assessment-form");
    if (assessment) {
      assessment.addEventListener("change", () => { graded = true; });
      assessment.addEventListener("submit", () => { graded = false; });
    }
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
      if (form) { event.preventDefault(); form.requestSubmit(); }
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
    if (digit) {
      const index = Number(digit[1]) - 1;
      if (event.shiftKey ? chooseNth("age_group", index) : chooseNth("outcome", index)) {
        event.preventDefault();
      }
      return;
    }
    const key = event.key.toLowerCase();
    for (const [name, keys] of Object.entries(CHOICES)) {
      if (keys[key] && choose(name, keys[key])) { event.preventDefault(); return; }
    }
    const target = document.querySelector(`[data-shortcut="${key}"]`);
    if (target) {
      event.preventDefault();
      target.click();
    }
  });
})();
