// The bench's generate reference (apps/gitops/src/bench/table.ts): a cdk8s app that synthesizes the
// same objects `gitops generate` wrote (one Chart per generated folder, one ApiObject per object) to
// YAML files. The bench runs it the way cdk8s users do, through the cdk8s CLI's `cdk8s synth` (its
// cdk8s.yaml names this app; the CLI passes the output folder in CDK8S_OUTDIR), and bare under
// `node` as well, the floor of the library alone. Arguments: <objects.json> [outdir]. Plain
// JavaScript: it runs without tsx.
import { readFileSync } from 'node:fs';
import { App, ApiObject, Chart } from 'cdk8s';

const [file, outdir] = process.argv.slice(2);
const groups = JSON.parse(readFileSync(file, 'utf8'));
const app = new App(outdir ? { outdir } : {});
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
