/** Field paths in the form `spec.template.spec.containers[0].ports[0].containerPort`. */

const IDENT = /^[A-Za-z_$][\w$-]*$/;

/** Append an object key or array index to a path. */
export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENT.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Convert a JSON pointer (ajv instancePath) into a field path, using the data to tell array indexes from keys. */
export function pointerToPath(pointer: string, root: unknown): string {
  if (!pointer) return '';
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = '';
  let cur: any = root;
  for (const seg of segments) {
    if (Array.isArray(cur) && /^\d+$/.test(seg)) {
      const i = Number(seg);
      path = join(path, i);
      cur = cur[i];
    } else {
      path = join(path, seg);
      cur = cur && typeof cur === 'object' ? cur[seg] : undefined;
    }
  }
  return path;
}
