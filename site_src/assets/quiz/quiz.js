/*
 * Quiz widget for the generated quiz pages (generator/quiz/pages.py).
 *
 * Progressive enhancement: without JavaScript a page lists its questions and then an
 * answer key. With it, each question becomes a form (radio buttons, a number field,
 * or one select per row for matching and ordering), checked against the key in the
 * page's inline JSON; feedback reuses the explanation and evidence link from the
 * answer key, which is then hidden on screen (print still shows it).
 *
 * Progress is kept in localStorage under "tdm1-quiz:<quiz>:<item id>", so it follows
 * an item even when the bank is rebuilt in another order or the item moves to another
 * part of its quiz. A long quiz is split into pages: the score covers this page's part,
 * and a second line the whole quiz, from the saved answers stamped with this version of
 * the quiz ("bank", a fingerprint of its items, options and keys). After the quiz
 * changes, a part's answers are re-marked and re-stamped when that part is opened, and
 * only then count again; answers to questions since removed never do. No network, no dependencies; works from file://,
 * where fetch() of local files is blocked, because the data sits in the page.
 */
(function () {
  "use strict";

  var PREFIX = "tdm1-quiz:";
  var LETTERS = "ABCDEFGH";

  var storage = (function () {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // private mode or storage disabled: the quiz still works, unsaved
    }
  })();

  function storeKey(quiz, id) {
    return PREFIX + quiz + ":" + id;
  }

  function loadState(quiz, id) {
    if (!storage) return null;
    try {
      return JSON.parse(storage.getItem(storeKey(quiz, id)));
    } catch (e) {
      return null;
    }
  }

  function saveState(quiz, id, state) {
    if (storage) storage.setItem(storeKey(quiz, id), JSON.stringify(state));
  }

  function forgetState(quiz, id) {
    if (storage) storage.removeItem(storeKey(quiz, id));
  }

  /* Saved answers to this version of the quiz, on every page of it. */
  function wholeQuiz(quiz, bank) {
    var found = { answered: 0, right: 0 };
    if (!storage) return found;
    var prefix = storeKey(quiz, "");
    for (var i = 0; i < storage.length; i++) {
      var key = storage.key(i);
      if (!key || key.indexOf(prefix) !== 0) continue;
      var state = null;
      try {
        state = JSON.parse(storage.getItem(key));
      } catch (e) {
        continue;
      }
      if (!state || state.bank !== bank) continue;
      found.answered += 1;
      if (state.correct) found.right += 1;
    }
    return found;
  }

  function make(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* The rendered option texts (they may hold <abbr> tooltips), else the plain text. */
  function optionNodes(itemEl, selector, texts) {
    var items = itemEl.querySelectorAll(selector + " li");
    return texts.map(function (text, i) {
      var span = make("span", { class: "quiz-option-text" });
      if (items[i]) {
        Array.prototype.forEach.call(items[i].childNodes, function (n) {
          span.appendChild(n.cloneNode(true));
        });
      } else {
        span.textContent = text;
      }
      return span;
    });
  }

  /* One answer picked among options (radio buttons), as against a number or one per row. */
  function isChoice(d) {
    return d.type === "single" || d.type === "true-false";
  }

  function parseNumber(text) {
    var raw = String(text).trim().replace(/\s+/g, "");
    if (/^-?\d{1,3}(,\d{3})+(\.\d+)?/.test(raw)) raw = raw.replace(/,/g, "");
    else raw = raw.replace(",", ".");
    var match = raw.match(/-?\d+(\.\d+)?/);
    return match ? parseFloat(match[0]) : NaN;
  }

  function Item(quiz, bank, data, el, onChange) {
    this.quiz = quiz;
    this.bank = bank;
    this.data = data;
    this.el = el;
    this.onChange = onChange;
    this.inputs = [];
    this.build();
  }

  Item.prototype.build = function () {
    var d = this.data;
    var el = this.el;
    var stem = el.querySelector(".quiz-stem");
    if (stem && !stem.id) stem.id = d.dom + "-stem";
    var form = make("form", { class: "quiz-form", novalidate: "novalidate" });
    var group = make("fieldset", { class: "quiz-fieldset" });
    if (stem) group.setAttribute("aria-describedby", stem.id);
    var legend = make("legend", { class: "quiz-legend" });
    group.appendChild(legend);
    var self = this;

    if (isChoice(d)) {
      legend.textContent = "Question " + d.n + ": choose one answer";
      var texts = optionNodes(el, ".quiz-options", d.options);
      d.options.forEach(function (_, i) {
        var id = d.dom + "-o" + i;
        var input = make("input", { type: "radio", name: d.dom, id: id, value: String(i) });
        var label = make("label", { for: id }, [
          make("span", { class: "quiz-letter", text: LETTERS[i] + ". " }),
          texts[i],
        ]);
        group.appendChild(make("div", { class: "quiz-choice" }, [input, label]));
        self.inputs.push(input);
      });
    } else if (d.type === "numeric") {
      legend.textContent = "Question " + d.n + ": type a number";
      var nid = d.dom + "-n";
      var unit = d.unit ? " (" + d.unit + ")" : "";
      var field = make("input", {
        type: "text",
        id: nid,
        inputmode: "decimal",
        autocomplete: "off",
        class: "quiz-number",
      });
      group.appendChild(
        make("div", { class: "quiz-row" }, [
          make("label", { for: nid, text: "Your answer" + unit }),
          field,
        ])
      );
      this.inputs.push(field);
    } else {
      var matching = d.type === "matching";
      legend.textContent = matching
        ? "Question " + d.n + ": choose the matching answer for each row"
        : "Question " + d.n + ": give each item its position, 1 = first";
      var rows = matching ? d.prompts : d.options;
      var rowTexts = matching
        ? optionNodes(el, ".quiz-prompts", d.prompts)
        : optionNodes(el, ".quiz-options", d.options);
      rows.forEach(function (_, i) {
        var sid = d.dom + "-s" + i;
        var select = make("select", { id: sid });
        select.appendChild(make("option", { value: "", text: matching ? "Choose…" : "Position…" }));
        if (matching) {
          d.options.forEach(function (text, j) {
            select.appendChild(make("option", { value: String(j), text: LETTERS[j] + ". " + text }));
          });
        } else {
          d.options.forEach(function (_, j) {
            select.appendChild(make("option", { value: String(j + 1), text: String(j + 1) }));
          });
        }
        var label = make("label", { for: sid }, [
          matching ? make("span", { class: "quiz-letter", text: i + 1 + ". " }) : "",
          rowTexts[i],
        ]);
        group.appendChild(make("div", { class: "quiz-row" }, [label, select]));
        self.inputs.push(select);
      });
      if (matching) {
        var list = make("ol", { class: "quiz-choices-list", "aria-label": "Answers to choose from" });
        optionNodes(el, ".quiz-options", d.options).forEach(function (node) {
          list.appendChild(make("li", {}, [node]));
        });
        group.appendChild(list);
      }
    }
    form.appendChild(group);
    this.button = make("button", { type: "submit", class: "quiz-button quiz-check", text: "Check answer" });
    form.appendChild(this.button);
    this.feedback = make("div", {
      class: "quiz-feedback",
      id: d.dom + "-feedback",
      role: "status",
      "aria-live": "polite",
      tabindex: "-1",
    });
    form.appendChild(this.feedback);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.check();
    });
    // Changing an answer after feedback withdraws it: the next check marks the new one.
    form.addEventListener("change", function () {
      self.withdraw();
    });
    form.addEventListener("input", function (event) {
      if (event.target.type === "text") self.withdraw();
    });
    var staticPart = el.querySelector(".quiz-static");
    el.insertBefore(form, staticPart ? staticPart.nextSibling : null);
    this.form = form;
  };

  Item.prototype.answer = function () {
    var d = this.data;
    if (isChoice(d)) {
      var chosen = this.inputs.filter(function (i) {
        return i.checked;
      })[0];
      return chosen ? parseInt(chosen.value, 10) : null;
    }
    if (d.type === "numeric") {
      var value = this.inputs[0].value.trim();
      return value === "" ? null : value;
    }
    var values = this.inputs.map(function (s) {
      return s.value === "" ? null : parseInt(s.value, 10);
    });
    return values.indexOf(null) >= 0 ? null : values;
  };

  Item.prototype.isRight = function (answer) {
    var d = this.data;
    if (isChoice(d)) return answer === d.key;
    if (d.type === "numeric") {
      var number = parseNumber(answer);
      return !isNaN(number) && Math.abs(number - d.key) <= d.tolerance + 1e-9;
    }
    if (d.type === "matching") {
      return answer.every(function (choice, i) {
        return choice === d.key[i];
      });
    }
    // ordering: answer[j] is the position given to option j; key lists options first to last
    return d.key.every(function (option, rank) {
      return answer[option] === rank + 1;
    });
  };

  Item.prototype.incomplete = function (answer) {
    var d = this.data;
    if (answer === null) {
      return d.type === "numeric"
        ? "Type a number first."
        : isChoice(d)
          ? "Choose an answer first."
          : "Answer every row first.";
    }
    if (d.type === "numeric" && isNaN(parseNumber(answer))) return "Type a number, such as 9.6.";
    if (d.type === "ordering") {
      var seen = {};
      for (var i = 0; i < answer.length; i++) {
        if (seen[answer[i]]) return "Give each item a different position.";
        seen[answer[i]] = true;
      }
    }
    return null;
  };

  Item.prototype.check = function () {
    if (this.state) {
      this.feedback.focus();
      return;
    }
    var answer = this.answer();
    var problem = this.incomplete(answer);
    if (problem) {
      this.feedback.textContent = problem;
      this.feedback.className = "quiz-feedback quiz-hint";
      return;
    }
    this.state = { answer: answer, correct: this.isRight(answer), bank: this.bank };
    saveState(this.quiz, this.data.id, this.state);
    this.show();
    this.feedback.focus();
    this.onChange();
  };

  Item.prototype.restore = function () {
    var state = loadState(this.quiz, this.data.id);
    if (!state || !("answer" in state)) return;
    var d = this.data;
    if (isChoice(d)) {
      if (this.inputs[state.answer]) this.inputs[state.answer].checked = true;
    } else if (d.type === "numeric") {
      this.inputs[0].value = state.answer;
    } else if (Array.isArray(state.answer)) {
      this.inputs.forEach(function (select, i) {
        select.value = String(state.answer[i]);
      });
    }
    // The key may have changed since the answer was saved: mark it again, and save it as
    // an answer to this version of the quiz.
    this.state = { answer: state.answer, correct: this.isRight(state.answer), bank: this.bank };
    if (state.bank !== this.bank || state.correct !== this.state.correct) {
      saveState(this.quiz, this.data.id, this.state);
    }
    this.show();
  };

  /* The explanation and evidence link, taken from this question's entry in the answer key. */
  Item.prototype.explanation = function () {
    var out = document.createDocumentFragment();
    var entry = document.querySelector('.quiz-answer[data-item="' + cssEscape(this.data.id) + '"]');
    if (!entry) return out;
    Array.prototype.forEach.call(entry.children, function (child, index) {
      var copy = child.cloneNode(true);
      if (index === 0) {
        var lead = copy.querySelector("strong");
        if (lead) lead.parentNode.removeChild(lead); // "3. B. ..." is said above already
      }
      copy.removeAttribute("id");
      out.appendChild(copy);
    });
    return out;
  };

  Item.prototype.show = function () {
    var d = this.data;
    var right = this.state.correct;
    this.el.classList.remove("quiz-correct", "quiz-wrong");
    this.el.classList.add(right ? "quiz-correct" : "quiz-wrong");
    if (isChoice(d)) {
      var answer = this.state.answer;
      this.inputs.forEach(function (input, i) {
        var label = input.nextSibling;
        var old = label.querySelector(".quiz-mark");
        if (old) old.parentNode.removeChild(old);
        var mark = i === d.key ? " (correct answer)" : i === answer ? " (your answer)" : "";
        if (mark) label.appendChild(make("span", { class: "quiz-mark", text: mark }));
      });
    }
    this.feedback.className = "quiz-feedback " + (right ? "quiz-feedback-right" : "quiz-feedback-wrong");
    this.feedback.textContent = "";
    var verdict = right ? "Correct." : "Incorrect.";
    var line = make("p", { class: "quiz-verdict" }, [
      make("strong", { text: verdict }),
      " The answer is " + d.answer + ".",
    ]);
    this.feedback.appendChild(line);
    this.feedback.appendChild(this.explanation());
  };

  /* Forget the verdict (not the inputs): the answer is being changed. */
  Item.prototype.withdraw = function () {
    if (!this.state) return;
    forgetState(this.quiz, this.data.id);
    this.state = null;
    this.el.querySelectorAll(".quiz-mark").forEach(function (mark) {
      mark.parentNode.removeChild(mark);
    });
    this.feedback.textContent = "";
    this.feedback.className = "quiz-feedback";
    this.el.classList.remove("quiz-correct", "quiz-wrong");
    this.onChange();
  };

  Item.prototype.reset = function () {
    this.withdraw();
    this.inputs.forEach(function (input) {
      if (input.type === "radio") input.checked = false;
      else input.value = "";
    });
  };

  function cssEscape(text) {
    return window.CSS && CSS.escape ? CSS.escape(text) : String(text).replace(/["\\]/g, "\\$&");
  }

  function setup(root) {
    if (root.getAttribute("data-quiz-ready")) return;
    var quiz = root.getAttribute("data-quiz");
    var source = document.getElementById("quiz-data-" + quiz);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    root.setAttribute("data-quiz-ready", "true");
    document.documentElement.classList.add("quiz-js");

    var score = make("p", { class: "quiz-score", id: "quiz-score-" + quiz });
    var whole = make("p", { class: "quiz-score-whole", id: "quiz-score-whole-" + quiz });
    var status = make("p", { class: "quiz-status", role: "status", "aria-live": "polite" });
    var retry = make("button", { type: "button", class: "quiz-button", text: "Retry the ones I missed" });
    var showAll = make("button", { type: "button", class: "quiz-button", text: "Show all questions" });
    // A topic's quiz may be split into parts, one page each: the score and Reset cover
    // the questions on this page, and say so; a second line scores the whole quiz.
    var split = data.parts > 1;
    whole.hidden = !split;
    var reset = make("button", {
      type: "button",
      class: "quiz-button",
      text: split ? "Reset this part" : "Reset this quiz",
    });
    showAll.hidden = true;
    var toolbar = make("div", { class: "quiz-toolbar", role: "group", "aria-label": "Quiz progress" }, [
      score,
      whole,
      make("div", { class: "quiz-actions" }, [retry, showAll, reset]),
      status,
    ]);
    root.parentNode.insertBefore(toolbar, root);

    var items = [];
    function update() {
      var answered = items.filter(function (item) {
        return item.state;
      });
      var right = answered.filter(function (item) {
        return item.state.correct;
      });
      var label = split ? "Score for this part: " : "Score: ";
      score.textContent =
        label + right.length + " correct of " + answered.length + " answered (" + items.length + " questions).";
      if (split) {
        var all = wholeQuiz(quiz, data.bank);
        whole.textContent =
          "Whole quiz, all " + data.parts + " parts: " + all.right + " correct of " + all.answered +
          " answered (" + data.total + " questions).";
      }
    }

    data.items.forEach(function (d) {
      var el = document.getElementById(d.dom);
      if (el) items.push(new Item(quiz, data.bank, d, el, update));
    });
    items.forEach(function (item) {
      item.restore();
    });
    update();

    function showOnly(chosen) {
      items.forEach(function (item) {
        item.el.hidden = chosen !== null && chosen.indexOf(item) < 0;
      });
      showAll.hidden = chosen === null;
    }

    retry.addEventListener("click", function () {
      var missed = items.filter(function (item) {
        return item.state && !item.state.correct;
      });
      if (!missed.length) {
        status.textContent = "No missed questions to retry.";
        return;
      }
      missed.forEach(function (item) {
        item.reset();
      });
      showOnly(missed);
      update();
      status.textContent = "Showing the " + missed.length + " questions you missed.";
      missed[0].inputs[0].focus();
    });
    showAll.addEventListener("click", function () {
      showOnly(null);
      status.textContent = "Showing all questions.";
      retry.focus();
    });
    reset.addEventListener("click", function () {
      items.forEach(function (item) {
        item.reset();
      });
      showOnly(null);
      update();
      status.textContent = "Your answers to this " + (split ? "part" : "quiz") + " were cleared.";
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".quiz[data-quiz]"), setup);
  }

  // Material's instant navigation swaps pages without a load event; it exposes document$.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
