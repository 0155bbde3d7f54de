"""The pages' own words in the three languages a reader can choose (``?lang=``)."""

from __future__ import annotations

from rograph.namespaces import RG

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "search": "Search", "search_found": "{n} found for “{query}”", "search_untyped": "Other",
        "search_label": "label", "search_alternative_label": "also called", "search_description": "description",
        "source_count": "sources: {n}", "sources_differ": "sources differ", "sources_differ_heading": "Where sources differ",
        "source_documents": "sources", "facts": "facts", "reference_document": "curators' reference document",
        "outcomes": "Outcomes", "contents": "Contents", "subproperty_of": "subproperty of", "subproperties": "subproperties",
        "translated": "translation", "translated_note": "The curators' translation: no source gives a name in this language.",
        "fallback_note": "Not available in English; shown in the language named.",
        "file": "file", "bytes": "bytes", "triples": "triples", "language": "Language",
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
        "search": "Meklēt", "search_found": "Atrasti {n} vienumi vaicājumam “{query}”", "search_untyped": "Citi",
        "search_label": "nosaukums", "search_alternative_label": "saukts arī", "search_description": "apraksts",
        "source_count": "avoti: {n}", "sources_differ": "avoti atšķiras", "sources_differ_heading": "Kur avoti atšķiras",
        "source_documents": "avoti", "facts": "fakti", "reference_document": "kuratoru atsauces dokuments",
        "outcomes": "Rezultāti", "contents": "Saturs", "subproperty_of": "apakšīpašība no", "subproperties": "apakšīpašības",
        "translated": "tulkojums", "translated_note": "Kuratoru tulkojums: neviens avots nesniedz nosaukumu šajā valodā.",
        "fallback_note": "Nav pieejams latviešu valodā; rādīts norādītajā valodā.",
        "file": "datne", "bytes": "baiti", "triples": "trijnieki", "language": "Valoda",
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
        "search": "Otsi", "search_found": "Leiti {n} vastet päringule “{query}”", "search_untyped": "Muud",
        "search_label": "nimetus", "search_alternative_label": "ka", "search_description": "kirjeldus",
        "source_count": "allikaid: {n}", "sources_differ": "allikad erinevad", "sources_differ_heading": "Kus allikad erinevad",
        "source_documents": "allikat", "facts": "fakti", "reference_document": "kuraatorite viitedokument",
        "outcomes": "Tulemused", "contents": "Sisukord", "subproperty_of": "alamomadus omadusest", "subproperties": "alamomadused",
        "translated": "tõlge", "translated_note": "Kuraatorite tõlge: ükski allikas ei anna selles keeles nime.",
        "fallback_note": "Eesti keeles pole saadaval; näidatud märgitud keeles.",
        "file": "fail", "bytes": "baiti", "triples": "kolmikud", "language": "Keel",
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

#: A meeting's outcomes by kind, as the headings of its page name them.
OUTCOME_PLURALS: dict[str, dict[str, str]] = {
    str(RG) + "Agreement": {"en": "Agreements", "lv": "Vienošanās", "et": "Kokkulepped"},
    str(RG) + "Finding": {"en": "Findings", "lv": "Atziņas", "et": "Tähelepanekud"},
    str(RG) + "Plan": {"en": "Plans", "lv": "Plāni", "et": "Kavad"},
}
