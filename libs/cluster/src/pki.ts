/**
 * Certificates, keys and the admin token of a local control plane, generated with openssl into the
 * cluster's temporary folder (mode 0600). Nothing here is ever written into the repository.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  /** Service-account token signing key pair. */
  saKey: string;
  saPub: string;
  /** kube-apiserver --token-auth-file (one admin token in system:masters). */
  tokenFile: string;
  token: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  const r = await execa('openssl', args, { cwd: dir, reject: false, stdin: 'ignore' });
  if (r.exitCode !== 0) throw new Error(`openssl ${args[0]} failed: ${String(r.stderr).trim()}`);
}

export async function generatePki(dir: string): Promise<Pki> {
  const p = (f: string) => join(dir, f);
  const ec = ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  await openssl(dir, ['genpkey', ...ec, '-out', 'ca.key']);
  await openssl(dir, ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=gitops-local-ca', '-days', '30', '-out', 'ca.crt']);
  await openssl(dir, ['genpkey', ...ec, '-out', 'apiserver.key']);
  await openssl(dir, ['req', '-new', '-key', 'apiserver.key', '-subj', '/CN=kube-apiserver', '-out', 'apiserver.csr']);
  writeFileSync(
    p('apiserver.ext'),
    'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\n' +
      'extendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n',
  );
  await openssl(dir, ['x509', '-req', '-in', 'apiserver.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30', '-extfile', 'apiserver.ext', '-out', 'apiserver.crt']);
  await openssl(dir, ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key']);
  await openssl(dir, ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  const token = randomBytes(24).toString('hex');
  writeFileSync(p('tokens.csv'), `${token},gitops-admin,gitops-admin,"system:masters"\n`, { mode: 0o600 });
  for (const f of ['ca.key', 'apiserver.key', 'sa.key']) chmodSync(p(f), 0o600);
  return {
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    serverCert: p('apiserver.crt'),
    serverKey: p('apiserver.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
    tokenFile: p('tokens.csv'),
    token,
  };
}

/** A kubeconfig for the local cluster (token auth), written beside the certificates, never ~/.kube/config. */
export function kubeconfigText(server: string, caCert: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: gitops-local',
    '    cluster:',
    `      server: ${server}`,
    `      certificate-authority: ${caCert}`,
    'users:',
    '  - name: gitops-admin',
    '    user:',
    `      token: ${token}`,
    'contexts:',
    '  - name: gitops-local',
    '    context:',
    '      cluster: gitops-local',
    '      user: gitops-admin',
    'current-context: gitops-local',
    '',
  ].join('\n');
}
