/** The repository's secrets workflow (see README.md): one module per concern. */
export * from './declared';
export * from './values';
export * from './given-values';
export * from './recipients';
export * from './sops-config';
export * from './sops-config-drift';
export * from './identities';
export * from './init';
export * from './check';
export * from './updatekeys';
export * from './take-ownership';
export * from './scan';
export * from './ksops-loader';
export * from './edit';
export { plaintextProblems, readYamlDocuments, relMessage } from './repo-files';
