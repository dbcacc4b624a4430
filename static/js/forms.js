// A form sent back with problems, or with a question before saving: move the focus there, so
// a screen reader reads it and a keyboard user can follow its links or answer it.
(function () {
  function focusNotice() {
    var notice = document.querySelector("[data-error-summary], [data-change-preview]");
    if (notice) {
      notice.focus();
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    // A form posted from a page reached through a summary link ("#title") would come back
    // with that fragment, and the browser would jump past the notice to the field.
    if (location.hash && document.querySelector("[data-error-summary], [data-change-preview]")) {
      history.replaceState(null, "", location.pathname + location.search);
    }
    focusNotice();
  });
  window.addEventListener("load", focusNotice);
})();
