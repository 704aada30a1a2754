/**
 * Sessions: a client connection, its upstream connection, and the pieces between them. {@code Session}
 * wires them: {@code TeardownMachine} alone decides how a session ends (trigger, policy, path), {@code Relay}
 * moves the bytes, {@code HeaderIntake} reads a PROXY header, {@code SessionRecord} counts and logs the end,
 * and {@code SessionSocket} is all a session does to a socket.
 */
package dev.linger.proxy.session;
