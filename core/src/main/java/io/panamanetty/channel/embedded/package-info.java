/**
 * {@link io.panamanetty.channel.embedded.EmbeddedChannel}: a channel with no socket, for
 * unit tests of handlers and codecs.
 */
package io.panamanetty.channel.embedded;
