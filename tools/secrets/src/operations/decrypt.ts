/** `sops decrypt FILE`: the plaintext in the file's own format. */
import { openFile, type FileOptions } from './context';

/** Decrypted file as text (YAML/JSON/dotenv as sops -d prints it; binary decoded as UTF-8). */
export async function decryptFile(path: string, opts: FileOptions = {}): Promise<string> {
  return (await decryptFileBytes(path, opts)).toString('utf8');
}

/** Decrypted file as bytes (use for binary files). */
export async function decryptFileBytes(path: string, opts: FileOptions = {}): Promise<Buffer> {
  const doc = await openFile(path, opts);
  return doc.store.emitPlain(doc.branches);
}
