/** The repository's .sops.yaml text. */
import { describe, expect, it } from 'vitest';
import { parseSopsConfig } from '@gitops/secrets';
import { sopsConfigText } from '../src';

describe('.sops.yaml', () => {
  it('has one rule per environment, in environment order, deterministic and parseable by sops', () => {
    const rec = { prod: ['age1se7cz3kfse0pe2cac5qvy9tgt3hk2sq0t49w9mq3a4nwd530jvmqfta709'], dev: ['age1qvku6txs4wmmn8ppzswsyehp296k523wxlyympy3u2ylcnv0racqjgnna2'] };
    const text = sopsConfigText(rec);
    expect(sopsConfigText({ dev: rec.dev, prod: rec.prod })).toBe(text);
    const cfg = parseSopsConfig(text);
    expect(cfg.warnings).toEqual([]);
    expect(cfg.creationRules.map((r) => [r.pathRegex, r.encryptedRegex, r.age])).toEqual([
      ['^environments/dev/.*/secrets/.*\\.enc\\.yaml$', '^(data|stringData)$', rec.dev],
      ['^environments/prod/.*/secrets/.*\\.enc\\.yaml$', '^(data|stringData)$', rec.prod],
    ]);
  });
});
