// A form sent back with problems: move the focus to its error summary, so a screen reader
// reads the list and a keyboard user can follow its links to each field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
