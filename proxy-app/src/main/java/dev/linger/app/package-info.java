/**
 * The runnable proxy: {@link dev.linger.app.Main} is the jar's entry point and hands the command line to
 * {@link dev.linger.app.cli.Cli}; {@link dev.linger.app.ProxyProcess} owns one running proxy from start to
 * stop (and is where signal-driven reload and draining shutdown attach); the rest are small helpers for
 * the version and the one-line route summaries shown to operators.
 */
package dev.linger.app;
