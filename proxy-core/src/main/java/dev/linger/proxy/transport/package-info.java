/**
 * The choice of I/O transport (epoll, io_uring or NIO) and the channel classes that belong to it; the
 * rest of the proxy asks this package instead of naming a transport's classes itself.
 */
package dev.linger.proxy.transport;
