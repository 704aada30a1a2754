/**
 * Upstreams and how a session picks one: address handling (literal IPs resolved once, host names by a
 * non-blocking resolver) and balancing.
 */
package dev.linger.proxy.upstream;
