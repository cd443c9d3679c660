/*
 * The learner's pages (generator/quiz/pages.py): the quizzes index (progress per quiz,
 * reviews due), the exam and practice builder, the progress page (by topic, trial and
 * level; export, import, reset) and the spaced review of missed questions and flashcards,
 * scheduled with FSRS by ts-fsrs (copied from npm by the build, loaded by the pages that
 * schedule). Each page is a <div id="quiz-app" data-app="..."> with its data attributes;
 * the bank comes from the data scripts (generated/quizzes/data/*.js), loaded on demand.
 */
(function () {
  "use strict";

  var S = window.QuizStore;
  var make = S.make;

  function json(el, name, fallback) {
    var raw = el.getAttribute("data-" + name);
    if (!raw) return fallback;
    try {
      return JSON.parse(raw);
    } catch (e) {
      return fallback;
    }
  }

  function pct(right, total) {
    return total ? Math.round((100 * right) / total) + "%" : "–";
  }

  function table(caption, heads, rows, cls) {
    var body = make("tbody");
    rows.forEach(function (cells) {
      body.appendChild(
        make(
          "tr",
          {},
          cells.map(function (c, i) {
            return make(i ? "td" : "th", i ? {} : { scope: "row" }, [c]);
          })
        )
      );
    });
    var t = make("table", { class: cls || "" }, [
      make("caption", { text: caption }),
      make("thead", {}, [
        make(
          "tr",
          {},
          heads.map(function (h) {
            return make("th", { scope: "col", text: h });
          })
        ),
      ]),
      body,
    ]);
    return make("div", { class: "md-typeset__scrollwrap" }, [make("div", { class: "md-typeset__table" }, [t])]);
  }

  /* --- FSRS scheduling -------------------------------------------------------------- */

  function scheduler() {
    return window.FSRS ? window.FSRS.fsrs() : null;
  }

  function toCard(raw) {
    if (window.FSRS.TypeConvert && window.FSRS.TypeConvert.card) return window.FSRS.TypeConvert.card(raw);
    var card = Object.assign({}, raw);
    card.due = new Date(raw.due);
    if (raw.last_review) card.last_review = new Date(raw.last_review);
    return card;
  }

  /* A review entry's card: saved, or (a question missed, not yet reviewed) the card that
     rating the miss "again" at the time of the miss gives; a new flashcard is due now. */
  function cardOf(f, entry, now) {
    if (entry && entry.card) return toCard(entry.card);
    if (entry && entry.missed) {
      var at = new Date(entry.missed);
      return f.next(window.FSRS.createEmptyCard(at), at, window.FSRS.Rating.Again).card;
    }
    return window.FSRS.createEmptyCard(now);
  }

  /* Every review card, with its entry key and due date: the store's, and the flashcards
     not yet seen. `known(key)`: whether the bank still holds it (else it is left out). */
  function deck(f, cardIds, now, known) {
    var review = S.read().review;
    var out = [];
    Object.keys(review).forEach(function (key) {
      if (known && !known(key)) return;
      out.push({ key: key, card: cardOf(f, review[key], now) });
    });
    cardIds.forEach(function (id) {
      var key = "card:" + id;
      if (!review[key] && (!known || known(key))) out.push({ key: key, card: cardOf(f, null, now) });
    });
    return out;
  }

  function dueOf(list, now) {
    return list.filter(function (c) {
      return c.card.due.getTime() <= now.getTime();
    });
  }

  /* --- the quizzes index --------------------------------------------------------------- */

  function indexPage(app) {
    Array.prototype.forEach.call(document.querySelectorAll(".quiz-progress-cell[data-quiz]"), function (cell) {
      var all = S.wholeQuiz(cell.getAttribute("data-quiz"), cell.getAttribute("data-bank"));
      var total = parseInt(cell.getAttribute("data-total"), 10);
      cell.textContent = all.answered ? all.answered + " of " + total + " answered, " + pct(all.right, all.answered) + " right first time" : "not started";
    });
    Array.prototype.forEach.call(document.querySelectorAll(".quiz-progress-cell[data-exam]"), function (cell) {
      var quiz = cell.getAttribute("data-exam");
      var taken = S.read().exams.filter(function (e) {
        return e.quiz === quiz;
      });
      var last = taken[taken.length - 1];
      cell.textContent = last ? "last: " + last.right + " of " + last.items.length + " (" + pct(last.right, last.items.length) + "), " + taken.length + " taken" : "not taken";
    });
    var due = document.querySelector("[data-review-due]");
    if (!due) return;
    S.loadScripts([json(app, "fsrs", "")], function () {
      var f = scheduler();
      if (!f) return;
      var now = new Date();
      var count = dueOf(deck(f, json(app, "cards", []), now), now).length;
      due.textContent = count === 1 ? "1 review due now." : count + " reviews due now.";
    });
  }

  /* --- the builder: exams and practice sets ---------------------------------------------- */

  function shuffled(list) {
    var out = list.slice();
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  function practice(app, base, topics, items, heading) {
    var box = make("div", { class: "quiz-practice" });
    app.appendChild(make("h2", { text: heading }));
    app.appendChild(box);
    var root = make("div", { class: "quiz", "data-quiz": "practice" });
    box.appendChild(root);
    window.QuizExam.itemElements(items, root);
    window.QuizTutor(
      root,
      { quiz: "practice", parts: 1, items: items },
      function (d) {
        return d.quiz;
      },
      function (d) {
        return d.bankVersion;
      }
    );
  }

  function builderPage(app) {
    var base = app.getAttribute("data-store-data");
    var topics = json(app, "topics", {});
    var counts = json(app, "counts", {});
    var levels = json(app, "levels", []);
    var names = Object.keys(topics);
    var params = new URLSearchParams(window.location.search);
    if (params.get("page")) {
      // "Test yourself" under an evidence section: the questions drawn on its records.
      var page = params.get("page");
      var anchors = (params.get("at") || "").split(",");
      S.loadBank(base, names, function (bank) {
        var chosen = bank.filter(function (d) {
          var parts = d.link.split("#");
          return parts[0] === page && anchors.indexOf(parts[1] || "") >= 0;
        });
        practice(app, base, topics, chosen, "Test yourself: " + chosen.length + (chosen.length === 1 ? " question" : " questions"));
      });
      return;
    }
    var form = make("form", { class: "quiz-builder" });
    var topicSet = make("fieldset", {}, [make("legend", { text: "Topics" })]);
    names.forEach(function (t) {
      var n = levels.reduce(function (sum, lv) {
        return sum + ((counts[t] || {})[lv] || 0);
      }, 0);
      var id = "pick-topic-" + t;
      topicSet.appendChild(
        make("div", { class: "quiz-choice" }, [
          make("input", { type: "checkbox", id: id, name: "topic", value: t, checked: "checked" }),
          make("label", { for: id, text: topics[t] + " (" + n + ")" }),
        ])
      );
    });
    var levelSet = make("fieldset", {}, [make("legend", { text: "Cognitive levels" })]);
    levels.forEach(function (lv) {
      var n = names.reduce(function (sum, t) {
        return sum + ((counts[t] || {})[lv] || 0);
      }, 0);
      var id = "pick-level-" + lv;
      var attrs = { type: "checkbox", id: id, name: "level", value: lv };
      if (n) attrs.checked = "checked";
      levelSet.appendChild(make("div", { class: "quiz-choice" }, [make("input", attrs), make("label", { for: id, text: lv + " (" + n + ")" })]));
    });
    var countField = make("input", { type: "number", id: "pick-count", name: "count", min: "1", max: "200", value: "20", class: "quiz-number" });
    var modeSet = make("fieldset", {}, [make("legend", { text: "Mode" })]);
    [
      ["tutor", "Tutor: feedback after each question"],
      ["exam", "Exam: timed, marked when you submit"],
    ].forEach(function (m, i) {
      var attrs = { type: "radio", id: "pick-mode-" + m[0], name: "mode", value: m[0] };
      if (i === 1) attrs.checked = "checked";
      modeSet.appendChild(make("div", { class: "quiz-choice" }, [make("input", attrs), make("label", { for: attrs.id, text: m[1] })]));
    });
    var status = make("p", { class: "quiz-status", role: "status", "aria-live": "polite" });
    form.appendChild(topicSet);
    form.appendChild(levelSet);
    form.appendChild(make("div", { class: "quiz-row" }, [make("label", { for: "pick-count", text: "Number of questions" }), countField]));
    form.appendChild(modeSet);
    form.appendChild(make("button", { type: "submit", class: "quiz-button", text: "Start" }));
    form.appendChild(status);
    app.appendChild(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var picked = function (name) {
        return Array.prototype.filter
          .call(form.querySelectorAll("input[name=" + name + "]"), function (i) {
            return i.checked;
          })
          .map(function (i) {
            return i.value;
          });
      };
      var chosenTopics = picked("topic");
      var chosenLevels = picked("level");
      var mode = picked("mode")[0];
      var count = parseInt(countField.value, 10);
      if (!chosenTopics.length || !chosenLevels.length || !(count > 0)) {
        status.textContent = "Choose at least one topic, one level and a number of questions.";
        return;
      }
      S.loadBank(base, chosenTopics, function (bank) {
        var pool = bank.filter(function (d) {
          return chosenLevels.indexOf(d.level) >= 0;
        });
        if (!pool.length) {
          status.textContent = "No questions match these topics and levels.";
          return;
        }
        var items = shuffled(pool).slice(0, count);
        form.hidden = true;
        if (mode === "tutor") {
          practice(app, base, topics, items, "Practice: " + items.length + " questions");
        } else {
          app.appendChild(make("h2", { text: "Exam: " + items.length + " questions" }));
          var exam = window.QuizExam.fromData(app, "exam", items, topics);
          exam.begin(exam.limit);
          if (exam.items[0]) exam.items[0].inputs[0].focus();
        }
      });
    });
  }

  /* --- progress ---------------------------------------------------------------------------- */

  function progressPage(app) {
    var base = app.getAttribute("data-store-data");
    var topics = json(app, "topics", {});
    var out = make("div", { class: "quiz-progress" });
    var status = make("p", { class: "quiz-status", role: "status", "aria-live": "polite" });
    app.appendChild(out);
    app.appendChild(status);

    S.loadBank(base, Object.keys(topics), function (bank) {
      function draw() {
        out.textContent = "";
        var items = S.read().items;
        var rows = bank.map(function (d) {
          var list = items[d.id] || [];
          var first = S.firstOf(list, ["tutor", "exam"]);
          var last = list.reduce(function (m, a) {
            return Math.max(m, a.at || 0);
          }, 0);
          return { d: d, first: first, last: list.length ? last : null };
        });
        var answered = rows.filter(function (r) {
          return r.first;
        });
        var right = answered.filter(function (r) {
          return r.first.correct;
        });
        out.appendChild(
          make("p", {
            class: "quiz-progress-total",
            text:
              "Answered " +
              answered.length +
              " of " +
              bank.length +
              " questions; " +
              right.length +
              " right at the first attempt (" +
              pct(right.length, answered.length) +
              ").",
          })
        );
        function group(caption, head, keyOf, label) {
          var keys = [];
          var by = {};
          rows.forEach(function (r) {
            var k = keyOf(r.d);
            if (k === null || k === undefined) return;
            if (!by[k]) {
              by[k] = { total: 0, answered: 0, right: 0, last: null };
              keys.push(k);
            }
            var g = by[k];
            g.total += 1;
            if (r.first) {
              g.answered += 1;
              if (r.first.correct) g.right += 1;
            }
            if (r.last !== null) g.last = Math.max(g.last || 0, r.last);
          });
          if (!keys.length) {
            out.appendChild(make("p", { text: caption + ": no question says which it draws on." }));
            return;
          }
          out.appendChild(
            table(
              caption,
              [head, "Answered", "First-attempt correct", "Last seen"],
              keys.map(function (k) {
                var g = by[k];
                return [label(k), g.answered + " of " + g.total, pct(g.right, g.answered), g.last === null ? "never" : S.day(g.last)];
              }),
              "quiz-progress-table"
            )
          );
        }
        group(
          "By topic",
          "Topic",
          function (d) {
            return d.quiz;
          },
          function (k) {
            return topics[k] || k;
          }
        );
        group(
          "By trial",
          "Trial",
          function (d) {
            return d.trial;
          },
          function (k) {
            return k;
          }
        );
        group(
          "By level",
          "Level",
          function (d) {
            return d.level;
          },
          function (k) {
            return k;
          }
        );
        // The weakest objectives: the lowest first-attempt share, each with its evidence.
        var objectives = {};
        answered.forEach(function (r) {
          var o = objectives[r.d.objective] || (objectives[r.d.objective] = { right: 0, answered: 0, href: r.d.href });
          o.answered += 1;
          if (r.first.correct) o.right += 1;
        });
        var weak = Object.keys(objectives)
          .filter(function (k) {
            return objectives[k].right < objectives[k].answered;
          })
          .sort(function (a, b) {
            var x = objectives[a];
            var y = objectives[b];
            return x.right / x.answered - y.right / y.answered || y.answered - x.answered;
          })
          .slice(0, 5);
        out.appendChild(make("h2", { text: "Weakest objectives" }));
        if (!weak.length) {
          out.appendChild(make("p", { text: "None yet: objectives appear here once a question on them is missed." }));
        } else {
          var list = make("ol", { class: "quiz-weakest" });
          weak.forEach(function (k) {
            var o = objectives[k];
            list.appendChild(
              make("li", {}, [k + " (" + o.right + " of " + o.answered + " right) – ", make("a", { href: o.href, text: "read the evidence" })])
            );
          });
          out.appendChild(list);
        }
        out.appendChild(tools());
      }

      function tools() {
        var box = make("div", { class: "quiz-progress-tools" }, [make("h2", { text: "Keep, move or reset your progress" })]);
        var exportButton = make("button", { type: "button", class: "quiz-button", text: "Export progress to a file" });
        var importField = make("input", { type: "file", id: "quiz-import", accept: "application/json,.json" });
        var resetButton = make("button", { type: "button", class: "quiz-button", text: "Reset all progress…" });
        var confirm = make("div", { class: "quiz-confirm", hidden: "hidden", role: "group", "aria-label": "Confirm reset" }, [
          make("p", { text: "Delete every answer, exam and review schedule kept in this browser? This cannot be undone (export first to keep a copy)." }),
        ]);
        var yes = make("button", { type: "button", class: "quiz-button", text: "Delete all my progress" });
        var no = make("button", { type: "button", class: "quiz-button", text: "Keep it" });
        confirm.appendChild(make("div", { class: "quiz-actions" }, [yes, no]));
        box.appendChild(make("div", { class: "quiz-actions" }, [exportButton]));
        box.appendChild(make("div", { class: "quiz-row" }, [make("label", { for: "quiz-import", text: "Import progress from a file" }), importField]));
        box.appendChild(make("div", { class: "quiz-actions" }, [resetButton]));
        box.appendChild(confirm);
        exportButton.addEventListener("click", function () {
          var blob = new Blob([S.exportText()], { type: "application/json" });
          var a = make("a", { href: URL.createObjectURL(blob), download: "quiz-progress-" + new Date().toISOString().slice(0, 10) + ".json" });
          document.body.appendChild(a);
          a.click();
          document.body.removeChild(a);
          status.textContent = "Progress exported to " + a.getAttribute("download") + ".";
        });
        importField.addEventListener("change", function () {
          var file = importField.files && importField.files[0];
          if (!file) return;
          var reader = new FileReader();
          reader.onload = function () {
            try {
              var added = S.importText(String(reader.result));
              draw();
              status.textContent = "Imported " + added + " answers from " + file.name + ".";
            } catch (e) {
              status.textContent = e.message;
            }
          };
          reader.readAsText(file);
        });
        resetButton.addEventListener("click", function () {
          confirm.hidden = false;
          no.focus();
        });
        no.addEventListener("click", function () {
          confirm.hidden = true;
          resetButton.focus();
        });
        yes.addEventListener("click", function () {
          S.reset();
          draw();
          status.textContent = "All progress in this browser was deleted.";
          out.querySelector("h2").setAttribute("tabindex", "-1");
          out.querySelector("h2").focus();
        });
        return box;
      }

      draw();
    });
  }

  /* --- spaced review ------------------------------------------------------------------- */

  function reviewPage(app) {
    var base = app.getAttribute("data-store-data");
    var topics = json(app, "topics", {});
    var box = make("div", { class: "quiz-review" });
    var status = make("p", { class: "quiz-status", role: "status", "aria-live": "polite" });
    app.appendChild(box);
    app.appendChild(status);
    S.loadScripts([json(app, "fsrs", ""), base + "cards.js"], function () {
      S.loadBank(base, Object.keys(topics), function (bank) {
        var f = scheduler();
        if (!f) {
          box.textContent = "The scheduler (ts-fsrs) did not load: rebuild the site with `npm ci` done.";
          return;
        }
        var items = {};
        bank.forEach(function (d) {
          items["item:" + d.id] = d;
        });
        var cards = {};
        var cardIds = [];
        ((window.quizBank || {}).cards || { cards: [] }).cards.forEach(function (c) {
          cards["card:" + c.id] = c;
          cardIds.push(c.id);
        });
        function known(key) {
          return key in items || key in cards;
        }

        function next() {
          box.textContent = "";
          var now = new Date();
          var all = deck(f, cardIds, now, known);
          var due = dueOf(all, now);
          box.appendChild(make("p", { class: "quiz-review-count", text: due.length === 1 ? "1 review due now." : due.length + " reviews due now." }));
          if (!due.length) {
            var later = all
              .map(function (c) {
                return c.card.due.getTime();
              })
              .sort();
            box.appendChild(
              make("p", {
                text: later.length ? "Nothing is due. The next review is due " + new Date(later[0]).toLocaleString() + "." : "Nothing to review yet: questions you miss and the flashcards come here.",
              })
            );
            return;
          }
          due.sort(function (a, b) {
            return a.card.due - b.card.due;
          });
          show(due[0], now);
        }

        function show(entry, now) {
          var d = items[entry.key];
          var c = cards[entry.key];
          var heading = make("h2", { tabindex: "-1", text: d ? "Question (" + (topics[d.quiz] || d.quiz) + ")" : "Flashcard" });
          var front = make("div", { class: "quiz-review-front" });
          if (d) {
            front.appendChild(make("p", { class: "quiz-stem", text: d.stem }));
            if (d.prompts && d.prompts.length) {
              var prompts = make("ol", {});
              d.prompts.forEach(function (p) {
                prompts.appendChild(make("li", { text: p }));
              });
              front.appendChild(prompts);
            }
            if (d.options && d.options.length) {
              var options = make("ol", { class: "quiz-choices-list" });
              d.options.forEach(function (o) {
                options.appendChild(make("li", { text: o }));
              });
              front.appendChild(options);
            }
          } else {
            front.appendChild(make("p", { class: "quiz-stem", text: c.front }));
          }
          var reveal = make("button", { type: "button", class: "quiz-button", text: "Show the answer" });
          var back = make("div", { class: "quiz-review-back", hidden: "hidden" });
          if (d) {
            back.appendChild(make("p", {}, [make("strong", { text: "The answer: " }), d.answer + "."]));
            back.appendChild(window.QuizExplanation(d));
          } else {
            back.appendChild(make("p", { text: c.back }));
            if (c.href) back.appendChild(make("p", {}, [make("a", { href: c.href, text: "Evidence" })]));
          }
          var rate = make("div", { class: "quiz-actions quiz-rate", role: "group", "aria-label": "How well did you know it?", hidden: "hidden" });
          var R = window.FSRS.Rating;
          var options2 = f.repeat(entry.card, now);
          [
            ["Again", R.Again],
            ["Hard", R.Hard],
            ["Good", R.Good],
            ["Easy", R.Easy],
          ].forEach(function (r) {
            var when = options2[r[1]].card.due;
            var button = make("button", { type: "button", class: "quiz-button", text: r[0] + " (due " + when.toLocaleDateString() + ")" });
            button.addEventListener("click", function () {
              var at = new Date();
              var card = f.next(entry.card, at, r[1]).card;
              S.update(function (data) {
                data.review[entry.key] = { card: card, updated: at.getTime() };
              });
              status.textContent = r[0] + ": due again " + card.due.toLocaleString() + ".";
              next();
              var h = box.querySelector("h2");
              if (h) h.focus();
            });
            rate.appendChild(button);
          });
          reveal.addEventListener("click", function () {
            back.hidden = false;
            rate.hidden = false;
            reveal.hidden = true;
            rate.querySelector("button").focus();
          });
          box.appendChild(heading);
          box.appendChild(front);
          box.appendChild(reveal);
          box.appendChild(back);
          box.appendChild(rate);
        }

        next();
      });
    });
  }

  function init() {
    var app = document.getElementById("quiz-app");
    if (!app || app.getAttribute("data-ready")) return;
    app.setAttribute("data-ready", "true");
    document.documentElement.classList.add("quiz-js");
    var which = app.getAttribute("data-app");
    if (which === "index") indexPage(app);
    else if (which === "exam") builderPage(app);
    else if (which === "progress") progressPage(app);
    else if (which === "review") reviewPage(app);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
