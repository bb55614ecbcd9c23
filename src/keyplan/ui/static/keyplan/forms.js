/* Nothing a user typed is lost.

   Pages such as the account plan and the relationship map open edit forms in place
   (htmx fetches a form into an empty ".slot") and a save answers with the whole page
   body, or (a save of one of the plan's own sections) with that section and, out of
   band, the few parts of the page that show what it holds, which htmx swaps in. Without
   care that swap would wipe every other form the user has open in the part replaced.
   So, around every swap:
   - forms open in a slot are taken out of the old body and put back, as they are (the
     very same elements, so what was typed, the cursor and the undo history survive),
     into the slot of the same id in the new body;
   - other forms with something typed or chosen (a decision's comment, say) have those
     values copied into the same form of the new body;
   - a form whose place is gone (its item was removed) is kept at the top of the body
     with a note, never dropped, if it holds unsaved text.
   Opening a form into a slot that already holds unsaved text keeps the text and shows
   that form instead. Leaving the page (link, reload, closing the tab) while any form
   holds unsaved text asks first; submitting the form itself does not.
   A save the server could not make because the database was busy (503, a large import
   being written) leaves an htmx form as it is, with a note to save again; a plain form's
   busy page has a button back to the form, where the browser still holds the text. */
(function () {
  "use strict";

  var EDITABLE = "input, select, textarea";
  var SKIPPED_TYPES = { hidden: 1, submit: 1, button: 1, reset: 1, image: 1, password: 1 };

  function editableFields(form) {
    return Array.prototype.filter.call(form.querySelectorAll(EDITABLE), function (field) {
      return field.name && !field.disabled && !SKIPPED_TYPES[field.type];
    });
  }

  function fieldChanged(field) {
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field.type === "file") return field.files && field.files.length > 0;
    if (field.tagName === "SELECT") {
      var options = field.options, anyDefault = false, i;
      for (i = 0; i < options.length; i++) if (options[i].defaultSelected) anyDefault = true;
      for (i = 0; i < options.length; i++) {
        // With no option marked selected, a single select starts on its first option.
        var initially = anyDefault || field.multiple ? options[i].defaultSelected : i === 0;
        if (options[i].selected !== initially) return true;
      }
      return false;
    }
    return field.value !== field.defaultValue;
  }

  /* A form holds unsaved text when a field differs from what the page was sent with,
     or when the server sent it back refused (with errors): what it shows was typed by
     the user and is not stored. Search forms (GET) only filter a page. */
  function isUnsaved(form) {
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return false;
    if (form.hasAttribute("data-unsaved-ignore")) return false;
    if (form.querySelector(".errorlist, .message.error")) return true;
    return editableFields(form).some(fieldChanged);
  }

  // The form whose own plain (non-htmx) submission is leaving the page.
  var submitting = null;

  function unsavedForms() {
    return Array.prototype.filter.call(document.forms, function (form) {
      return form !== submitting && isUnsaved(form);
    });
  }

  document.addEventListener("submit", function (event) {
    // htmx cancels the submissions it sends itself; only a real page load is left.
    if (!event.defaultPrevented) submitting = event.target;
  });
  document.addEventListener("input", function () { submitting = null; }, true);

  window.addEventListener("beforeunload", function (event) {
    if (unsavedForms().length) {
      event.preventDefault();
      event.returnValue = "You have unsaved changes. Leave the page and lose them?";
      return event.returnValue;
    }
  });
  // Back in the page (for instance after the browser's back button): forget.
  window.addEventListener("pageshow", function () { submitting = null; });

  function showForm(form) {
    form.scrollIntoView({ block: "nearest" });
    var first = editableFields(form)[0];
    if (first) first.focus({ preventScroll: true });
  }

  /* Opening a form into a slot that holds unsaved text would replace it: show the
     text instead (Cancel closes it). */
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (!target || !target.classList || !target.classList.contains("slot")) return;
    if ((event.detail.requestConfig && event.detail.requestConfig.verb) !== "get") return;
    var held = Array.prototype.filter.call(target.querySelectorAll("form"), isUnsaved);
    if (held.length) {
      event.preventDefault();
      showForm(held[0]);
    }
  });

  function fieldValues(form) {
    return editableFields(form).filter(fieldChanged).map(function (field) {
      return {
        name: field.name,
        type: field.type,
        own: field.value,
        value: field.tagName === "SELECT"
          ? Array.prototype.filter.call(field.options, function (o) { return o.selected; })
              .map(function (o) { return o.value; })
          : field.value,
        checked: field.checked
      };
    });
  }

  function applyValues(form, values) {
    values.forEach(function (v) {
      var fields = Array.prototype.filter.call(form.elements, function (f) {
        return f.name === v.name;
      });
      fields.forEach(function (field) {
        if (v.type === "checkbox" || v.type === "radio") {
          if (field.value === v.own) field.checked = v.checked;
        } else if (field.tagName === "SELECT") {
          Array.prototype.forEach.call(field.options, function (o) {
            o.selected = v.value.indexOf(o.value) !== -1;
          });
        } else if (field.type !== "file") {
          field.value = v.value;
        }
      });
    });
  }

  function formKey(form) {
    return (form.getAttribute("action") || "") + "|" + (form.getAttribute("hx-post") || "");
  }

  var pending = null;
  // The plan's version a section's form sent with a save being swapped in (see below).
  var planVersionSent = null;

  document.addEventListener("htmx:beforeSwap", function (event) {
    pending = null;
    planVersionSent = null;
    var detail = event.detail, target = detail.target;
    if (!detail.shouldSwap || !target || !target.id) return;
    // A swap inside a slot (a form opened, or sent back with its errors) keeps the rest.
    if (target.closest(".slot")) return;
    var source = detail.requestConfig && detail.requestConfig.elt;
    var sourceForm = source && source.closest ? source.closest("form") : null;
    var sent = sourceForm && sourceForm.hasAttribute("data-plan-section") &&
      sourceForm.elements.version;
    if (sent) planVersionSent = sent.value;
    var sourceSlot = source && source.closest ? source.closest(".slot") : null;
    var slots = [], others = [];
    Array.prototype.forEach.call(target.querySelectorAll(".slot[id]"), function (slot) {
      if (slot === sourceSlot || !slot.querySelector("form")) return;
      if (slot.parentElement && slot.parentElement.closest(".slot")) return;
      slots.push({
        id: slot.id,
        nodes: Array.prototype.slice.call(slot.childNodes),
        unsaved: Array.prototype.some.call(slot.querySelectorAll("form"), isUnsaved)
      });
    });
    Array.prototype.forEach.call(target.querySelectorAll("form"), function (form) {
      if (form === sourceForm || form.closest(".slot") || !isUnsaved(form)) return;
      others.push({ key: formKey(form), values: fieldValues(form), node: form });
    });
    if (!slots.length && !others.length) return;
    pending = { id: target.id, old: target, slots: slots, others: others };
  });

  function keepOrphan(body, nodes) {
    var box = body.querySelector(":scope > .kept-forms");
    if (!box) {
      box = document.createElement("div");
      box.className = "kept-forms";
      box.setAttribute("data-testid", "kept-forms");
      var note = document.createElement("p");
      note.className = "message";
      note.textContent = "What you typed below belongs to something that is no longer on " +
        "this page (it was removed or moved). It is kept here so you can copy it.";
      box.appendChild(note);
      body.insertBefore(box, body.firstChild);
    }
    nodes.forEach(function (node) { box.appendChild(node); });
    return box;
  }

  /* A form for the plan's own fields carries the plan's version, so a save from a
     stale copy is refused. When the change that moved the version on was the user's
     own save of another section (sent with the same version, now exactly one more),
     nothing else happened in between: the other section forms open on the page (kept
     across the swap, or outside the part swapped) may carry the new version. */
  function refreshPlanVersion(sent) {
    var marker = document.querySelector("[data-plan-version]");
    var now = marker && marker.getAttribute("data-plan-version");
    if (sent === null || now === null || String(Number(sent) + 1) !== now) return;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-plan-section]"),
      function (form) {
        var version = form.elements.version;
        if (version && version.value === sent) {
          version.value = now;
          version.defaultValue = now;
        }
      });
  }

  function restore() {
    var state = pending;
    pending = null;
    var body = document.getElementById(state.id);
    if (!body || body === state.old) return;
    state.slots.forEach(function (slot) {
      var place = document.getElementById(slot.id);
      if (place && body.contains(place) && !place.children.length) {
        slot.nodes.forEach(function (node) { place.appendChild(node); });
        if (window.htmx) window.htmx.process(place);
      } else if (slot.unsaved) {
        var box = keepOrphan(body, slot.nodes);
        if (window.htmx) window.htmx.process(box);
      }
    });
    state.others.forEach(function (other) {
      var match = Array.prototype.filter.call(body.querySelectorAll("form"), function (form) {
        return formKey(form) === other.key && !form.closest(".slot");
      });
      if (match.length === 1) {
        applyValues(match[0], other.values);
      } else {
        var box = keepOrphan(body, [other.node]);
        if (window.htmx) window.htmx.process(box);
      }
    });
  }

  /* Two forms open at once are often of one kind (both have "id_title"): give the
     newer one's ids its slot's name, so its labels point at its own fields. */
  function uniqueIds(slot) {
    Array.prototype.forEach.call(slot.querySelectorAll("[id]"), function (el) {
      var clash = Array.prototype.some.call(
        document.querySelectorAll("#" + CSS.escape(el.id)),
        function (other) { return other !== el && !slot.contains(other); });
      if (!clash) return;
      var old = el.id, renamed = slot.id + "-" + old;
      el.id = renamed;
      Array.prototype.forEach.call(slot.querySelectorAll("label[for]"), function (label) {
        if (label.htmlFor === old) label.htmlFor = renamed;
      });
    });
  }

  /* Small behaviours of forms, bound here because the Content-Security-Policy allows no
     inline handler (onclick=...):
     - a Cancel link marked data-slot-cancel closes the form opened in its slot (without
       htmx it is an ordinary link back to the page);
     - a select marked data-submit-on-change sends its form when changed. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-slot-cancel]");
    var slot = link && link.closest(".slot");
    if (slot && window.htmx) {
      event.preventDefault();
      slot.replaceChildren();
    }
  });
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
  });

  // Fired for each element swapped in (the target and every out-of-band part), once
  // they all are in place: the first does the work.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (pending) restore();
    if (planVersionSent !== null) {
      var sent = planVersionSent;
      planVersionSent = null;
      refreshPlanVersion(sent);
    }
    var target = event.detail && event.detail.target;
    if (target && target.classList && target.classList.contains("slot") && target.id) {
      uniqueIds(target);
    }
  });

  var BUSY_NOTE = "The database is busy (a large import is being written), so this was " +
    "not saved. What you typed is still here: save again in a few seconds.";

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (!xhr || xhr.status !== 503) return;
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    var form = source && source.closest ? source.closest("form") : null;
    if (!form) return;
    var note = form.querySelector("[data-busy-note]");
    if (!note) {
      note = document.createElement("p");
      note.className = "message error";
      note.setAttribute("role", "alert");
      note.setAttribute("data-busy-note", "");
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = BUSY_NOTE;
    showForm(form);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail && event.detail.elt;
    var form = source && source.closest ? source.closest("form") : null;
    var note = form && form.querySelector("[data-busy-note]");
    if (note) note.remove();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-go-back]");
    if (button) history.back();
  });
})();
