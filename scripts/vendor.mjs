// Copies the minified front-end files that pages load from node_modules into src/amends/static/vendor/.
// Run by `npm install` (postinstall) and `npm run vendor`. The target folder is gitignored: assets come from
// the npm registry at setup and are served locally, never from a CDN and never pasted into the repository.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "src", "amends", "static", "vendor");

const files = [
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  ["echarts/dist/echarts.min.js", "echarts.min.js"],
];

mkdirSync(target, { recursive: true });
let missing = 0;
for (const [from, to] of files) {
  const source = join(root, "node_modules", from);
  if (!existsSync(source)) {
    console.error(`vendor: ${from} is not installed; run npm install`);
    missing += 1;
    continue;
  }
  copyFileSync(source, join(target, to));
  console.log(`vendor: ${from} -> src/amends/static/vendor/${to}`);
}
process.exit(missing ? 1 : 0);
