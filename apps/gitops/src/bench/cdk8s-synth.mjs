// The bench's generate reference (apps/gitops/src/commands/bench.ts): a cdk8s app that synthesizes
// the same objects `gitops generate` wrote (one Chart per generated folder, one ApiObject per object)
// to YAML files. Run as its own process, like `gitops generate`, so both include Node's start and
// their library loading. Arguments: <objects.json> <outdir>. Plain JavaScript: it runs without tsx.
import { readFileSync } from 'node:fs';
import { App, ApiObject, Chart } from 'cdk8s';

const [file, outdir] = process.argv.slice(2);
const groups = JSON.parse(readFileSync(file, 'utf8'));
const app = new App({ outdir });
let n = 0;
for (const [folder, objects] of Object.entries(groups)) {
  const chart = new Chart(app, folder.replaceAll('/', '-'), { disableResourceNameHashes: true });
  for (const o of objects) {
    const { apiVersion, kind, metadata, ...rest } = o;
    new ApiObject(chart, `o${n++}`, { apiVersion, kind, metadata, ...rest });
  }
}
app.synth();
process.stdout.write(`${n}\n`);
