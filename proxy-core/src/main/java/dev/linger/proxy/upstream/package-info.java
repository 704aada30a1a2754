/**
 * Upstreams and how a session gets one: address handling (literal IPs resolved once, host names by a
 * non-blocking resolver), balancing (round-robin, least-connections, random, each by weight), retries
 * on the next upstream after a failed connect, passive ejection of upstreams whose connects keep
 * failing, and active TCP health checks. {@link dev.linger.proxy.upstream.UpstreamConnector} is the
 * entry point; the state shared by every event loop lives in atomics, so no lock is taken on the
 * data path.
 */
package dev.linger.proxy.upstream;
