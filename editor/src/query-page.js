// The query page's editor and answer, as progressive enhancement over the server's form.
//
// Without this script the page is a textarea and a GET form; the server renders the answer
// (table, charts, errors). With it: CodeMirror 6 with SPARQL highlighting, completion of
// prefixes, classes, properties and entities from this graph's own endpoints (/query/terms,
// /query/entities), syntax errors marked as you type (sparqljs, with the page's predefined
// prefixes), the server's error marked where it says, Run without leaving the page (it fetches
// the same server-rendered answer and puts it in place, with a running clock), sortable
// tables, switchable result views and a history kept in this browser.
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
import { EditorState, Prec } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { linter, lintGutter, forceLinting } from "@codemirror/lint";
import { Parser } from "sparqljs";

const HISTORY_KEY = "rograph.query-history";
const HISTORY_SIZE = 30;

function start() {
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query");
  const settingsElement = document.getElementById("editor-settings");
  if (!form || !textarea || !settingsElement) return;
  const settings = JSON.parse(settingsElement.textContent);
  const text = settings.text;
  const runButton = document.getElementById("run");
  const running = document.getElementById("running");

  // ---------------------------------------------------------------- syntax checking
  const parser = new Parser({ prefixes: settings.prefixes, sparqlStar: true });
  // The server's word on the query it last ran, shown while the text is unchanged.
  let serverProblem = null;

  function range(doc, line, column, length) {
    const number = Math.min(Math.max(line, 1), doc.lines);
    const at = doc.line(number);
    let from = Math.min(at.from + Math.max(column, 0), at.to);
    let to = Math.min(from + Math.max(length, 1), doc.length);
    if (from >= doc.length) from = Math.max(0, doc.length - 1);
    if (to <= from) to = Math.min(from + 1, doc.length);
    return { from, to };
  }

  function parserDiagnostic(doc, error) {
    const loc = error.hash && error.hash.loc;
    const expected = error.hash && error.hash.expected ? error.hash.expected.map((e) => e.replace(/'/g, "")).slice(0, 8) : [];
    const found = error.hash && error.hash.token ? String(error.hash.token) : "";
    let message = error.message.split("\n")[0];
    if (expected.length) message = (found === "EOF" ? "The query ends here; expected " : `Unexpected ${found}; expected `) + expected.join(", ");
    if (!loc) return { ...range(doc, 1, 0, doc.length), severity: "error", message, source: "sparqljs" };
    const where = range(doc, loc.first_line, loc.first_column, loc.last_line === loc.first_line ? loc.last_column - loc.first_column : 1);
    return { ...where, severity: "error", message, source: "sparqljs" };
  }

  function check(view) {
    const doc = view.state.doc;
    const found = [];
    const source = doc.toString();
    if (source.trim()) {
      try {
        parser.parse(source);
      } catch (error) {
        found.push(parserDiagnostic(doc, error));
      }
    }
    if (serverProblem && serverProblem.source === source) {
      found.push({ ...range(doc, serverProblem.line, serverProblem.column - 1, 1), severity: "error", message: serverProblem.message, source: "server" });
    }
    return found;
  }

  // ---------------------------------------------------------------- completion
  let termsPromise = null;
  function terms() {
    if (!termsPromise) {
      termsPromise = fetch(settings.terms).then((r) => (r.ok ? r.json() : { classes: [], properties: [] })).catch(() => ({ classes: [], properties: [] }));
    }
    return termsPromise;
  }

  async function entities(search) {
    const url = `${settings.entities}?${new URLSearchParams({ search, lang: settings.lang })}`;
    try {
      const response = await fetch(url);
      return response.ok ? (await response.json()).entities : [];
    } catch (error) {
      return [];
    }
  }

  const KEYWORDS = new Set(["a", "select", "where", "filter", "optional", "union", "minus", "graph", "bind", "values", "as", "distinct", "prefix", "construct", "describe", "ask", "order", "by", "group", "limit", "offset", "not", "exists", "in", "service"]);

  function insideLiteralOrComment(before) {
    const quotes = (before.match(/"/g) || []).length + (before.match(/'/g) || []).length;
    return quotes % 2 === 1 || before.includes("#") || before.lastIndexOf("<") > before.lastIndexOf(">");
  }

  function localName(name) {
    return name.includes(":") ? name.slice(name.indexOf(":") + 1) : name;
  }

  async function complete(context) {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const token = /[?$]?[\p{L}\p{N}_\-:]*$/u.exec(before)[0];
    if (insideLiteralOrComment(before.slice(0, before.length - token.length))) return null;
    const from = context.pos - token.length;

    if (token.startsWith("?") || token.startsWith("$")) {
      const seen = new Set(context.state.doc.toString().match(/[?$][\p{L}\p{N}_]+/gu) || []);
      seen.delete(token);
      return { from, options: [...seen].map((v) => ({ label: v, type: "variable" })) };
    }
    if (/\bPREFIX\s+$/i.test(before.slice(0, before.length - token.length))) {
      return {
        from,
        filter: false,
        options: Object.entries(settings.prefixes)
          .filter(([p]) => p.startsWith(token.replace(/:$/, "")))
          .map(([p, ns]) => ({ label: `${p}:`, detail: ns, type: "namespace", apply: `${p}: <${ns}>` })),
      };
    }
    // A label of several words ("Valgas pils"), after the last variable, IRI, name or keyword.
    const phraseMatch = /(?<![\p{L}\p{N}?$:_\-])((?:[\p{L}][\p{L}\p{N}\-]*[ ]+)+[\p{L}][\p{L}\p{N}\-]*)$/u.exec(before);
    let phrase = null;
    if (phraseMatch) {
      const words = phraseMatch[1].split(/ +/);
      while (words.length && KEYWORDS.has(words[0].toLowerCase())) words.shift();
      if (words.length > 1) phrase = words.join(" ");
    }
    if (!phrase && token.length < 2 && !context.explicit) return null;

    const vocabulary = await terms();
    const options = [];
    const wanted = (phrase || token).toLowerCase();
    const afterA = /\sa\s+$/.test(before.slice(0, before.length - token.length));
    const start = phrase ? context.pos - phrase.length : from;
    const kinds = [["classes", "class", afterA ? 20 : 0], ["properties", "property", afterA ? -20 : 0]];
    for (const [list, type, boost] of kinds) {
      for (const term of vocabulary[list] || []) {
        const name = term.name.toLowerCase();
        const matches = wanted.includes(":") ? name.startsWith(wanted)
          : term.label.toLowerCase().includes(wanted) || localName(name).startsWith(wanted);
        if (matches) options.push({ label: term.name, detail: term.label === term.name ? "" : term.label, type, boost });
      }
    }
    if (!phrase && !token.includes(":")) {
      for (const [p, ns] of Object.entries(settings.prefixes)) {
        if (p.startsWith(wanted)) options.push({ label: `${p}:`, detail: ns, type: "namespace", boost: 10 });
      }
    }
    if (!wanted.includes(":") && wanted.length >= 2) {
      for (const entity of await entities(phrase || token)) {
        options.push({ label: entity.label, detail: entity.type, type: "constant", apply: entity.name, info: entity.iri, boost: -10 });
      }
    }
    if (context.aborted) return null;
    return { from: start, options: options.slice(0, 60), filter: false };
  }

  // ---------------------------------------------------------------- the editor
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => { submit(); return true; } }])),
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        bracketMatching(),
        closeBrackets(),
        StreamLanguage.define(sparql),
        syntaxHighlighting(defaultHighlightStyle),
        autocompletion({ override: [complete], activateOnTyping: true, icons: false }),
        linter(check, { delay: 300 }),
        lintGutter(),
        EditorView.lineWrapping,
        EditorView.cspNonce.of(settings.nonce),
        keymap.of([...closeBracketsKeymap, ...completionKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ "aria-label": "SPARQL" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) textarea.value = update.state.doc.toString();
        }),
      ],
    }),
  });
  textarea.hidden = true;
  textarea.parentNode.insertBefore(view.dom, textarea);
  document.documentElement.classList.add("js");

  function setQuery(query) {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: query } });
    view.focus();
  }

  // ---------------------------------------------------------------- history
  const historyBox = document.getElementById("history-box");
  const historyList = document.getElementById("history");

  function loadHistory() {
    try {
      const stored = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
      return Array.isArray(stored) ? stored.filter((q) => typeof q === "string") : [];
    } catch (error) {
      return [];
    }
  }

  function remember(query) {
    const kept = [query, ...loadHistory().filter((q) => q !== query)].slice(0, HISTORY_SIZE);
    try { localStorage.setItem(HISTORY_KEY, JSON.stringify(kept)); } catch (error) { /* storage full or off */ }
    showHistory();
  }

  function showHistory() {
    if (!historyBox || !historyList) return;
    const queries = loadHistory();
    historyList.replaceChildren(...queries.map((query) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "quiet history-entry";
      const oneLine = query.replace(/\s+/g, " ").trim();
      button.textContent = oneLine.length > 90 ? `${oneLine.slice(0, 89)}…` : oneLine;
      button.title = query;
      button.addEventListener("click", () => setQuery(query));
      item.append(button);
      return item;
    }));
    historyBox.hidden = queries.length === 0;
  }

  const clear = document.getElementById("clear-history");
  if (clear) clear.addEventListener("click", () => { localStorage.removeItem(HISTORY_KEY); showHistory(); });

  // ---------------------------------------------------------------- the answer
  function sortable(table) {
    const headers = [...table.querySelectorAll("thead th")];
    headers.forEach((th, index) => {
      th.tabIndex = 0;
      th.classList.add("sortable");
      const sort = () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach((other) => other.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const key = (row) => {
          const cell = row.cells[index];
          return cell ? (cell.dataset.sort ?? cell.textContent.trim()) : "";
        };
        const rows = [...body.rows];
        const numeric = rows.every((row) => key(row) === "" || !Number.isNaN(Number(key(row))));
        rows.sort((a, b) => {
          const x = key(a), y = key(b);
          const order = numeric ? Number(x) - Number(y) : x.localeCompare(y, settings.lang);
          return ascending ? order : -order;
        });
        body.append(...rows);
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", (event) => { if (event.key === "Enter") sort(); });
    });
  }

  function views(answer) {
    const buttons = [...answer.querySelectorAll("[data-view]")];
    if (!buttons.length) return;
    answer.querySelector(".views").hidden = false;
    const show = (kind) => {
      buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.view === kind)));
      answer.querySelectorAll("[data-panel]").forEach((panel) => { panel.hidden = panel.dataset.panel !== kind; });
    };
    buttons.forEach((b) => b.addEventListener("click", () => show(b.dataset.view)));
    show("table");
  }

  function markServerProblem(answer) {
    const line = Number(answer.dataset.errorLine), column = Number(answer.dataset.errorColumn);
    const alert = answer.querySelector("[role=alert] p");
    serverProblem = line && column ? { source: view.state.doc.toString(), line, column, message: alert ? alert.textContent.trim() : "" } : null;
    forceLinting(view);
  }

  function settle(answer, scroll) {
    answer.querySelectorAll("table.results").forEach(sortable);
    views(answer);
    markServerProblem(answer);
    if (scroll) {
      // Bring the answer's first lines into view, scrolling no further than needed.
      const first = (answer.querySelector(".answer-summary, [role=alert]") || answer).getBoundingClientRect();
      if (first.top < 0 || first.bottom > window.innerHeight - 60) answer.scrollIntoView({ block: "start" });
    }
  }

  function place(answer) {
    const old = document.getElementById("answer");
    if (old) old.replaceWith(answer);
    else form.after(answer);
    settle(answer, true);
  }

  function unreachable(status) {
    const section = document.createElement("section");
    section.className = "answer";
    section.id = "answer";
    section.tabIndex = -1;
    const alert = document.createElement("div");
    alert.className = "error";
    alert.setAttribute("role", "alert");
    const p = document.createElement("p");
    p.textContent = text.editor_unreachable.replace("{status}", status);
    alert.append(p);
    section.append(alert);
    return section;
  }

  let ticking = null;
  async function submit() {
    textarea.value = view.state.doc.toString();
    const query = textarea.value;
    if (!query.trim()) return;
    const address = `${form.action.split("#")[0]}?${new URLSearchParams(new FormData(form))}`;
    const started = performance.now();
    running.hidden = false;
    const tick = () => { running.textContent = `${text.editor_running} ${((performance.now() - started) / 1000).toFixed(1)} s`; };
    tick();
    clearInterval(ticking);
    ticking = setInterval(tick, 100);
    runButton.disabled = true;
    remember(query);
    try {
      const response = await fetch(address, { headers: { Accept: "text/html" } });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const answer = page.getElementById("answer");
      place(answer ? document.importNode(answer, true) : unreachable(response.status));
      window.history.pushState({ query }, "", address);
    } catch (error) {
      place(unreachable(error.message));
    } finally {
      clearInterval(ticking);
      running.hidden = true;
      runButton.disabled = false;
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
  window.addEventListener("popstate", () => window.location.reload());

  showHistory();
  const existing = document.getElementById("answer");
  if (existing) settle(existing, false);
}

start();
