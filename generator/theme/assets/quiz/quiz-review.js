/*
 * Spaced review (the review page, and the count of reviews due on the quizzes index):
 * questions missed in any mode (quiz-store.js keeps when) and the flashcards, scheduled
 * with FSRS by ts-fsrs. Its browser build is copied from npm by the build
 * (generator/build.py) and loaded only by the pages that schedule.
 */
(function () {
  "use strict";

  var S = window.QuizStore;
  var make = S.make;

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

  /* --- spaced review ------------------------------------------------------------------- */

  function reviewPage(app, topics, fsrsSrc) {
    var base = app.getAttribute("data-store-data");
    var box = make("div", { class: "quiz-review" });
    var status = make("p", { class: "quiz-status", role: "status", "aria-live": "polite" });
    app.appendChild(box);
    app.appendChild(status);
    S.loadScripts([fsrsSrc, base + "cards.js"], function () {
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

  function dueCount(fsrsSrc, cardIds, el) {
    S.loadScripts([fsrsSrc], function () {
      var f = scheduler();
      if (!f) return;
      var now = new Date();
      var count = dueOf(deck(f, cardIds, now), now).length;
      el.textContent = count === 1 ? "1 review due now." : count + " reviews due now.";
    });
  }

  window.QuizReview = { page: reviewPage, dueCount: dueCount };
})();
