/*
 * The learner's pages (generator/quiz/pages.py): the quizzes index (progress per quiz,
 * reviews due), the exam and practice builder, the progress page (by topic, trial and
 * level; export, import, reset), and the review page (quiz-review.js). Each page is a <div id="quiz-app" data-app="..."> with its data attributes;
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
    // No class on the table itself: Material styles only tables without one.
    var t = make("table", {}, [
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
    return make("div", { class: "md-typeset__scrollwrap " + (cls || "") }, [make("div", { class: "md-typeset__table" }, [t])]);
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
    if (due) window.QuizReview.dueCount(json(app, "fsrs", ""), json(app, "cards", []), due);
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

  function init() {
    var app = document.getElementById("quiz-app");
    if (!app || app.getAttribute("data-ready")) return;
    app.setAttribute("data-ready", "true");
    document.documentElement.classList.add("quiz-js");
    var which = app.getAttribute("data-app");
    if (which === "index") indexPage(app);
    else if (which === "exam") builderPage(app);
    else if (which === "progress") progressPage(app);
    else if (which === "review") window.QuizReview.page(app, json(app, "topics", {}), json(app, "fsrs", ""));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
