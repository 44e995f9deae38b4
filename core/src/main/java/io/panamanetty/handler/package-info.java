/**
 * Stock handlers: idle detection ({@link io.panamanetty.handler.IdleStateHandler}) and
 * event logging with hex dumps ({@link io.panamanetty.handler.LoggingHandler}). The echo
 * handler lives with the channel API: {@link io.panamanetty.channel.EchoHandler}.
 */
package io.panamanetty.handler;
