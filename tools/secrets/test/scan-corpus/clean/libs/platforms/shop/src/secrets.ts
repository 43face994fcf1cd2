export const secrets = [{ name: 'db-credentials', keys: [{ name: 'password', generate: { kind: 'password' } }] }];
export const TLS_SECRET = 'shop-frontend-tls';
