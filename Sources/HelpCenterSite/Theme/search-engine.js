// The help center's search engine in the browser: the same analyzer, scoring and snippets as the
// Swift engine (HelpCenterSearch), reading the index files that `helpcenter build` writes under
// search/ and downloading only the shards a query needs. No framework, no third-party code.
// Works as a classic script (window.HelpCenterSearch) and as a CommonJS module (for tests in Node).
(function (exports) {
  "use strict";

  // ---- Analyzer (Analyzer.swift) -------------------------------------------------------------

  const STOP_WORDS = new Set(["a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "i",
    "if", "in", "is", "it", "me", "my", "of", "on", "or", "our", "so", "that", "the", "this", "to", "was", "we", "what",
    "when", "where", "which", "who", "why", "will", "with", "you", "your", "can"]);
  const APOSTROPHES = new Set([0x2018, 0x2019, 0x201B, 0x02BC, 0x2032, 0x0060, 0x00B4]);
  const ZERO_WIDTH = new Set([0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD]);
  const MARK = /\p{Mn}/u;
  const COMBINING = /\p{M}/u;
  const ALPHA_OR_NUMBER = /[\p{Alphabetic}\p{N}]/u;
  const NUMBER = /\p{N}/u;
  /** The most terms the last word's prefix stands for (SearchIndex.maximumPrefixTerms). */
  const MAXIMUM_PREFIX_TERMS = 32;

  function foldNonASCII(run) {
    let out = "";
    for (const ch of run.normalize("NFKC").toLowerCase().normalize("NFD")) {
      const cp = ch.codePointAt(0);
      if (ZERO_WIDTH.has(cp)) continue;
      if (APOSTROPHES.has(cp)) { out += "'"; continue; }
      if (cp === 0xDF) { out += "ss"; continue; }
      if (MARK.test(ch)) continue;
      out += ch;
    }
    return out.normalize("NFC");
  }

  /** NFKC, lowercase, no diacritics, one apostrophe, no zero-width characters. */
  function fold(text) {
    let out = "", run = "";
    for (const ch of text) {
      const cp = ch.codePointAt(0);
      if (cp < 0x80) {
        if (run) { out += foldNonASCII(run); run = ""; }
        if (cp >= 0x41 && cp <= 0x5A) out += String.fromCharCode(cp + 32);
        else if (cp === 0x60) out += "'";
        else out += ch;
      } else {
        run += ch;
      }
    }
    if (run) out += foldNonASCII(run);
    return out;
  }

  function isCJK(cp) {
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x20000 && cp <= 0x2FA1F);
  }

  function isWordScalar(ch) {
    const cp = ch.codePointAt(0);
    if (cp < 0x80) return (cp >= 0x61 && cp <= 0x7A) || (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5A);
    return !isCJK(cp) && ALPHA_OR_NUMBER.test(ch);
  }

  function appendWord(word, position, tokens) {
    if (STOP_WORDS.has(word)) return;
    tokens.push({ term: stem(word), word, position, isCompound: false });
    const runs = [];
    let run = "", runIsDigit = null;
    for (const ch of word) {
      const cp = ch.codePointAt(0);
      const digit = cp < 0x80 ? cp >= 0x30 && cp <= 0x39 : NUMBER.test(ch);
      if (runIsDigit !== null && runIsDigit !== digit) { runs.push(run); run = ""; }
      run += ch;
      runIsDigit = digit;
    }
    runs.push(run);
    if (runs.length < 2) return;
    for (const part of runs) {
      if (!STOP_WORDS.has(part)) tokens.push({ term: stem(part), word: part, position, isCompound: false });
    }
  }

  /** The tokens of `text`, as Analyzer.tokens(_:) gives them. */
  function tokens(text) {
    const s = Array.from(fold(text));
    const result = [];
    let position = 0, i = 0;
    while (i < s.length) {
      const cp = s[i].codePointAt(0);
      if (isCJK(cp)) {
        const run = [];
        while (i < s.length && isCJK(s[i].codePointAt(0))) { run.push(s[i]); i++; }
        if (run.length === 1) { result.push({ term: run[0], word: run[0], position, isCompound: false }); position++; }
        for (let j = 0; j < run.length - 1; j++) {
          const term = run[j] + run[j + 1];
          result.push({ term, word: term, position, isCompound: false });
          position++;
        }
        continue;
      }
      if (!isWordScalar(s[i])) { i++; continue; }
      const words = [], separators = [];
      let current = "";
      while (i < s.length) {
        const c = s[i];
        if (isWordScalar(c)) { current += c; i++; }
        else if (c === "'" && current && i + 1 < s.length && isWordScalar(s[i + 1])) { i++; }
        else if ((c === "-" || c === "/" || c === "." || c === "_") && current && i + 1 < s.length && isWordScalar(s[i + 1])) {
          words.push(current); separators.push(c); current = ""; i++;
        } else break;
      }
      if (current) words.push(current);
      if (words.length > 1) {
        let whole = words[0];
        for (let k = 1; k < words.length; k++) whole += separators[k - 1] + words[k];
        result.push({ term: whole, word: whole, position, isCompound: true });
      }
      for (const w of words) appendWord(w, position, result);
      position++;
    }
    return result;
  }

  // ---- Snowball English (Porter2) stemmer (EnglishStemmer.swift) ------------------------------

  const EXCEPTIONS1 = { skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl", gently: "gentl",
    ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe", atlas: "atlas",
    cosmos: "cosmos", bias: "bias", andes: "andes" };
  const EXCEPTIONS2 = new Set(["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"]);
  const STEP2 = [["tional", "tion"], ["enci", "ence"], ["anci", "ance"], ["abli", "able"], ["entli", "ent"], ["izer", "ize"],
    ["ization", "ize"], ["ational", "ate"], ["ation", "ate"], ["ator", "ate"], ["alism", "al"], ["aliti", "al"], ["alli", "al"],
    ["fulness", "ful"], ["ousli", "ous"], ["ousness", "ous"], ["iveness", "ive"], ["iviti", "ive"], ["biliti", "ble"],
    ["bli", "ble"], ["ogi", "og"], ["fulli", "ful"], ["lessli", "less"], ["li", ""]];
  const STEP3 = [["tional", "tion"], ["ational", "ate"], ["alize", "al"], ["icate", "ic"], ["iciti", "ic"], ["ical", "ic"],
    ["ful", ""], ["ness", ""], ["ative", ""]];
  const STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous",
    "ive", "ize", "ion"];

  function isVowel(c) { return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y"; }

  function regionStart(w, from) {
    for (let i = from; i + 1 < w.length; i++) if (isVowel(w[i]) && !isVowel(w[i + 1])) return i + 2;
    return w.length;
  }

  const stems = new Map();

  /** Porter2 stem of a folded word (memoized). */
  function stem(word) {
    let result = stems.get(word);
    if (result === undefined) {
      result = porter2(word);
      if (stems.size > 50000) stems.clear();
      stems.set(word, result);
    }
    return result;
  }

  function porter2(word) {
    if (word.length <= 2 || !/^[a-z']+$/.test(word)) return word;
    if (Object.prototype.hasOwnProperty.call(EXCEPTIONS1, word)) return EXCEPTIONS1[word];
    let w = word[0] === "'" ? word.slice(1) : word;
    if (w.length <= 2) return word;
    w = w.split("").map((c, i, a) => (c === "y" && (i === 0 || isVowel(a[i - 1])) ? "Y" : c)).join("");
    let r1;
    const special = ["gener", "commun", "arsen"].find((p) => w.startsWith(p));
    r1 = special ? special.length : regionStart(w, 0);
    let r2 = regionStart(w, r1);
    const ends = (s) => w.endsWith(s);
    const longest = (list) => { let best = null; for (const s of list) if ((best === null || s.length > best.length) && ends(s)) best = s; return best; };
    const inR1 = (s) => w.length - s.length >= r1;
    const inR2 = (s) => w.length - s.length >= r2;
    const replace = (s, r) => { w = w.slice(0, w.length - s.length) + r; };
    const shortSyllableAt = (end) => {
      if (end === 2) return isVowel(w[0]) && !isVowel(w[1]);
      if (end < 3) return false;
      const c = w[end - 1];
      return !isVowel(w[end - 3]) && isVowel(w[end - 2]) && !isVowel(c) && c !== "w" && c !== "x" && c !== "Y";
    };
    const isShort = () => r1 >= w.length && shortSyllableAt(w.length);
    // Step 0
    let s0 = longest(["'", "'s", "'s'"]);
    if (s0) w = w.slice(0, w.length - s0.length);
    // Step 1a
    const s1a = longest(["sses", "ied", "ies", "us", "ss", "s"]);
    if (s1a === "sses") replace(s1a, "ss");
    else if (s1a === "ied" || s1a === "ies") replace(s1a, w.length - 3 > 1 ? "i" : "ie");
    else if (s1a === "s" && w.length >= 2 && /[aeiouy]/.test(w.slice(0, w.length - 2))) w = w.slice(0, -1);
    if (EXCEPTIONS2.has(w)) return w;
    // Step 1b
    const s1b = longest(["eed", "eedly", "ed", "edly", "ing", "ingly"]);
    if (s1b === "eed" || s1b === "eedly") {
      if (inR1(s1b)) replace(s1b, "ee");
    } else if (s1b && /[aeiouy]/.test(w.slice(0, w.length - s1b.length))) {
      w = w.slice(0, w.length - s1b.length);
      if (ends("at") || ends("bl") || ends("iz")) w += "e";
      else if (w.length >= 2 && w[w.length - 1] === w[w.length - 2] && "bdfgmnprt".includes(w[w.length - 1])) w = w.slice(0, -1);
      else if (isShort()) w += "e";
    }
    // Step 1c
    if (w.length > 2 && (ends("y") || ends("Y")) && !isVowel(w[w.length - 2])) w = w.slice(0, -1) + "i";
    // Step 2
    const s2 = longest(STEP2.map((r) => r[0]));
    if (s2 && inR1(s2)) {
      const before = w.length > s2.length ? w[w.length - s2.length - 1] : "";
      const rep = STEP2.find((r) => r[0] === s2)[1];
      if (s2 === "ogi") { if (before === "l") replace(s2, rep); }
      else if (s2 === "li") { if (before && "cdeghkmnrt".includes(before)) replace(s2, rep); }
      else replace(s2, rep);
    }
    // Step 3
    const s3 = longest(STEP3.map((r) => r[0]));
    if (s3 && inR1(s3) && !(s3 === "ative" && !inR2(s3))) replace(s3, STEP3.find((r) => r[0] === s3)[1]);
    // Step 4
    const s4 = longest(STEP4);
    if (s4 && inR2(s4)) {
      const before = w.length > 3 ? w[w.length - 4] : "";
      if (s4 !== "ion" || before === "s" || before === "t") w = w.slice(0, w.length - s4.length);
    }
    // Step 5
    if (ends("e")) {
      if (inR2("e") || (inR1("e") && !shortSyllableAt(w.length - 1))) w = w.slice(0, -1);
    } else if (ends("l") && inR2("l") && w.length >= 2 && w[w.length - 2] === "l") {
      w = w.slice(0, -1);
    }
    return w.replace(/Y/g, "y");
  }

  // ---- Edit distance (EditDistance.swift) -----------------------------------------------------

  function withinDistance(a, b, limit) {
    const x = Array.from(a), y = Array.from(b);
    if (Math.abs(x.length - y.length) > limit) return false;
    if (!x.length || !y.length) return Math.max(x.length, y.length) <= limit;
    let prev2 = new Array(y.length + 1).fill(limit + 1);
    let prev = Array.from({ length: y.length + 1 }, (_, j) => Math.min(j, limit + 1));
    let cur = new Array(y.length + 1).fill(limit + 1);
    for (let i = 1; i <= x.length; i++) {
      cur.fill(limit + 1);
      cur[0] = Math.min(i, limit + 1);
      let rowMin = cur[0];
      for (let j = Math.max(1, i - limit); j <= Math.min(y.length, i + limit); j++) {
        const cost = x[i - 1] === y[j - 1] ? 0 : 1;
        let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur[j] = Math.min(v, limit + 1);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > limit) return false;
      [prev2, prev, cur] = [prev, cur, prev2];
    }
    return prev[y.length] <= limit;
  }

  // ---- Index files (SearchIndex+Files.swift) --------------------------------------------------

  function shardKey(key, characters) {
    const encoder = new TextEncoder();
    let hex = "";
    for (const ch of Array.from(key).slice(0, characters)) {
      for (const byte of encoder.encode(ch)) hex += byte.toString(16).padStart(2, "0");
    }
    return hex;
  }

  function decodePostings(encoded) {
    const binary = atob(encoded);
    const postings = [];
    let index = 0, document = 0;
    const varint = () => {
      let value = 0, multiplier = 1;
      for (;;) {
        const byte = binary.charCodeAt(index++);
        value += (byte & 0x7F) * multiplier;
        if (byte < 0x80) return value;
        multiplier *= 128;
      }
    };
    while (index < binary.length) {
      document += varint();
      const score = varint();
      const sections = varint();
      postings.push({ document, score, sections });
    }
    return postings;
  }

  // ---- Highlighting and snippets (Highlighter.swift) ------------------------------------------

  const SNIPPET_WORDS = 28;

  function escapeHTML(text) {
    return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  }

  function pieces(text) {
    const s = Array.from(text);
    const out = [];
    let current = "", inWord = false;
    const wordScalar = (ch) => {
      const cp = ch.codePointAt(0);
      return cp < 0x80 ? (cp >= 0x61 && cp <= 0x7A) || (cp >= 0x41 && cp <= 0x5A) || (cp >= 0x30 && cp <= 0x39) : ALPHA_OR_NUMBER.test(ch);
    };
    s.forEach((ch, index) => {
      const joiner = "-'\u2019/._".includes(ch) && inWord && index + 1 < s.length && wordScalar(s[index + 1]);
      // A combining mark continues its word (text in decomposed form, NFD, is highlighted like NFC).
      const isWord = wordScalar(ch) || joiner || (inWord && COMBINING.test(ch));
      if (isWord !== inWord && current) { out.push({ text: current, isWord: inWord }); current = ""; }
      inWord = isWord;
      current += ch;
    });
    if (current) out.push({ text: current, isWord: inWord });
    return out;
  }

  function makeHighlighter(terms) {
    const memo = new Map(); // matching tokens per word: each distinct word is analyzed once per query
    const matches = (word) => {
      let count = memo.get(word);
      if (count === undefined) { count = tokens(word).filter((t) => terms.has(t.term)).length; memo.set(word, count); }
      return count;
    };
    const isMatch = (word) => matches(word) > 0;
    return {
      count(text) { return pieces(text).reduce((n, piece) => n + (piece.isWord ? matches(piece.text) : 0), 0); },
      snippet(text) {
        const p = pieces(text);
        const wordIndices = [];
        p.forEach((piece, i) => { if (piece.isWord) wordIndices.push(i); });
        if (!wordIndices.length) return escapeHTML(text);
        const matches = wordIndices.filter((i) => isMatch(p[i].text));
        const firstMatch = matches.length ? wordIndices.indexOf(matches[0]) : 0;
        const startWord = Math.max(0, Math.min(firstMatch - 6, wordIndices.length - SNIPPET_WORDS));
        const endWord = Math.min(wordIndices.length, startWord + SNIPPET_WORDS);
        const from = startWord === 0 ? 0 : wordIndices[startWord];
        const to = endWord === wordIndices.length ? p.length : wordIndices[endWord];
        let out = startWord > 0 ? "\u2026 " : "";
        for (const piece of p.slice(from, to)) {
          const escaped = escapeHTML(piece.text.replace(/\n/g, " "));
          out += piece.isWord && isMatch(piece.text) ? "<mark>" + escaped + "</mark>" : escaped;
        }
        if (to < p.length) out += " \u2026";
        return out;
      },
    };
  }

  // ---- Queries (SearchIndex+Query.swift) ------------------------------------------------------

  function queryGroups(query) {
    const groups = [];
    for (const word of fold(query).split(/\s+/u).filter(Boolean)) {
      const list = tokens(word);
      if (!list.length) {
        const bare = Array.from(word).filter((ch) => ALPHA_OR_NUMBER.test(ch)).join("");
        if (bare) groups.push({ terms: [bare], word: bare, parts: [], isStopWord: true });
        continue;
      }
      const byPosition = new Map();
      for (const t of list) {
        if (!byPosition.has(t.position)) byPosition.set(t.position, []);
        byPosition.get(t.position).push(t);
      }
      for (const position of [...byPosition.keys()].sort((a, b) => a - b)) {
        const group = byPosition.get(position);
        const main = group[0];
        groups.push({ terms: [main.term], word: main.word, parts: main.isCompound ? group.slice(1).map((t) => t.term) : [], isStopWord: false });
      }
    }
    return groups;
  }

  const SECTION_BITS = (1 << 30) - 1;

  // A match: score, section bits (bit 31: a matched term is in the title), title word groups.
  function intersect(a, b) {
    const result = new Map();
    const [small, large] = a.size <= b.size ? [a, b] : [b, a];
    for (const [document, match] of small) {
      const other = large.get(document);
      if (other) result.set(document, { score: match.score + other.score, sections: (match.sections | other.sections) >>> 0, titleGroups: match.titleGroups + other.titleGroups });
    }
    return result;
  }

  /**
   * An engine over a site's search/ folder. `load(path)` returns a Promise of the parsed JSON of
   * `search/<path>` (gunzipped when the path ends in .gz).
   */
  function createEngine(load) {
    const cache = new Map();
    const get = (path) => { if (!cache.has(path)) cache.set(path, load(path)); return cache.get(path); };
    let manifest = null;

    async function wordShard(word) {
      const key = shardKey(word, 1);
      return manifest.wordShards.includes(key) ? get("words/" + key + ".json.gz") : {};
    }
    async function postingShard(term) {
      const key = shardKey(term, 2);
      return manifest.postingShards.includes(key) ? get("postings/" + key + ".json.gz") : {};
    }
    const decoded = new Map();
    async function postingsOf(term) {
      if (decoded.has(term)) return decoded.get(term);
      const shard = await postingShard(term);
      const postings = Object.prototype.hasOwnProperty.call(shard, term) ? decodePostings(shard[term]) : null;
      decoded.set(term, postings);
      return postings;
    }

    async function expansions(term, word, prefix, typo) {
      const result = new Map();
      if (await postingsOf(term)) result.set(term, 1);
      const words = Array.from(word).length >= 2 ? await wordShard(word) : {};
      if (prefix && Array.from(word).length >= 2) {
        // The shortest words that start with the prefix, compounds only for a prefix with a joiner
        // (MAXIMUM_PREFIX_TERMS terms at most), as SearchIndex.expansions does.
        const compounds = /[-/._]/.test(word);
        const candidates = Object.entries(words)
          .filter(([candidate, stemmed]) => stemmed !== term && candidate.startsWith(word) && (compounds || !/[-/._]/.test(candidate)))
          .map(([candidate, stemmed]) => ({ length: Array.from(candidate).length, word: candidate, term: stemmed }))
          .sort((a, b) => a.length - b.length || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
        for (const candidate of candidates) {
          if (result.size - (result.has(term) ? 1 : 0) >= MAXIMUM_PREFIX_TERMS) break;
          if (!result.has(candidate.term) && (await postingsOf(candidate.term))) result.set(candidate.term, 0.9);
        }
      }
      const length = Array.from(word).length;
      if (!result.size && typo && length >= 4) {
        const distance = length >= 8 ? 2 : 1;
        const first = Array.from(word)[0];
        for (const [candidate, stemmed] of Object.entries(words)) {
          if (Array.from(candidate)[0] === first && Math.abs(Array.from(candidate).length - length) <= distance && withinDistance(word, candidate, distance)) {
            result.set(stemmed, Math.max(result.get(stemmed) || 0, 0.5));
          }
        }
      }
      return result;
    }

    async function collect(terms) {
      const documents = new Map();
      for (const term of [...terms.keys()].sort()) {
        const factor = terms.get(term);
        for (const posting of (await postingsOf(term)) || []) {
          const score = Math.trunc(posting.score * factor);
          const inTitle = posting.sections >>> 31;
          const existing = documents.get(posting.document) || { score: 0, sections: 0, titleGroups: 0 };
          documents.set(posting.document, { score: Math.max(existing.score, score), sections: (existing.sections | posting.sections) >>> 0, titleGroups: Math.max(existing.titleGroups, inTitle) });
        }
      }
      return documents;
    }

    function categoryIndex(name) {
      const wanted = name.toLowerCase();
      return manifest.categories.findIndex((c) => c.title.toLowerCase() === wanted || c.url.split("/").filter(Boolean).pop().toLowerCase() === wanted);
    }

    async function result(number, score, sectionMask, highlighter, subResults) {
      const document = await get("docs/" + number + ".json.gz");
      const sections = document.sections;
      const matching = sections.map((_, i) => i).filter((i) => (sectionMask & (1 << i)) >>> 0 !== 0);
      const scored = matching.map((i) => ({ section: i, matches: highlighter.count(sections[i].heading + " " + sections[i].text) }))
        .sort((a, b) => (a.matches !== b.matches ? b.matches - a.matches : a.section - b.section));
      const titleMatches = highlighter.count(document.title) > 0;
      let url = document.url;
      let snippetText = document.summary ? document.summary : (sections[0] ? sections[0].text : "");
      if (scored.length) {
        const section = sections[scored[0].section];
        snippetText = section.text ? section.text : section.heading;
        if (!titleMatches && section.anchor) url += "#" + section.anchor;
      }
      const subs = scored.filter((e) => sections[e.section].anchor).slice(0, subResults).map((e) => {
        const section = sections[e.section];
        return { heading: section.heading, url: document.url + "#" + section.anchor, snippet: highlighter.snippet(section.text ? section.text : section.heading) };
      });
      return { title: document.title, url, categories: document.categories, snippet: highlighter.snippet(snippetText), score: score / 1000, subResults: subs };
    }

    return {
      async ready() { if (!manifest) manifest = await get("index.json"); return manifest; },

      /** Starts downloading the shards the words of `query` will need, without waiting for them. */
      async prefetch(query) {
        await this.ready();
        for (const group of queryGroups(query)) {
          wordShard(group.word).catch(() => {});
          for (const term of group.terms.concat(group.parts)) postingShard(term).catch(() => {});
        }
      },

      /** Runs a query; the response has the shape of SearchResponse (Swift). */
      async search(query, options = {}) {
        await this.ready();
        const limit = Math.max(1, Math.min(100, options.limit || 10));
        const subResults = options.subResults === undefined ? 3 : options.subResults;
        const groups = queryGroups(query);
        const matches = [];
        const matchedTerms = new Set();
        for (let index = 0; index < groups.length; index++) {
          const group = groups[index];
          const isLast = index === groups.length - 1;
          const documents = new Map();
          const alternatives = [group.terms].concat(group.parts.length > 1 ? [group.parts] : []);
          for (const terms of alternatives) {
            let combined = null;
            for (let position = 0; position < terms.length; position++) {
              const term = terms[position];
              const expanded = await expansions(term, position === 0 ? group.word : term, isLast && position === 0, true);
              for (const t of expanded.keys()) matchedTerms.add(t);
              const found = await collect(expanded);
              combined = combined ? intersect(combined, found) : found;
            }
            for (const [document, match] of combined || new Map()) {
              const existing = documents.get(document);
              if (!existing || existing.score < match.score) documents.set(document, { score: match.score, sections: match.sections, titleGroups: Math.min(1, match.titleGroups) });
            }
          }
          if (!group.isStopWord || documents.size) matches.push(documents);
        }
        let matchedAnyTerm = false;
        let combined = matches[0] || new Map();
        for (const next of matches.slice(1)) combined = intersect(combined, next);
        if (!combined.size && matches.length > 1) {
          matchedAnyTerm = true;
          combined = new Map();
          for (const next of matches) {
            for (const [document, match] of next) {
              const existing = combined.get(document) || { score: 0, sections: 0, titleGroups: 0 };
              combined.set(document, { score: existing.score + match.score, sections: (existing.sections | match.sections) >>> 0, titleGroups: 0 });
            }
          }
        } else {
          // An article whose title is exactly the query's words ranks a quarter higher.
          for (const [document, match] of combined) {
            if (match.titleGroups === matches.length && manifest.titleWords[document] === matches.length) match.score += Math.trunc(match.score / 4);
          }
        }
        const counts = manifest.categories.map(() => 0);
        for (const document of combined.keys()) {
          const category = manifest.documentCategory[document];
          if (category >= 0) counts[category]++;
        }
        const filter = options.category ? categoryIndex(options.category) : -1;
        const ranked = [...combined.entries()]
          .filter(([document]) => filter < 0 || manifest.documentCategory[document] === filter)
          .sort((a, b) => (a[1].score !== b[1].score ? b[1].score - a[1].score : a[0] - b[0]));
        const highlighter = makeHighlighter(matchedTerms);
        const results = await Promise.all(ranked.slice(0, limit).map(([document, match]) => result(document, match.score, (match.sections & SECTION_BITS) >>> 0, highlighter, subResults)));
        const categories = manifest.categories.map((c, i) => ({ title: c.title, url: c.url, count: counts[i] })).filter((c) => c.count > 0);
        return { query, total: ranked.length, categories, matchedAnyTerm, results };
      },
    };
  }

  exports.fold = fold;
  exports.tokens = tokens;
  exports.stem = stem;
  exports.createEngine = createEngine;
})(typeof module === "object" && module.exports ? module.exports : (window.HelpCenterSearch = {}));
