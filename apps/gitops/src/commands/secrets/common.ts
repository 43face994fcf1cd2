/**
 * What the `secrets` subcommands share: counted words. (Their SOPS library errors need no wrapper:
 * main.ts prints a SopsError as its message with the exit code of the library's one table,
 * SOPS_ERROR_CLASSES, read from the error's `exitCode`.)
 */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
