// Shows a registration question only when the earlier answer it depends on is chosen
// (data-shown-if="<option id>"). Without this script every question shows with an
// "Answer only if …" note, and the server ignores answers that do not apply.
(function () {
  "use strict";
  document.querySelectorAll("[data-questions]").forEach(function (box) {
    var form = box.closest("form");
    if (!form) return;
    function chosen(optionId) {
      var input = form.querySelector('input[value="' + optionId + '"][name^="q-"]');
      return !!(input && input.checked && !input.closest("[hidden]"));
    }
    function update() {
      box.querySelectorAll("[data-shown-if]").forEach(function (question) {
        var show = chosen(question.getAttribute("data-shown-if"));
        question.hidden = !show;
        question.querySelectorAll("input, textarea, select").forEach(function (field) {
          field.disabled = !show;
        });
        question.querySelectorAll("[data-condition-note]").forEach(function (note) {
          note.hidden = true;
        });
      });
    }
    form.addEventListener("change", update);
    update();
  });
})();
