// A minute before an idle session ends, ask whether to stay signed in; the answer renews the
// session on the server. What happens when nobody answers: see workspace.js's kept grading.
(function () {
  "use strict";
  const WARN_BEFORE_SECONDS = 60;

  document.addEventListener("DOMContentLoaded", () => {
    const dialog = document.getElementById("session-warning");
    if (!dialog) return;
    const seconds = Number(dialog.dataset.seconds);
    const ended = (yes) => {
      dialog.querySelector(".live").hidden = yes;
      dialog.querySelector(".ended").hidden = !yes;
      document.getElementById("stay-signed-in").hidden = yes;
    };
    let warning, end;
    const arm = () => {
      clearTimeout(warning);
      clearTimeout(end);
      warning = setTimeout(() => dialog.showModal(), Math.max(seconds - WARN_BEFORE_SECONDS, 0) * 1000);
      end = setTimeout(() => ended(true), seconds * 1000);
    };
    arm();
    document.getElementById("stay-signed-in").addEventListener("click", () => {
      fetch(dialog.dataset.keepAlive, { credentials: "same-origin", redirect: "manual" }).then(
        (response) => {
          if (response.status !== 204) { ended(true); return; }
          dialog.close();
          arm();
        },
        () => ended(true),
      );
    });
    document.getElementById("session-warning-close").addEventListener("click", () => dialog.close());
  });
})();
