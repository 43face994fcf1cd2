import { renderForTest } from '@gitops/pipeline';
import { compileAll } from '@gitops/pipeline';
const r = await renderForTest('sevensa');
const c = compileAll(r.platform);
for (const [app, env, kind, name] of [['infra','prod','Deployment','keycloak'],['monitoring','dev','StatefulSet','grafana']]) {
  const e = c.get(app)!.get(env)!.groups.flatMap(g=>g.objects).find(o=>o.kind===kind&&o.metadata?.name===name);
  const g = r.get(env, kind, name, app);
  console.log(JSON.stringify(e).length, JSON.stringify(g).length);
  const a = JSON.stringify(e, null, 1).split('\n'), b = JSON.stringify(g, null, 1).split('\n');
  for (let i=0;i<Math.max(a.length,b.length);i++) if (a[i]!==b[i]) { console.log(i, a[i], '|', b[i]); if (i>5000) break; }
}
