// Every demo step, in the order the stack is built: endpoint → udp-racket → datagram-channel → tftp.

import { datagramChannelSteps } from './datagram-channel.js';
import { endpointSteps } from './endpoint.js';
import type { Step } from './step.js';
import { tftpSteps } from './tftp.js';
import { udpRacketSteps } from './udp-racket.js';

export function allSteps(): Step[] {
  return [...endpointSteps, ...udpRacketSteps, ...datagramChannelSteps, ...tftpSteps()];
}
