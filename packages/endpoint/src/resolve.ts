// Name resolution (ours: Cowan leaves "when names are resolved" open). Endpoints made from a host
// name are not looked up when made; resolveNetworkEndpoint asks the OS resolver
// (dns.promises.lookup, i.e. getaddrinfo with the system's hosts file and DNS) and returns a new
// endpoint that keeps the name as its host and carries the first address the resolver gives
// (the OS order, or node's --dns-result-order). resolveNetworkEndpointAll returns one endpoint per
// address. Names under `.invalid` fail at once with ENOTFOUND without asking the OS (RFC 6761
// §6.4). getaddrinfo cannot be cancelled: on abort the call rejects with `signal.reason` at once
// and the lookup's eventual answer is ignored.

import { promises as dns } from 'node:dns';
import { checkEndpoint, type NetworkEndpoint, resolvedEndpoint } from './endpoint.js';
import { NetworkEndpointError, show } from './errors.js';
import { isInvalidName } from './hostname.js';
import { ipFamilyOf } from './ip.js';

/** A resolver with the shape of `dns.promises.lookup(hostname, { family, all: true })`. */
export type NetworkEndpointLookup = (
  hostname: string,
  options: { family: 0 | 4 | 6; all: true },
) => Promise<readonly { address: string; family: number }[]>;

export interface ResolveNetworkEndpointOptions {
  /** Aborting rejects the call with `signal.reason`. */
  signal?: AbortSignal;
  /** Only addresses of this family (0, the default, means any). */
  family?: 0 | 4 | 6;
  /** The resolver to use instead of `dns.promises.lookup` (tests, custom resolvers). */
  lookup?: NetworkEndpointLookup;
}

/** Linux gai_strerror texts for the codes node reports (node turns EAI_NONAME into ENOTFOUND). */
const GAI_TEXT: Readonly<Record<string, string>> = {
  ENOTFOUND: 'Name or service not known',
  EAI_AGAIN: 'Temporary failure in name resolution',
  EAI_FAIL: 'Non-recoverable failure in name resolution',
  EAI_NODATA: 'No address associated with hostname',
  EAI_FAMILY: 'ai_family not supported',
  EAI_MEMORY: 'Memory allocation failure',
  EAI_SERVICE: 'Servname not supported for ai_socktype',
  EAI_SYSTEM: 'System error',
  EAI_BADFLAGS: 'Bad value for ai_flags',
};

const defaultLookup: NetworkEndpointLookup = (hostname, options) => dns.lookup(hostname, options);

function resolveError(who: string, name: string, code: string, cause?: unknown): NetworkEndpointError {
  const text = GAI_TEXT[code];
  return new NetworkEndpointError(
    'ERR_ENDPOINT_RESOLVE',
    who,
    `cannot resolve ${show(name)}: ${code}${text ? ` (${text})` : ''}`,
    { cause, resolverCode: code, hostname: name },
  );
}

async function lookupAll(
  who: string,
  ep: unknown,
  options: ResolveNetworkEndpointOptions | undefined,
): Promise<NetworkEndpoint[]> {
  const signal = options?.signal;
  signal?.throwIfAborted();
  const endpoint = checkEndpoint(ep, who);
  const family = options?.family ?? 0;
  if (family !== 0 && family !== 4 && family !== 6) {
    throw new NetworkEndpointError('ERR_ENDPOINT_ARGUMENT', who, `family must be 0, 4 or 6; given ${show(family)}`);
  }
  if (endpoint.address !== undefined) return [endpoint]; // numeric, `true`, or already resolved
  const name = endpoint.name!;
  if (isInvalidName(name)) throw resolveError(who, name, 'ENOTFOUND');
  const lookup = options?.lookup ?? defaultLookup;

  let answers: readonly { address: string; family: number }[];
  if (!signal) {
    answers = await callLookup(who, name, lookup, family);
  } else {
    let onAbort!: () => void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
    });
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      answers = await Promise.race([callLookup(who, name, lookup, family), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
  const result: NetworkEndpoint[] = [];
  // A custom lookup may answer one object instead of an array (dns.lookup without `all`).
  const list = Array.isArray(answers)
    ? answers
    : answers
      ? [answers as unknown as { address: string; family: number }]
      : [];
  for (const answer of list) {
    const address: unknown = answer?.address;
    const f = typeof address === 'string' ? ipFamilyOf(address) : 0;
    if (f === 0) {
      throw new NetworkEndpointError(
        'ERR_ENDPOINT_RESOLVE',
        who,
        `the resolver answered ${show(address)} for ${show(name)}, which is not an IP address`,
        { hostname: name },
      );
    }
    if (family !== 0 && f !== family) continue;
    result.push(resolvedEndpoint(endpoint, address as string, f));
  }
  if (result.length === 0) throw resolveError(who, name, 'ENOTFOUND');
  return result;
}

async function callLookup(
  who: string,
  name: string,
  lookup: NetworkEndpointLookup,
  family: 0 | 4 | 6,
): Promise<readonly { address: string; family: number }[]> {
  try {
    return await lookup(name, { family, all: true });
  } catch (cause) {
    const code = (cause as { code?: unknown })?.code;
    throw resolveError(who, name, typeof code === 'string' ? code : 'EAI_FAIL', cause);
  }
}

/**
 * Resolves an endpoint's host name through the OS resolver. Resolves to a new endpoint whose host is
 * still the name and which carries the first address; an endpoint that already has an address
 * (numeric, `true`, or resolved) is returned as it is. Rejects with ERR_ENDPOINT_RESOLVE (with
 * `resolverCode`, e.g. ENOTFOUND) or with `signal.reason`.
 */
export async function resolveNetworkEndpoint(
  ep: NetworkEndpoint,
  options?: ResolveNetworkEndpointOptions,
): Promise<NetworkEndpoint> {
  const all = await lookupAll('resolve-network-endpoint', ep, options);
  return all[0]!;
}

/** Like resolveNetworkEndpoint, but one endpoint per address the resolver gives, in its order. */
export async function resolveNetworkEndpointAll(
  ep: NetworkEndpoint,
  options?: ResolveNetworkEndpointOptions,
): Promise<NetworkEndpoint[]> {
  return lookupAll('resolve-network-endpoint-all', ep, options);
}
