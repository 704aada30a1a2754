/**
 * The command line (the README's "Command line"): {@link dev.linger.app.cli.Cli} parses the arguments with
 * picocli and runs the proxy, checks a configuration file, or prints the version or usage, turning every
 * outcome into an exit status. Bad input ends as one line on stderr followed by the usage, never as a
 * stack trace.
 */
package dev.linger.app.cli;
