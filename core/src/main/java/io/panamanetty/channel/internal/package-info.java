/**
 * What channels and transports share behind the public API: the abstract channel, the
 * pipeline and its contexts, promises, the outbound queue and its water marks, the
 * buffer-ownership bookkeeping, and the registry through which bootstraps find a
 * transport's TCP channels. Not exported from the module; transport-neutral like
 * {@code io.panamanetty.channel}.
 */
package io.panamanetty.channel.internal;
