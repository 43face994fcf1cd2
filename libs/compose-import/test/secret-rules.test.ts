import { describe, expect, it } from 'vitest';
import { secretRule, SECRET_RULES } from '../src/secret-rules';

describe('secret detection rules', () => {
  it.each([
    ['POSTGRES_PASSWORD', 'x', 'name-password'],
    ['DB_PASSWD', 'x', 'name-password'],
    ['REDIS_PASS', 'x', 'name-password'],
    ['SECRET_KEY', 'x', 'name-secret'],
    ['GITHUB_TOKEN', 'x', 'name-token'],
    ['STRIPE_API_KEY', 'x', 'name-key'],
    ['AIRFLOW__CORE__FERNET_KEY', '', 'name-key'],
    ['AWS_ACCESS_KEY_ID', 'x', 'name-key'],
    ['GCP_CREDENTIALS', 'x', 'name-credential'],
    ['DATABASE_URL', 'postgres://shop:hunter2@db:5432/shop', 'value-url-credentials'],
    ['SQL_ALCHEMY_CONN', 'postgresql+psycopg2://airflow:airflow@postgres/airflow', 'value-url-credentials'],
  ])('%s is secret (%s → %s)', (name, value, rule) => {
    expect(secretRule(name, value)).toBe(rule);
  });

  it.each([
    ['POSTGRES_PASSWORD_FILE', '/run/secrets/db-password'],
    ['POSTGRES_USER', 'shop'],
    ['REDIS_HOST', 'cache'],
    ['BROKER_URL', 'redis://:@redis:6379/0'],
    ['PUBLIC_URL', 'https://shop.example.com/path'],
    ['KEYCLOAK_REALM', 'shop'],
    ['PASSENGER_COUNT', '3'],
  ])('%s=%s is not secret', (name, value) => {
    expect(secretRule(name, value)).toBeUndefined();
  });

  it('every rule is documented in README.md', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const r of SECRET_RULES) expect(readme).toContain(`\`${r.id}\``);
  });
});
