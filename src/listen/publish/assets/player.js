/* listen player: plays an audio edition and follows it through the text.
 *
 * Plain JavaScript with no dependencies, served as it is. It reads its data from
 * the JSON inside [data-listen-player] (see listen/publish/player.py) and finds the
 * text it follows in one of three ways:
 *   - the episode page: every sentence is a span [data-listen-cue="n"];
 *   - a page made by `listen embed`: the publisher's blocks carry [data-listen-block];
 *   - a page with the snippet only: blocks are found by matching their words, and
 *     the console says which could not be found.
 * Nothing from the article is ever parsed as markup: text goes in by textContent.
 */
(function () {
  "use strict";

  var RATES = [0.75, 1, 1.25, 1.5, 1.75, 2];
  var SKIP = 15;
  var BLOCKS = "p,h1,h2,h3,h4,h5,h6,li,blockquote,dd,dt,figcaption,pre,td,th";
  var WORD = /[\p{L}\p{N}\p{M}\u00ad\u200b-\u200d\u2060]+/gu;
  var INVISIBLE = /[\u00ad\u200b-\u200d\u2060]/g;
  var ICONS = {
    play: "M8 5v14l11-7z",
    pause: "M6 5h4v14H6zm8 0h4v14h-4z",
    back: "M12 5V1L7 6l5 5V7a6 6 0 1 1-6 6H4a8 8 0 1 0 8-8z",
    forward: "M12 5V1l5 5-5 5V7a6 6 0 1 0 6 6h2a8 8 0 1 1-8-8z",
    previous: "M6 6h2v12H6zm3.5 6 8.5 6V6z",
    next: "M16 6h2v12h-2zM6 18l8.5-6L6 6z",
    chapters: "M4 6h2v2H4zm4 0h12v2H8zM4 11h2v2H4zm4 0h12v2H8zm-4 5h2v2H4zm4 0h12v2H8z",
    download: "M11 4h2v8l3-3 1.4 1.4L12 15.8l-5.4-5.4L8 9l3 3zM5 18h14v2H5z"
  };

  // ── small helpers ──────────────────────────────────────────────────────────

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs.text;
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { node.append(child); });
    return node;
  }

  function icon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    var path = document.createElementNS(ns, "path");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? values[key] : all;
    });
  }

  function clock(seconds) {
    var t = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(t / 3600), m = Math.floor(t / 60) % 60, s = t % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function spoken(seconds, labels) {
    var t = Math.max(0, Math.round(seconds || 0));
    var parts = [[Math.floor(t / 3600), "hour"], [Math.floor(t / 60) % 60, "minute"],
      [t % 60, "second"]].filter(function (p) { return p[0]; });
    if (!parts.length) parts = [[0, "second"]];
    return parts.map(function (p) { return p[0] + " " + labels[p[1]][p[0] === 1 ? 0 : 1]; })
      .join(" ");
  }

  function store(key, value) {
    try {
      if (value === undefined) return window.localStorage.getItem("listen:" + key);
      if (value === null) window.localStorage.removeItem("listen:" + key);
      else window.localStorage.setItem("listen:" + key, String(value));
    } catch (e) { /* storage refused: the player works without memory */ }
    return null;
  }

  function reducedMotion() {
    return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  // ── words of the text, and where they are in the page ─────────────────────

  /* Words as keys to compare: letters and digits, lower case, without soft hyphens. */
  function words(text) {
    var found = [], match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text))) {
      found.push({ key: match[0].replace(INVISIBLE, "").toLowerCase(),
        start: match.index, end: match.index + match[0].length });
    }
    return found.filter(function (w) { return w.key; });
  }

  /* The text of some elements as one string, the text node each stretch is in, and
   * where each element's text ends. */
  function textOf(elements) {
    var text = "", nodes = [], ends = [];
    elements.forEach(function (element) {
      var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        nodes.push({ node: walker.currentNode, start: text.length });
        text += walker.currentNode.data;
      }
      ends.push(text.length);
      text += " ";
    });
    return { text: text, nodes: nodes, ends: ends, words: words(text) };
  }

  function point(map, index) {
    var low = 0, high = map.nodes.length - 1;
    while (low < high) {
      var mid = (low + high + 1) >> 1;
      if (map.nodes[mid].start <= index) low = mid; else high = mid - 1;
    }
    var at = map.nodes[low];
    return [at.node, Math.min(index - at.start, at.node.data.length)];
  }

  function range(map, start, end) {
    var r = document.createRange();
    r.setStart.apply(r, point(map, start));
    r.setEnd.apply(r, point(map, end));
    return r;
  }

  /* The stretch as one range per element it crosses, so that what lies between two
   * elements of a block (an ad) is not highlighted with it. */
  function ranges(map, start, end) {
    var found = [], from = start;
    map.ends.forEach(function (stop) {
      if (from < end && from <= stop) {
        if (Math.min(end, stop) > from) found.push(range(map, from, Math.min(end, stop)));
        from = stop + 1;
      }
    });
    return found;
  }

  /* Where each word of `wanted` lies in map.words, from word `from` on: greedy, letting
   * the page have words the narration left out (a footnote marker, say). */
  function align(wanted, map, from) {
    var at = [], next = from;
    wanted.forEach(function (word, i) {
      var limit = Math.min(map.words.length, next + (i === 0 ? 60 : 6));
      for (var j = next; j < limit; j++) {
        if (map.words[j].key === word.key) { at.push(j); next = j + 1; return; }
      }
      at.push(-1);
    });
    return { at: at, next: next };
  }

  /* A cue's range and its words' ranges in the text of its elements. */
  function locate(cue, map, from) {
    var wanted = words(cue.text);
    var found = align(wanted, map, from);
    var hits = found.at.filter(function (j) { return j >= 0; });
    if (hits.length) {
      cue.ranges = ranges(map, map.words[hits[0]].start, map.words[hits[hits.length - 1]].end);
    }
    if (cue.words) cue.wordRanges = wordRanges(cue, wanted, found.at, map);
    return found.next;
  }

  /* One range per white-space word of the cue (its letters may be several words). */
  function wordRanges(cue, wanted, at, map) {
    var spans = [], re = /\S+/g, match, w = 0;
    while ((match = re.exec(cue.text))) {
      var first = null, last = null;
      while (w < wanted.length && wanted[w].start < match.index + match[0].length) {
        if (at[w] >= 0) { first = first === null ? at[w] : first; last = at[w]; }
        w++;
      }
      spans.push(first === null ? null
        : range(map, map.words[first].start, map.words[last].end));
    }
    return spans;
  }

  /* Blocks on a page that carries no marks, found by their words in order. */
  function findBlocks(paragraphs) {
    var owners = new Map();
    var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      var parent = walker.currentNode.parentElement;
      var owner = parent && parent.closest(BLOCKS);
      if (!owner || owner.closest("[data-listen-player],script,style,noscript,template")) continue;
      if (!owners.has(owner)) owners.set(owner, "");
      owners.set(owner, owners.get(owner) + walker.currentNode.data);
    }
    var candidates = [];
    owners.forEach(function (text, element) {
      var keys = words(text).map(function (w) { return w.key; });
      if (keys.length) candidates.push({ element: element, keys: keys });
    });
    candidates.sort(function (a, b) {
      return a.element.compareDocumentPosition(b.element) & 4 ? -1 : 1;
    });
    var cursor = 0, missing = [];
    paragraphs.forEach(function (para) {
      if (!para.block) return;
      var wanted = [];
      para.cues.forEach(function (cue) {
        words(cue.text).forEach(function (w) { wanted.push(w.key); });
      });
      var run = matchRun(wanted, candidates, cursor);
      if (!run) { missing.push(para); return; }
      para.elements = run.map(function (k) { return candidates[k].element; });
      para.elements.forEach(function (e) { e.setAttribute("data-listen-block", para.block); });
      cursor = run[run.length - 1] + 1;
    });
    missing.forEach(function (para) {
      var text = para.cues.map(function (c) { return c.text; }).join(" ");
      console.warn("listen: could not find this paragraph on the page: " + text.slice(0, 80));
    });
  }

  /* The run of candidates, from `from` on, whose words are `wanted` (passing over up
   * to two inside it that are not, such as an ad), as indices; null if none. */
  function matchRun(wanted, candidates, from) {
    for (var first = from; first < candidates.length; first++) {
      var run = [], got = 0, passed = 0;
      for (var k = first; k < candidates.length && got < wanted.length; k++) {
        var after = consume(candidates[k].keys, wanted, got);
        if (after >= 0) { run.push(k); got = after; }
        else if (!run.length || passed === 2) break;
        else passed++;
      }
      if (got >= wanted.length) return run;
    }
    return null;
  }

  /* The candidate's words matched against `wanted` from `got`: the new position, or -1
   * when fewer than four in five of its words are the narration's. */
  function consume(keys, wanted, got) {
    var matched = 0;
    keys.forEach(function (key) {
      if (got < wanted.length && key === wanted[got]) { matched++; got++; }
    });
    return matched && matched >= 0.8 * keys.length ? got : -1;
  }

  // ── the player ─────────────────────────────────────────────────────────────

  function Player(root) {
    var self = this;
    this.root = root;
    this.data = JSON.parse(root.querySelector("script.listen-data").textContent);
    this.labels = this.data.labels;
    this.audio = root.querySelector("audio");
    this.cues = [];
    this.paragraphs = this.data.paragraphs.map(function (para, p) {
      para.index = p;
      para.elements = [];
      para.cues.forEach(function (cue) { cue.para = p; self.cues.push(cue); });
      return para;
    });
    this.current = -1;
    this.follow = true;
    this.quietUntil = 0;
    this.sentenceMode = !!document.querySelector("[data-listen-cue]");
    this.findText();
    this.build();
    this.listen();
    this.restore();
    this.update();
  }

  Player.prototype.findText = function () {
    var self = this;
    if (this.sentenceMode) {
      document.querySelectorAll("[data-listen-cue]").forEach(function (span) {
        var cue = self.cues[Number(span.getAttribute("data-listen-cue"))];
        if (!cue) return;
        cue.element = span;
        var para = self.paragraphs[cue.para];
        var block = span.parentElement;
        if (para.elements.indexOf(block) < 0) para.elements.push(block);
      });
      this.cues.forEach(function (cue) {
        if (cue.element) locate(cue, textOf([cue.element]), 0);
      });
      this.targets = this.cues.map(function (cue) { return cue.element; });
    } else {
      if (!document.querySelector("[data-listen-block]")) findBlocks(this.paragraphs);
      this.paragraphs.forEach(function (para) {
        if (!para.block) return;
        para.elements = Array.prototype.slice.call(document.querySelectorAll(
          '[data-listen-block="' + CSS.escape(para.block) + '"]'));
        if (!para.elements.length) return;
        var map = textOf(para.elements), next = 0;
        para.cues.forEach(function (cue) { next = locate(cue, map, next); });
      });
      this.targets = this.paragraphs.filter(function (p) { return p.elements.length; })
        .map(function (p) { return p.elements[0]; });
    }
    this.targets = this.targets.filter(Boolean);
    this.targets.forEach(function (target, i) {
      target.tabIndex = i === 0 ? 0 : -1;
      target.classList.add("listen-target");
    });
    this.highlights = window.CSS && CSS.highlights && window.Highlight
      ? { sentence: new Highlight(), word: new Highlight() } : null;
    if (this.highlights) {
      CSS.highlights.set("listen-sentence", this.highlights.sentence);
      CSS.highlights.set("listen-word", this.highlights.word);
    }
  };

  Player.prototype.button = function (name, label, action) {
    var b = el("button", { type: "button", class: "listen-" + name, "aria-label": label },
      [icon(name)]);
    b.addEventListener("click", action);
    return b;
  };

  Player.prototype.build = function () {
    var self = this, L = this.labels, audio = this.audio;
    var minutes = Math.max(1, Math.round(this.data.duration / 60));
    this.playLabel = el("span", { class: "listen-play-label" });
    this.play = el("button", { type: "button", class: "listen-play" },
      [icon("play"), this.playLabel]);
    this.play.addEventListener("click", function () { self.toggle(); });
    this.length = minutes + " " + L.min;

    this.speed = el("select", { class: "listen-speed", "aria-label": L.speed },
      RATES.map(function (rate) {
        return el("option", { value: String(rate), text: rate.toLocaleString(self.data.lang) + "×" });
      }));
    this.speed.addEventListener("change", function () {
      self.setRate(Number(self.speed.value));
      self.say(fill(L.speed_now, { rate: self.speed.selectedOptions[0].textContent }));
    });

    this.seek = el("input", { type: "range", class: "listen-seek", min: "0",
      max: String(this.data.duration), step: "any", value: "0", "aria-label": L.seek });
    this.seek.addEventListener("input", function () { self.seekTo(Number(self.seek.value)); });
    this.seek.addEventListener("pointerdown", function () { self.dragging = true; });
    this.seek.addEventListener("pointerup", function () { self.dragging = false; });
    this.seek.addEventListener("keydown", function (event) { self.seekKey(event); });
    var ticks = el("div", { class: "listen-ticks", "aria-hidden": "true" });
    this.data.chapters.slice(1).forEach(function (chapter) {
      var tick = el("span");
      tick.style.left = (100 * chapter.start / self.data.duration) + "%";
      ticks.append(tick);
    });
    this.time = el("span", { class: "listen-time", "aria-hidden": "true" });

    var download = this.root.querySelector(".listen-fallback a");
    if (download) {
      download.className = "listen-download";
      download.setAttribute("aria-label", L.download);
      download.textContent = "";
      download.append(icon("download"));
    }
    this.status = el("p", { class: "listen-status", role: "status" });
    this.backTo = el("button", { type: "button", class: "listen-follow", hidden: "" },
      [el("span", { text: L.follow })]);
    this.backTo.addEventListener("click", function () { self.resumeFollowing(true); });

    var tools = el("div", { class: "listen-tools" }, [
      this.button("back", L.back, function () { self.skip(-SKIP); }),
      this.button("forward", L.forward, function () { self.skip(SKIP); }),
      this.button("previous", L.previous, function () { self.step(-1); }),
      this.button("next", L.next, function () { self.step(1); }),
      this.speed]);
    if (this.data.chapters.length > 1) tools.append(this.chapterMenu());
    if (download) tools.append(download);
    var bar = el("div", { class: "listen-bar" }, [
      el("div", { class: "listen-track" }, [ticks, this.seek]), this.time]);
    this.root.classList.add("listen-ready");
    audio.removeAttribute("controls");
    var fallback = this.root.querySelector(".listen-fallback");
    if (fallback) fallback.remove();
    this.root.append(el("div", { class: "listen-row" }, [this.play, tools]), bar,
      this.status, this.backTo);
    var hint = document.querySelector(".listen-hint");
    if (hint) hint.hidden = false;
  };

  Player.prototype.chapterMenu = function () {
    var self = this, L = this.labels;
    var id = "listen-chapter-list";
    var toggle = this.button("chapters", L.chapters, function () {
      menu.hidden = !menu.hidden;
      toggle.setAttribute("aria-expanded", String(!menu.hidden));
      if (!menu.hidden) menu.querySelector("button").focus();
    });
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", id);
    var menu = el("ul", { id: id, class: "listen-menu", hidden: "" },
      this.data.chapters.map(function (chapter) {
        var pick = el("button", { type: "button" }, [
          el("span", { text: chapter.title }),
          el("span", { class: "listen-at", text: clock(chapter.start) })]);
        pick.addEventListener("click", function () {
          close(true);
          self.playFrom(chapter.start, fill(L.chapter_now, { title: chapter.title }));
        });
        return el("li", {}, [pick]);
      }));
    function close(refocus) {
      if (menu.hidden) return;
      menu.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      if (refocus) toggle.focus();
    }
    menu.addEventListener("keydown", function (event) {
      var items = Array.prototype.slice.call(menu.querySelectorAll("button"));
      var at = items.indexOf(document.activeElement);
      if (event.key === "Escape") { event.preventDefault(); close(true); }
      else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = at + (event.key === "ArrowDown" ? 1 : -1);
        items[(next + items.length) % items.length].focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!wrap.contains(event.target)) close(false);
    });
    var wrap = el("div", { class: "listen-chapters-menu" }, [toggle, menu]);
    wrap.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !wrap.contains(event.relatedTarget)) close(false);
    });
    return wrap;
  };

  Player.prototype.listen = function () {
    var self = this, audio = this.audio;
    ["play", "pause", "ended"].forEach(function (name) {
      audio.addEventListener(name, function () {
        self.showState();
        if (name !== "play") self.remember();
        if (name === "play") self.tick();
      });
    });
    ["timeupdate", "seeked", "durationchange"].forEach(function (name) {
      audio.addEventListener(name, function () { self.update(); });
    });
    audio.addEventListener("ratechange", function () { self.mediaPosition(); });
    this.targets.forEach(function (target, i) {
      target.addEventListener("keydown", function (event) { self.targetKey(event, i); });
    });
    this.cues.forEach(function (cue) {
      var para = self.paragraphs[cue.para];
      var clickable = cue.element ? [cue.element] : cue === para.cues[0] ? para.elements : [];
      clickable.forEach(function (element) {
        element.addEventListener("click", function (event) { self.clicked(event, cue); });
      });
    });
    document.querySelectorAll("a[data-listen-seek]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        self.playFrom(Number(link.getAttribute("data-listen-seek")),
          fill(self.labels.chapter_now, { title: link.textContent }));
      });
    });
    ["wheel", "touchmove"].forEach(function (name) {
      window.addEventListener(name, function () { self.userScrolled(); }, { passive: true });
    });
    window.addEventListener("keydown", function (event) {
      var keys = ["PageUp", "PageDown", "Home", "End", "ArrowUp", "ArrowDown", " "];
      var inField = event.target.closest &&
        event.target.closest("input,select,textarea,button,.listen-target");
      if (keys.indexOf(event.key) >= 0 && !inField) self.userScrolled();
    });
    window.addEventListener("scroll", function () {
      if (Date.now() > self.quietUntil) self.userScrolled();
    }, { passive: true });
    window.addEventListener("pagehide", function () { self.remember(); });
    this.mediaSession();
  };

  // ── playing ────────────────────────────────────────────────────────────────

  Player.prototype.toggle = function () {
    if (!this.audio.paused) { this.audio.pause(); return; }
    if (this.restored) {
      this.say(fill(this.labels.resumed, { time: spoken(this.audio.currentTime, this.labels) }));
      this.restored = false;
    }
    this.start();
  };

  Player.prototype.start = function () {
    var playing = this.audio.play();
    if (playing && playing.catch) playing.catch(function () { /* refused: stays paused */ });
  };

  /* Every seek comes here. A server that cannot send part of a file (Python's
   * http.server, say) leaves the audio unseekable: then it is fetched whole once. */
  Player.prototype.seekTo = function (seconds) {
    var self = this, audio = this.audio, t = Math.max(0, Math.min(seconds, this.data.duration));
    this.pendingSeek = t;
    if (audio.readyState < 1) {  // nothing known of the file yet: seek once it is
      if (!this.waiting) {
        this.waiting = true;
        audio.addEventListener("loadedmetadata", function () {
          self.waiting = false;
          self.seekTo(self.pendingSeek);
        }, { once: true });
      }
      return;
    }
    var ranges = audio.seekable, n = ranges.length;
    var seekable = t === 0 || (n > 0 && ranges.end(n - 1) >= Math.min(t, audio.duration - 0.5));
    if (!seekable && /^https?:$/.test(location.protocol)) {
      if (!this.whole) this.fetchWhole();
      return;
    }
    audio.currentTime = t;
    this.update();
  };

  Player.prototype.fetchWhole = function () {
    var self = this, audio = this.audio;
    this.whole = true;
    fetch(audio.currentSrc).then(function (response) { return response.blob(); })
      .then(function (blob) {
        var playing = !audio.paused;
        audio.src = URL.createObjectURL(blob);
        self.seekTo(self.pendingSeek);
        if (playing) self.start();
      })
      .catch(function () { /* stays as it was: plays, but cannot jump */ });
  };

  Player.prototype.playFrom = function (seconds, announce) {
    this.seekTo(seconds);
    this.resumeFollowing(false);
    this.start();
    this.update();
    if (announce) this.say(announce);
  };

  Player.prototype.skip = function (delta) {
    this.seekTo(this.audio.currentTime + delta);
    this.say(fill(this.labels.position, { time: spoken(this.audio.currentTime, this.labels),
      total: spoken(this.data.duration, this.labels) }));
  };

  /* The previous or next paragraph; "previous" first goes back to the start of this one. */
  Player.prototype.step = function (direction) {
    var cue = this.cues[this.current];
    var p = cue ? cue.para : -1;
    if (direction < 0 && cue && this.audio.currentTime - this.paragraphs[p].cues[0].start > 2) {
      direction = 0;
    }
    var target = this.paragraphs[Math.max(0, Math.min(p + direction, this.paragraphs.length - 1))];
    this.playFrom(target.cues[0].start, this.fromLabel(target.cues[0]));
  };

  Player.prototype.fromLabel = function (cue) {
    var text = cue.text.length > 60 ? cue.text.slice(0, 57) + "…" : cue.text;
    return fill(this.labels.playing_from, { text: text });
  };

  Player.prototype.setRate = function (rate) {
    this.audio.playbackRate = this.audio.defaultPlaybackRate = rate;
    this.speed.value = String(rate);
    store("rate", rate);
  };

  Player.prototype.seekKey = function (event) {
    var steps = { ArrowRight: 5, ArrowUp: 5, ArrowLeft: -5, ArrowDown: -5,
      PageUp: 60, PageDown: -60 };
    if (!(event.key in steps)) return;
    event.preventDefault();
    this.seekTo(this.audio.currentTime + steps[event.key]);
  };

  // ── following the text ─────────────────────────────────────────────────────

  Player.prototype.tick = function () {
    var self = this;
    this.update();
    if (!this.audio.paused) window.requestAnimationFrame(function () { self.tick(); });
  };

  /* The cue being read: the last one begun by now. */
  Player.prototype.cueAt = function (t) {
    var low = 0, high = this.cues.length - 1, found = -1;
    while (low <= high) {
      var mid = (low + high) >> 1;
      if (this.cues[mid].start <= t + 0.001) { found = mid; low = mid + 1; } else high = mid - 1;
    }
    return found;
  };

  Player.prototype.update = function () {
    var t = this.audio.currentTime;
    if (!this.dragging) this.seek.value = String(t);
    this.seek.setAttribute("aria-valuetext", fill(this.labels.position,
      { time: spoken(t, this.labels), total: spoken(this.data.duration, this.labels) }));
    this.time.textContent = clock(t) + " / " + clock(this.data.duration);
    var index = this.cueAt(t);
    if (index !== this.current) this.highlight(index);
    this.highlightWord(t);
    if (!this.audio.paused && Date.now() - (this.savedAt || 0) > 5000) this.remember();
  };

  Player.prototype.highlight = function (index) {
    var old = this.cues[this.current], cue = this.cues[index];
    this.current = index;
    if (old) {
      if (old.element) { old.element.classList.remove("listen-now"); old.element.removeAttribute("aria-current"); }
      this.paragraphs[old.para].elements.forEach(function (e) {
        e.classList.remove("listen-reading");
        e.removeAttribute("aria-current");
      });
    }
    if (this.highlights) this.highlights.sentence.clear();
    if (!cue) return;
    var target = cue.element || this.paragraphs[cue.para].elements[0];
    if (cue.element) {
      cue.element.classList.add("listen-now");
      cue.element.setAttribute("aria-current", "true");
    } else {
      this.paragraphs[cue.para].elements.forEach(function (e) {
        e.classList.add("listen-reading");
        e.setAttribute("aria-current", "true");
      });
      if (this.highlights && cue.ranges) {
        cue.ranges.forEach(function (r) { this.highlights.sentence.add(r); }, this);
      }
    }
    if (target) this.rove(target);
    if (target && this.follow && !this.audio.paused) this.bringIntoView(target);
  };

  Player.prototype.highlightWord = function (t) {
    if (!this.highlights) return;
    var cue = this.cues[this.current];
    var w = -1;
    if (cue && cue.wordRanges && t < cue.end) {
      for (var i = 0; i < cue.words.length && cue.words[i] <= t + 0.001; i++) w = i;
    }
    if (w === this.word && cue === this.wordCue) return;
    this.word = w;
    this.wordCue = cue;
    this.highlights.word.clear();
    if (w >= 0 && cue.wordRanges[w]) this.highlights.word.add(cue.wordRanges[w]);
  };

  /* One stop in the tab order among the sentences (or blocks): the one being read. */
  Player.prototype.rove = function (target) {
    if (this.targets.indexOf(target) < 0) return;
    var focused = this.targets.indexOf(document.activeElement) >= 0;
    this.targets.forEach(function (t) { t.tabIndex = t === target ? 0 : -1; });
    if (focused && document.activeElement !== target) target.focus({ preventScroll: true });
  };

  Player.prototype.bringIntoView = function (target) {
    var box = target.getBoundingClientRect();
    var high = window.innerHeight;
    if (box.top >= high * 0.15 && box.bottom <= high * 0.85) return;
    this.quietUntil = Date.now() + 1200;
    target.scrollIntoView({ block: "center", behavior: reducedMotion() ? "auto" : "smooth" });
  };

  Player.prototype.userScrolled = function () {
    if (!this.follow || this.current < 0) return;
    this.follow = false;
    this.backTo.hidden = false;
  };

  Player.prototype.resumeFollowing = function (jump) {
    this.follow = true;
    this.backTo.hidden = true;
    var cue = this.cues[this.current];
    var target = cue && (cue.element || this.paragraphs[cue.para].elements[0]);
    if (jump && target) {
      this.quietUntil = Date.now() + 1200;
      target.scrollIntoView({ block: "center", behavior: reducedMotion() ? "auto" : "smooth" });
      target.focus({ preventScroll: true });
    }
  };

  /* A click or tap plays from the sentence (or the paragraph), unless it was meant for
   * a link or control inside it, or ended a selection of text. */
  Player.prototype.clicked = function (event, cue) {
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed) return;
    if (event.target.closest("a,button,input,select,textarea,label,summary")) return;
    this.playFrom(cue.start, this.fromLabel(cue));
  };

  Player.prototype.playTarget = function (i) {
    var target = this.targets[i];
    var cue = this.sentenceMode ? this.cues[Number(target.getAttribute("data-listen-cue"))]
      : this.paragraphs.filter(function (p) { return p.elements[0] === target; })[0].cues[0];
    this.playFrom(cue.start, this.fromLabel(cue));
  };

  Player.prototype.targetKey = function (event, i) {
    var moves = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      this.playTarget(i);
    } else if (event.key in moves || event.key === "Home" || event.key === "End") {
      event.preventDefault();
      var last = this.targets.length - 1;
      var next = event.key === "Home" ? 0 : event.key === "End" ? last
        : Math.max(0, Math.min(last, i + moves[event.key]));
      this.targets.forEach(function (t, n) { t.tabIndex = n === next ? 0 : -1; });
      this.targets[next].focus();
    }
  };

  // ── state, memory and the lock screen ─────────────────────────────────────

  Player.prototype.showState = function () {
    var playing = !this.audio.paused;
    var started = this.audio.currentTime > 0.5 && !this.audio.ended;
    var L = this.labels;
    this.play.replaceChild(icon(playing ? "pause" : "play"), this.play.firstChild);
    this.playLabel.textContent = playing ? L.pause
      : (started ? L.resume : L.listen) + " · " + this.length;
    this.root.classList.toggle("listen-playing", playing);
    if (playing) this.root.classList.add("listen-started");
    if ("mediaSession" in navigator) {
      navigator.mediaSession.playbackState = playing ? "playing" : "paused";
    }
    this.mediaPosition();
  };

  Player.prototype.remember = function () {
    var key = "position:" + this.data.id;
    this.savedAt = Date.now();
    if (this.audio.ended) store(key, null);
    else if (this.audio.currentTime > 0) store(key, this.audio.currentTime.toFixed(2));
  };

  Player.prototype.restore = function () {
    var rate = Number(store("rate"));
    this.setRate(RATES.indexOf(rate) >= 0 ? rate : 1);
    var self = this, position = Number(store("position:" + this.data.id));
    if (position > 3 && position < this.data.duration - 5) {
      this.restored = true;
      this.seekTo(position);
      this.audio.addEventListener("seeked", function () { self.showState(); }, { once: true });
    }
    this.showState();
  };

  Player.prototype.say = function (text) {
    var status = this.status;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  };

  Player.prototype.mediaSession = function () {
    if (!("mediaSession" in navigator) || !window.MediaMetadata) return;
    var self = this, data = this.data, audio = this.audio;
    // The cover lies beside the MP3; a lock screen takes it only from a web address.
    var cover = new URL(data.cover, audio.currentSrc || audio.src || document.baseURI);
    navigator.mediaSession.metadata = new MediaMetadata({
      title: data.title, artist: data.author, album: data.site,
      artwork: /^https?:$/.test(cover.protocol)
        ? [{ src: cover.href, sizes: "512x512", type: "image/jpeg" }] : []
    });
    var actions = {
      play: function () { self.start(); },
      pause: function () { audio.pause(); },
      seekbackward: function (d) { self.skip(-(d.seekOffset || SKIP)); },
      seekforward: function (d) { self.skip(d.seekOffset || SKIP); },
      seekto: function (d) { self.seekTo(d.seekTime); },
      previoustrack: function () { self.step(-1); },
      nexttrack: function () { self.step(1); }
    };
    Object.keys(actions).forEach(function (name) {
      try { navigator.mediaSession.setActionHandler(name, actions[name]); } catch (e) { /* unsupported */ }
    });
  };

  Player.prototype.mediaPosition = function () {
    var session = navigator.mediaSession;
    if (!session || !session.setPositionState || !this.data.duration) return;
    try {
      session.setPositionState({ duration: this.data.duration,
        playbackRate: this.audio.playbackRate,
        position: Math.min(this.audio.currentTime, this.data.duration) });
    } catch (e) { /* a browser that rejects the state keeps the last one */ }
  };

  function start() {
    var root = document.querySelector("[data-listen-player]");
    if (root && !root.listenPlayer) root.listenPlayer = new Player(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
