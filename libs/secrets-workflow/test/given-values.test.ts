/** Values given to `gitops secrets init`: --set and dotenv lines, matched against the declarations. */
import { describe, expect, it } from 'vitest';
import type { SecretDecl } from '@gitops/core';
import { parseDotenv, resolveGivenValues, type DeclaredSecretFile } from '../src';

describe('given values', () => {
  const decl = (name: string, keys: string[]): DeclaredSecretFile =>
    ({ platform: 'p', app: 'p', env: 'dev', file: `environments/dev/p/secrets/${name}.enc.yaml`, overlay: 'environments/dev/p', secret: { name, keys: keys.map((k) => ({ name: k })) } as SecretDecl });
  const files = [decl('acr-pull', ['.dockerconfigjson']), decl('db.credentials', ['user.name', 'password']), decl('api', ['TOKEN'])];

  it('resolves secret.key and SECRET__KEY against the declarations, dots and all', () => {
    const r = resolveGivenValues(
      files,
      ['acr-pull..dockerconfigjson={"auths":{}}', 'db.credentials.user.name=admin=x'],
      parseDotenv('# comment\nexport api__TOKEN="a b\\n"\ndb.credentials__password=\'lit $x\'\nnope__X=1\n'),
    );
    expect(Object.fromEntries([...r.bySecret].map(([s, m]) => [s, Object.fromEntries(m)]))).toEqual({
      'acr-pull': { '.dockerconfigjson': '{"auths":{}}' },
      'db.credentials': { 'user.name': 'admin=x', password: 'lit $x' },
      api: { TOKEN: 'a b\n' },
    });
    expect(r.unused).toEqual(['env file nope__X']);
  });

  it('never echoes a value in its errors', () => {
    expect(() => resolveGivenValues(files, ['s3cr3t-no-equals'], [])).toThrow(/^--set \(empty\): expected secret\.key=value$/);
    expect(() => parseDotenv('ok=1\ns3cr3t-line\n')).toThrow(/^env file line 2: expected NAME=value$/);
  });
});
