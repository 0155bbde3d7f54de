// The query page's editor: SPARQL syntax highlighting behind a plain textarea, and
// Ctrl+Enter (Cmd+Enter) to run. The page works without this script; it only adds comfort.
(function () {
  "use strict";
  var textarea = document.getElementById("query");
  var target = document.getElementById("highlighted");
  var form = document.getElementById("query-form");
  if (!textarea || !target || !form) { return; }

  var KEYWORDS = /^(SELECT|CONSTRUCT|DESCRIBE|ASK|WHERE|FROM|NAMED|PREFIX|BASE|OPTIONAL|FILTER|UNION|MINUS|GRAPH|SERVICE|BIND|VALUES|AS|DISTINCT|REDUCED|ORDER|BY|ASC|DESC|LIMIT|OFFSET|GROUP|HAVING|NOT|EXISTS|IN|COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT|SEPARATOR|STR|LANG|LANGMATCHES|DATATYPE|BOUND|IRI|URI|BNODE|YEAR|MONTH|DAY|CONCAT|CONTAINS|STRSTARTS|STRENDS|REGEX|LCASE|UCASE|COALESCE|IF|ISIRI|ISURI|ISLITERAL|ISBLANK|A)$/i;
  // One alternation, tried left to right: comments, strings, IRIs, variables, prefixed names, words, numbers.
  var TOKEN = /(#[^\n]*)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$][A-Za-z_0-9]+)|([A-Za-z][\w-]*:[\w.-]*)|([A-Za-z_]+)|(\d+(?:\.\d+)?)/g;

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function span(kind, text) {
    return '<span class="tok-' + kind + '">' + escapeHtml(text) + "</span>";
  }

  function highlight(source) {
    var html = "", last = 0, match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(source)) !== null) {
      html += escapeHtml(source.slice(last, match.index));
      if (match[1]) { html += span("comment", match[1]); }
      else if (match[2]) { html += span("string", match[2]); }
      else if (match[3]) { html += span("iri", match[3]); }
      else if (match[4]) { html += span("variable", match[4]); }
      else if (match[5]) { html += span("prefixed", match[5]); }
      else if (match[6]) { html += KEYWORDS.test(match[6]) ? span("keyword", match[6]) : escapeHtml(match[6]); }
      else { html += span("number", match[7]); }
      last = TOKEN.lastIndex;
    }
    // A trailing newline keeps the overlay as tall as the textarea.
    return html + escapeHtml(source.slice(last)) + "\n";
  }

  function refresh() {
    target.innerHTML = highlight(textarea.value);
    target.parentNode.scrollTop = textarea.scrollTop;
    target.parentNode.scrollLeft = textarea.scrollLeft;
  }

  textarea.addEventListener("input", refresh);
  textarea.addEventListener("scroll", refresh);
  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
  document.documentElement.classList.add("js");
  refresh();
})();
