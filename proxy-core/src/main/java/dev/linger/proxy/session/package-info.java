/**
 * Sessions: a client connection, its upstream connection, the relay between them, and the one place
 * that decides how both end (teardown by trigger and policy, onto a path).
 */
package dev.linger.proxy.session;
