// A filter box over a long list of checkboxes (the event form's organisers): typing hides the
// people whose name or address does not match. Ticked boxes stay in the form when hidden.
// Without this script the box stays hidden and the whole list is shown.
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("[data-filter-for]")) {
    const list = document.getElementById(box.dataset.filterFor);
    const input = box.querySelector("input");
    if (!list || !input) continue;
    box.hidden = false;
    input.addEventListener("input", () => {
      const wanted = input.value.trim().toLocaleLowerCase();
      for (const item of list.children) {
        item.hidden = wanted !== "" && !item.textContent.toLocaleLowerCase().includes(wanted);
      }
    });
  }
});
