/**
 * linger's engine: {@link dev.linger.proxy.ProxyServer} runs a validated
 * {@link dev.linger.proxy.config.ProxyConfig}. A library: no {@code main}, no logging backend.
 */
package dev.linger.proxy;
