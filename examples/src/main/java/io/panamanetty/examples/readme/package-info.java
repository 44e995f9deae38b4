/**
 * Java twins of the examples in py-netty's README, kept as close to the original as
 * Java allows. Each is runnable and covered by a test against loopback peers.
 */
package io.panamanetty.examples.readme;
