// Bundles the query page's editor into the package's static folder, where the app serves it
// and the wheel ships it. The output is committed (the README's commands need no Node.js);
// .ci/run rebuilds it from package-lock.json and checks that the bytes are the same.
import { build } from "esbuild";

await build({
  entryPoints: ["src/query-page.js"],
  outfile: "../src/rograph/web/static/query-editor.js",
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  platform: "browser",
  charset: "utf8",
  legalComments: "eof",
  logLevel: "info",
});
