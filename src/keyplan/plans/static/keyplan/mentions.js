/* @mentions in comments: typing "@" and the start of a name in a textarea marked
   data-mentions offers the people who can see the account (asked of the card's
   data-mention-url); choosing one writes "@username". Names are set as text, never as
   HTML. Listeners sit on the document, so comments cards swapped in by HTMX work too. */
(function () {
  "use strict";
  var timer = null;
  var asked = 0;

  function handleBefore(area) {
    var before = area.value.slice(0, area.selectionStart);
    var match = /(^|[^\w@])@([\w.+-]*)$/.exec(before);
    return match ? match[2] : null;
  }

  function listFor(area) {
    var list = area.nextElementSibling;
    if (list && list.classList.contains("mention-list")) return list;
    list = document.createElement("ul");
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("data-testid", "mention-list");
    list.hidden = true;
    area.insertAdjacentElement("afterend", list);
    return list;
  }

  function close(area) {
    var list = listFor(area);
    list.hidden = true;
    list.textContent = "";
    area.removeAttribute("aria-activedescendant");
  }

  function choose(area, username) {
    var start = area.selectionStart;
    var before = area.value.slice(0, start);
    var handle = handleBefore(area) || "";
    var at = before.length - handle.length - 1;
    var text = "@" + username + " ";
    area.value = area.value.slice(0, at) + text + area.value.slice(start);
    area.selectionStart = area.selectionEnd = at + text.length;
    close(area);
    area.focus();
  }

  function show(area, people) {
    var list = listFor(area);
    list.textContent = "";
    if (!people.length) {
      var none = document.createElement("li");
      none.className = "muted small";
      none.textContent = "Nobody who can see this account has that name.";
      list.appendChild(none);
    }
    people.forEach(function (person, i) {
      var item = document.createElement("li");
      item.setAttribute("role", "option");
      item.id = "mention-option-" + i;
      item.dataset.username = person.username;
      item.textContent = person.name + " (@" + person.username + ")";
      if (i === 0) item.classList.add("active");
      item.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus (and caret) in the textarea
        choose(area, person.username);
      });
      list.appendChild(item);
    });
    list.hidden = false;
  }

  function ask(area) {
    var handle = handleBefore(area);
    if (handle === null) {
      close(area);
      return;
    }
    var card = area.closest("[data-mention-url]");
    if (!card) return;
    var ticket = ++asked;
    fetch(card.dataset.mentionUrl + "?q=" + encodeURIComponent(handle), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : { people: [] }; })
      .then(function (data) { if (ticket === asked) show(area, data.people || []); })
      .catch(function () { close(area); });
  }

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (!area.matches || !area.matches("textarea[data-mentions]")) return;
    clearTimeout(timer);
    timer = setTimeout(function () { ask(area); }, 150);
  });

  document.addEventListener("keydown", function (event) {
    var area = event.target;
    if (!area.matches || !area.matches("textarea[data-mentions]")) return;
    var list = area.nextElementSibling;
    if (!list || !list.classList.contains("mention-list") || list.hidden) return;
    var options = Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
    if (!options.length) return;
    var current = options.findIndex(function (o) { return o.classList.contains("active"); });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = (current + (event.key === "ArrowDown" ? 1 : -1) + options.length) % options.length;
      options.forEach(function (o, i) { o.classList.toggle("active", i === next); });
      area.setAttribute("aria-activedescendant", options[next].id);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      choose(area, options[Math.max(current, 0)].dataset.username);
    } else if (event.key === "Escape") {
      close(area);
    }
  });

  document.addEventListener("focusout", function (event) {
    var area = event.target;
    if (area.matches && area.matches("textarea[data-mentions]")) {
      setTimeout(function () { close(area); }, 150);
    }
  });
})();
