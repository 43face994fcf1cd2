/**
 * Public example recipients shipped so the repository works out of the box.
 * Their private keys are TEST KEYS in `test-keys/` (documented there); take ownership
 * of an environment with `gitops secrets take-ownership` before storing anything real.
 */
export const EXAMPLE_RECIPIENTS = {
  dev: 'age1qvku6txs4wmmn8ppzswsyehp296k523wxlyympy3u2ylcnv0racqjgnna2',
  staging: 'age1veljunh59qj0gpsqaxsg2zdqfvlydu28gau2fs2x8fedmnql5ghq599j72',
  prod: 'age1se7cz3kfse0pe2cac5qvy9tgt3hk2sq0t49w9mq3a4nwd530jvmqfta709',
} as const;
