// The header's menu on phones: folded behind its button, which says whether it is open
// (aria-expanded) and closes it again, also with Escape. samverkan.css folds the menu only
// on narrow screens and only when <html> has the class "js", set here before the header is
// drawn; without this script the menu stays open and the button hidden.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".site-menu-toggle");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  const show = (open) => {
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("show", open);
  };
  button.addEventListener("click", () => show(button.getAttribute("aria-expanded") !== "true"));
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.classList.contains("show")) {
      show(false);
      button.focus();
    }
  });
});
