// Keeps what a person types on a page in this browser's localStorage, on this device
// only: nothing is ever sent anywhere (the pages allow no connection at all). The
// pages read the same without this script; it only remembers answers and lets a
// person clear them (on a shared phone, say).
"use strict";
(function () {
  var store;
  try {
    store = window.localStorage;
    store.getItem("kitpress");
  } catch (e) {
    return; // storage turned off: the fields still take typing, nothing is kept
  }
  var prefix = "kitpress:" + location.pathname + ":";
  var fields = Array.prototype.slice.call(document.querySelectorAll("[data-keep]"));

  function key(field) {
    return prefix + field.id;
  }
  function isBox(field) {
    return field.type === "checkbox";
  }

  fields.forEach(function (field) {
    var kept = store.getItem(key(field));
    if (kept !== null) {
      if (isBox(field)) field.checked = kept === "1";
      else field.value = kept;
    }
    field.addEventListener(isBox(field) ? "change" : "input", function () {
      var value = isBox(field) ? (field.checked ? "1" : "") : field.value;
      try {
        if (value) store.setItem(key(field), value);
        else store.removeItem(key(field));
      } catch (e) {
        // storage full or refused: the answer stays on the screen only
      }
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-keep-note]"), function (note) {
    note.hidden = false;
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-clear]"), function (button) {
    button.addEventListener("click", function () {
      fields.forEach(function (field) {
        store.removeItem(key(field));
        if (isBox(field)) field.checked = false;
        else field.value = "";
      });
    });
  });
})();
