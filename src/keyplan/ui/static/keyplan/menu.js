/* The menu button of narrow screens (phones): the top bar's links fold away behind it.
   Wide screens never show the button, and the links stay where they are. */
(function () {
  "use strict";
  var button = document.querySelector("[data-menu-button]");
  if (!button) return;
  var bar = button.closest(".topbar");

  function setOpen(open) {
    bar.classList.toggle("open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  button.addEventListener("click", function () {
    setOpen(!bar.classList.contains("open"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && bar.classList.contains("open")) {
      setOpen(false);
      button.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (bar.classList.contains("open") && !bar.contains(event.target)) setOpen(false);
  });
})();
