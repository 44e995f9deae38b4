/**
 * The end-to-end echo harness: echo servers (panama-netty and its peers), each run
 * in its own JVM by {@link io.panamanetty.benchmarks.echo.Harness}, a load generator
 * that checks every echoed byte, and the Markdown and PNG reports.
 *
 * <p>Every server program binds {@code 127.0.0.1} on an ephemeral port, prints
 * {@code PORT <n>} on standard output once it accepts connections, and exits when its
 * standard input closes; one started with {@code --unix PATH} listens on that Unix socket
 * file instead and prints {@code UNIX <PATH>}.
 */
package io.panamanetty.benchmarks.echo;
