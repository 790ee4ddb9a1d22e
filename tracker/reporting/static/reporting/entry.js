// The entry form: every cell saved when the officer leaves it, kept on this device until the
// server has it (offline too), checked as it is typed with the rules the server put in the page
// (#entry-config: separators, types, ranges, cross-element rules as expression trees, and the
// server's own translated messages). Nothing here knows a particular element or rule; the
// server re-checks every saved cell and its answer wins.
(function () {
  "use strict";
  var node = document.getElementById("entry-config");
  var form = document.getElementById("values-form");
  if (!node || !form) {
    return;
  }
  var C = JSON.parse(node.textContent);
  var M = C.messages;
  var QUEUE_KEY = "kpi-entry-queue-" + C.submission;
  var state = {
    version: C.version,
    status: C.status,
    outliers: C.outliers || {},
    flushing: null, // the round of saves on its way (a promise), if any
    saved: {}, // code -> {value, comment} as the server has them
    mine: {}, // code -> the cell's version after this page's own last save (or the officer's choice)
    ready: {}, // code -> true once the officer left the cell: it may be sent even if focused again
    conflicted: {}, // code -> true while the officer has not chosen between the two figures
    errors: {}, // code -> the cell's own message (server's, or the browser's while typing)
  };

  function fmt(template, params) {
    return template.replace(/%\((\w+)\)[sd]/g, function (match, key) {
      return params[key] === undefined ? match : String(params[key]);
    });
  }

  // ---------------------------------------------------------------------------------------
  // Numbers, read the page language's way (parsing.py's rules with the marks of the page).

  function fail(key, params) {
    return { error: fmt(M[key], params) };
  }

  function ungroup(part, raw) {
    var separators = part.replace(/[0-9]/g, "");
    if (!separators) {
      return part;
    }
    var kinds = separators.split("").filter(function (c, i, all) {
      return all.indexOf(c) === i;
    });
    if (kinds.length > 1) {
      return null;
    }
    var groups = part.split(kinds[0]);
    var ok =
      /^[0-9]{1,3}$/.test(groups[0]) &&
      groups.slice(1).every(function (g) {
        return /^[0-9]{3}$/.test(g);
      });
    return ok ? groups.join("") : null;
  }

  function isGroup(intPart, frac) {
    return /^[0-9]{3}$/.test(frac) && /^[1-9][0-9]{0,2}$/.test(intPart);
  }

  function count(text, ch) {
    return text.split(ch).length - 1;
  }

  function parseNumber(raw, allowPercent) {
    var text = raw.replace(/[\u00a0\u202f\t]/g, " ").trim();
    if (allowPercent && text.slice(-1) === "%") {
      text = text.slice(0, -1).trim();
    }
    var negative = false;
    if (text[0] === "-" || text[0] === "+") {
      negative = text[0] === "-";
      text = text.slice(1).trim();
    }
    if (!text || !/^[0-9][0-9., ]*$/.test(text) || !/[0-9]$/.test(text)) {
      return fail("not_number", { raw: raw });
    }
    var hasDot = text.indexOf(".") >= 0;
    var hasComma = text.indexOf(",") >= 0;
    var intPart = text;
    var frac = "";
    if (hasDot && hasComma) {
      var mark = text.lastIndexOf(".") > text.lastIndexOf(",") ? "." : ",";
      if (count(text, mark) !== 1) {
        return fail("bad_grouping", { raw: raw });
      }
      intPart = text.split(mark)[0];
      frac = text.split(mark)[1];
    } else if (hasDot || hasComma) {
      var only = hasDot ? "." : ",";
      if (count(text, only) === 1) {
        intPart = text.split(only)[0];
        frac = text.split(only)[1];
        if (only === C.marks.thousands && isGroup(intPart, frac)) {
          intPart += frac;
          frac = "";
        }
      }
    }
    if (frac && !/^[0-9]+$/.test(frac)) {
      return fail("not_number", { raw: raw });
    }
    var digits = intPart ? ungroup(intPart, raw) : "0";
    if (digits === null) {
      return fail("bad_grouping", { raw: raw });
    }
    digits = digits.replace(/^0+(?=[0-9])/, "");
    frac = frac.replace(/0+$/, "");
    if (digits.length > C.limits.integer_digits) {
      return fail("too_big", { raw: raw });
    }
    if (frac.length > C.limits.decimals) {
      return fail("too_many_decimals", { raw: raw, max: C.limits.decimals });
    }
    var canonical = (negative && (digits !== "0" || frac) ? "-" : "") + digits + (frac ? "." + frac : "");
    return { value: canonical, number: Number(canonical) };
  }

  function parseBoolean(raw) {
    var word = raw.trim().toLowerCase();
    if (C.booleans["true"].indexOf(word) >= 0) {
      return { value: "1", number: 1 };
    }
    if (C.booleans["false"].indexOf(word) >= 0) {
      return { value: "0", number: 0 };
    }
    return fail("not_boolean", { raw: raw });
  }

  function display(canonical, kind) {
    if (canonical === null || canonical === undefined || canonical === "") {
      return "";
    }
    if (kind === "boolean") {
      return Number(canonical) ? M.yes : M.no;
    }
    var negative = canonical[0] === "-";
    var parts = canonical.replace("-", "").split(".");
    var groups = [];
    var integer = parts[0];
    while (integer.length > 3) {
      groups.unshift(integer.slice(-3));
      integer = integer.slice(0, -3);
    }
    groups.unshift(integer);
    return (negative ? "-" : "") + groups.join(C.marks.thousands) + (parts[1] ? C.marks.decimal + parts[1] : "");
  }

  function numberText(number, places) {
    var digits = places === undefined ? 6 : places;
    // A ratio far below 1 keeps two significant digits rather than rounding to 0.
    if (number !== 0 && Math.abs(number) < Math.pow(10, -digits + 1)) {
      digits = Math.min(6, 1 - Math.floor(Math.log10(Math.abs(number))));
    }
    var fixed = Number(number.toFixed(digits));
    return display(String(fixed).indexOf("e") >= 0 ? fixed.toFixed(6) : String(fixed));
  }

  // The cell's own checks: type, format, range. Returns {value, number} or {error}.
  function checkCell(code, raw) {
    var spec = C.elements[code];
    if (raw.trim() === "") {
      return { value: null, number: null };
    }
    if (raw.length > C.limits.length) {
      return fail("too_long", { max: C.limits.length });
    }
    var parsed = spec.type === "boolean" ? parseBoolean(raw) : parseNumber(raw, spec.type === "percent");
    if (parsed.error) {
      return { error: spec.label + ": " + parsed.error };
    }
    var problems = [];
    if (spec.type === "integer" && parsed.value.indexOf(".") >= 0) {
      problems.push(fmt(M.integer, { name: spec.label }));
    }
    if (spec.min !== null && parsed.number < Number(spec.min)) {
      problems.push(
        Number(spec.min) === 0
          ? fmt(M.negative, { name: spec.label })
          : fmt(M.min, { name: spec.label, min: spec.min_text })
      );
    }
    if (spec.max !== null && parsed.number > Number(spec.max)) {
      problems.push(
        spec.type === "percent" && Number(spec.max) === 100
          ? fmt(M.percent_max, { name: spec.label })
          : fmt(M.max, { name: spec.label, max: spec.max_text })
      );
    }
    return problems.length ? { error: problems.join(" ") } : parsed;
  }

  // ---------------------------------------------------------------------------------------
  // Cross-element rules: expression trees from the catalogue, evaluated generically.

  function evaluate(tree, values) {
    var kind = tree[0];
    if (kind === "num") {
      return Number(tree[1]);
    }
    if (kind === "ref") {
      var v = values[tree[1]];
      return v === undefined ? null : v;
    }
    if (kind === "neg") {
      var inner = evaluate(tree[1], values);
      return inner === null ? null : -inner;
    }
    var left = evaluate(tree[1], values);
    var right = evaluate(tree[2], values);
    if (left === null || right === null) {
      return null;
    }
    if (kind === "+") return left + right;
    if (kind === "-") return left - right;
    if (kind === "*") return left * right;
    return right === 0 ? null : left / right;
  }

  var HOLDS = {
    "<=": function (a, b) { return a <= b + 1e-9; },
    "<": function (a, b) { return a < b; },
    ">=": function (a, b) { return a + 1e-9 >= b; },
    ">": function (a, b) { return a > b; },
    "==": function (a, b) { return Math.abs(a - b) < 1e-9; },
  };

  function ruleWarnings(values) {
    var out = {};
    C.rules.forEach(function (rule) {
      var left = evaluate(rule.left, values);
      var right = evaluate(rule.right, values);
      if (left === null || right === null || HOLDS[rule.op](left, right)) {
        return;
      }
      var message = fmt(M.rule, {
        message: rule.message,
        left: numberText(left),
        op: rule.negated,
        right: numberText(right),
      });
      rule.codes.forEach(function (code) {
        (out[code] = out[code] || []).push(message);
      });
    });
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // The page's cells.

  var codes = Object.keys(C.elements).filter(function (code) {
    return document.getElementById("v-" + code);
  });
  var order = codes.slice().sort(function (a, b) {
    var pa = document.getElementById("v-" + a);
    var pb = document.getElementById("v-" + b);
    return pa.compareDocumentPosition(pb) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });

  function input(code) {
    return document.getElementById("v-" + code);
  }
  function comment(code) {
    return document.getElementById("c-" + code);
  }
  function row(code) {
    return document.getElementById("row-" + code);
  }
  function rawOf(code) {
    return input(code).value;
  }
  function commentOf(code) {
    var box = comment(code);
    return box ? box.value : "";
  }

  function currentValues() {
    var values = {};
    order.forEach(function (code) {
      var checked = checkCell(code, rawOf(code));
      values[code] = checked.error || checked.number === null ? null : checked.number;
    });
    return values;
  }

  function setState(code, key, extra) {
    var box = document.getElementById("s-" + code);
    if (!box) return;
    box.className = "cell-state state-" + key;
    box.textContent = key === "refused" ? fmt(M.refused, { reason: extra }) : M[key] || "";
  }

  function changeWords(code, checked) {
    var spec = C.elements[code];
    var box = document.getElementById("d-" + code);
    if (!box || spec.previous === null || spec.type === "boolean") return;
    box.textContent = "";
    if (checked.error || checked.number === null) return;
    var previous = Number(spec.previous);
    var diff = checked.number - previous;
    var text = " · " + (diff > 0 ? "+" : "") + numberText(diff);
    if (previous > 0) {
      text += " (" + (diff > 0 ? "+" : "") + numberText((diff * 100) / previous, 1) + "%)";
    }
    box.appendChild(document.createTextNode(text));
    var factor = Number(C.jump_factor);
    if (previous > 0 && checked.number >= 0) {
      var words = "";
      if (checked.number > previous * factor) {
        words = fmt(M.higher, { factor: numberText(checked.number / previous, 1) });
      } else if (checked.number < previous / factor) {
        words = fmt(M.lower, { factor: numberText(checked.number / previous, 2) });
      }
      if (words) {
        box.appendChild(document.createTextNode(" · "));
        var strong = document.createElement("strong");
        strong.textContent = words;
        box.appendChild(strong);
      }
    }
  }

  // Re-draw every cell's messages: its own error, the rules it is part of, its outlier note.
  function refresh() {
    var values = currentValues();
    var warnings = ruleWarnings(values);
    var filled = 0;
    var errors = 0;
    var warned = 0;
    order.forEach(function (code) {
      var raw = rawOf(code);
      var checked = checkCell(code, raw);
      var error = checked.error || state.errors[code] || "";
      if (!checked.error && state.errors[code] && raw !== state.errors[code + "@raw"]) {
        error = ""; // the box no longer holds the text the server refused
      }
      // The server's outlier note is about the figure it has: shown while the box still holds it.
      var saved = state.saved[code];
      var outliers = saved && saved.value === raw ? state.outliers[code] || [] : [];
      var list = (warnings[code] || []).concat(outliers);
      var box = document.getElementById("m-" + code);
      var conflict = box.querySelector(".conflict");
      box.textContent = "";
      if (error) {
        var e = document.createElement("div");
        e.className = "error";
        e.textContent = error;
        box.appendChild(e);
      }
      list.forEach(function (message) {
        var w = document.createElement("div");
        w.className = "warning";
        w.textContent = message;
        box.appendChild(w);
      });
      if (conflict) box.appendChild(conflict);
      input(code).setAttribute("aria-invalid", error ? "true" : "false");
      row(code).classList.toggle("has-error", !!error);
      row(code).classList.toggle("has-warning", !error && list.length > 0);
      if (raw.trim() !== "") filled += 1;
      if (error) errors += 1;
      if (list.length) warned += 1;
      changeWords(code, checked);
    });
    var counts = document.getElementById("entry-counts");
    if (counts) {
      counts.textContent = fmt(M.counts, { filled: filled, total: codes.length, errors: errors, warnings: warned });
    }
  }

  // ---------------------------------------------------------------------------------------
  // The queue: what was typed and is not yet on the server, kept on this device.

  function loadQueue() {
    try {
      return JSON.parse(window.localStorage.getItem(QUEUE_KEY) || "{}");
    } catch (err) {
      return {};
    }
  }
  function storeQueue(queue) {
    window.localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
  }

  function enqueue(code) {
    var queue = loadQueue();
    var entry = {
      element: code,
      value: rawOf(code),
      comment: commentOf(code),
      version: Number(row(code).dataset.version),
      locale: C.locale,
      status: state.status,
      at: Date.now(),
    };
    var saved = state.saved[code];
    if (saved && saved.value === entry.value && saved.comment === entry.comment) {
      delete queue[code];
      storeQueue(queue);
      return false;
    }
    var queued = queue[code];
    if (queued && queued.value === entry.value && queued.comment === entry.comment) {
      return true; // already waiting as it is: keep it, so that it is sent once
    }
    queue[code] = entry;
    storeQueue(queue);
    return true;
  }

  function syncBanner() {
    var box = document.getElementById("entry-sync");
    var pending = Object.keys(loadQueue()).length;
    if (!box) return;
    var conflicts = document.querySelectorAll(".conflict").length;
    if (conflicts) {
      box.textContent = fmt(M.conflicts, { count: conflicts });
      box.className = "entry-sync sync-offline";
    } else if (!navigator.onLine && pending) {
      box.textContent = fmt(M.offline, { count: pending });
      box.className = "entry-sync sync-offline";
    } else if (!pending) {
      box.textContent = M.all_saved;
      box.className = "entry-sync sync-ok";
    } else {
      box.textContent = "";
      box.className = "entry-sync";
    }
  }

  function csrf() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
    });
  }

  function applySaved(code, body, sent) {
    var cell = body.cell;
    row(code).dataset.version = String(cell.version);
    state.saved[code] = { value: sent.value, comment: sent.comment };
    state.version = body.submission.version;
    var shown = document.getElementById("entry-version");
    if (shown) shown.textContent = String(state.version);
    state.outliers = body.outliers || {};
    if (cell.error) {
      state.errors[code] = cell.error;
      state.errors[code + "@raw"] = sent.value;
    } else {
      delete state.errors[code];
    }
    if (body.submission.status !== state.status) {
      state.status = body.submission.status;
      var badge = document.getElementById("entry-status");
      if (badge) {
        badge.textContent = C.statuses[state.status] || state.status;
        badge.className = "status status-" + state.status;
      }
    }
    var box = input(code);
    if (box.value === sent.value && document.activeElement !== box && box.tagName === "INPUT") {
      box.value = cell.text; // formatted back in the page's language
      state.saved[code].value = cell.text;
    }
    setState(code, "saved");
  }

  function showConflict(code, body) {
    var box = document.getElementById("m-" + code);
    var old = box.querySelector(".conflict");
    if (old) old.remove();
    var wrap = document.createElement("div");
    wrap.className = "conflict";
    wrap.setAttribute("role", "alert");
    var intro = document.createElement("p");
    intro.textContent = body.detail;
    wrap.appendChild(intro);
    var sides = document.createElement("div");
    sides.className = "conflict-sides";
    [
      [fmt(M.conflict_server, { who: body.server.updated_by }), body.server.text, body.server.comment, "take_server"],
      [M.conflict_yours, body.yours.text, body.yours.comment, "keep_mine"],
    ].forEach(function (side) {
      var column = document.createElement("div");
      column.className = "conflict-side";
      var title = document.createElement("strong");
      title.textContent = side[0];
      var value = document.createElement("div");
      value.className = "conflict-value";
      value.textContent = side[1] || "—";
      column.appendChild(title);
      column.appendChild(value);
      if (side[2]) {
        var note = document.createElement("div");
        note.textContent = side[2];
        column.appendChild(note);
      }
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = M[side[3]];
      button.dataset.choice = side[3];
      column.appendChild(button);
      sides.appendChild(column);
    });
    wrap.appendChild(sides);
    box.appendChild(wrap);
    wrap.addEventListener("click", function (event) {
      var choice = event.target instanceof HTMLElement ? event.target.dataset.choice : "";
      if (!choice) return;
      row(code).dataset.version = String(body.server.version);
      state.mine[code] = body.server.version;
      delete state.conflicted[code];
      if (choice === "take_server") {
        input(code).value = body.server.text;
        if (comment(code)) comment(code).value = body.server.comment;
        state.saved[code] = { value: body.server.text, comment: body.server.comment };
        if (body.server.error) {
          state.errors[code] = body.server.error;
          state.errors[code + "@raw"] = body.server.text;
        } else {
          delete state.errors[code];
        }
        setState(code, "saved");
      } else {
        input(code).value = body.yours.text;
        enqueue(code);
      }
      wrap.remove();
      refresh();
      flush();
    });
    setState(code, "refused", body.detail);
  }

  function sendOne(entry) {
    var url = C.urls.cell.replace("__code__", encodeURIComponent(entry.element));
    // The version the officer started from, or the one this page saved since (its own saves are
    // not someone else's change); a value left from an earlier visit keeps the version it had.
    var version = state.mine[entry.element];
    var payload = {
      value: entry.value,
      comment: entry.comment,
      version: version === undefined ? entry.version : Math.max(entry.version, version),
      locale: entry.locale,
      status: entry.status,
    };
    return post(url, payload).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          return { status: response.status, body: body };
        });
    });
  }

  function dropFromQueue(entry) {
    var queue = loadQueue();
    if (queue[entry.element] && queue[entry.element].at === entry.at) {
      delete queue[entry.element];
      storeQueue(queue);
    }
  }

  // Send the queued cells one after the other; stop at the first network failure (offline).
  function flush() {
    if (state.flushing) {
      // A round is on its way: wait for it, then send what it did not carry (a submit clicked
      // while a cell is saving must not find the queue busy and give up).
      return state.flushing.then(function () {
        return flush();
      });
    }
    var queue = loadQueue();
    // A cell still being typed in stays on the device until the officer leaves it.
    var pending = Object.keys(queue)
      .filter(function (code) {
        if (state.conflicted[code]) return false;
        return state.ready[code] || !input(code) || document.activeElement !== input(code);
      })
      .map(function (code) {
        return queue[code];
      });
    if (!pending.length) {
      syncBanner();
      return Promise.resolve();
    }
    if (!navigator.onLine) {
      pending.forEach(function (entry) {
        if (input(entry.element)) setState(entry.element, "queued");
      });
      syncBanner();
      return Promise.resolve();
    }
    var chain = Promise.resolve(true);
    pending.forEach(function (entry) {
      chain = chain.then(function (goOn) {
        if (!goOn) return false;
        if (input(entry.element)) setState(entry.element, "saving");
        return sendOne(entry).then(
          function (result) {
            if (result.status === 200) {
              state.mine[entry.element] = result.body.cell.version;
              delete state.ready[entry.element];
              dropFromQueue(entry);
              applySaved(entry.element, result.body, entry);
              return true;
            }
            if (result.status === 409 && result.body.code === "cell_conflict") {
              state.conflicted[entry.element] = true;
              dropFromQueue(entry);
              showConflict(entry.element, result.body);
              return true;
            }
            if (result.status >= 500 || result.status === 0) {
              setState(entry.element, "refused", fmt(M.server_error, { status: result.status }));
              return false;
            }
            // Refused for good (report submitted, returned, approved or locked meanwhile…): say why.
            dropFromQueue(entry);
            setState(entry.element, "refused", result.body.detail || String(result.status));
            return true;
          },
          function () {
            setState(entry.element, "queued");
            return false;
          }
        );
      });
    });
    var round = chain.then(function (completed) {
      state.flushing = null;
      refresh();
      syncBanner();
      // Cells typed while this round was on its way go in the next one.
      if (completed && navigator.onLine && pending.length && Object.keys(loadQueue()).length) {
        return flush();
      }
      return undefined;
    });
    state.flushing = round;
    return round;
  }

  function saveCell(code) {
    state.ready[code] = true;
    if (enqueue(code)) {
      setState(code, navigator.onLine ? "saving" : "queued");
      syncBanner();
      flush();
    }
  }

  // ---------------------------------------------------------------------------------------
  // Events.

  // What the server has is what it rendered (defaultValue), not what the boxes hold now: on a
  // slow connection an officer can type before this script arrives, and those figures must be sent.
  function rendered(box) {
    if (box.tagName !== "SELECT") return box.defaultValue;
    for (var i = 0; i < box.options.length; i++) {
      if (box.options[i].defaultSelected) return box.options[i].value;
    }
    return box.options.length ? box.options[0].value : "";
  }
  var typedEarly = [];
  order.forEach(function (code) {
    var box = input(code);
    var note = comment(code);
    state.saved[code] = { value: rendered(box), comment: note ? note.defaultValue : "" };
    if (box.value !== state.saved[code].value || commentOf(code) !== state.saved[code].comment) typedEarly.push(code);
    var stored = document.querySelector("#m-" + code + " .error");
    if (stored && box.getAttribute("aria-invalid") === "true") {
      state.errors[code] = stored.textContent;
      state.errors[code + "@raw"] = state.saved[code].value;
    }
    box.dataset.entryInput = "1";
    box.addEventListener("input", function () {
      delete state.ready[code];
      enqueue(code); // every keystroke kept on this device until the server has it
      refresh();
    });
    box.addEventListener("change", function () {
      saveCell(code);
    });
    box.addEventListener("blur", function () {
      saveCell(code);
    });
    if (comment(code)) {
      comment(code).addEventListener("change", function () {
        saveCell(code);
      });
    }
    // Enter moves to the next cell (Shift+Enter to the previous), as in a spreadsheet.
    box.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var index = order.indexOf(code) + (event.shiftKey ? -1 : 1);
      saveCell(code);
      if (index >= 0 && index < order.length) {
        input(order[index]).focus();
        if (input(order[index]).select) input(order[index]).select();
      }
    });
  });

  // What this device still holds from an earlier visit (typed offline, or the page left early).
  // A figure typed on this page before the script arrived is newer than any of them.
  var leftover = loadQueue();
  Object.keys(leftover).forEach(function (code) {
    var entry = leftover[code];
    if (!input(code) || typedEarly.indexOf(code) >= 0) return;
    input(code).value = entry.value;
    if (comment(code)) comment(code).value = entry.comment;
    setState(code, "queued");
  });
  typedEarly.forEach(function (code) {
    if (enqueue(code)) setState(code, "queued");
  });

  form.addEventListener("submit", function (event) {
    var action = event.submitter ? event.submitter.value : "save";
    event.preventDefault();
    order.forEach(function (code) {
      enqueue(code);
    });
    if (action !== "submit") {
      flush();
      return;
    }
    var sync = document.getElementById("entry-sync");
    if (!navigator.onLine) {
      sync.textContent = M.submit_offline;
      sync.className = "entry-sync sync-offline";
      return;
    }
    flush().then(function () {
      if (Object.keys(loadQueue()).length) {
        sync.textContent = M.submit_pending;
        sync.className = "entry-sync sync-offline";
        return undefined;
      }
      return post(C.urls.submit, { version: state.version }).then(function (response) {
        if (response.ok) {
          window.location.assign(C.urls.page);
          return undefined;
        }
        return response.json().then(function (body) {
          sync.textContent = body.detail || M.reload_needed;
          sync.className = "entry-sync sync-offline";
          Object.keys(body.errors || {}).forEach(function (code) {
            if (!input(code)) return;
            state.errors[code] = body.errors[code].join(" ");
            state.errors[code + "@raw"] = rawOf(code);
          });
          refresh();
        });
      });
    });
  });

  window.addEventListener("online", function () {
    flush();
  });
  window.addEventListener("offline", syncBanner);
  window.setInterval(flush, 15000);

  if ("serviceWorker" in navigator && C.urls.worker) {
    navigator.serviceWorker.register(C.urls.worker).catch(function () {
      return undefined; // the form works without it, only not after a reload offline
    });
  }

  window.kpiEntry = { parse: checkCell, display: display, flush: flush };
  refresh();
  flush();
})();
