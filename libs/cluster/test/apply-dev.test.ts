/** Every overlay of dev applied to its own real control plane (apply-environment.ts). */
import { describeApply } from './apply-environment';

describeApply('dev');
