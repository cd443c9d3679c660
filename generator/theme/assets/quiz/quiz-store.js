/*
 * Saved progress of the quiz widget (quiz.js, quiz-exam.js, quiz-app.js), in localStorage.
 *
 * One versioned record under PREFIX + "v2". PREFIX is the pack's `storage_prefix` (pack.yaml),
 * which every page carries in <meta name="quiz-storage-prefix">, so two packs' sites opened
 * from one origin (file://) keep their learners' progress apart:
 *   items:  item id -> attempts, oldest first: {quiz, mode, answer, correct, bank, at}.
 *           mode "tutor" (a quiz page, locked once checked: the first is the one scored),
 *           "retry" (a round on the missed ones, scored on its own), "exam" (submitted
 *           exams), "review" (spaced review). `bank` stamps the version of the quiz.
 *   exams:  submitted exams {id, quiz, items, answers, started, submitted, seconds};
 *   running: quiz -> an exam in progress (answers, flags, seconds left), kept over a reload;
 *   review: "item:<id>" or "card:<id>" -> {missed} (scheduled on the review page) or an
 *           FSRS card {card, updated}.
 * Version 1 (one key per answer, PREFIX + quiz + ":" + id -> {answer, correct, bank}) is
 * migrated on first load and then removed; nothing it held is dropped.
 *
 * Also the small helpers the other scripts share, exposed as window.QuizStore.
 */
