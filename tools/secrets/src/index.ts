/**
 * @gitops/secrets: a native TypeScript implementation of the SOPS file format with
 * age recipients (YAML incl. multi-document, JSON, dotenv, binary), compatible with
 * the sops CLI, KSOPS and Flux. See README.md.
 */
export { decryptFile, decryptFileBytes } from './operations/decrypt';
export { encryptFile, type EncryptFileOptions } from './operations/encrypt';
export { getValue, setValue, parseValuePath, type ValuePath } from './operations/values';
export { editFile, type Editor } from './operations/edit';
export { rotate, updateKeys, type RotateOptions, type UpdateKeysResult } from './operations/keys';
export { readMetadata, type FileMetadata, type LeafInfo } from './operations/inspect';
export type { FileOptions } from './operations/context';

export { encryptDocument, decryptDocument, type EncryptOptions, type DecryptOptions } from './document';
export { formatForPath, type Format, type StoreOptions } from './stores';

export {
  parseSopsConfig,
  readSopsConfig,
  serializeSopsConfig,
  findSopsConfig,
  matchCreationRule,
  ruleKeyGroups,
  parseKeyField,
  type SopsConfig,
  type CreationRule,
  type ConfigKeyGroup,
} from './sops-config';

export { generateAgeKey, recipientOf, formatKeysFile, wrapDataKey, unwrapDataKey, type AgeKeyPair } from './age';
export { ageStanzaProblems } from './age-stanza';
export { loadAgeIdentities, defaultKeysFilePath, parseIdentities, type IdentityOptions } from './identities';

export { scanTree, scanContent, type Finding, type LeakKind, type ScanOptions } from './scan';
export { benchSecrets, benchSecretsDetailed, type BenchResult } from './bench';

export { fsErrorExitCode, isNoKey, isSystemError, sopsExitCode, SopsError, SOPS_ERROR_CLASSES, type SopsErrorClass, type SopsErrorCode } from './errors';
export { withFileLock, writeFileAtomic, createFileExclusive, lockPathOf, processAlive, type LockOptions } from './safe-write';
export { SOPS_VERSION } from './metadata';
export { K8S_SECRET_ENCRYPTED_REGEX, DEFAULT_UNENCRYPTED_SUFFIX, isEncryptedPath, type EncryptionRule, type RuleOptions } from './rules';
export { SopsInt, SopsFloat, SopsTime, TreeBranch, Comment } from './tree';
