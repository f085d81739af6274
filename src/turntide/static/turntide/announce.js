// Screen readers announce a live region when it changes, not when a page loads with it
// filled: the messages (such as "graded: Category A") move into the empty region after load.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const region = document.getElementById("announcements");
    const messages = document.getElementById("messages");
    if (region && messages) setTimeout(() => region.append(messages), 300);
  });
})();
