// A form sent back with problems, or with a question before saving: move the focus there, so
// a screen reader reads it and a keyboard user can follow its links or answer it.
document.addEventListener("DOMContentLoaded", function () {
  var notice = document.querySelector("[data-error-summary], [data-change-preview]");
  if (notice) {
    notice.focus();
  }
});
