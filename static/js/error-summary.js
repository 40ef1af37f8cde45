// A form sent back with errors: focus moves to its summary (role=alert, tabindex=-1), so that
// keyboard and screen-reader users start from the list of what to fix, whose links lead to the
// fields. Without JavaScript the summary is still the first thing in the content.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
