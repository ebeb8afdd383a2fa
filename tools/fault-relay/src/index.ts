export { createFaultPlan, type FaultCounts, type FaultOptions, type FaultPlan, seededRandom } from './faults.js';
export { type FaultRelay, type FaultRelayOptions, startFaultRelay } from './relay.js';
