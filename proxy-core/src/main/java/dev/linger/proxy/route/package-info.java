/**
 * Routes at run time: one listener per route, and the state its sessions share (settings, upstream
 * selection, live sessions).
 */
package dev.linger.proxy.route;
