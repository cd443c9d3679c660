/*
 * Quiz widget for the generated quiz pages (generator/quiz/pages.py): tutor mode.
 *
 * Progressive enhancement: without JavaScript a page lists its questions and then an
 * answer key. With it, each question becomes a form (radio buttons, a number field,
 * or one select per row for matching and ordering), checked against the key in the
 * page's inline JSON; feedback reuses the explanation and evidence link from the
 * answer key, which is then hidden on screen (print still shows it).
 *
 * Honest scoring: an answer, once checked, is locked, and the first attempt is the one
 * the score counts. "Retry the ones I missed" opens a round of its own, scored apart,
 * that never touches the first attempts. Progress lives in quiz-store.js, by item id, so
 * it follows an item when the bank is rebuilt in another order or moves it to another
 * part. A part's score covers its questions, a second line the whole quiz, from the
 * first attempts stamped with this version of the quiz ("bank", a fingerprint of its
 * items, options and keys); after the quiz changes, a part's first attempts are re-marked
 * against the new keys when the part is opened, and only then count again.
 *
 * window.QuizItem (one question's form) is shared with the exam mode (quiz-exam.js).
 */
(function () {
  "use strict";

  var S = window.QuizStore;
  var make = S.make;
  var LETTERS = S.LETTERS;
  var isChoice = S.isChoice;

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

  function cssEscape(text) {
    return window.CSS && CSS.escape ? CSS.escape(text) : String(text).replace(/["\\]/g, "\\$&");
  }

  /* One question's form. opts.mode: "tutor" (a Check button, feedback, locked once
     checked: opts.onCheck(answer) records it) or "exam" (no feedback; a flag; answers
     change freely until the exam is submitted: opts.onChange()). */
  function Item(d, el, opts) {
    this.data = d;
    this.el = el;
    this.opts = opts;
    this.mode = opts.mode || "tutor";
    this.inputs = [];
    this.strikes = [];
    this.build();
  }

  Item.prototype.build = function () {
    var d = this.data;
    var el = this.el;
    var self = this;
    var stem = el.querySelector(".quiz-stem");
    if (stem && !stem.id) stem.id = d.dom + "-stem";
    var form = make("form", { class: "quiz-form", novalidate: "novalidate" });
    var group = make("fieldset", { class: "quiz-fieldset" });
    if (stem) group.setAttribute("aria-describedby", stem.id);
    var legend = make("legend", { class: "quiz-legend" });
    group.appendChild(legend);

    if (isChoice(d)) {
      legend.textContent = "Question " + d.n + ": choose one answer";
      var texts = optionNodes(el, ".quiz-options", d.options);
      d.options.forEach(function (_, i) {
        var id = d.dom + "-o" + i;
        var input = make("input", { type: "radio", name: d.dom, id: id, value: String(i) });
        var label = make("label", { for: id }, [make("span", { class: "quiz-letter", text: LETTERS[i] + ". " }), texts[i]]);
        // Strike-out, as trainees cross out options they have ruled out.
        var strike = make("button", {
          type: "button",
          class: "quiz-strike",
          "aria-pressed": "false",
          title: "Strike out option " + LETTERS[i],
        }, [make("span", { "aria-hidden": "true", text: "S̶" }), make("span", { class: "quiz-legend", text: "Strike out option " + LETTERS[i] })]);
        var row = make("div", { class: "quiz-choice" }, [input, label, strike]);
        strike.addEventListener("click", function () {
          var on = strike.getAttribute("aria-pressed") !== "true";
          strike.setAttribute("aria-pressed", String(on));
          row.classList.toggle("quiz-struck", on);
        });
        group.appendChild(row);
        self.inputs.push(input);
        self.strikes.push(strike);
      });
    } else if (d.type === "numeric") {
      legend.textContent = "Question " + d.n + ": type a number";
      var nid = d.dom + "-n";
      var unit = d.unit ? " (" + d.unit + ")" : "";
      var field = make("input", { type: "text", id: nid, inputmode: "decimal", autocomplete: "off", class: "quiz-number" });
      group.appendChild(make("div", { class: "quiz-row" }, [make("label", { for: nid, text: "Your answer" + unit }), field]));
      this.inputs.push(field);
    } else {
      var matching = d.type === "matching";
      legend.textContent = matching
        ? "Question " + d.n + ": choose the matching answer for each row"
        : "Question " + d.n + ": give each item its position, 1 = first";
      var rows = matching ? d.prompts : d.options;
      var rowTexts = matching ? optionNodes(el, ".quiz-prompts", d.prompts) : optionNodes(el, ".quiz-options", d.options);
      rows.forEach(function (_, i) {
        var sid = d.dom + "-s" + i;
        var select = make("select", { id: sid });
        select.appendChild(make("option", { value: "", text: matching ? "Choose…" : "Position…" }));
        d.options.forEach(function (text, j) {
          select.appendChild(
            matching
              ? make("option", { value: String(j), text: LETTERS[j] + ". " + text })
              : make("option", { value: String(j + 1), text: String(j + 1) })
          );
        });
        var label = make("label", { for: sid }, [matching ? make("span", { class: "quiz-letter", text: i + 1 + ". " }) : "", rowTexts[i]]);
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
    if (this.mode === "tutor") {
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
    } else {
      this.flag = make("button", { type: "button", class: "quiz-button quiz-flag", "aria-pressed": "false", text: "Flag for review" });
      this.flag.addEventListener("click", function () {
        self.setFlag(self.flag.getAttribute("aria-pressed") !== "true");
        self.opts.onChange();
      });
      form.appendChild(this.flag);
      form.addEventListener("submit", function (event) {
        event.preventDefault(); // Enter in a number field must not leave the page
      });
      form.addEventListener("change", function () {
        self.opts.onChange();
      });
      form.addEventListener("input", function () {
        self.opts.onChange();
      });
    }
    var staticPart = el.querySelector(".quiz-static");
    el.insertBefore(form, staticPart ? staticPart.nextSibling : null);
    this.form = form;
  };

  Item.prototype.setFlag = function (on) {
    this.flag.setAttribute("aria-pressed", String(on));
    this.flag.textContent = on ? "Flagged (press to unflag)" : "Flag for review";
    this.el.classList.toggle("quiz-flagged", on);
  };

  Item.prototype.flagged = function () {
    return !!this.flag && this.flag.getAttribute("aria-pressed") === "true";
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

  /* Put a saved answer back into the form. */
  Item.prototype.fill = function (answer) {
    var d = this.data;
    this.clear();
    if (answer === null || answer === undefined) return;
    if (isChoice(d)) {
      if (this.inputs[answer]) this.inputs[answer].checked = true;
    } else if (d.type === "numeric") {
      this.inputs[0].value = answer;
    } else if (Array.isArray(answer)) {
      this.inputs.forEach(function (select, i) {
        select.value = answer[i] === null ? "" : String(answer[i]);
      });
    }
  };

  Item.prototype.clear = function () {
    this.inputs.forEach(function (input) {
      if (input.type === "radio") input.checked = false;
      else input.value = "";
    });
  };

  Item.prototype.isRight = function (answer) {
    return S.isRight(this.data, answer);
  };

  Item.prototype.incomplete = function (answer) {
    var d = this.data;
    if (answer === null) {
      return d.type === "numeric" ? "Type a number first." : isChoice(d) ? "Choose an answer first." : "Answer every row first.";
    }
    if (d.type === "numeric" && isNaN(S.parseNumber(answer))) return "Type a number, such as 9.6.";
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
    if (this.locked) {
      this.feedback.focus(); // checked already: the answer stays as it was marked
      return;
    }
    var answer = this.answer();
    var problem = this.incomplete(answer);
    if (problem) {
      this.feedback.textContent = problem;
      this.feedback.className = "quiz-feedback quiz-hint";
      return;
    }
    var attempt = this.opts.onCheck(this, answer, this.isRight(answer));
    this.lock(attempt);
    this.feedback.focus();
  };

  Item.prototype.setDisabled = function (off) {
    this.inputs.forEach(function (input) {
      input.disabled = off;
    });
    if (this.button) this.button.disabled = off;
  };

  /* Show a marked attempt and keep it: the inputs no longer change. */
  Item.prototype.lock = function (attempt) {
    this.locked = attempt;
    this.fill(attempt.answer);
    this.setDisabled(true);
    this.show(attempt);
  };

  Item.prototype.unlock = function () {
    this.locked = null;
    this.clear();
    this.setDisabled(false);
    this.el.classList.remove("quiz-correct", "quiz-wrong");
    this.el.querySelectorAll(".quiz-mark").forEach(function (mark) {
      mark.parentNode.removeChild(mark);
    });
    if (this.feedback) {
      this.feedback.textContent = "";
      this.feedback.className = "quiz-feedback";
    }
  };

  Item.prototype.show = function (attempt) {
    var d = this.data;
    var right = attempt.correct;
    this.el.classList.remove("quiz-correct", "quiz-wrong");
    this.el.classList.add(right ? "quiz-correct" : "quiz-wrong");
    if (isChoice(d)) {
      this.inputs.forEach(function (input, i) {
        var label = input.nextSibling;
        var old = label.querySelector(".quiz-mark");
        if (old) old.parentNode.removeChild(old);
        var mark = i === d.key ? " (correct answer)" : i === attempt.answer ? " (your answer)" : "";
        if (mark) label.appendChild(make("span", { class: "quiz-mark", text: mark }));
      });
    }
    this.feedback.className = "quiz-feedback " + (right ? "quiz-feedback-right" : "quiz-feedback-wrong");
    this.feedback.textContent = "";
    var round = attempt.mode === "retry" ? " (retry round)" : "";
    this.feedback.appendChild(
      make("p", { class: "quiz-verdict" }, [make("strong", { text: right ? "Correct." : "Incorrect." }), round + " The answer is " + d.answer + "."])
    );
    this.feedback.appendChild(explanation(d));
  };

  /* The explanation and evidence link: this question's entry in the page's answer key,
     or (a page without one) the item's data; then the reasons and take-away, if any. */
  function explanation(d) {
    var out = document.createDocumentFragment();
    var entry = document.querySelector('.quiz-answer[data-item="' + cssEscape(d.id) + '"]');
    if (entry) {
      Array.prototype.forEach.call(entry.children, function (child, index) {
        var copy = child.cloneNode(true);
        if (index === 0) {
          var lead = copy.querySelector("strong");
          if (lead) lead.parentNode.removeChild(lead); // "3. B. ..." is said above already
        }
        copy.removeAttribute("id");
        out.appendChild(copy);
      });
    } else {
      if (d.explanation) out.appendChild(make("p", { text: d.explanation }));
      if (d.objective) out.appendChild(make("p", { class: "quiz-objective" }, [make("em", { text: "Objective:" }), " " + d.objective]));
    }
    var reasons = (d.rationales || []).filter(function (r) {
      return r;
    });
    if (reasons.length && d.options && d.rationales.length === d.options.length) {
      var list = make("ul", { class: "quiz-reasons", "aria-label": "Why each option is or is not the answer" });
      d.rationales.forEach(function (reason, i) {
        if (reason) list.appendChild(make("li", {}, [make("strong", { text: LETTERS[i] + ". " }), reason]));
      });
      out.appendChild(list);
    }
    if (d.takeaway) out.appendChild(make("p", { class: "quiz-takeaway" }, [make("strong", { text: "Take-away: " }), d.takeaway]));
    if (!entry && d.href) {
      out.appendChild(make("p", {}, [make("a", { href: d.href, class: "quiz-evidence", text: "Evidence for question " + d.n })]));
    }
    return out;
  }

  /* --- a tutor page: a topic quiz's part, or a practice set ----------------------------- */

  /* items: [{data, el}]; quizOf(d)/bankOf(d): the quiz and version an item is scored in. */
  function tutor(root, data, quizOf, bankOf) {
    var quiz = data.quiz;
    var score = make("p", { class: "quiz-score", id: "quiz-score-" + quiz });
    var whole = make("p", { class: "quiz-score-whole", id: "quiz-score-whole-" + quiz });
    var roundLine = make("p", { class: "quiz-score-round", hidden: "hidden" });
    var status = make("p", { class: "quiz-status", role: "status", "aria-live": "polite" });
    var retry = make("button", { type: "button", class: "quiz-button", text: "Retry the ones I missed" });
    var showAll = make("button", { type: "button", class: "quiz-button", text: "Show all questions" });
    var split = data.parts > 1;
    whole.hidden = !split;
    var reset = make("button", { type: "button", class: "quiz-button", text: split ? "Reset this part" : "Reset this quiz" });
    showAll.hidden = true;
    var toolbar = make("div", { class: "quiz-toolbar", role: "group", "aria-label": "Quiz progress" }, [
      score,
      whole,
      roundLine,
      make("div", { class: "quiz-actions" }, [retry, showAll, reset]),
      status,
    ]);
    root.parentNode.insertBefore(toolbar, root);

    var items = [];
    var round = null; // the retry round in progress: {items, right, answered}

    function firstAttempt(item) {
      var list = S.attempts(item.data.id).filter(function (a) {
        return a.quiz === quizOf(item.data);
      });
      return S.firstOf(list, ["tutor"]);
    }

    function update() {
      var answered = items.filter(function (item) {
        return item.first;
      });
      var right = answered.filter(function (item) {
        return item.first.correct;
      });
      var label = split ? "Score for this part: " : "Score: ";
      score.textContent = label + right.length + " correct of " + answered.length + " answered (" + items.length + " questions).";
      if (split) {
        var all = S.wholeQuiz(quiz, data.bank);
        whole.textContent =
          "Whole quiz, all " + data.parts + " parts: " + all.right + " correct of " + all.answered + " answered (" + data.total + " questions).";
      }
      roundLine.hidden = !round;
      if (round) {
        roundLine.textContent =
          "Retry round (first attempts still count above): " + round.right + " correct of " + round.answered + " answered (" + round.items.length + " questions).";
      }
    }

    function onCheck(item, answer, correct) {
      var attempt = {
        quiz: quizOf(item.data),
        mode: round ? "retry" : "tutor",
        answer: answer,
        correct: correct,
        bank: bankOf(item.data),
      };
      S.addAttempt(item.data.id, attempt);
      if (round) {
        round.answered += 1;
        if (correct) round.right += 1;
      } else {
        item.first = attempt;
      }
      update();
      return attempt;
    }

    data.items.forEach(function (d) {
      var el = document.getElementById(d.dom);
      if (el) items.push(new Item(d, el, { mode: "tutor", onCheck: onCheck }));
    });
    items.forEach(function (item) {
      var first = firstAttempt(item);
      if (!first) return;
      // The key may have changed since the answer was saved: mark it again, as an answer
      // to this version of the quiz.
      var correct = item.isRight(first.answer);
      if (first.bank !== bankOf(item.data) || first.correct !== correct) {
        S.restamp(item.data.id, first, correct, bankOf(item.data));
        first.correct = correct;
        first.bank = bankOf(item.data);
      }
      item.first = first;
      item.lock(first);
    });
    update();

    function showOnly(chosen) {
      items.forEach(function (item) {
        item.el.hidden = chosen !== null && chosen.indexOf(item) < 0;
      });
      showAll.hidden = chosen === null;
    }

    function endRound() {
      round = null;
      items.forEach(function (item) {
        if (item.first) item.lock(item.first);
        else item.unlock();
      });
    }

    retry.addEventListener("click", function () {
      if (round) endRound();
      var missed = items.filter(function (item) {
        return item.first && !item.first.correct;
      });
      if (!missed.length) {
        status.textContent = "No missed questions to retry.";
        update();
        return;
      }
      round = { items: missed, right: 0, answered: 0 };
      missed.forEach(function (item) {
        item.unlock();
      });
      showOnly(missed);
      update();
      status.textContent = "Retry round: the " + missed.length + " questions you missed. Your first attempts still count in the score.";
      missed[0].inputs[0].focus();
    });
    showAll.addEventListener("click", function () {
      endRound();
      showOnly(null);
      update();
      status.textContent = "Showing all questions.";
      retry.focus();
    });
    reset.addEventListener("click", function () {
      round = null;
      items.forEach(function (item) {
        S.forget(quizOf(item.data), [item.data.id]);
      });
      items.forEach(function (item) {
        item.first = null;
        item.unlock();
      });
      showOnly(null);
      update();
      status.textContent = "Your answers to this " + (split ? "part" : "quiz") + " were cleared.";
    });
    return items;
  }

  function setup(root) {
    if (root.getAttribute("data-quiz-ready")) return;
    var quiz = root.getAttribute("data-quiz");
    var source = document.getElementById("quiz-data-" + quiz);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    root.setAttribute("data-quiz-ready", "true");
    document.documentElement.classList.add("quiz-js");
    if (root.getAttribute("data-mode") === "exam") {
      if (window.QuizExam) window.QuizExam.page(root, data);
      return;
    }
    tutor(
      root,
      data,
      function () {
        return quiz;
      },
      function () {
        return data.bank;
      }
    );
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".quiz[data-quiz]"), setup);
  }

  window.QuizItem = Item;
  window.QuizTutor = tutor;
  window.QuizExplanation = explanation;

  // Material's instant navigation swaps pages without a load event; it exposes document$.
  function start() {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(init);
    } else {
      init();
    }
  }
  // Run after quiz-exam.js (loaded after this file) has defined window.QuizExam.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else setTimeout(start, 0);
})();
