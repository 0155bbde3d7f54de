"""The pages' own words in the three languages a reader can choose (``?lang=``)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "home": "Home", "query": "Query", "ontology": "Ontology", "dataset": "Dataset", "shapes": "Shapes",
        "tagline": "A knowledge graph of the actors in Roma integration, with the source of every fact.",
        "what": "What the graph holds", "sources": "Sources", "how_to_query": "How to query it",
        "downloads": "Downloads", "licence": "Licence", "types": "Types", "statements": "Statements",
        "incoming": "Linked from", "neighbourhood": "Neighbourhood", "page": "Page", "of": "of",
        "previous": "previous", "next": "next", "not_found": "Nothing is known about this IRI",
        "not_found_text": "The graph has no statement about it and none pointing to it.",
        "other_formats": "This page as data", "run": "Run", "examples": "Example queries",
        "results": "Results", "download": "Download", "permalink": "Permalink", "rows": "rows",
        "error": "Error", "entities": "entities", "quads": "statements", "graphs": "named graphs",
        "built": "built", "classes": "Classes", "object_properties": "Relations",
        "datatype_properties": "Attributes", "concept_schemes": "Concept schemes", "subclass_of": "subclass of",
        "subclasses": "subclasses", "required": "What a curator must provide", "definition": "definition",
        "all_members": "All members", "shift_enter": "Ctrl+Enter runs the query.", "open": "Open in the editor",
        "timeout_note": "Queries stop after {seconds} seconds.", "cardinality": "how many", "path": "property",
        "expects": "value", "message": "message", "truncated": "Showing the first {n} rows; download for all.",
        # The query page's answer, views and editor.
        "row": "row", "view_table": "Table", "view_bar": "Bar chart", "view_timeline": "Timeline",
        "download_svg": "Download SVG", "history": "Your recent queries", "syntax_error": "Syntax error",
        "timed_out": "The query ran longer than this server's limit of {seconds} seconds and was stopped. Your query is "
                     "still in the editor: narrow it (more specific patterns, a LIMIT such as LIMIT 100), or download the "
                     "dump and run it on your own copy of the data.",
        "dump_link": "Downloads of the whole dataset",
        "editor_running": "Running…", "editor_unreachable": "The server did not answer ({status}). Your query is still in the editor; try again, or add a LIMIT.",
        "editor_clear_history": "Clear history",
    },
    "lv": {
        "home": "Sākums", "query": "Vaicājums", "ontology": "Ontoloģija", "dataset": "Datu kopa", "shapes": "Formas",
        "tagline": "Zināšanu grafs par romu integrācijas dalībniekiem, ar katra fakta avotu.",
        "what": "Kas ir grafā", "sources": "Avoti", "how_to_query": "Kā to vaicāt",
        "downloads": "Lejupielādes", "licence": "Licence", "types": "Tipi", "statements": "Apgalvojumi",
        "incoming": "Saites no", "neighbourhood": "Apkārtne", "page": "Lapa", "of": "no",
        "previous": "iepriekšējā", "next": "nākamā", "not_found": "Par šo IRI nekas nav zināms",
        "not_found_text": "Grafā nav neviena apgalvojuma par to un nevienas saites uz to.",
        "other_formats": "Šī lapa kā dati", "run": "Izpildīt", "examples": "Vaicājumu piemēri",
        "results": "Rezultāti", "download": "Lejupielādēt", "permalink": "Pastāvīgā saite", "rows": "rindas",
        "error": "Kļūda", "entities": "vienības", "quads": "apgalvojumi", "graphs": "nosaukti grafi",
        "built": "izveidots", "classes": "Klases", "object_properties": "Saistības",
        "datatype_properties": "Atribūti", "concept_schemes": "Jēdzienu klasifikācijas", "subclass_of": "apakšklase no",
        "subclasses": "apakšklases", "required": "Kas kuratoram jānorāda", "definition": "definīcija",
        "all_members": "Visi elementi", "shift_enter": "Ctrl+Enter izpilda vaicājumu.", "open": "Atvērt redaktorā",
        "timeout_note": "Vaicājumi tiek apturēti pēc {seconds} sekundēm.", "cardinality": "cik", "path": "īpašība",
        "expects": "vērtība", "message": "ziņojums", "truncated": "Rādītas pirmās {n} rindas; lejupielādējiet visas.",
        # The query page's answer, views and editor.
        "row": "rinda", "view_table": "Tabula", "view_bar": "Stabiņu diagramma", "view_timeline": "Laika ass",
        "download_svg": "Lejupielādēt SVG", "history": "Jūsu nesenie vaicājumi", "syntax_error": "Sintakses kļūda",
        "timed_out": "Vaicājums izpildījās ilgāk par šī servera ierobežojumu ({seconds} sekundes) un tika apturēts. "
                     "Vaicājums joprojām ir redaktorā: sašauriniet to (konkrētāki šabloni, LIMIT, piemēram, LIMIT 100) vai "
                     "lejupielādējiet datu kopu un izpildiet to savā datu kopijā.",
        "dump_link": "Visas datu kopas lejupielādes",
        "editor_running": "Izpilda…", "editor_unreachable": "Serveris neatbildēja ({status}). Vaicājums joprojām ir redaktorā; mēģiniet vēlreiz vai pievienojiet LIMIT.",
        "editor_clear_history": "Notīrīt vēsturi",
    },
    "et": {
        "home": "Avaleht", "query": "Päring", "ontology": "Ontoloogia", "dataset": "Andmestik", "shapes": "Kujud",
        "tagline": "Teadmusgraaf romade lõimumise osalistest, iga fakti allikaga.",
        "what": "Mida graaf sisaldab", "sources": "Allikad", "how_to_query": "Kuidas pärida",
        "downloads": "Allalaadimised", "licence": "Litsents", "types": "Tüübid", "statements": "Väited",
        "incoming": "Viited siia", "neighbourhood": "Naabrus", "page": "Lehekülg", "of": "/",
        "previous": "eelmine", "next": "järgmine", "not_found": "Selle IRI kohta pole midagi teada",
        "not_found_text": "Graafis pole ühtegi väidet selle kohta ega viidet sellele.",
        "other_formats": "See leht andmetena", "run": "Käivita", "examples": "Näidispäringud",
        "results": "Tulemused", "download": "Laadi alla", "permalink": "Püsilink", "rows": "rida",
        "error": "Viga", "entities": "olemit", "quads": "väidet", "graphs": "nimega graafi",
        "built": "koostatud", "classes": "Klassid", "object_properties": "Seosed",
        "datatype_properties": "Atribuudid", "concept_schemes": "Mõisteskeemid", "subclass_of": "alamklass klassist",
        "subclasses": "alamklassid", "required": "Mida kuraator peab esitama", "definition": "definitsioon",
        "all_members": "Kõik liikmed", "shift_enter": "Ctrl+Enter käivitab päringu.", "open": "Ava redaktoris",
        "timeout_note": "Päringud peatatakse {seconds} sekundi järel.", "cardinality": "mitu", "path": "omadus",
        "expects": "väärtus", "message": "teade", "truncated": "Näidatakse esimest {n} rida; kõik saab alla laadida.",
        # The query page's answer, views and editor.
        "row": "rida", "view_table": "Tabel", "view_bar": "Tulpdiagramm", "view_timeline": "Ajatelg",
        "download_svg": "Laadi alla SVG", "history": "Teie viimased päringud", "syntax_error": "Süntaksiviga",
        "timed_out": "Päring kestis kauem kui selle serveri piirang ({seconds} sekundit) ja peatati. Päring on endiselt "
                     "redaktoris: kitsendage seda (täpsemad mustrid, LIMIT, näiteks LIMIT 100) või laadige andmestik alla "
                     "ja käivitage päring oma koopial.",
        "dump_link": "Kogu andmestiku allalaadimised",
        "editor_running": "Käivitub…", "editor_unreachable": "Server ei vastanud ({status}). Päring on endiselt redaktoris; proovige uuesti või lisage LIMIT.",
        "editor_clear_history": "Tühjenda ajalugu",
    },
}
