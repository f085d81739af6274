// The member portal's copy button: copies the new token to the clipboard and says so.
// Loaded from our own origin (the CSP allows no inline script). Without JavaScript, or
// without a clipboard (a page not served over HTTPS), the button stays hidden and the
// token is selected by hand as before.
(function () {
  "use strict";

  function copy(button) {
    const source = document.querySelector(button.dataset.copy);
    const said = button.parentElement.querySelector(".copied");
    navigator.clipboard.writeText(source.textContent.trim()).then(
      () => { said.textContent = button.dataset.copied; },
      () => { window.getSelection().selectAllChildren(source); },
    );
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!navigator.clipboard) return;
    for (const button of document.querySelectorAll("button.copy[data-copy]")) {
      button.hidden = false;
      button.addEventListener("click", () => copy(button));
    }
  });
})();
