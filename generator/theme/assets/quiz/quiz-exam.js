/*
 * Exam mode (quiz.js's questions, quiz-store.js's progress): the mock exam page, and the
 * exams the builder page (quiz-app.js) assembles from the bank's data scripts.
 *
 * A countdown of EXAM_SECONDS per question, shown, pausable (WCAG 2.2.1: the learner
 * controls the time limit; pausing hides the questions so the pause adds no thinking
 * time). It never moves focus and is not a live region; a polite status line says when
 * five minutes and one minute are left. Answers change and questions can be flagged
 * until the learner submits, or the time runs out; nothing is marked before. Then the
 * results: the score, the score by topic, and each question's answer, key, explanation
 * and the reasons for each option. A running exam is kept in storage, so a reload
 * resumes it with the time it had left.
 */
(function () {
  "use strict";

  var S = window.QuizStore;
  var make = S.make;
  var EXAM_SECONDS = 90; // generator/quiz/pages.py EXAM_SECONDS_PER_ITEM

  function clock(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    var m = Math.floor(s / 60);
    var r = s % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }

  function spoken(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    var m = Math.floor(s / 60);
    var r = s % 60;
    return (m ? m + (m === 1 ? " minute" : " minutes") : "") + (m && r ? " " : "") + (r || !m ? r + (r === 1 ? " second" : " seconds") : "");
  }

  /* Build question elements for items that have none on the page (the builder's exams). */
  function itemElements(list, container) {
    list.forEach(function (d, i) {
      d.n = i + 1;
      var el = make("div", { class: "quiz-item", id: d.dom, "data-item": d.id, "data-type": d.type }, [
        make("p", { class: "quiz-stem" }, [make("strong", { text: "Question " + d.n + "." }), " " + d.stem]),
      ]);
      container.appendChild(el);
    });
  }

  /* opts: {quiz, items: [data], root (holds the question elements), bankOf(d), titles,
     before (an element the toolbar goes before), save (keep a running exam over a reload),
     intro (text of the start panel)} */
  function Exam(opts) {
    this.opts = opts;
    this.quiz = opts.quiz;
    this.data = opts.items;
    this.limit = EXAM_SECONDS * this.data.length;
    var self = this;
    this.items = this.data.map(function (d) {
      var el = document.getElementById(d.dom);
      return new window.QuizItem(d, el, {
        mode: "exam",
        onChange: function () {
          self.changed();
        },
      });
    });
    this.buildPanel();
    var saved = opts.save ? S.read().running[this.quiz] : null;
    if (saved && saved.ids && saved.ids.join() === this.data.map(function (d) { return d.id; }).join()) {
      this.restore(saved);
    } else {
      this.ready();
    }
  }

  Exam.prototype.buildPanel = function () {
    var self = this;
    var o = this.opts;
    this.timer = make("p", { class: "quiz-timer", role: "timer", "aria-live": "off", "aria-atomic": "true" });
    this.pause = make("button", { type: "button", class: "quiz-button quiz-pause", text: "Pause" });
    this.counts = make("p", { class: "quiz-exam-counts" });
    this.flagList = make("ul", { class: "quiz-flag-list", "aria-label": "Flagged questions" });
    this.submitButton = make("button", { type: "button", class: "quiz-button quiz-submit", text: "Submit the exam" });
    this.status = make("p", { class: "quiz-status", role: "status", "aria-live": "polite" });
    this.toolbar = make("div", { class: "quiz-toolbar quiz-exam-bar", role: "group", "aria-label": "Exam" }, [
      this.timer,
      this.counts,
      this.flagList,
      make("div", { class: "quiz-actions" }, [this.pause, this.submitButton]),
      this.status,
    ]);
    this.toolbar.hidden = true;
    this.startButton = make("button", { type: "button", class: "quiz-button quiz-start", text: "Start the exam" });
    this.start = make("div", { class: "quiz-exam-start" }, [
      make("p", {
        text:
          (o.intro ? o.intro + " " : "") +
          this.data.length +
          " questions, " +
          spoken(this.limit) +
          " (about " +
          EXAM_SECONDS +
          " seconds a question). The timer can be paused. Nothing is marked until you submit.",
      }),
      this.startButton,
    ]);
    this.pausedNote = make("p", { class: "quiz-paused", text: "The exam is paused and its questions are hidden. Press Resume to go on.", hidden: "hidden" });
    this.results = make("section", { class: "quiz-results", "aria-labelledby": this.quiz + "-results-title", hidden: "hidden" });
    var root = o.root;
    root.parentNode.insertBefore(this.start, root);
    root.parentNode.insertBefore(this.toolbar, root);
    root.parentNode.insertBefore(this.pausedNote, root);
    root.parentNode.insertBefore(this.results, root.nextSibling);
    this.startButton.addEventListener("click", function () {
      self.begin(self.limit);
      var first = self.items[0] && self.items[0].inputs[0];
      if (first) first.focus();
    });
    this.pause.addEventListener("click", function () {
      self.setPaused(!self.paused);
    });
    this.submitButton.addEventListener("click", function () {
      self.submit(false);
    });
  };

  Exam.prototype.ready = function () {
    this.opts.root.hidden = true;
    this.start.hidden = false;
  };

  Exam.prototype.begin = function (left) {
    this.left = left;
    this.started = this.started || Date.now();
    this.warned = {};
    this.start.hidden = true;
    this.toolbar.hidden = false;
    this.opts.root.hidden = false;
    this.paused = false;
    this.last = Date.now();
    var self = this;
    this.ticker = setInterval(function () {
      self.tick();
    }, 1000);
    this.render();
    this.changed();
  };

  Exam.prototype.restore = function (saved) {
    var self = this;
    this.started = saved.started;
    this.items.forEach(function (item) {
      var id = item.data.id;
      if (saved.answers && id in saved.answers) item.fill(saved.answers[id]);
      if (saved.flags && saved.flags.indexOf(id) >= 0) item.setFlag(true);
    });
    this.begin(saved.left);
    if (saved.paused) this.setPaused(true);
    this.status.textContent = "Your exam in progress was restored, with " + spoken(saved.left) + " left.";
    void self;
  };

  Exam.prototype.tick = function () {
    var now = Date.now();
    if (!this.paused) this.left -= (now - this.last) / 1000;
    this.last = now;
    if (this.left <= 0) {
      this.left = 0;
      this.render();
      this.submit(true);
      return;
    }
    [300, 60].forEach(function (mark) {
      if (this.left <= mark && !this.warned[mark] && this.limit > mark) {
        this.warned[mark] = true;
        this.status.textContent = spoken(mark) + " left.";
      }
    }, this);
    this.render();
    this.save();
  };

  Exam.prototype.render = function () {
    this.timer.textContent = "Time left: " + clock(this.left) + (this.paused ? " (paused)" : "");
  };

  Exam.prototype.setPaused = function (on) {
    this.tick();
    if (this.done) return;
    this.paused = on;
    this.pause.textContent = on ? "Resume" : "Pause";
    this.opts.root.hidden = on;
    this.pausedNote.hidden = !on;
    this.status.textContent = on ? "Exam paused." : "Exam resumed.";
    this.render();
    this.save();
  };

  Exam.prototype.answers = function () {
    var out = {};
    this.items.forEach(function (item) {
      var a = item.answer();
      if (a !== null) out[item.data.id] = a;
    });
    return out;
  };

  Exam.prototype.changed = function () {
    var answered = Object.keys(this.answers()).length;
    var flagged = this.items.filter(function (item) {
      return item.flagged();
    });
    this.counts.textContent = "Answered " + answered + " of " + this.items.length + "; flagged " + flagged.length + ".";
    // Links back to the flagged questions, as an exam's review screen offers.
    this.flagList.textContent = "";
    this.flagList.hidden = !flagged.length;
    flagged.forEach(function (item) {
      this.flagList.appendChild(make("li", {}, [make("a", { href: "#" + item.data.dom, text: "Question " + item.data.n })]));
    }, this);
    this.save();
  };

  Exam.prototype.save = function () {
    if (!this.opts.save || this.done) return;
    var self = this;
    var state = {
      ids: this.data.map(function (d) {
        return d.id;
      }),
      answers: this.answers(),
      flags: this.items
        .filter(function (item) {
          return item.flagged();
        })
        .map(function (item) {
          return item.data.id;
        }),
      left: this.left,
      paused: !!this.paused,
      started: this.started,
    };
    S.update(function (data) {
      data.running[self.quiz] = state;
    });
  };

  Exam.prototype.submit = function (timeUp) {
    if (this.done) return;
    this.done = true;
    clearInterval(this.ticker);
    var self = this;
    var at = Date.now();
    var answers = this.answers();
    var marked = this.items.map(function (item) {
      var d = item.data;
      var answer = d.id in answers ? answers[d.id] : null;
      var correct = answer !== null && item.isRight(answer);
      if (answer !== null) {
        S.addAttempt(d.id, { quiz: self.quiz, mode: "exam", answer: answer, correct: correct, bank: self.opts.bankOf(d), at: at });
      } else {
        // Unanswered counts as missed: it goes to the review deck.
        S.update(function (data) {
          if (!data.review["item:" + d.id]) data.review["item:" + d.id] = { missed: at };
        });
      }
      return { item: item, answer: answer, correct: correct };
    });
    var right = marked.filter(function (m) {
      return m.correct;
    }).length;
    S.update(function (data) {
      delete data.running[self.quiz];
      data.exams.push({
        id: self.quiz + "@" + at,
        quiz: self.quiz,
        items: self.data.map(function (d) {
          return d.id;
        }),
        answers: answers,
        right: right,
        started: self.started,
        submitted: at,
        seconds: Math.round(self.limit - self.left),
      });
    });
    this.toolbar.hidden = true;
    this.pausedNote.hidden = true;
    this.opts.root.hidden = true;
    var show = function () {
      self.showResults(marked, right, timeUp);
    };
    if (this.opts.enrich) this.opts.enrich(show);
    else show();
  };

  Exam.prototype.showResults = function (marked, right, timeUp) {
    var titles = this.opts.titles || {};
    var box = this.results;
    box.textContent = "";
    var heading = make("h2", { id: this.quiz + "-results-title", tabindex: "-1", text: "Results" });
    box.appendChild(heading);
    var total = marked.length;
    box.appendChild(
      make("p", {
        class: "quiz-result-score",
        text:
          (timeUp ? "Time is up: the exam was submitted. " : "") +
          "Score: " +
          right +
          " correct of " +
          total +
          " (" +
          Math.round((100 * right) / Math.max(1, total)) +
          "%).",
      })
    );
    var topics = [];
    var by = {};
    marked.forEach(function (m) {
      var t = m.item.data.topic || "other";
      if (!by[t]) {
        by[t] = { right: 0, total: 0 };
        topics.push(t);
      }
      by[t].total += 1;
      if (m.correct) by[t].right += 1;
    });
    var body = make("tbody");
    topics.forEach(function (t) {
      body.appendChild(
        make("tr", {}, [
          make("th", { scope: "row", text: titles[t] || t }),
          make("td", { text: String(by[t].right) }),
          make("td", { text: String(by[t].total) }),
          make("td", { text: Math.round((100 * by[t].right) / by[t].total) + "%" }),
        ])
      );
    });
    // No class on the table itself: Material styles only tables without one.
    var table = make("table", {}, [
      make("caption", { text: "Score by topic" }),
      make("thead", {}, [
        make("tr", {}, [
          make("th", { scope: "col", text: "Topic" }),
          make("th", { scope: "col", text: "Correct" }),
          make("th", { scope: "col", text: "Questions" }),
          make("th", { scope: "col", text: "%" }),
        ]),
      ]),
      body,
    ]);
    box.appendChild(make("div", { class: "md-typeset__scrollwrap quiz-by-topic" }, [make("div", { class: "md-typeset__table" }, [table])]));
    box.appendChild(make("h3", { text: "Every question, with its explanation" }));
    marked.forEach(function (m) {
      var d = m.item.data;
      var verdict = m.answer === null ? "Not answered" : m.correct ? "Correct" : "Incorrect";
      var stem = m.item.el.querySelector(".quiz-stem");
      var entry = make("div", { class: "quiz-result " + (m.correct ? "quiz-correct" : "quiz-wrong"), id: d.dom + "-result" }, [
        make("h4", { text: "Question " + d.n + ": " + verdict }),
      ]);
      if (stem) {
        var copy = stem.cloneNode(true);
        copy.removeAttribute("id");
        var lead = copy.querySelector("strong");
        if (lead) lead.parentNode.removeChild(lead);
        entry.appendChild(copy);
      }
      entry.appendChild(make("p", { class: "quiz-result-answer", text: "Your answer: " + S.answerText(d, m.answer) + ". The answer: " + d.answer + "." }));
      entry.appendChild(window.QuizExplanation(d));
      box.appendChild(entry);
    });
    var again = make("button", { type: "button", class: "quiz-button", text: "Take a new exam" });
    again.addEventListener("click", function () {
      window.location.reload();
    });
    box.appendChild(make("div", { class: "quiz-actions" }, [again]));
    box.hidden = false;
    heading.focus();
  };

  /* The mock exam page: its questions are on the page, with the answer key. */
  function page(root, data) {
    var titles = data.titles || {};
    return new Exam({
      quiz: data.quiz,
      items: data.items,
      root: root,
      titles: titles,
      save: true,
      bankOf: function () {
        return data.bank;
      },
      // The page carries what marking needs; the reasons for each option and the
      // take-aways come from the topics' data scripts once the exam is submitted.
      enrich: function (done) {
        S.loadBank(root.getAttribute("data-store-data"), Object.keys(titles), function (bank) {
          var byId = {};
          bank.forEach(function (d) {
            byId[d.id] = d;
          });
          data.items.forEach(function (d) {
            var full = byId[d.id];
            if (!full) return;
            ["rationales", "takeaway", "objective", "href"].forEach(function (k) {
              if (!(k in d)) d[k] = full[k];
            });
          });
          done();
        });
      },
    });
  }

  /* An exam of items from the data scripts, drawn into `container`. */
  function fromData(container, quiz, list, titles) {
    var root = make("div", { class: "quiz", "data-quiz": quiz });
    container.appendChild(root);
    itemElements(list, root);
    return new Exam({
      quiz: quiz,
      items: list,
      root: root,
      titles: titles,
      save: false,
      bankOf: function (d) {
        return d.bankVersion;
      },
    });
  }

  window.QuizExam = { page: page, fromData: fromData, itemElements: itemElements, SECONDS: EXAM_SECONDS };
})();
