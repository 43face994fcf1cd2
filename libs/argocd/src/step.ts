/**
 * libs/argocd as one value, handed to the flow in @gitops/pipeline (`generateAll`, `validatePlatforms`,
 * `argoCdPaths`), which takes it as an argument instead of importing it: in the Nx project graph
 * argocd depends on every platform and every platform on pipeline, so a pipeline -> argocd edge would
 * mark every platform affected by a change to any one of them.
 */
import { ARGOCD_ROOT } from './config';
import { committedArgoCdObjects, repoPaths } from './committed';
import { generateArgoCd } from './generate';
import { planArgoCd } from './plan';

export const argoCd = {
  root: ARGOCD_ROOT,
  generate: generateArgoCd,
  plan: planArgoCd,
  committedObjects: committedArgoCdObjects,
  repoPaths,
} as const;
