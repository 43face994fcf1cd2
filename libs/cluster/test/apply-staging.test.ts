/** Every overlay of staging applied to its own real control plane (apply-environment.ts). */
import { describeApply } from './apply-environment';

describeApply('staging');