(function () {
  "use strict";

  var PREFIX = (function () {
    var meta = document.querySelector('meta[name="quiz-storage-prefix"]');
    return (meta && meta.getAttribute("content")) || "quiz";
  })() + ":";
  var KEY = PREFIX + "v2";
  var VERSION = 2;
  var FORMAT = "quiz-progress"; // names an exported file

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

  function empty() {
    return { version: VERSION, items: {}, exams: [], running: {}, review: {} };
  }

  function normal(data) {
    var out = empty();
    if (!data || typeof data !== "object") return out;
    ["items", "running", "review"].forEach(function (name) {
      if (data[name] && typeof data[name] === "object" && !Array.isArray(data[name])) out[name] = data[name];
    });
    if (Array.isArray(data.exams)) out.exams = data.exams;
    return out;
  }

  /* Version 1's keys, one per answer, into attempts; the old keys go once saved. */
  function migrate(data) {
    if (!storage) return data;
    var old = [];
    for (var i = 0; i < storage.length; i++) {
      var key = storage.key(i);
      if (key && key.indexOf(PREFIX) === 0 && key !== KEY) old.push(key);
    }
    if (!old.length) return data;
    var now = Date.now();
    old.forEach(function (key) {
      var rest = key.slice(PREFIX.length);
      var cut = rest.indexOf(":");
      var state = null;
      try {
        state = JSON.parse(storage.getItem(key));
      } catch (e) {
        state = null;
      }
      if (cut < 0 || !state || typeof state !== "object" || !("answer" in state)) return;
      var quiz = rest.slice(0, cut);
      var id = rest.slice(cut + 1);
      var list = data.items[id] || (data.items[id] = []);
      // Saved before attempts had times: the oldest of all, so it stays the first.
      list.unshift({
        quiz: quiz,
        mode: "tutor",
        answer: state.answer,
        correct: !!state.correct,
        bank: state.bank || null,
        at: 0,
        migrated: true,
      });
      if (!state.correct && !data.review["item:" + id]) data.review["item:" + id] = { missed: now };
    });
    write(data);
    old.forEach(function (key) {
      if (key !== PREFIX + "probe") storage.removeItem(key);
    });
    return data;
  }

  function read() {
    if (!storage) return empty();
    var data;
    try {
      data = normal(JSON.parse(storage.getItem(KEY)));
    } catch (e) {
      data = empty();
    }
    return migrate(data);
  }

  function write(data) {
    if (!storage) return;
    try {
      storage.setItem(KEY, JSON.stringify(data));
    } catch (e) {
      /* storage full: the session goes on unsaved */
    }
  }

  /* Every change reads, changes and writes the record: other tabs' changes are kept. */
  function update(change) {
    var data = read();
    var out = change(data);
    write(data);
    return out;
  }

  function attempts(id) {
    return read().items[id] || [];
  }

  function firstOf(list, modes) {
    for (var i = 0; i < list.length; i++) {
      if (modes.indexOf(list[i].mode) >= 0) return list[i];
    }
    return null;
  }

  /* Record an attempt; a miss also puts the item in the review deck. */
  function addAttempt(id, attempt) {
    attempt.at = attempt.at || Date.now();
    update(function (data) {
      (data.items[id] || (data.items[id] = [])).push(attempt);
      var key = "item:" + id;
      if (!attempt.correct && !data.review[key]) data.review[key] = { missed: attempt.at };
    });
    return attempt;
  }

  /* Re-mark a tutor first attempt saved against an older version of the quiz. */
  function restamp(id, attempt, correct, bank) {
    update(function (data) {
      (data.items[id] || []).forEach(function (a) {
        if (a.mode === attempt.mode && a.at === attempt.at && a.quiz === attempt.quiz) {
          a.correct = correct;
          a.bank = bank;
        }
      });
    });
  }

  /* Forget the tutor and retry attempts of these items in this quiz (Reset). */
  function forget(quiz, ids) {
    update(function (data) {
      ids.forEach(function (id) {
        var kept = (data.items[id] || []).filter(function (a) {
          return !(a.quiz === quiz && (a.mode === "tutor" || a.mode === "retry"));
        });
        if (kept.length) data.items[id] = kept;
        else delete data.items[id];
      });
    });
  }

  /* First tutor attempts in `quiz` stamped with `bank`, on every page of it. */
  function wholeQuiz(quiz, bank) {
    var found = { answered: 0, right: 0 };
    var items = read().items;
    Object.keys(items).forEach(function (id) {
      var first = firstOf(items[id], ["tutor"]);
      if (!first || first.quiz !== quiz || first.bank !== bank) return;
      found.answered += 1;
      if (first.correct) found.right += 1;
    });
    return found;
  }

  function exportText() {
    var data = read();
    return JSON.stringify({ format: FORMAT, version: VERSION, exported: new Date().toISOString(), data: data }, null, 1);
  }

  function sameAttempt(a, b) {
    return a.mode === b.mode && a.at === b.at && a.quiz === b.quiz && JSON.stringify(a.answer) === JSON.stringify(b.answer);
  }

  /* Merge an exported file into what this browser holds: attempts and exams are added
     (each once), and of two schedules for one review card the later one is kept. */
  function importText(text) {
    var parsed;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error("This file is not a progress export (it is not JSON).");
    }
    if (!parsed || parsed.format !== FORMAT || typeof parsed.version !== "number") {
      throw new Error("This file is not a progress export from these quizzes.");
    }
    if (parsed.version > VERSION) throw new Error("This file comes from a newer version of the quizzes.");
    var incoming = normal(parsed.data);
    var added = 0;
    update(function (data) {
      Object.keys(incoming.items).forEach(function (id) {
        var mine = data.items[id] || (data.items[id] = []);
        (incoming.items[id] || []).forEach(function (a) {
          if (!mine.some(function (b) { return sameAttempt(a, b); })) {
            mine.push(a);
            added += 1;
          }
        });
        mine.sort(function (a, b) {
          return (a.at || 0) - (b.at || 0);
        });
      });
      incoming.exams.forEach(function (exam) {
        if (!data.exams.some(function (e) { return e.id === exam.id; })) data.exams.push(exam);
      });
      Object.keys(incoming.review).forEach(function (key) {
        var theirs = incoming.review[key];
        var mine = data.review[key];
        if (!mine || (theirs.updated || 0) > (mine.updated || 0)) data.review[key] = theirs;
      });
    });
    return added;
  }

  function reset() {
    if (storage) storage.removeItem(KEY);
  }

  /* --- shared helpers -------------------------------------------------------------- */

  function make(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (attrs[name] !== null && attrs[name] !== undefined) node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* Load scripts (the bank's data files, ts-fsrs) once each; then call back. Script
     elements load from file://, where fetch() of local files is blocked. */
  var loaded = {};
  function loadScripts(urls, done) {
    var waiting = urls.length;
    if (!waiting) {
      done();
      return;
    }
    urls.forEach(function (url) {
      if (loaded[url] === true) {
        if (--waiting === 0) done();
        return;
      }
      var queue = loaded[url] || (loaded[url] = []);
      queue.push(function () {
        if (--waiting === 0) done();
      });
      if (queue.length > 1) return;
      var script = make("script", { src: url });
      script.onload = script.onerror = function () {
        var calls = loaded[url];
        loaded[url] = true;
        calls.forEach(function (call) {
          call();
        });
      };
      document.head.appendChild(script);
    });
  }

  /* The bank's items of these topics, from the data scripts (generated/quizzes/data/). */
  function loadBank(base, topics, done) {
    loadScripts(
      topics.map(function (t) {
        return base + t + ".js";
      }),
      function () {
        var bank = window.quizBank || {};
        var items = [];
        topics.forEach(function (t) {
          if (!bank[t]) return;
          bank[t].items.forEach(function (d) {
            d.quiz = t;
            d.bankVersion = bank[t].bank;
            d.title = bank[t].title;
            items.push(d);
          });
        });
        done(items);
      }
    );
  }

  function parseNumber(text) {
    var raw = String(text).trim().replace(/\s+/g, "");
    if (/^-?\d{1,3}(,\d{3})+(\.\d+)?/.test(raw)) raw = raw.replace(/,/g, "");
    else raw = raw.replace(",", ".");
    var match = raw.match(/-?\d+(\.\d+)?/);
    return match ? parseFloat(match[0]) : NaN;
  }

  function isChoice(d) {
    return d.type === "single" || d.type === "true-false";
  }

  /* Is `answer` right for item data `d` (the page's widget data or a data script's)? */
  function isRight(d, answer) {
    if (answer === null || answer === undefined) return false;
    if (isChoice(d)) return answer === d.key;
    if (d.type === "numeric") {
      var number = parseNumber(answer);
      return !isNaN(number) && Math.abs(number - d.key) <= d.tolerance + 1e-9;
    }
    if (!Array.isArray(answer)) return false;
    if (d.type === "matching") {
      return d.key.every(function (option, i) {
        return answer[i] === option;
      });
    }
    // ordering: answer[j] is the position given to option j; key lists options first to last
    return d.key.every(function (option, rank) {
      return answer[option] === rank + 1;
    });
  }

  var LETTERS = "ABCDEFGH";

  /* An answer as a reader would say it. */
  function answerText(d, answer) {
    if (answer === null || answer === undefined) return "no answer";
    if (isChoice(d)) return LETTERS[answer] + ". " + d.options[answer];
    if (d.type === "numeric") return String(answer) + (d.unit ? " " + d.unit : "");
    if (d.type === "matching") {
      return answer
        .map(function (k, i) {
          return i + 1 + " – " + (k === null ? "?" : LETTERS[k]);
        })
        .join("; ");
    }
    var order = d.options.map(function (_, j) {
      return j;
    });
    order.sort(function (a, b) {
      return answer[a] - answer[b];
    });
    return order
      .map(function (j) {
        return LETTERS[j];
      })
      .join(", ");
  }

  function day(ms) {
    return ms ? new Date(ms).toISOString().slice(0, 10) : "before attempts were dated";
  }

  window.QuizStore = {
    PREFIX: PREFIX,
    KEY: KEY,
    LETTERS: LETTERS,
    available: !!storage,
    read: read,
    update: update,
    attempts: attempts,
    firstOf: firstOf,
    addAttempt: addAttempt,
    restamp: restamp,
    forget: forget,
    wholeQuiz: wholeQuiz,
    exportText: exportText,
    importText: importText,
    reset: reset,
    make: make,
    loadScripts: loadScripts,
    loadBank: loadBank,
    parseNumber: parseNumber,
    isChoice: isChoice,
    isRight: isRight,
    answerText: answerText,
    day: day,
  };
})();
